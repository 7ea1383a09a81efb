//! [`LoopOverTime`]: runs a single-step system over a duration or over given inputs, with every
//! option of BrainPy's `LoopOverTime` (monitors, `no_state`, `t0`/`i0`/`dt`, shared args,
//! time-first and batch-first data, `reset_state`), and records a [`History`].
//!
//! The history is allocated before the first step; the steps themselves allocate nothing.

use alloc::boxed::Box;
use alloc::collections::TryReserveError;
use alloc::vec::Vec;

use crate::divergence::FiniteCheck;
use crate::history::reserved;
use crate::observer::{ObserveFn, Observer, Step};
use crate::{
    Append, BatchMonitors, Batched, Divergence, DynamicalSystem, FromSamples, History,
    InputSequence, Layout, LoopError, Monitors, Probe, Select, Shared, Trace, ZeroInput,
    steps_for_duration,
};

/// BrainPy's default step, 0.1 ms.
pub const DEFAULT_DT: f64 = 0.1;

/// The history of a time-first run of `M` with monitors `Mon`.
pub type TimeFirstHistory<M, A, Mon> =
    History<<M as DynamicalSystem<A>>::Output, <Mon as Monitors<M>>::Traces>;

/// The history of a batch-first run of `M` with monitors `Mon`.
pub type BatchFirstHistory<M, A, Mon> = History<
    Vec<<<M as DynamicalSystem<A>>::Output as Batched>::Sample>,
    <Mon as BatchMonitors<M>>::BatchTraces,
>;

/// What a run returns: its history, or why it did not run (a divergence keeps the partial history).
pub type RunResult<H> = Result<H, LoopError<H>>;

/// Runs a [`DynamicalSystem`] step after step, feeding it the shared values of each step.
///
/// Step `k` of a run sees `t = t0 + k * dt` and `i = i0 + k`; after the run, `t0` and `i0` move on
/// by the number of steps, so the next run continues the timeline. [`reset_state`] rewinds them
/// **and** resets the target's state (BrainPy's `LoopOverTime.reset_state` stopped resetting the
/// target although its docs say it does; this one does).
///
/// ```
/// use loop_core::{DynamicalSystem, LoopOverTime, Shared};
///
/// /// dx/dt = -x / tau, one forward-Euler step per update.
/// struct Leak { x: f64, tau: f64 }
///
/// impl DynamicalSystem for Leak {
///     type Input = f64;
///     type Output = f64;
///     fn update(&mut self, sh: &Shared, input: f64) -> f64 {
///         self.x += sh.dt * (-self.x / self.tau + input);
///         self.x
///     }
///     fn reset_state(&mut self) { self.x = 1.0; }
/// }
///
/// let mut run = LoopOverTime::new(Leak { x: 1.0, tau: 10.0 })
///     .dt(0.5)
///     .monitor("x", |m: &Leak| m.x);
/// let history = run.run_duration(10.0).unwrap();
/// assert_eq!(history.steps, 20);
/// assert_eq!(history.times.as_ref().unwrap()[3], 1.5);
/// let (x,) = &history.monitors;
/// assert!((x[0] - 0.95).abs() < 1e-15);
/// ```
///
/// [`reset_state`]: LoopOverTime::reset_state
pub struct LoopOverTime<M, A = (), Mon = (), Obs = ()> {
    target: M,
    monitors: Mon,
    observers: Obs,
    shared: Shared<A>,
    options: Options,
}

/// The loop's settings that do not depend on its type parameters.
#[derive(Clone, Copy, Debug)]
struct Options {
    t0_start: Option<f64>,
    t0: Option<f64>,
    i0_start: Option<u64>,
    i0: Option<u64>,
    no_state: bool,
    check_finite: bool,
    record_every: usize,
    keep_outputs: bool,
}

impl<M> LoopOverTime<M> {
    /// A loop over `target` with BrainPy's defaults: `dt = 0.1`, `t0 = 0`, `i0 = 0`, `fit = false`,
    /// no args, no monitors, time-first, stateful, no divergence check.
    pub fn new(target: M) -> Self {
        LoopOverTime {
            target,
            monitors: (),
            observers: (),
            shared: Shared::new(DEFAULT_DT, ()),
            options: Options {
                t0_start: Some(0.0),
                t0: Some(0.0),
                i0_start: Some(0),
                i0: Some(0),
                no_state: false,
                check_finite: false,
                record_every: 1,
                keep_outputs: true,
            },
        }
    }
}

