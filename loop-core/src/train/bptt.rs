//! [`Bptt`]: backpropagation through time. Steps a [`Backward`] system over a sequence of inputs
//! (keeping a [`Tape`]), hands the outputs to a loss, then runs the backward halves of the steps
//! in reverse order and accumulates the gradient of the loss with respect to every trainable
//! parameter — what `jax.grad` of a loss through BrainPy's `LoopOverTime` computes.

use alloc::vec;
use alloc::vec::Vec;

use super::{Backward, Forward, LossError, Previous, Remat, Tape, TapeUsage, TrainError, Zeroable};
use crate::{Clock, DEFAULT_DT, Real, Shared, States};

/// The gradient driver: its buffers (tape, outputs, their gradients, the parameter gradient) are
/// allocated when it is built, for runs of up to `steps` steps; a gradient allocates nothing.
///
/// Each gradient starts from the system's initial state (`reset_state(true)`, as BrainPy's BPTT
/// trainer does) unless told otherwise, and runs with `fit = true` and, at step `k`,
/// `t = t0 + k·dt`, `i = i0 + k` from a [`Clock`] at step 0 (BrainPy's defaults: `dt = 0.1`,
/// `t0 = 0`, `i0 = 0`).
///
/// ```
/// use loop_core::train::{Backward, Bptt, Forward, ParamVisitor, ParamVisitorMut, Trainable};
/// use loop_core::{DynamicalSystem, Shared, StateVisitor, States};
///
/// /// h ← w·h + x, one scalar: ∂h_t/∂w = h_{t-1}.
/// struct Scalar { w: f64, h: f64 }
///
/// impl DynamicalSystem for Scalar {
///     type Input = f64;
///     type Output = f64;
///     fn update(&mut self, _: &Shared, x: f64) -> f64 { self.h = self.w * self.h + x; self.h }
///     fn reset_state(&mut self) { self.h = 0.0; }
/// }
/// impl States for Scalar {
///     type Snapshot = f64;
///     const STATE_NAMES: &'static [&'static str] = &["h"];
///     const CHILD_NAMES: &'static [&'static str] = &[];
///     fn reset_states(&mut self) { self.h = 0.0; }
///     fn visit_states(&self, _: &mut dyn StateVisitor) {}
///     fn snapshot(&self) -> f64 { self.h }
///     fn restore(&mut self, h: &f64) { self.h = *h; }
/// }
/// impl Trainable for Scalar {
///     type Scalar = f64;
///     const PARAM_COUNT: usize = 1;
///     fn visit_params(&self, v: &mut dyn ParamVisitor<f64>) {
///         v.param("w", core::slice::from_ref(&self.w), (1, 1));
///     }
///     fn visit_params_mut(&mut self, v: &mut dyn ParamVisitorMut<f64>) {
///         v.param("w", core::slice::from_mut(&mut self.w), (1, 1));
///     }
/// }
/// impl Backward for Scalar {
///     type Record = f64; // h before the step
///     type StateGrad = f64;
///     fn forward(&mut self, sh: &Shared, x: &f64) -> (f64, f64) {
///         let h = self.h;
///         (self.update(sh, *x), h)
///     }
///     fn zero_state_grad(&self) -> f64 { 0.0 }
///     fn backward(&self, _: &Shared, step: Forward<'_, f64, f64, f64>, dy: &f64,
///                 dh: &mut f64, grads: &mut [f64], dx: Option<&mut f64>) {
///         let d = *dy + *dh;
///         grads[0] += d * step.record;
///         *dh = d * self.w;
///         if let Some(dx) = dx { *dx = d; }
///     }
/// }
///
/// // L = h_2 with h_1 = x_0, h_2 = w·x_0 + x_1: dL/dw = x_0.
/// let mut model = Scalar { w: 0.5, h: 0.0 };
/// let mut bptt = Bptt::new(2);
/// let loss = bptt
///     .gradient(&mut model, &[3.0, 1.0], |ys, dys| {
///         dys[1] = 1.0;
///         Ok(ys[1])
///     })
///     .unwrap();
/// assert_eq!(loss, 2.5);
/// assert_eq!(bptt.grads(), [3.0]);
/// ```
pub struct Bptt<M: Backward<A> + States, A = ()> {
    shared: Shared<A>,
    clock: Clock,
    steps: usize,
    remat: Option<Remat>,
    reset_state: bool,
    tape: Tape<M::Record, M::Snapshot>,
    outputs: Vec<M::Output>,
    d_outputs: Vec<M::Output>,
    grads: Vec<M::Scalar>,
}

