//! A counting global allocator shows that a step allocates nothing: stepping a system directly
//! makes no allocation, and a run allocates its history once, before the loop, so its allocation
//! count does not depend on the number of steps (time-first, duration and batch-first runs).
//!
//! This file is its own test binary, so its allocator does not affect the other tests. Only the
//! thread that measures counts (a thread-local flag), and measurements take a lock, so tests
//! running in parallel do not disturb each other.

mod common;

use common::counting_alloc::{Counting, allocations_in};
use common::{Affine, BatchLeaky, Growth, Leaky, Sum2};
use looptime::integrate::rk4;
use looptime::nalgebra::{SMatrix, SVector};
use looptime::{DynamicalSystem, LoopError, LoopOverTime, Shared};

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn the_counter_sees_allocations() {
    // Otherwise every "0 allocations" below would prove nothing.
    let (n, v) = allocations_in(|| {
        let mut v = std::hint::black_box(vec![1_u64]);
        v.push(2); // grows: a realloc
        v
    });
    assert_eq!(n, 2);
    drop(v);
    let (n, ()) = allocations_in(|| {});
    assert_eq!(n, 0);
}

/// A small network stepped by hand: a batched leaky layer, a dense layer on its output, and an
/// oscillator integrated with rk4, as a generated step would combine them.
struct Network {
    leak: BatchLeaky<8, 16>,
    dense: Affine<8, 4, 16>,
    oscillator: SVector<f64, 2>,
}

impl DynamicalSystem for Network {
    type Input = SMatrix<f64, 8, 16>;
    type Output = SMatrix<f64, 4, 16>;

    fn update(&mut self, sh: &Shared, x: Self::Input) -> Self::Output {
        let h = self.leak.update(sh, x);
        self.oscillator = rk4(&self.oscillator, sh.t.unwrap_or(0.0), sh.dt, |s, _t| {
            SVector::<f64, 2>::new(s[1], -s[0])
        });
        self.dense.update(sh, h) * self.oscillator[0]
    }

    fn reset_state(&mut self) {
        DynamicalSystem::<()>::reset_state(&mut self.leak);
        self.oscillator = SVector::<f64, 2>::new(1.0, 0.0);
    }
}

fn network() -> Network {
    Network {
        leak: BatchLeaky::new(),
        dense: Affine::new(
            SMatrix::from_fn(|r, c| (r as f64 - c as f64) * 0.1),
            SVector::from_element(0.5),
        ),
        oscillator: SVector::<f64, 2>::new(1.0, 0.0),
    }
}

#[test]
fn stepping_a_system_directly_allocates_nothing() {
    let mut net = network();
    let mut leaky = Leaky::new(0.0, 3.0);
    let x = SMatrix::<f64, 8, 16>::from_fn(|r, c| (r * c) as f64 * 0.01);
    let (n, last) = allocations_in(|| {
        let mut sh = Shared::default();
        let mut y = SMatrix::zeros();
        for k in 0..1000 {
            sh.t = Some(k as f64 * sh.dt);
            sh.i = Some(k);
            y = net.update(&sh, x);
            leaky.update(&sh, 1.0);
        }
        net.reset_state();
        DynamicalSystem::<()>::reset_state(&mut leaky);
        y
    });
    assert_eq!(n, 0, "a step allocated");
    assert!(last.iter().all(|v| v.is_finite()));
}

fn inputs(steps: usize) -> Vec<SMatrix<f64, 8, 16>> {
    (0..steps)
        .map(|k| SMatrix::from_fn(|r, c| ((k + r + c) % 7) as f64 * 0.3))
        .collect()
}

/// Allocations of a time-first run over `steps` inputs with two monitors.
fn time_first_run(steps: usize) -> usize {
    let xs = inputs(steps);
    let mut run = LoopOverTime::new(network())
        .monitor("leak.x", |m| m.leak.x)
        .monitor("oscillator", |m| m.oscillator);
    let (n, h) = allocations_in(|| run.run_inputs(&xs).map_err(LoopError::without_history));
    assert_eq!(h.unwrap().steps, steps);
    n
}