impl<M, A, Mon, Obs> LoopOverTime<M, A, Mon, Obs> {
    /// The step size (checked when a run starts: it must be positive and finite).
    pub fn dt(mut self, dt: f64) -> Self {
        self.shared.dt = dt;
        self
    }

    /// The start time; `None` generates no `t`. [`reset_state`](Self::reset_state) returns to it.
    pub fn t0(mut self, t0: impl Into<Option<f64>>) -> Self {
        self.options.t0_start = t0.into();
        self.options.t0 = self.options.t0_start;
        self
    }

    /// The start index; `None` generates no `i`. [`reset_state`](Self::reset_state) returns to it.
    pub fn i0(mut self, i0: impl Into<Option<u64>>) -> Self {
        self.options.i0_start = i0.into();
        self.options.i0 = self.options.i0_start;
        self
    }

    /// Whether the system is being fitted (BrainPy's `shared_arg={'fit': …}`).
    pub fn fit(mut self, fit: bool) -> Self {
        self.shared.fit = fit;
        self
    }

    /// Typed shared arguments, seen by every node at every step as [`Shared::args`].
    pub fn args<B>(self, args: B) -> LoopOverTime<M, B, Mon, Obs> {
        LoopOverTime {
            target: self.target,
            monitors: self.monitors,
            observers: self.observers,
            shared: Shared {
                t: self.shared.t,
                i: self.shared.i,
                dt: self.shared.dt,
                fit: self.shared.fit,
                args,
            },
            options: self.options,
        }
    }

    /// For stateless systems: feed all `T × B` input columns in one call
    /// ([`DynamicalSystem::update_all`]) instead of step by step. Runs over given inputs only;
    /// the system sees no `t` and no `i`, as in BrainPy.
    pub fn no_state(mut self, on: bool) -> Self {
        self.options.no_state = on;
        self
    }

    /// After each step, check every state for NaN or infinity and stop at the first one with
    /// [`LoopError::Diverged`], which names the variable, step and time and keeps the history.
    pub fn check_finite(mut self, on: bool) -> Self {
        self.options.check_finite = on;
        self
    }

