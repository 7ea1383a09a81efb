//! Observers: code that sees the model after every step without recording into the history —
//! streaming a monitor to disk, a progress bar. Added with `LoopOverTime::observe`.
//!
//! An observer that fails (a full disk under a stream) returns an [`ObserverError`]; the loop
//! then stops after that step and returns `LoopError::Observer` with the history so far.

use alloc::boxed::Box;

/// Why an observer stopped a run: any error, boxed (an I/O error of a stream, say).
pub type ObserverError = Box<dyn core::error::Error + Send + Sync + 'static>;

/// Where a run is, as an observer sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// Step of this run, from 0.
    pub k: usize,
    /// Steps this run will take.
    pub steps: usize,
    /// Global step of the loop's clock (since the loop was built or reset): `k` plus the steps
    /// of earlier runs. A stride over it is the same however the runs are split.
    pub n: u64,
    /// `t` of the step, when the loop generates it.
    pub t: Option<f64>,
    /// `i` of the step, when the loop generates it.
    pub i: Option<u64>,
}

/// Sees the model after every step of a run.
pub trait Observer<M: ?Sized> {
    /// A run of `steps` steps starts.
    fn start(&mut self, steps: usize) {
        let _ = steps;
    }
    /// Step `step.k` is done; `model` holds its state. An error stops the run after this step.
    fn observe(&mut self, model: &M, step: &Step) -> Result<(), ObserverError>;
    /// The run is over (also after a divergence or an error). An error is returned by the run.
    fn finish(&mut self) -> Result<(), ObserverError> {
        Ok(())
    }
}

/// A closure observer: `LoopOverTime::observe_with(|model, step| …)`; it never fails.
pub struct ObserveFn<F>(pub F);

impl<M: ?Sized, F: FnMut(&M, &Step)> Observer<M> for ObserveFn<F> {
    fn observe(&mut self, model: &M, step: &Step) -> Result<(), ObserverError> {
        (self.0)(model, step);
        Ok(())
    }
}

impl<M: ?Sized> Observer<M> for () {
    fn observe(&mut self, _: &M, _: &Step) -> Result<(), ObserverError> {
        Ok(())
    }
}

impl<M: ?Sized, O: Observer<M> + ?Sized> Observer<M> for &mut O {
    fn start(&mut self, steps: usize) {
        (**self).start(steps)
    }
    fn observe(&mut self, model: &M, step: &Step) -> Result<(), ObserverError> {
        (**self).observe(model, step)
    }
    fn finish(&mut self) -> Result<(), ObserverError> {
        (**self).finish()
    }
}

macro_rules! tuple_observers {
    ($($name:ident $idx:tt),+) => {
        /// Observers in order. Every observer sees every step; the first error is returned.
        impl<M: ?Sized, $($name: Observer<M>),+> Observer<M> for ($($name,)+) {
            fn start(&mut self, steps: usize) {
                $(self.$idx.start(steps);)+
            }
            fn observe(&mut self, model: &M, step: &Step) -> Result<(), ObserverError> {
                let results = [$(self.$idx.observe(model, step)),+];
                results.into_iter().collect()
            }
            fn finish(&mut self) -> Result<(), ObserverError> {
                let results = [$(self.$idx.finish()),+];
                results.into_iter().collect()
            }
        }
    };
}
tuple_observers!(A 0);
tuple_observers!(A 0, B 1);
tuple_observers!(A 0, B 1, C 2);
tuple_observers!(A 0, B 1, C 2, D 3);
tuple_observers!(A 0, B 1, C 2, D 3, E 4);
tuple_observers!(A 0, B 1, C 2, D 3, E 4, F 5);
