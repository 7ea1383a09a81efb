//! [`LoopOverTime`]: runs a single-step system over a duration or over given inputs, with every
//! option of BrainPy's `LoopOverTime` (monitors, `no_state`, `t0`/`i0`/`dt`, shared args,
//! time-first and batch-first data, `reset_state`), and records a [`History`].
//!
//! The history is allocated before the first step; the steps themselves allocate nothing. The
//! time and index of each step come from the loop's [`Clock`](crate::Clock).

mod step_loop;

use alloc::boxed::Box;
use alloc::collections::TryReserveError;
use alloc::vec::Vec;

use self::step_loop::{LoopSettings, Stop, is_recorded, recorded_count, step_loop};
use crate::history::reserved;
use crate::observer::{ObserveFn, Observer, Step};
use crate::{
    Append, BatchMonitors, Batched, Clock, DynamicalSystem, FromSamples, History, InputSequence,
    Layout, LoopError, Monitors, Probe, Select, Shared, Trace, ZeroInput, steps_for_duration,
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
/// The loop's clock counts steps: global step `n` (since the loop was built or reset) sees
/// `t = t0 + n * dt` and `i = i0 + n`, so the next run continues the timeline, and a run split
/// into calls of any lengths gives the same times, states and recordings, bit for bit, as one
/// call. A run of zero steps (empty inputs, a duration of 0) returns an empty history and leaves
/// the clock where it was. [`reset_state`] rewinds the clock **and** resets the target's state
/// (BrainPy's `LoopOverTime.reset_state` stopped resetting the target although its docs say it
/// does; this one does).
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
    clock: Clock,
    options: Options,
}

/// The loop's settings that do not depend on its type parameters.
#[derive(Clone, Copy, Debug)]
struct Options {
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
            clock: Clock::new(DEFAULT_DT, Some(0.0), Some(0)),
            options: Options {
                no_state: false,
                check_finite: false,
                record_every: 1,
                keep_outputs: true,
            },
        }
    }
}

impl<M, A, Mon, Obs> LoopOverTime<M, A, Mon, Obs> {
    /// The step size (checked when a run starts: it must be positive and finite). The clock's
    /// times are `t0 + n * dt` with this `dt` for every step `n`, so set it before running (or
    /// [`reset_state`](Self::reset_state) after changing it).
    pub fn dt(mut self, dt: f64) -> Self {
        self.clock.set_dt(dt);
        self.shared.dt = dt;
        self
    }

    /// The time of the clock's step 0; `None` generates no `t`. Checked when a run starts: it
    /// must be finite. [`reset_state`](Self::reset_state) returns to it.
    pub fn t0(mut self, t0: impl Into<Option<f64>>) -> Self {
        self.clock.set_t0(t0.into());
        self
    }

    /// The index of the clock's step 0; `None` generates no `i`. A run whose last index would
    /// pass `u64::MAX` is refused. [`reset_state`](Self::reset_state) returns to it.
    pub fn i0(mut self, i0: impl Into<Option<u64>>) -> Self {
        self.clock.set_i0(i0.into());
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
            clock: self.clock,
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
            clock: self.clock,
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
            clock: self.clock,
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

    /// Records outputs, monitors and times at the clock's steps 0, n, 2n, … only (the model still
    /// takes every step), so a long run keeps `1/n` of the memory; the stride counts the clock's
    /// global steps, so split runs record the same steps as one run. With
    /// [`check_finite`](Self::check_finite), the step that diverged is recorded too. Must be at
    /// least 1 (checked when a run starts).
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
        self.clock.dt()
    }

    /// The time the next run starts at: `t0 + n * dt` after `n` steps.
    pub fn current_t0(&self) -> Option<f64> {
        self.clock.t(0)
    }

    /// The index the next run starts at: `i0 + n` after `n` steps.
    pub fn current_i0(&self) -> Option<u64> {
        self.clock.i(0)
    }