impl<M: Backward + States> Bptt<M> {
    /// A driver for runs of up to `steps` steps, without shared args, keeping one record per step.
    pub fn new(steps: usize) -> Self {
        Bptt::with_args(steps, ())
    }
}

impl<M: Backward<A> + States, A> Bptt<M, A> {
    /// A driver for runs of up to `steps` steps whose systems see the shared `args`.
    pub fn with_args(steps: usize, args: A) -> Self {
        let mut shared = Shared::new(DEFAULT_DT, args);
        shared.fit = true;
        Bptt {
            shared,
            clock: Clock::new(DEFAULT_DT, Some(0.0), Some(0)),
            steps,
            remat: None,
            reset_state: true,
            tape: Tape::with_capacity(steps, 0),
            outputs: Vec::with_capacity(steps),
            d_outputs: Vec::with_capacity(steps),
            grads: vec![<M::Scalar as num_traits::Zero>::zero(); M::PARAM_COUNT],
        }
    }

    /// The step size (checked when a gradient starts: positive and finite).
    pub fn dt(mut self, dt: f64) -> Self {
        self.clock.set_dt(dt);
        self
    }

    /// The time of step 0 (checked when a gradient starts: finite); `None` generates no `t`.
    pub fn t0(mut self, t0: impl Into<Option<f64>>) -> Self {
        self.clock.set_t0(t0.into());
        self
    }

    /// The index of step 0; `None` generates no `i`.
    pub fn i0(mut self, i0: impl Into<Option<u64>>) -> Self {
        self.clock.set_i0(i0.into());
        self
    }

    /// Whether each gradient starts by resetting the system's state (default `true`); `false`
    /// continues from the state the system is in (truncated BPTT over consecutive chunks).
    pub fn reset_state(mut self, on: bool) -> Self {
        self.reset_state = on;
        self
    }

    /// Rematerialization: keep a checkpoint every `every` steps and recompute the rest during
    /// the backward pass. Resizes the tape now, to `⌈steps/every⌉` checkpoints and `every`
    /// records. `every = 0` is refused when a gradient starts.
    pub fn remat(mut self, every: usize) -> Self {
        let remat = Remat::every(every);
        self.tape = if every == 0 {
            Tape::with_capacity(0, 0)
        } else {
            Tape::with_capacity(remat.records(self.steps), remat.checkpoints(self.steps))
        };
        self.remat = Some(remat);
        self
    }

    /// The most steps a gradient can run without allocating.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The gradient of the last loss with respect to every parameter, in the flat layout of
    /// [`Trainable::visit_params`](super::Trainable::visit_params).
    pub fn grads(&self) -> &[M::Scalar] {
        &self.grads
    }

    /// The gradient, for change (clipping, scaling) before an optimizer step.
    pub fn grads_mut(&mut self) -> &mut [M::Scalar] {
        &mut self.grads
    }

    /// The outputs of the last gradient's forward pass, one per step.
    pub fn outputs(&self) -> &[M::Output] {
        &self.outputs
    }

    /// The tape (its capacities, and what the last gradient stored).
    pub fn tape(&self) -> &Tape<M::Record, M::Snapshot> {
        &self.tape
    }

    /// What the last gradient stored.
    pub fn usage(&self) -> TapeUsage {
        self.tape.usage()
    }

