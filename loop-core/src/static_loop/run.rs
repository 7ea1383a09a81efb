//! [`StaticRun`]: the driver of a loop whose step count `T` is a const generic: it sets `t` and `i`
//! from the same [`Clock`] as [`LoopOverTime`](crate::LoopOverTime) (`t = t0 + k·dt`), steps the model and
//! writes outputs and monitors in place, time-first or batch-first. `loop_over_time!` generates
//! the calls; it can also be used by hand.

use alloc::boxed::Box;

use super::monitors::write_samples;
use super::{FullUnroll, StaticBatchMonitors, StaticMonitors, StaticTrace};
use crate::{Batched, Clock, DynamicalSystem, FromSamples, Probe, Shared};

/// The shared values of step `k`, from the same [`Clock`] as the runtime loop's.
struct Stamped<A> {
    shared: Shared<A>,
    clock: Clock,
}

impl<A> Stamped<A> {
    /// # Panics
    /// When the clock cannot run `steps` steps (a bad `dt` or `t0`, an index past `u64::MAX`),
    /// or the model reads `t` (`i`) and `t0` (`i0`) is `None`: a static loop returns arrays, not
    /// a `Result`, and `loop_over_time!` refuses literal mistakes at compile time.
    fn new<M: DynamicalSystem<A> + ?Sized>(
        model: &M,
        (dt, t0, i0, fit): (f64, Option<f64>, Option<u64>, bool),
        args: A,
        steps: usize,
    ) -> Self {
        let clock = Clock::new(dt, t0, i0);
        if let Err(e) = clock.check(steps as u64) {
            panic!("loop_over_time!: {e}");
        }
        let needs = model.needs();
        assert!(
            !(needs.t && t0.is_none()),
            "loop_over_time!: this model reads the time `t`, but t0 = None generates none: set t0"
        );
        assert!(
            !(needs.i && i0.is_none()),
            "loop_over_time!: this model reads the step index `i`, but i0 = None generates none: set i0"
        );
        let mut shared = Shared::new(dt, args);
        shared.fit = fit;
        Stamped { shared, clock }
    }

    #[inline(always)]
    fn at(&mut self, k: usize) -> &Shared<A> {
        self.clock.stamp(&mut self.shared, k as u64);
        &self.shared
    }
}

/// Inputs whose step count `T` is in their type: an array `[X; T]`.
#[diagnostic::on_unimplemented(
    message = "loop_over_time! needs inputs whose length is in their type, an array `[X; T]`; `{Self}` is not one",
    label = "make the inputs an array, or run a Vec or slice with `LoopOverTime::run_inputs`"
)]
pub trait StaticInputs<const T: usize> {
    /// One step's input.
    type Item;
    /// The input of step `k`.
    fn at(&self, k: usize) -> &Self::Item;
}

impl<X, const T: usize> StaticInputs<T> for [X; T] {
    type Item = X;
    #[inline(always)]
    fn at(&self, k: usize) -> &X {
        &self[k]
    }
}

/// Batch-first inputs whose shape is in their type: `[[S; T]; B]`, one sequence per sample.
#[diagnostic::on_unimplemented(
    message = "batch-first inputs of loop_over_time! are an array of one array per sample, `[[S; T]; B]`; `{Self}` is not one",
    label = "make the inputs `[[S; T]; B]`, or run them with `LoopOverTime::run_inputs_batch_first`"
)]
pub trait StaticBatchInputs<const T: usize, const B: usize> {
    /// One sample's input at one step.
    type Sample;
    /// Sample `b`'s input at step `k`.
    fn at(&self, b: usize, k: usize) -> &Self::Sample;
}

impl<S, const T: usize, const B: usize> StaticBatchInputs<T, B> for [[S; T]; B] {
    type Sample = S;
    #[inline(always)]
    fn at(&self, b: usize, k: usize) -> &S {
        &self[b][k]
    }
}

/// A selector of `model`'s values named `name`; passing the model lets the closure's argument
/// type be inferred (`probe_of(&model, "v", |m| m.v)`).
pub fn probe_of<M: ?Sized, V, F: Fn(&M) -> V>(_model: &M, name: &'static str, get: F) -> Probe<F> {
    Probe::new(name, get)
}

/// A `T`-step loop over `model`, time-first: outputs `Box<[Y; T]>`, monitors `Box<[V; T]>`.
pub struct StaticRun<'m, M: DynamicalSystem<A>, A, Mon: StaticMonitors<M, T>, const T: usize> {
    model: &'m mut M,
    clock: Stamped<A>,
    monitors: Mon,
    outputs: StaticTrace<M::Output>,
    traces: Mon::Traces,
}