#[test]
fn a_time_first_run_allocates_the_same_for_10_and_10_000_steps() {
    let short = time_first_run(10);
    let long = time_first_run(10_000);
    assert_eq!(short, long, "allocations grew with the number of steps");
    // Outputs, times, indices and one trace per monitor, each allocated once.
    assert!(
        (1..=3 + 2).contains(&short),
        "{short} allocations for a run with two monitors"
    );
}

/// Allocations of a run over a duration, with the divergence check on.
fn duration_run(duration: f64) -> (usize, usize) {
    let mut run = LoopOverTime::new(network())
        .check_finite(true)
        .monitor("leak.x", |m| m.leak.x)
        .monitor("leak.peak", |m| m.leak.peak);
    let (n, h) = allocations_in(|| {
        run.run_duration(duration)
            .map_err(LoopError::without_history)
    });
    (n, h.unwrap().steps)
}

#[test]
fn a_duration_run_allocates_the_same_for_10_and_10_000_steps() {
    let (short, steps) = duration_run(1.0);
    assert_eq!(steps, 10);
    let (long, steps) = duration_run(1000.0);
    assert_eq!(steps, 10_000);
    assert_eq!(short, long);
    assert!(short <= 3 + 2);
}

#[test]
fn runs_without_time_or_monitors_allocate_only_their_outputs() {
    let count = |steps: usize| {
        let mut run = LoopOverTime::new(Leaky::new(0.0, 1.0)).t0(None).i0(None);
        let (n, h) = allocations_in(|| run.run_steps(steps).map_err(LoopError::without_history));
        assert_eq!(h.unwrap().steps, steps);
        n
    };
    assert_eq!(count(10), count(10_000));
    assert!(count(10) <= 1);
}

#[test]
fn tuple_inputs_side_by_side_allocate_the_same_for_any_length() {
    let count = |steps: usize| {
        let a: Vec<f64> = (0..steps).map(|k| k as f64).collect();
        let b: Vec<SVector<f64, 2>> = vec![SVector::<f64, 2>::new(1.0, 2.0); steps];
        let mut run = LoopOverTime::new(Sum2::default()).monitor("total", |m| m.total);
        let (n, h) =
            allocations_in(|| run.run_inputs((&a, &b)).map_err(LoopError::without_history));
        assert_eq!(h.unwrap().steps, steps);
        n
    };
    assert_eq!(count(10), count(10_000));
}

/// Allocations of a batch-first run of `steps` steps with two monitors.
fn batch_first_run(steps: usize) -> usize {
    let xs = inputs(steps);
    let sequences: Vec<Vec<SVector<f64, 8>>> = (0..16)
        .map(|b| xs.iter().map(|x| x.column(b).into_owned()).collect())
        .collect();
    let mut run = LoopOverTime::new(network())
        .monitor("leak.x", |m| m.leak.x)
        .monitor("leak.peak", |m| m.leak.peak);
    let (n, h) = allocations_in(|| {
        run.run_inputs_batch_first(&sequences)
            .map_err(LoopError::without_history)
    });
    let h = h.unwrap();
    assert_eq!(h.steps, steps);
    assert_eq!(h.outputs.values.len(), 16);
    n
}

#[test]
fn a_batch_first_run_allocates_the_same_for_10_and_10_000_steps() {
    let short = batch_first_run(10);
    let long = batch_first_run(10_000);
    assert_eq!(short, long);
    // Per trace: the list of sequences and one sequence per sample; plus times and indices.
    assert!((1..=2 + 3 * (1 + 16)).contains(&short), "{short}");
}

#[test]
fn the_divergence_check_allocates_nothing_per_step() {
    let count = |steps: usize| {
        let mut run = LoopOverTime::new(Growth::new(SVector::<f64, 3>::new(1.0, 2.0, 3.0), 1.0))
            .check_finite(true);
        let (n, h) = allocations_in(|| run.run_steps(steps).map_err(LoopError::without_history));
        assert_eq!(h.unwrap().steps, steps);
        n
    };
    assert_eq!(count(10), count(10_000));
}