    /// Runs `model` over `xs`, evaluates `loss(outputs, d_outputs)` — which returns the loss and
    /// **adds** `∂loss/∂output` of each step to `d_outputs` (zero on entry) — and backpropagates.
    /// Returns the loss; the gradient is then in [`grads`](Self::grads) (replaced, not
    /// accumulated across calls).
    ///
    /// Afterwards the model holds its state after the last step, as after a forward run.
    ///
    /// # Errors
    /// Bad steps, `dt` or `t0` (see [`Clock::check`]), `remat(0)`, a system that reads `t`/`i` the driver does not generate, a
    /// loss that refuses its inputs or returns NaN/infinity. Nothing is computed then (the
    /// state may have been reset or stepped when the loss fails).
    pub fn gradient<F>(
        &mut self,
        model: &mut M,
        xs: &[M::Input],
        loss: F,
    ) -> Result<M::Scalar, TrainError>
    where
        M::Output: Zeroable,
        F: FnOnce(&[M::Output], &mut [M::Output]) -> Result<M::Scalar, LossError>,
    {
        self.check(model, xs.len())?;
        if self.reset_state {
            model.reset_state();
        }
        let Bptt {
            shared,
            clock,
            remat,
            tape,
            outputs,
            d_outputs,
            grads,
            ..
        } = self;
        let (clock, remat) = (*clock, *remat);
        let at = |shared: &mut Shared<A>, k: usize| clock.stamp(shared, k as u64);
        let n = xs.len();

        // Forward: every record, or a checkpoint every k steps. Records and outputs are written
        // over the last gradient's where there are some.
        tape.clear();
        for (k, x) in xs.iter().enumerate() {
            at(shared, k);
            if let Some(r) = remat
                && k.is_multiple_of(r.every)
            {
                tape.push_checkpoint(model.snapshot());
            }
            let y = if remat.is_none() {
                tape.record(
                    &mut *model,
                    |model, slot| model.forward_into(shared, x, slot, previous_kept(k, 0)),
                    |model| model.forward(shared, x),
                )
            } else {
                model.forward(shared, x).0
            };
            match outputs.get_mut(k) {
                Some(slot) => *slot = y,
                None => outputs.push(y),
            }
        }
        outputs.truncate(n);

        // The loss and the gradient of each output.
        d_outputs.clear();
        d_outputs.extend((0..n).map(|_| M::Output::zeroed()));
        let value = loss(outputs, d_outputs)?;
        if !value.to_f64().is_finite() {
            return Err(TrainError::NonFiniteLoss(value.to_f64()));
        }

        // Backward, last step first.
        grads.fill(<M::Scalar as num_traits::Zero>::zero());
        let mut dstate = model.zero_state_grad();
        match remat {
            None => {
                for k in (0..n).rev() {
                    at(shared, k);
                    let step = Forward {
                        x: &xs[k],
                        y: &outputs[k],
                        record: &tape.records()[k],
                        previous: previous(outputs, tape.records(), k, 0),
                    };
                    model.backward(shared, step, &d_outputs[k], &mut dstate, grads, None);
                }
            }
            Some(r) => {
                tape.set_end(model.snapshot());
                for segment in (0..r.checkpoints(n)).rev() {
                    let steps = r.segment(segment, n);
                    model.restore(&tape.checkpoints[segment]);
                    tape.drop_records();
                    for k in steps.clone() {
                        at(shared, k);
                        let x = &xs[k];
                        tape.record(
                            &mut *model,
                            |model, slot| {
                                model.forward_into(shared, x, slot, previous_kept(k, steps.start))
                            },
                            |model| model.forward(shared, x),
                        );
                    }
                    for k in steps.clone().rev() {
                        at(shared, k);
                        let step = Forward {
                            x: &xs[k],
                            y: &outputs[k],
                            record: &tape.records()[k - steps.start],
                            previous: previous(outputs, tape.records(), k, steps.start),
                        };
                        model.backward(shared, step, &d_outputs[k], &mut dstate, grads, None);
                    }
                }
                if let Some(end) = tape.end.first() {
                    model.restore(end);
                }
            }
        }
        Ok(value)
    }

    fn check(&self, model: &M, steps: usize) -> Result<(), TrainError> {
        if steps == 0 || steps > self.steps {
            return Err(TrainError::Steps {
                got: steps,
                capacity: self.steps,
            });
        }
        self.clock.check(steps as u64)?;
        if self.remat == Some(Remat::every(0)) {
            return Err(TrainError::RematZero);
        }
        let needs = model.needs();
        if needs.t && self.clock.t0().is_none() {
            return Err(TrainError::MissingShared("t"));
        }
        if needs.i && self.clock.i0().is_none() {
            return Err(TrainError::MissingShared("i"));
        }
        let visited = super::trainable::visited_count(model);
        if visited != M::PARAM_COUNT {
            return Err(TrainError::ParamCount {
                expected: M::PARAM_COUNT,
                got: visited,
            });
        }
        Ok(())
    }
}

/// Whether the tape holds step `k - 1`'s output and record when step `k` runs, in a run of
/// records from step `start` on (a rematerialized segment's, or all of them from 0): what the
/// forward half of step `k` is told, and when its backward half gets [`previous`].
fn previous_kept(k: usize, start: usize) -> bool {
    k > start
}

/// The output and record of step `k - 1` for the backward half of step `k`, when the tape holds
/// them ([`previous_kept`]): `records` are those of the steps from `start` on, `outputs` every
/// step's.
fn previous<'a, Y, R>(
    outputs: &'a [Y],
    records: &'a [R],
    k: usize,
    start: usize,
) -> Option<Previous<'a, Y, R>> {
    previous_kept(k, start).then(|| Previous {
        y: &outputs[k - 1],
        record: &records[k - 1 - start],
    })
}
