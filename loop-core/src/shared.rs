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
    /// Time of this step (ms): `t0 + n * dt` at global step `n` of the loop's clock.
    pub t: Option<f64>,
    /// Index of this step: `i0 + n` at global step `n` of the loop's clock.
    pub i: Option<u64>,
    /// Step size (ms).
    pub dt: f64,
    /// `true` while training, `false` for inference (BrainPy's `fit`).
    pub fit: bool,
    /// The user's shared arguments, passed by reference to every node.
    pub args: A,
}

impl<A> Shared<A> {
    /// Shared values with step `dt` and **no** `t` or `i` (`None`), not fitting: for systems
    /// that read neither. A system that reads the time needs [`Shared::at`] (or a loop, which
    /// computes `t` and `i` of every step itself); with `new` it gets no time rather than a
    /// `t = 0` that never moves.
    pub fn new(dt: f64, args: A) -> Self {
        Shared {
            t: None,
            i: None,
            dt,
            fit: false,
            args,
        }
    }

    /// Shared values at time `t` and step index `i`, with step `dt`, not fitting: for stepping a
    /// system by hand (advance `t` and `i` at every step, or use a loop).
    pub fn at(t: f64, i: u64, dt: f64, args: A) -> Self {
        Shared {
            t: Some(t),
            i: Some(i),
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
        // Cannot fail inside a loop: `LoopOverTime`, the static loops and `Bptt` refuse, with
        // a typed error (or a panic before the first step, for static loops), to run a system
        // whose `needs()` reports `t` without generating `t`. Called by hand on a `Shared::new`,
        // it fails with this message instead of reading a time that is not there.
        self.t
            .expect("this system reads `t`, but the loop generates none: set t0, and report Needs::T from `needs()`")
    }

    /// The index of this step.
    ///
    /// # Panics
    /// When the loop generates no `i` (see [`Shared::time`]).
    pub fn index(&self) -> u64 {
        // Cannot fail inside a loop, for the reason given in `time`.
        self.i
            .expect("this system reads `i`, but the loop generates none: set i0, and report Needs::I from `needs()`")
    }
}

impl Default for Shared<()> {
    /// No `t`, no `i`, `dt = 0.1` (BrainPy's default), not fitting, no args (see [`Shared::new`]).
    fn default() -> Self {
        Shared::new(crate::DEFAULT_DT, ())
    }
}
