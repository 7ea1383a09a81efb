//! [`SpikeMonitor`]: an [`Observer`] recording a population's spikes as [`SpikeEvents`] during a
//! run, read from the model by a closure (`|net: &Net| net.e.spike.as_slice()`).

use crate::{Observer, ObserverError, Step};

use super::events::SpikeEvents;

/// Records the spikes that `spikes` reads from the model after every step. Steps are the loop
/// clock's: they count from 0 when the loop is built (or reset) and go on across runs, as
/// Brian2's monitor does across `run` calls.
#[derive(Clone, Debug)]
pub struct SpikeMonitor<F> {
    spikes: F,
    events: SpikeEvents,
}

impl<F> SpikeMonitor<F> {
    /// A monitor of the spike vector `spikes(model)`.
    pub fn new<M: ?Sized>(spikes: F) -> Self
    where
        F: Fn(&M) -> &[bool],
    {
        Self::with_events(spikes, SpikeEvents::new())
    }

    /// A monitor recording into `events` (e.g. [`SpikeEvents::with_capacity`], so that
    /// recording allocates nothing).
    pub fn with_events<M: ?Sized>(spikes: F, events: SpikeEvents) -> Self
    where
        F: Fn(&M) -> &[bool],
    {
        SpikeMonitor { spikes, events }
    }

    /// The events so far.
    pub fn events(&self) -> &SpikeEvents {
        &self.events
    }

    /// The events, giving the monitor up.
    pub fn into_events(self) -> SpikeEvents {
        self.events
    }
}

impl<M: ?Sized, F: Fn(&M) -> &[bool]> Observer<M> for SpikeMonitor<F> {
    #[inline]
    fn observe(&mut self, model: &M, step: &Step) -> Result<(), ObserverError> {
        self.events.record(step.n, (self.spikes)(model));
        Ok(())
    }
}