    /// Records `get(model)` after every step under `name`; monitors come back in the order they
    /// were added, as a tuple of [`Trace`]s. Nested children work: `|m| m.l1.state`.
    pub fn monitor<V, F>(self, name: &'static str, get: F) -> LoopOverTime<M, A, Mon::Output, Obs>
    where
        F: Fn(&M) -> V,
        Mon: Append<Probe<F>>,
    {
        self.select(Probe::new(name, get))
    }

    /// Records a prebuilt selector (such as one generated by the macros) after every step.
    pub fn select<S: Select<M>>(self, selector: S) -> LoopOverTime<M, A, Mon::Output, Obs>
    where
        Mon: Append<S>,
    {
        LoopOverTime {
            target: self.target,
            monitors: self.monitors.append(selector),
            observers: self.observers,
            shared: self.shared,
            options: self.options,
        }
    }

    /// Shows the model to `observer` after every step (streaming to disk, a progress bar), in
    /// the order observers were added. Observers do not go into the history.
    pub fn observe<O>(self, observer: O) -> LoopOverTime<M, A, Mon, Obs::Output>
    where
        O: Observer<M>,
        Obs: Append<O>,
    {
        LoopOverTime {
            target: self.target,
            monitors: self.monitors,
            observers: self.observers.append(observer),
            shared: self.shared,
            options: self.options,
        }
    }

    /// Calls `f(model, step)` after every step.
    pub fn observe_with<F>(self, f: F) -> LoopOverTime<M, A, Mon, Obs::Output>
    where
        F: FnMut(&M, &Step),
        Obs: Append<ObserveFn<F>>,
    {
        self.observe(ObserveFn(f))
    }

    /// The observers, to read what they gathered or finish them.
    pub fn observers(&self) -> &Obs {
        &self.observers
    }

    /// The observers, mutably.
    pub fn observers_mut(&mut self) -> &mut Obs {
        &mut self.observers
    }

    /// Whether the history keeps the system's outputs (default: yes). A long run that only needs
    /// its monitors, or streams them to disk, drops them to keep memory flat.
    pub fn keep_outputs(mut self, keep: bool) -> Self {
        self.options.keep_outputs = keep;
        self
    }

    /// Records outputs, monitors and times at steps 0, n, 2n, … only (the model still takes every
    /// step), so a long run keeps `1/n` of the memory. Must be at least 1 (checked when a run
    /// starts).
    pub fn record_every(mut self, n: usize) -> Self {
        self.options.record_every = n;
        self
    }

    /// Sets `fit` between runs.
    pub fn set_fit(&mut self, fit: bool) {
        self.shared.fit = fit;
    }

    /// The shared arguments, to change them between runs.
    pub fn args_mut(&mut self) -> &mut A {
        &mut self.shared.args
    }

    /// The system being looped.
    pub fn target(&self) -> &M {
        &self.target
    }

    /// The system being looped, to change it between runs.
    pub fn target_mut(&mut self) -> &mut M {
        &mut self.target
    }

    /// Gives the system back.
    pub fn into_target(self) -> M {
        self.target
    }

    /// The step size.
    pub fn current_dt(&self) -> f64 {
        self.shared.dt
    }

    /// The time the next run starts at.
    pub fn current_t0(&self) -> Option<f64> {
        self.options.t0
    }

    /// The index the next run starts at.
    pub fn current_i0(&self) -> Option<u64> {
        self.options.i0
    }

    fn advance(&mut self, steps: usize) {
        let dt = self.shared.dt;
        if let Some(t0) = &mut self.options.t0 {
            *t0 += steps as f64 * dt;
        }
        if let Some(i0) = &mut self.options.i0 {
            *i0 += steps as u64;
        }
    }

    fn times<H>(&self, steps: usize) -> Result<Option<Vec<f64>>, LoopError<H>> {
        self.options
            .t0
            .map(|_| reserved(steps))
            .transpose()
            .map_err(|_| LoopError::TooLong { steps })
    }

    fn indices<H>(&self, steps: usize) -> Result<Option<Vec<u64>>, LoopError<H>> {
        self.options
            .i0
            .map(|_| reserved(steps))
            .transpose()
            .map_err(|_| LoopError::TooLong { steps })
    }
}

impl<M, A, Mon, Obs> LoopOverTime<M, A, Mon, Obs>
where
    M: DynamicalSystem<A>,
    Mon: Monitors<M>,
    Obs: Observer<M>,
{
    /// Rewinds `t0` and `i0` to their initial values **and** resets the target's state.
    pub fn reset_state(&mut self) {
        self.options.t0 = self.options.t0_start;
        self.options.i0 = self.options.i0_start;
        self.target.reset_state();
    }

    /// Runs for `duration` (ms): `ceil(duration / dt)` steps (see [`steps_for_duration`]),
    /// feeding zero input.
    pub fn run_duration(&mut self, duration: f64) -> RunResult<TimeFirstHistory<M, A, Mon>>
    where
        M::Input: ZeroInput,
    {
        self.check_dt()?;
        if !(duration.is_finite() && duration > 0.0) {
            return Err(LoopError::InvalidDuration(duration));
        }
        if self.options.no_state {
            return Err(LoopError::NoStateWithDuration);
        }
        self.check_needs()?;
        let steps = steps_for_duration(duration, self.shared.dt);
        self.run_time_first(steps, |m, sh, _| m.update(sh, M::Input::zero_input()))
    }

    /// Runs `steps` steps, feeding zero input.
    pub fn run_steps(&mut self, steps: usize) -> RunResult<TimeFirstHistory<M, A, Mon>>
    where
        M::Input: ZeroInput,
    {
        self.check_dt()?;
        if self.options.no_state {
            return Err(LoopError::NoStateWithDuration);
        }
        if steps == 0 {
            return Err(LoopError::EmptyInputs);
        }
        self.check_needs()?;
        self.run_time_first(steps, |m, sh, _| m.update(sh, M::Input::zero_input()))
    }

    /// Runs over time-first inputs, one step per item: a slice, array or vector of per-step
    /// inputs, or a tuple of them fed side by side.
    pub fn run_inputs<I>(&mut self, inputs: I) -> RunResult<TimeFirstHistory<M, A, Mon>>
    where
        I: InputSequence<Item = M::Input>,
        M::Input: Clone,
    {
        self.check_dt()?;
        let steps = inputs.steps()?;
        if steps == 0 {
            return Err(LoopError::EmptyInputs);
        }
        if self.options.no_state {
            self.check_no_state()?;
            let mut outputs = Trace::with_capacity("output", steps).map_err(too_long(steps))?;
            match inputs.as_slice() {
                Some(xs) => self.update_all(xs, &mut outputs.values),
                None => {
                    let xs: Vec<M::Input> = (0..steps).map(|k| inputs.item(k)).collect();
                    self.update_all(&xs, &mut outputs.values);
                }
            }
            let every = self.options.record_every;
            if !self.options.keep_outputs {
                outputs.values.clear();
            }
            if every > 1 {
                let mut k = 0;
                outputs.values.retain(|_| {
                    k += 1;
                    (k - 1) % every == 0
                });
            }
            let monitors = self.monitors.new_traces(0).map_err(too_long(steps))?;
            return Ok(self.finish_no_state(steps, outputs, monitors, Layout::TimeFirst));
        }
        self.check_needs()?;
        match inputs.as_slice() {
            // Stored inputs are lent to the step, not copied out first.
            Some(xs) => self.run_time_first(steps, |m, sh, k| m.update_ref(sh, &xs[k])),
            None => self.run_time_first(steps, |m, sh, k| m.update(sh, inputs.item(k))),
        }
    }

    /// Runs over batch-first inputs: one sequence per sample (`sequences[b][k]` is sample `b`'s
    /// input at step `k`), as many sequences as the system's batch size. Outputs and monitors
    /// come back batch-first: `values[b][k]`. A monitored value that is not one column per
    /// sample (a parameter shared by all samples, a scalar) is a batch of one: `values[0][k]`.
    pub fn run_inputs_batch_first<S>(
        &mut self,
        sequences: &[S],
    ) -> RunResult<BatchFirstHistory<M, A, Mon>>
    where
        S: AsRef<[<M::Input as Batched>::Sample]>,
        M::Input: FromSamples + Clone,
        M::Output: Batched,
        Mon: BatchMonitors<M>,
    {
        self.check_dt()?;
        let batch = <M::Input as Batched>::BATCH;
        if sequences.is_empty() {
            return Err(LoopError::EmptyInputs);
        }
        if sequences.len() != batch {
            return Err(LoopError::BatchMismatch {
                expected: batch,
                found: sequences.len(),
            });
        }
        let steps = sequences[0].as_ref().len();
        if let Some(index) = sequences.iter().position(|s| s.as_ref().len() != steps) {
            return Err(LoopError::UnequalLengths {
                expected: steps,
                index,
                found: sequences[index].as_ref().len(),
            });
        }
        if steps == 0 {
            return Err(LoopError::EmptyInputs);
        }
        let input_at = |k: usize| M::Input::from_samples(|b| sequences[b].as_ref()[k].clone());
        let out_batch = <M::Output as Batched>::BATCH;

        if self.options.no_state {
            self.check_no_state()?;
            let xs: Vec<M::Input> = (0..steps).map(input_at).collect();
            let mut ys = reserved(steps).map_err(too_long(steps))?;
            self.update_all(&xs, &mut ys);
            let mut outputs = Trace::batch_first("output", out_batch, self.recorded(steps))
                .map_err(too_long(steps))?;
            if self.options.keep_outputs {
                for y in ys.iter().step_by(self.options.record_every) {
                    outputs.push_samples(y);
                }
            }
            let monitors = self.monitors.new_batch_traces(0).map_err(too_long(steps))?;
            return Ok(self.finish_no_state(steps, outputs, monitors, Layout::BatchFirst));
        }

        self.check_needs()?;
        let recorded = self.recorded(steps);
        let (out_batch, kept) = if self.options.keep_outputs {
            (out_batch, recorded)
        } else {
            (0, 0)
        };
        let outputs = Trace::batch_first("output", out_batch, kept).map_err(too_long(steps))?;
        let traces = self
            .monitors
            .new_batch_traces(recorded)
            .map_err(too_long(steps))?;
        self.run_recorded(
            steps,
            |m, sh, k| m.update(sh, input_at(k)),
            (outputs, traces),
            Layout::BatchFirst,
            |monitors, model, y, (outputs, traces)| {
                outputs.push_samples(&y);
                monitors.record_batch(model, traces);
            },
        )
    }

    fn run_time_first(
        &mut self,
        steps: usize,
        step_at: impl FnMut(&mut M, &Shared<A>, usize) -> M::Output,
    ) -> RunResult<TimeFirstHistory<M, A, Mon>> {
        let recorded = self.recorded(steps);
        let kept = if self.options.keep_outputs {
            recorded
        } else {
            0
        };
        let outputs = Trace::with_capacity("output", kept).map_err(too_long(steps))?;
        let traces = self
            .monitors
            .new_traces(recorded)
            .map_err(too_long(steps))?;
        let keep_outputs = self.options.keep_outputs;
        self.run_recorded(
            steps,
            step_at,
            (outputs, traces),
            Layout::TimeFirst,
            |monitors, model, y, (outputs, traces)| {
                if keep_outputs {
                    outputs.values.push(y);
                }
                monitors.record(model, traces);
            },
        )
    }

    /// Steps the target with `record` storing every recorded step's output and monitors into
    /// `store`, and the times alongside; then moves the timeline on.
    fn run_recorded<O, T>(
        &mut self,
        steps: usize,
        step_at: impl FnMut(&mut M, &Shared<A>, usize) -> M::Output,
        mut store: (Trace<O>, T),
        layout: Layout,
        mut record: impl FnMut(&Mon, &M, M::Output, &mut (Trace<O>, T)),
    ) -> RunResult<History<O, T>> {
        let recorded = self.recorded(steps);
        let mut times = self.times(recorded)?;
        let mut indices = self.indices(recorded)?;
        let records_nothing = self.records_nothing();
        let monitors = &self.monitors;
        let outcome = step_loop(
            &mut self.target,
            &mut self.shared,
            &self.options,
            &mut self.observers,
            steps,
            step_at,
            |model, y, t, i| {
                record(monitors, model, y, &mut store);
                if !records_nothing {
                    push_time(&mut times, &mut indices, t, i);
                }
            },
        );
        let (outputs, traces) = store;
        self.finish(
            outcome,
            History {
                times,
                indices,
                outputs,
                monitors: traces,
                layout,
                steps,
                record_every: self.options.record_every,
            },
        )
    }

    /// Moves the timeline on by the steps run and turns a divergence into its error.
    fn finish<O, T>(
        &mut self,
        outcome: Result<(), Divergence>,
        mut history: History<O, T>,
    ) -> RunResult<History<O, T>> {
        match outcome {
            Ok(()) => {
                self.advance(history.steps);
                Ok(history)
            }
            Err(at) => {
                history.steps = at.step + 1;
                self.advance(history.steps);
                Err(LoopError::Diverged {
                    at,
                    partial: Box::new(history),
                })
            }
        }
    }

    fn finish_no_state<O, T>(
        &mut self,
        steps: usize,
        outputs: Trace<O>,
        monitors: T,
        layout: Layout,
    ) -> History<O, T> {
        let dt = self.shared.dt;
        let every = self.options.record_every;
        let times = self.options.t0.map(|t0| {
            (0..steps)
                .step_by(every)
                .map(|k| t0 + k as f64 * dt)
                .collect()
        });
        let indices = self
            .options
            .i0
            .map(|i0| (0..steps).step_by(every).map(|k| i0 + k as u64).collect());
        self.advance(steps);
        History {
            times,
            indices,
            outputs,
            monitors,
            layout,
            steps,
            record_every: every,
        }
    }

    /// One call over all inputs, with neither `t` nor `i` (as BrainPy's `no_state`).
    fn update_all(&mut self, xs: &[M::Input], out: &mut Vec<M::Output>)
    where
        M::Input: Clone,
    {
        let (t, i) = (self.shared.t.take(), self.shared.i.take());
        self.target.update_all(&self.shared, xs, out);
        self.shared.t = t;
        self.shared.i = i;
    }

    /// Checks dt and the recording stride, which every run needs.
    fn check_dt<H>(&self) -> Result<(), LoopError<H>> {
        let dt = self.shared.dt;
        if !(dt.is_finite() && dt > 0.0) {
            Err(LoopError::InvalidDt(dt))
        } else if self.options.record_every == 0 {
            Err(LoopError::InvalidRecordEvery)
        } else {
            Ok(())
        }
    }

    /// How many of `steps` steps are recorded: steps 0, n, 2n, ….
    /// Nothing at all is recorded (no outputs kept, no monitors), not even the times.
    fn records_nothing(&self) -> bool {
        !self.options.keep_outputs && Mon::COUNT == 0
    }

    /// How many of `steps` steps are recorded: steps 0, n, 2n, …, or none when nothing is.
    fn recorded(&self, steps: usize) -> usize {
        if self.records_nothing() {
            0
        } else {
            steps.div_ceil(self.options.record_every.max(1))
        }
    }

    fn check_needs<H>(&self) -> Result<(), LoopError<H>> {
        let needs = self.target.needs();
        if needs.t && self.options.t0.is_none() {
            Err(LoopError::NeedsTime)
        } else if needs.i && self.options.i0.is_none() {
            Err(LoopError::NeedsIndex)
        } else {
            Ok(())
        }
    }

    fn check_no_state<H>(&self) -> Result<(), LoopError<H>> {
        let needs = self.target.needs();
        if !self.target.is_stateless() {
            Err(LoopError::NoStateOnStatefulSystem)
        } else if Mon::COUNT > 0 {
            Err(LoopError::NoStateWithMonitors)
        } else if needs.t {
            Err(LoopError::NeedsTime)
        } else if needs.i {
            Err(LoopError::NeedsIndex)
        } else {
            Ok(())
        }
    }
}

/// The loop itself: sets `t` and `i`, steps (`step_at(target, shared, k)`: `update` or
/// `update_ref` on input `k`), hands the output of every `every`-th step to
/// `record`, shows every step to the observers, checks the states. Stops after the first step
/// whose states are not finite (when `check_finite`).
#[allow(clippy::too_many_arguments)]
fn step_loop<M, A>(
    target: &mut M,
    shared: &mut Shared<A>,
    options: &Options,
    observers: &mut impl Observer<M>,
    steps: usize,
    mut step_at: impl FnMut(&mut M, &Shared<A>, usize) -> M::Output,
    mut record: impl FnMut(&M, M::Output, Option<f64>, Option<u64>),
) -> Result<(), Divergence>
where
    M: DynamicalSystem<A>,
{
    let dt = shared.dt;
    let (t0, i0, every) = (options.t0, options.i0, options.record_every);
    let mut check = FiniteCheck::new();
    observers.start(steps);
    let mut outcome = Ok(());
    for k in 0..steps {
        // t is computed from k, not accumulated, so it carries no rounding drift.
        shared.t = t0.map(|t0| t0 + k as f64 * dt);
        shared.i = i0.map(|i0| i0 + k as u64);
        let y = step_at(target, shared, k);
        if k % every == 0 {
            record(target, y, shared.t, shared.i);
        }
        observers.observe(
            target,
            &Step {
                k,
                steps,
                t: shared.t,
                i: shared.i,
            },
        );
        if options.check_finite {
            target.visit_states(&mut check);
            if let Some((variable, element, value)) = check.take() {
                outcome = Err(Divergence {
                    variable,
                    element,
                    value,
                    step: k,
                    i: shared.i,
                    t: shared.t,
                });
                break;
            }
        }
    }
    observers.finish();
    outcome
}

/// The error of a run whose history cannot be allocated.
fn too_long<H>(steps: usize) -> impl FnOnce(TryReserveError) -> LoopError<H> {
    move |_| LoopError::TooLong { steps }
}

fn push_time(
    times: &mut Option<Vec<f64>>,
    indices: &mut Option<Vec<u64>>,
    t: Option<f64>,
    i: Option<u64>,
) {
    if let (Some(times), Some(t)) = (times, t) {
        times.push(t);
    }
    if let (Some(indices), Some(i)) = (indices, i) {
        indices.push(i);
    }
}