impl<'m, M, A, Mon, const T: usize> StaticRun<'m, M, A, Mon, T>
where
    M: DynamicalSystem<A>,
    Mon: StaticMonitors<M, T>,
{
    /// A loop of `T` steps from `t0`/`i0` with step `dt`.
    ///
    /// # Panics
    /// When `dt` is not positive and finite, `t0` is not finite, the index of the last step
    /// passes `u64::MAX`, or the model reads `t` (`i`) and `t0` (`i0`) is `None`.
    /// `loop_over_time!` refuses literal mistakes at compile time.
    pub fn new(
        model: &'m mut M,
        options: (f64, Option<f64>, Option<u64>, bool),
        args: A,
        monitors: Mon,
    ) -> Self {
        let clock = Stamped::new(&*model, options, args, T);
        StaticRun {
            model,
            clock,
            traces: monitors.traces(),
            monitors,
            outputs: StaticTrace::new(T),
        }
    }

    /// Like [`new`](Self::new), with `T` taken from the inputs' array type.
    pub fn for_inputs<I: StaticInputs<T> + ?Sized>(
        model: &'m mut M,
        options: (f64, Option<f64>, Option<u64>, bool),
        args: A,
        monitors: Mon,
        _inputs: &I,
    ) -> Self {
        Self::new(model, options, args, monitors)
    }

    /// The number of steps, `T`.
    pub const fn steps(&self) -> usize {
        T
    }

    /// Step `k` with input `x`; steps must come in order 0, 1, …, T - 1.
    #[inline(always)]
    pub fn step(&mut self, k: usize, x: M::Input) {
        let sh = self.clock.at(k);
        let y = self.model.update(sh, x);
        self.outputs.write(k, y);
        self.monitors.record(self.model, &mut self.traces, k);
    }

    /// Every step as straight-line code (up to [`MAX_FULL_UNROLL`](super::MAX_FULL_UNROLL)).
    #[inline(always)]
    pub fn run_full(&mut self, mut input_at: impl FnMut(usize) -> M::Input)
    where
        [(); T]: FullUnroll,
    {
        <[(); T]>::unrolled(|k| self.step(k, input_at(k)));
    }

    /// Every step in a plain loop.
    #[inline(always)]
    pub fn run_scan(&mut self, mut input_at: impl FnMut(usize) -> M::Input) {
        for k in 0..T {
            self.step(k, input_at(k));
        }
    }

    /// The outputs and the monitors' arrays.
    pub fn finish(self) -> (Box<[M::Output; T]>, Mon::Arrays) {
        (self.outputs.into_array::<T>(), Mon::arrays(self.traces))
    }
}

/// `B` sequences of `T` values, boxed: `[b][k]` is sample `b` at step `k`.
pub type BatchArray<S, const T: usize, const B: usize> = Box<[[S; T]; B]>;

/// A `T`-step loop over a batch of `B` samples, batch-first: the inputs are one sequence per
/// sample, outputs come back as `Box<[[Y; T]; B]>` (sample `b`, step `k`).
pub struct StaticBatchRun<
    'm,
    M: DynamicalSystem<A>,
    A,
    Mon: StaticBatchMonitors<M, T, B>,
    const T: usize,
    const B: usize,
> where
    M::Output: Batched,
{
    model: &'m mut M,
    clock: Stamped<A>,
    monitors: Mon,
    outputs: StaticTrace<<M::Output as Batched>::Sample>,
    traces: Mon::Traces,
}

impl<'m, M, A, Mon, const T: usize, const B: usize> StaticBatchRun<'m, M, A, Mon, T, B>
where
    M: DynamicalSystem<A>,
    M::Input: FromSamples,
    M::Output: Batched,
    Mon: StaticBatchMonitors<M, T, B>,
{
    /// A batch-first loop over `inputs[b][k]` (sample `b`, step `k`).
    pub fn for_inputs<I>(
        model: &'m mut M,
        options: (f64, Option<f64>, Option<u64>, bool),
        args: A,
        monitors: Mon,
        _inputs: &I,
    ) -> Self
    where
        I: StaticBatchInputs<T, B, Sample = <M::Input as Batched>::Sample> + ?Sized,
    {
        const {
            assert!(
                <M::Input as Batched>::BATCH == B,
                "batch-first inputs hold one sequence per sample: their number differs from the model's batch size"
            )
        };
        let clock = Stamped::new(&*model, options, args, T);
        StaticBatchRun {
            model,
            clock,
            traces: monitors.traces(),
            monitors,
            outputs: StaticTrace::new(T * B),
        }
    }

    /// The number of steps, `T`.
    pub const fn steps(&self) -> usize {
        T
    }

    /// Step `k` with input `x`; steps must come in order 0, 1, …, T - 1.
    #[inline(always)]
    pub fn step(&mut self, k: usize, x: M::Input) {
        let sh = self.clock.at(k);
        let y = self.model.update(sh, x);
        write_samples::<_, T, B>(&mut self.outputs, &y, k);
        self.monitors.record(self.model, &mut self.traces, k);
    }

    /// Every step as straight-line code (up to [`MAX_FULL_UNROLL`](super::MAX_FULL_UNROLL)).
    #[inline(always)]
    pub fn run_full(&mut self, mut input_at: impl FnMut(usize) -> M::Input)
    where
        [(); T]: FullUnroll,
    {
        <[(); T]>::unrolled(|k| self.step(k, input_at(k)));
    }

    /// Every step in a plain loop.
    #[inline(always)]
    pub fn run_scan(&mut self, mut input_at: impl FnMut(usize) -> M::Input) {
        for k in 0..T {
            self.step(k, input_at(k));
        }
    }

    /// The outputs and the monitors' arrays, batch-first.
    pub fn finish(
        self,
    ) -> (
        BatchArray<<M::Output as Batched>::Sample, T, B>,
        Mon::Arrays,
    ) {
        (
            self.outputs.into_batch_array::<T, B>(),
            Mon::arrays(self.traces),
        )
    }
}