    /// The loop's clock: its step size, origins and the steps run since built or reset.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    fn times<H>(&self, recorded: usize, steps: usize) -> Result<Option<Vec<f64>>, LoopError<H>> {
        self.clock
            .t0()
            .map(|_| reserved(recorded))
            .transpose()
            .map_err(|_| LoopError::TooLong { steps })
    }

    fn indices<H>(&self, recorded: usize, steps: usize) -> Result<Option<Vec<u64>>, LoopError<H>> {
        self.clock
            .i0()
            .map(|_| reserved(recorded))
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
    /// Rewinds the clock to its step 0 (`t = t0`, `i = i0`) **and** resets the target's state.
    pub fn reset_state(&mut self) {
        self.clock.reset();
        self.target.reset_state();
    }

    /// Runs for `duration` (ms): `ceil(duration / dt)` steps (see [`steps_for_duration`]),
    /// feeding zero input. A duration of 0 runs no step.
    pub fn run_duration(&mut self, duration: f64) -> RunResult<TimeFirstHistory<M, A, Mon>>
    where
        M::Input: ZeroInput,
    {
        self.check_run(0)?;
        if !(duration.is_finite() && duration >= 0.0) {
            return Err(LoopError::InvalidDuration(duration));
        }
        if self.options.no_state {
            return Err(LoopError::NoStateWithDuration);
        }
        self.run_steps(steps_for_duration(duration, self.clock.dt()))
    }

    /// Runs `steps` steps, feeding zero input. Zero steps run none.
    pub fn run_steps(&mut self, steps: usize) -> RunResult<TimeFirstHistory<M, A, Mon>>
    where
        M::Input: ZeroInput,
    {
        self.check_run(steps)?;
        if self.options.no_state {
            return Err(LoopError::NoStateWithDuration);
        }
        self.check_needs()?;
        self.run_time_first(steps, |m, sh, _, y| {
            *y = Some(m.update(sh, M::Input::zero_input()))
        })
    }

    /// Runs over time-first inputs, one step per item: a slice, array or vector of per-step
    /// inputs, or a tuple of them fed side by side. Empty inputs run no step.
    pub fn run_inputs<I>(&mut self, inputs: I) -> RunResult<TimeFirstHistory<M, A, Mon>>
    where
        I: InputSequence<Item = M::Input>,
        M::Input: Clone,
    {
        self.check_run(0)?;
        let steps = inputs.steps()?;
        self.check_run(steps)?;
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
            let (every, n0) = (self.options.record_every, self.clock.steps_done());
            if !self.options.keep_outputs {
                outputs.values.clear();
            }
            if every > 1 {
                let mut n = n0;
                outputs.values.retain(|_| {
                    n += 1;
                    is_recorded(n - 1, every)
                });
            }
            let monitors = self.monitors.new_traces(0).map_err(too_long(steps))?;
            return Ok(self.finish_no_state(steps, outputs, monitors, Layout::TimeFirst));
        }
        self.check_needs()?;
        // Stored inputs (an array, a constant) are lent to the step, not copied out first, and
        // a step's output not kept is written over by the next.
        self.run_time_first(steps, |m, sh, k, y| match (inputs.item_ref(k), y) {
            (Some(x), Some(y)) => m.update_into(sh, x, y),
            (Some(x), y) => *y = Some(m.update_ref(sh, x)),
            (None, y) => *y = Some(m.update(sh, inputs.item(k))),
        })
    }

    /// Runs over batch-first inputs: one sequence per sample (`sequences[b][k]` is sample `b`'s
    /// input at step `k`), as many sequences as the system's batch size. Outputs and monitors
    /// come back batch-first: `values[b][k]`. A monitored value that is not one column per
    /// sample (a parameter shared by all samples, a scalar) is a batch of one: `values[0][k]`.
    /// Sequences of length 0 run no step.
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
        self.check_run(0)?;
        let batch = <M::Input as Batched>::BATCH;
        if sequences.len() != batch {
            return Err(LoopError::BatchMismatch {
                expected: batch,
                found: sequences.len(),
            });
        }
        let steps = sequences.first().map_or(0, |s| s.as_ref().len());
        if let Some(index) = sequences.iter().position(|s| s.as_ref().len() != steps) {
            return Err(LoopError::UnequalLengths {
                expected: steps,
                index,
                found: sequences[index].as_ref().len(),
            });
        }
        self.check_run(steps)?;
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
                let (every, n0) = (self.options.record_every, self.clock.steps_done());
                for (k, y) in ys.iter().enumerate() {
                    if is_recorded(n0 + k as u64, every) {
                        outputs.push_samples(y);
                    }
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
            |m, sh, k, y| *y = Some(m.update(sh, input_at(k))),
            (outputs, traces),
            Layout::BatchFirst,
            |monitors, model, y, (outputs, traces)| {
                outputs.push_samples(y.as_ref().expect("a step's output"));
                monitors.record_batch(model, traces);
            },
        )
    }

    fn run_time_first(
        &mut self,
        steps: usize,
        step_at: impl FnMut(&mut M, &Shared<A>, usize, &mut Option<M::Output>),
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
                    outputs.values.push(y.take().expect("a step's output"));
                }
                monitors.record(model, traces);
            },
        )
    }

    /// Steps the target with `record` storing every recorded step's output and monitors into
    /// `store`, and the times alongside; then moves the clock on by the steps taken.
    fn run_recorded<O, T>(
        &mut self,
        steps: usize,
        step_at: impl FnMut(&mut M, &Shared<A>, usize, &mut Option<M::Output>),
        mut store: (Trace<O>, T),
        layout: Layout,
        mut record: impl FnMut(&Mon, &M, &mut Option<M::Output>, &mut (Trace<O>, T)),
    ) -> RunResult<History<O, T>> {
        let recorded = self.recorded(steps);
        let mut times = self.times(recorded, steps)?;
        let mut indices = self.indices(recorded, steps)?;
        let records_nothing = self.records_nothing();
        let monitors = &self.monitors;
        let settings = LoopSettings {
            steps,
            every: self.options.record_every,
            check_finite: self.options.check_finite,
        };
        let outcome = step_loop(
            &mut self.target,
            &mut self.shared,
            &self.clock,
            &mut self.observers,
            settings,
            step_at,
            |model, y, t, i| {
                record(monitors, model, y, &mut store);
                if !records_nothing {
                    push_time(&mut times, &mut indices, t, i);
                }
            },
        );
        let (outputs, traces) = store;
        let history = History {
            times,
            indices,
            outputs,
            monitors: traces,
            layout,
            steps,
            record_every: self.options.record_every,
        };
        self.finish(outcome, history)
    }

    /// Moves the clock on by the steps taken and turns a stop into its error.
    fn finish<O, T>(
        &mut self,
        outcome: Result<(), Stop>,
        mut history: History<O, T>,
    ) -> RunResult<History<O, T>> {
        let stop = match outcome {
            Ok(()) => {
                self.clock.advance(history.steps as u64);
                return Ok(history);
            }
            Err(stop) => stop,
        };
        history.steps = stop.steps_taken(history.steps);
        self.clock.advance(history.steps as u64);
        let partial = Box::new(history);
        Err(match stop {
            Stop::Diverged(at) => LoopError::Diverged { at, partial },
            Stop::Observer { step, error } => LoopError::Observer {
                step,
                error,
                partial,
            },
        })
    }

    fn finish_no_state<O, T>(
        &mut self,
        steps: usize,
        outputs: Trace<O>,
        monitors: T,
        layout: Layout,
    ) -> History<O, T> {
        let (every, n0) = (self.options.record_every, self.clock.steps_done());
        let recorded = (0..steps).filter(|&k| is_recorded(n0 + k as u64, every));
        let clock = &self.clock;
        let times = clock
            .t0()
            .map(|_| recorded.clone().filter_map(|k| clock.t(k as u64)).collect());
        let indices = clock
            .i0()
            .map(|_| recorded.filter_map(|k| clock.i(k as u64)).collect());
        self.clock.advance(steps as u64);
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

    /// Checks the recording stride and the clock for a run of `steps` steps, which every run
    /// needs.
    fn check_run<H>(&self, steps: usize) -> Result<(), LoopError<H>> {
        if self.options.record_every == 0 {
            return Err(LoopError::InvalidRecordEvery);
        }
        Ok(self.clock.check(steps as u64)?)
    }

    /// Nothing at all is recorded (no outputs kept, no monitors), not even the times.
    fn records_nothing(&self) -> bool {
        !self.options.keep_outputs && Mon::COUNT == 0
    }

    /// How many of `steps` steps are recorded (the clock's steps 0, n, 2n, …, plus room for a
    /// step that diverges off the stride), or none when nothing is.
    fn recorded(&self, steps: usize) -> usize {
        let every = self.options.record_every.max(1);
        if self.records_nothing() {
            0
        } else {
            let diverged = usize::from(self.options.check_finite && every > 1 && steps > 0);
            recorded_count(self.clock.steps_done(), steps, every) + diverged
        }
    }

    fn check_needs<H>(&self) -> Result<(), LoopError<H>> {
        let needs = self.target.needs();
        if needs.t && self.clock.t0().is_none() {
            Err(LoopError::NeedsTime)
        } else if needs.i && self.clock.i0().is_none() {
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

/// The error of a run whose history cannot be allocated.
fn too_long<H>(steps: usize) -> impl FnOnce(TryReserveError) -> LoopError<H> {
    move |_| LoopError::TooLong { steps }
}

#[inline]
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
