//! [`Shared`]: the values every node of a system sees at one step (BrainPy's `share`).

/// What every node sees at a step: the time `t`, the step index `i`, the step size `dt`, whether
/// the system is being fitted (`fit`) and the user's typed `args`.
///
/// `t` and `i` are `None` when the loop does not generate them (`t0 = None` / `i0 = None`, or a
/// `no_state` run): a system that reads them says so through [`DynamicalSystem::needs`] and the
/// loop refuses to run it without them.
///
/// [`DynamicalSystem::needs`]: crate::DynamicalSystem::needs
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shared<A = ()> {
    /// Time of this step (ms): `t0 + k * dt` at step `k` of a run.
    pub t: Option<f64>,
    /// Index of this step: `i0 + k` at step `k` of a run.
    pub i: Option<u64>,
    /// Step size (ms).
    pub dt: f64,
    /// `true` while training, `false` for inference (BrainPy's `fit`).
    pub fit: bool,
    /// The user's shared arguments, passed by reference to every node.
    pub args: A,
}

impl<A> Shared<A> {
    /// Shared values at `t = 0`, `i = 0` with step `dt`, not fitting.
    pub fn new(dt: f64, args: A) -> Self {
        Shared {
            t: Some(0.0),
            i: Some(0),
            dt,
            fit: false,
            args,
        }
    }

    /// The time of this step.
    ///
    /// # Panics
    /// When the loop generates no `t`. A system that calls this must report
    /// [`Needs::T`](crate::Needs::T) from `needs()`; the loop then refuses to run it without `t`,
    /// so through [`LoopOverTime`](crate::LoopOverTime) this never panics.
    pub fn time(&self) -> f64 {
        self.t
            .expect("this system reads `t`, but the loop generates none: set t0, and report Needs::T from `needs()`")
    }

    /// The index of this step.
    ///
    /// # Panics
    /// When the loop generates no `i` (see [`Shared::time`]).
    pub fn index(&self) -> u64 {
        self.i
            .expect("this system reads `i`, but the loop generates none: set i0, and report Needs::I from `needs()`")
    }
}

impl Default for Shared<()> {
    /// `t = 0`, `i = 0`, `dt = 0.1` (BrainPy's default), not fitting, no args.
    fn default() -> Self {
        Shared::new(crate::DEFAULT_DT, ())
    }
}
