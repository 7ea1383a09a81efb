//! Observers: code that sees the model after every step without recording into the history —
//! streaming a monitor to disk, a progress bar. Added with `LoopOverTime::observe`.

/// Where a run is, as an observer sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// Step of this run, from 0.
    pub k: usize,
    /// Steps this run will take.
    pub steps: usize,
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
    /// Step `step.k` is done; `model` holds its state.
    fn observe(&mut self, model: &M, step: &Step);
    /// The run is over (also after a divergence).
    fn finish(&mut self) {}
}

/// A closure observer: `LoopOverTime::observe_with(|model, step| …)`.
pub struct ObserveFn<F>(pub F);

impl<M: ?Sized, F: FnMut(&M, &Step)> Observer<M> for ObserveFn<F> {
    fn observe(&mut self, model: &M, step: &Step) {
        (self.0)(model, step)
    }
}

impl<M: ?Sized> Observer<M> for () {
    fn observe(&mut self, _: &M, _: &Step) {}
}

impl<M: ?Sized, O: Observer<M> + ?Sized> Observer<M> for &mut O {
    fn start(&mut self, steps: usize) {
        (**self).start(steps)
    }
    fn observe(&mut self, model: &M, step: &Step) {
        (**self).observe(model, step)
    }
    fn finish(&mut self) {
        (**self).finish()
    }
}

macro_rules! tuple_observers {
    ($($name:ident $idx:tt),+) => {
        /// Observers in order.
        impl<M: ?Sized, $($name: Observer<M>),+> Observer<M> for ($($name,)+) {
            fn start(&mut self, steps: usize) {
                $(self.$idx.start(steps);)+
            }
            fn observe(&mut self, model: &M, step: &Step) {
                $(self.$idx.observe(model, step);)+
            }
            fn finish(&mut self) {
                $(self.$idx.finish();)+
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
