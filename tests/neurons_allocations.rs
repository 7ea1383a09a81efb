//! A counting global allocator shows that the built-in neurons step without allocating (every
//! method, populations and batches), that the input helpers compute their items without
//! allocating, and that a run fed by them allocates as much for 100 steps as for 10 000 (its
//! history, once, before the loop).
//!
//! This file is its own test binary, so its allocator affects no other test. Only the measuring
//! thread counts, and measurements take a lock.

mod common;

use common::counting_alloc::{Counting, allocations_in};
use looptime::InputSequence;
use looptime::inputs::{Constant, PoissonSpikes, Ramp, Section};
use looptime::nalgebra::SMatrix;
use looptime::neurons::{Euler, Hh, Izhikevich, Lif, Rk2, Rk4};
use looptime::prelude::*;

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn the_counter_sees_allocations() {
    let (n, v) = allocations_in(|| std::hint::black_box(vec![1_u8]));
    assert_eq!(n, 1);
    drop(v);
}

/// Steps `model` 1000 times under `input`, counting allocations.
fn steps_allocate<S>(mut model: S, input: S::Input, dt: f64) -> usize
where
    S: DynamicalSystem,
    S::Input: Clone,
{
    let (n, ()) = allocations_in(|| {
        for k in 0..1000 {
            let sh = Shared {
                t: Some(k as f64 * dt),
                i: Some(k as u64),
                ..Shared::new(dt, ())
            };
            std::hint::black_box(model.update(&sh, input.clone()));
        }
    });
    n
}

#[test]
fn a_population_split_across_two_cores_steps_without_allocating() {
    type I = SMatrix<f64, 1024, 1>;
    // The helper threads are spawned once per process (by the first split step, or here).
    looptime::parallel::start();
    let allocations = looptime::parallel::split_always(|| {
        steps_allocate(Hh::<f64, 1024>::new(), I::from_element(10.0), 0.05)
    });
    assert_eq!(allocations, 0);
}

#[test]
fn every_neuron_and_method_steps_without_allocating() {
    type I = SMatrix<f64, 8, 4>;
    let i = I::from_element(12.0);
    assert_eq!(steps_allocate(Hh::<f64, 8, 4>::new(), i, 0.1), 0);
    assert_eq!(steps_allocate(Hh::<f64, 8, 4, Euler>::new(), i, 0.01), 0);
    assert_eq!(steps_allocate(Hh::<f64, 8, 4, Rk2>::new(), i, 0.01), 0);
    assert_eq!(steps_allocate(Hh::<f64, 8, 4, Rk4>::new(), i, 0.01), 0);
    let lif = Lif::<f64, 8, 4>::builder().tau_ref(2.0).build().unwrap();
    assert_eq!(steps_allocate(lif, i * 3.0, 0.1), 0);
    assert_eq!(steps_allocate(Izhikevich::<f64, 8, 4>::new(), i, 0.1), 0);
    let f32_input = SMatrix::<f32, 8, 4>::from_element(12.0);
    assert_eq!(steps_allocate(Hh::<f32, 8, 4>::new(), f32_input, 0.1), 0);
    assert_eq!(
        steps_allocate(Izhikevich::<f32, 8, 4, Rk4>::new(), f32_input, 0.1),
        0
    );
}

#[test]
fn input_helpers_compute_items_without_allocating() {
    type I = SMatrix<f64, 16, 2>;
    let constant = Constant::new(I::from_element(1.0), 1000);
    let ramp = Ramp::<I>::linspace(0.0, 10.0, 1000);
    let section = Section::new(vec![I::zeros(), I::from_element(5.0)], &[50.0, 50.0], 0.1).unwrap();
    let poisson = PoissonSpikes::<16, 2>::new(40.0, 0.1, 1000, 3).unwrap();
    let (n, ()) = allocations_in(|| {
        for k in 0..1000 {
            std::hint::black_box(constant.item(k));
            std::hint::black_box(ramp.item(k));
            std::hint::black_box(section.item(k));
            std::hint::black_box(poisson.item(k));
        }
    });
    assert_eq!(n, 0);
}

#[test]
fn a_run_fed_by_a_ramp_allocates_the_same_for_any_length() {
    let run_of = |steps: usize| {
        let mut run = LoopOverTime::new(Lif::<f64, 4>::new()).select(Lif::<f64, 4>::probe_v());
        allocations_in(move || {
            run.run_inputs(Ramp::<SMatrix<f64, 4, 1>>::linspace(0.0, 40.0, steps))
                .map(|h| h.steps)
        })
    };
    let (short, steps) = run_of(100);
    assert_eq!(steps.unwrap(), 100);
    let (long, steps) = run_of(10_000);
    assert_eq!(steps.unwrap(), 10_000);
    assert_eq!(
        short, long,
        "the history is allocated once, whatever the length"
    );
}
