//! [`SpikeEvents`]: spikes recorded as events `(step, neuron)`, as Brian2's `SpikeMonitor` keeps
//! them — memory grows with the spikes, not with steps × neurons as a raster does. Filled step by
//! step ([`record`](SpikeEvents::record), or [`SpikeMonitor`](super::SpikeMonitor) during a run)
//! or from a recorded raster ([`from_raster`](SpikeEvents::from_raster)).

use alloc::vec::Vec;

use super::spikes::for_each_spike;

/// Spike events of one population, in the order recorded (by step, then neuron).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpikeEvents {
    steps: Vec<u64>,
    neurons: Vec<u32>,
}

impl SpikeEvents {
    /// No events.
    pub fn new() -> Self {
        Self::default()
    }

    /// No events, with room for `events` of them (recording up to that many allocates nothing).
    pub fn with_capacity(events: usize) -> Self {
        SpikeEvents {
            steps: Vec::with_capacity(events),
            neurons: Vec::with_capacity(events),
        }
    }

    /// The events of a raster: `rows` yields the spike vector of step 0, 1, ….
    pub fn from_raster<'a>(rows: impl IntoIterator<Item = &'a [bool]>) -> Self {
        let mut events = SpikeEvents::new();
        for (step, spikes) in rows.into_iter().enumerate() {
            events.record(step as u64, spikes);
        }
        events
    }

    /// Records the neurons that fired at `step` (blocks without a spike are skipped fast).
    /// Steps should come in increasing order.
    #[inline]
    pub fn record(&mut self, step: u64, spikes: &[bool]) {
        debug_assert!(self.steps.last().is_none_or(|&last| last <= step));
        for_each_spike(spikes, |i| {
            self.steps.push(step);
            self.neurons.push(i as u32);
        });
    }

    /// Events recorded.
    pub fn len(&self) -> usize {
        self.neurons.len()
    }

    /// Whether no spike was recorded.
    pub fn is_empty(&self) -> bool {
        self.neurons.is_empty()
    }

    /// The step of every event.
    pub fn steps(&self) -> &[u64] {
        &self.steps
    }

    /// The neuron of every event.
    pub fn neurons(&self) -> &[u32] {
        &self.neurons
    }

    /// The events as `(step, neuron)`.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (u64, u32)> + '_ {
        self.steps.iter().copied().zip(self.neurons.iter().copied())
    }

    /// Spikes of each of `n` neurons.
    pub fn counts(&self, n: usize) -> Vec<usize> {
        let mut counts = alloc::vec![0; n];
        for &i in &self.neurons {
            counts[i as usize] += 1;
        }
        counts
    }

    /// Mean rate in Hz of `n` neurons over `steps` steps of `dt` ms.
    pub fn rate_hz(&self, n: usize, steps: usize, dt: f64) -> f64 {
        self.len() as f64 / n as f64 / (steps as f64 * dt * 1e-3)
    }

    /// Forgets every event (keeping the memory).
    pub fn clear(&mut self) {
        self.steps.clear();
        self.neurons.clear();
    }
}
