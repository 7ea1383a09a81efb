//! Monitors: typed selectors of what to record at each step ([`Select`], [`Probe`]) and lists of
//! them ([`Monitors`], a tuple built one monitor at a time with [`Append`]).

use alloc::collections::TryReserveError;
use alloc::vec::Vec;

use crate::{Batched, Trace};

/// Picks one value out of a system after each step, under a name. `|m| m.l1.state` with a name
/// is a [`Probe`]; the macros generate selectors for every state.
pub trait Select<M: ?Sized> {
    /// The recorded value.
    type Value;
    /// Name of the variable, with the child path (`"l1.state"`).
    fn name(&self) -> &'static str;
    /// The value in `model` now.
    fn select(&self, model: &M) -> Self::Value;
}

/// A named closure that selects a value: what [`LoopOverTime::monitor`] builds.
///
/// [`LoopOverTime::monitor`]: crate::LoopOverTime::monitor
#[derive(Clone, Copy)]
pub struct Probe<F> {
    name: &'static str,
    get: F,
}

impl<F> Probe<F> {
    /// A selector named `name` that records `get(model)`.
    pub fn new(name: &'static str, get: F) -> Self {
        Probe { name, get }
    }
}

impl<M: ?Sized, V, F: Fn(&M) -> V> Select<M> for Probe<F> {
    type Value = V;

    fn name(&self) -> &'static str {
        self.name
    }

    fn select(&self, model: &M) -> V {
        (self.get)(model)
    }
}

/// A tuple of selectors, recorded together after each step.
pub trait Monitors<M: ?Sized> {
    /// One [`Trace`] per selector, as a tuple.
    type Traces;
    /// Number of selectors.
    const COUNT: usize;
    /// Empty traces with room for `steps` values each.
    fn new_traces(&self, steps: usize) -> Result<Self::Traces, TryReserveError>;
    /// Appends the current value of every selector.
    fn record(&self, model: &M, traces: &mut Self::Traces);
}

/// Monitors whose values are [`Batched`], so they can be recorded batch-first.
pub trait BatchMonitors<M: ?Sized>: Monitors<M> {
    /// One batch-first [`Trace`] per selector (`values[b][k]`), as a tuple.
    type BatchTraces;
    /// Empty traces with room for `steps` values per sequence. Each selector gets one sequence per
    /// sample of its own value ([`Batched::BATCH`]): a state with one column per sample gets the
    /// run's batch, while a value shared by every sample (a parameter, a scalar) gets one.
    fn new_batch_traces(&self, steps: usize) -> Result<Self::BatchTraces, TryReserveError>;
    /// Appends the current value of every selector to each sample's sequence.
    fn record_batch(&self, model: &M, traces: &mut Self::BatchTraces);
}

/// Adds one more element at the end of a tuple: `(a, b).append(c) == (a, b, c)`.
pub trait Append<P> {
    /// The longer tuple.
    type Output;
    /// `self` with `p` at the end.
    fn append(self, p: P) -> Self::Output;
}

impl<M: ?Sized> Monitors<M> for () {
    type Traces = ();
    const COUNT: usize = 0;
    fn new_traces(&self, _steps: usize) -> Result<(), TryReserveError> {
        Ok(())
    }
    fn record(&self, _model: &M, _traces: &mut ()) {}
}

impl<M: ?Sized> BatchMonitors<M> for () {
    type BatchTraces = ();
    fn new_batch_traces(&self, _steps: usize) -> Result<(), TryReserveError> {
        Ok(())
    }
    fn record_batch(&self, _model: &M, _traces: &mut ()) {}
}

impl<P> Append<P> for () {
    type Output = (P,);
    fn append(self, p: P) -> (P,) {
        (p,)
    }
}

macro_rules! tuple_monitors {
    ($($name:ident $idx:tt),+) => {
        impl<M: ?Sized, $($name: Select<M>),+> Monitors<M> for ($($name,)+) {
            type Traces = ($(Trace<$name::Value>,)+);
            const COUNT: usize = [$($idx),+].len();

            fn new_traces(&self, steps: usize) -> Result<Self::Traces, TryReserveError> {
                Ok(($(Trace::with_capacity(self.$idx.name(), steps)?,)+))
            }

            fn record(&self, model: &M, traces: &mut Self::Traces) {
                $(traces.$idx.values.push(self.$idx.select(model));)+
            }
        }

        impl<M: ?Sized, $($name: Select<M>),+> BatchMonitors<M> for ($($name,)+)
        where
            $($name::Value: Batched,)+
        {
            type BatchTraces = ($(Trace<Vec<<$name::Value as Batched>::Sample>>,)+);

            fn new_batch_traces(&self, steps: usize) -> Result<Self::BatchTraces, TryReserveError> {
                // The value's own batch, not the input's: `push_samples` asks for that many
                // samples, and a value with fewer columns than the input has no sample `b`.
                Ok(($(Trace::batch_first(
                    self.$idx.name(),
                    <$name::Value as Batched>::BATCH,
                    steps,
                )?,)+))
            }

            fn record_batch(&self, model: &M, traces: &mut Self::BatchTraces) {
                $(traces.$idx.push_samples(&self.$idx.select(model));)+
            }
        }

        impl<$($name,)+ P> Append<P> for ($($name,)+) {
            type Output = ($($name,)+ P,);
            fn append(self, p: P) -> Self::Output {
                ($(self.$idx,)+ p,)
            }
        }
    };
}
tuple_monitors!(A 0);
tuple_monitors!(A 0, B 1);
tuple_monitors!(A 0, B 1, C 2);
tuple_monitors!(A 0, B 1, C 2, D 3);
tuple_monitors!(A 0, B 1, C 2, D 3, E 4);
tuple_monitors!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_monitors!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_monitors!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple_monitors!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple_monitors!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
tuple_monitors!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
tuple_monitors!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);
