//! `no_state` loops: a stateless system gets all `T × B` input columns in one call and gives the
//! same numbers as stepping; it sees no `t` and no `i`, the timeline still moves on, and misuse is
//! a typed error.

mod common;

use common::{Affine, Leaky};
use looptime::nalgebra::{SMatrix, SVector};
use looptime::{DynamicalSystem, Layout, LoopError, LoopOverTime, Needs, Shared};

const I: usize = 3;
const O: usize = 2;
const B: usize = 4;
const T: usize = 10;

/// Weights, biases and inputs that are small multiples of 1/8: every product and partial sum is
/// exact in f64, so any order of summation gives the same bits and results compare with `==`.
fn dyadic_layer() -> Affine<I, O, B> {
    Affine::new(
        SMatrix::<f64, O, I>::new(0.5, -1.25, 2.0, 0.75, 0.125, -3.0),
        SVector::<f64, O>::new(0.25, -0.5),
    )
}

fn dyadic_inputs() -> Vec<SMatrix<f64, I, B>> {
    (0..T)
        .map(|k| SMatrix::from_fn(|r, c| ((k * 5 + r * 3 + c * 7) % 17) as f64 / 8.0 - 1.0))
        .collect()
}

/// Inputs with no short binary expansion.
fn generic_inputs() -> Vec<SMatrix<f64, I, B>> {
    (0..T)
        .map(|k| SMatrix::from_fn(|r, c| ((k * 13 + r * 5 + c) as f64 * 0.731).sin() * 3.3))
        .collect()
}

fn generic_layer() -> Affine<I, O, B> {
    Affine::new(
        SMatrix::<f64, O, I>::new(0.31, -1.7, 2.9, 0.77, 0.013, -3.1),
        SVector::<f64, O>::new(0.1, -0.3),
    )
}

#[test]
fn no_state_equals_stepping_exactly() {
    let xs = dyadic_inputs();
    let mut stepping = LoopOverTime::new(dyadic_layer());
    let mut at_once = LoopOverTime::new(dyadic_layer()).no_state(true);
    let stepped = stepping.run_inputs(&xs).unwrap();
    let batched = at_once.run_inputs(&xs).unwrap();
    assert_eq!(batched.steps, T);
    assert_eq!(batched.layout, Layout::TimeFirst);
    assert_eq!(batched.outputs, stepped.outputs);
    // And both are y = W x + b, column by column.
    let layer = dyadic_layer();
    for (x, y) in xs.iter().zip(batched.outputs.iter()) {
        for b in 0..B {
            let expected = layer.apply_column(&x.column(b).into_owned());
            assert_eq!(y.column(b), expected.column(0));
        }
    }
}

#[test]
fn no_state_matches_stepping_to_rounding_on_any_numbers() {
    let xs = generic_inputs();
    let stepped = LoopOverTime::new(generic_layer()).run_inputs(&xs).unwrap();
    let batched = LoopOverTime::new(generic_layer())
        .no_state(true)
        .run_inputs(&xs)
        .unwrap();
    for k in 0..T {
        for (a, b) in batched.outputs[k].iter().zip(stepped.outputs[k].iter()) {
            assert!(
                (a - b).abs() <= 1e-13 * b.abs().max(1.0),
                "step {k}: {a} vs {b}"
            );
        }
    }
}

#[test]
fn no_state_makes_one_call_for_all_steps() {
    let xs = dyadic_inputs();
    let mut run = LoopOverTime::new(dyadic_layer()).no_state(true);
    run.run_inputs(&xs).unwrap();
    assert_eq!(run.target().update_all_calls, 1);
    assert_eq!(run.target().update_calls, 0);

    let mut run = LoopOverTime::new(dyadic_layer());
    run.run_inputs(&xs).unwrap();
    assert_eq!(run.target().update_all_calls, 0);
    assert_eq!(run.target().update_calls, T);
}

#[test]
fn the_no_state_call_sees_no_t_and_no_i() {
    let mut run = LoopOverTime::new(dyadic_layer())
        .no_state(true)
        .t0(4.0)
        .i0(9);
    run.run_inputs(&dyadic_inputs()).unwrap();
    assert_eq!(run.target().last_t, Some(None));
    assert_eq!(run.target().last_i, Some(None));
    // While a stepped run of the same layer sees both.
    let mut stepped = LoopOverTime::new(dyadic_layer()).t0(4.0).i0(9);
    stepped.run_inputs(&dyadic_inputs()).unwrap();
    let last = (T - 1) as f64;
    assert_eq!(stepped.target().last_t, Some(Some(4.0 + last * 0.1)));
    assert_eq!(stepped.target().last_i, Some(Some(9 + T as u64 - 1)));
}

#[test]
fn no_state_runs_still_advance_t0_and_i0() {
    let dt = 0.25;
    let mut run = LoopOverTime::new(dyadic_layer())
        .no_state(true)
        .dt(dt)
        .t0(1.0)
        .i0(5);
    let h = run.run_inputs(&dyadic_inputs()).unwrap();
    let times = h.times.as_ref().unwrap();
    let indices = h.indices.as_ref().unwrap();
    assert_eq!((times.len(), indices.len()), (T, T));
    for (k, (&t, &i)) in times.iter().zip(indices).enumerate() {
        assert_eq!(t, 1.0 + k as f64 * dt);
        assert_eq!(i, 5 + k as u64);
    }
    assert_eq!(run.current_t0(), Some(1.0 + T as f64 * dt));
    assert_eq!(run.current_i0(), Some(5 + T as u64));
    let h = run.run_inputs(&dyadic_inputs()[..3]).unwrap();
    assert_eq!(h.times.unwrap()[0], 1.0 + T as f64 * dt);
    run.reset_state();
    assert_eq!((run.current_t0(), run.current_i0()), (Some(1.0), Some(5)));
}

#[test]
fn no_state_with_t0_and_i0_none_records_no_times() {
    let mut run = LoopOverTime::new(dyadic_layer())
        .no_state(true)
        .t0(None)
        .i0(None);
    let h = run.run_inputs(&dyadic_inputs()).unwrap();
    assert_eq!((h.times, h.indices), (None, None));
    assert_eq!(h.outputs.len(), T);
}

#[test]
fn no_state_batch_first_equals_time_first_transposed() {
    let xs = dyadic_inputs();
    let seqs: Vec<Vec<SVector<f64, I>>> = (0..B)
        .map(|b| xs.iter().map(|x| x.column(b).into_owned()).collect())
        .collect();
    let tf = LoopOverTime::new(dyadic_layer()).run_inputs(&xs).unwrap();
    let mut run = LoopOverTime::new(dyadic_layer()).no_state(true);
    let bf = run.run_inputs_batch_first(&seqs).unwrap();
    assert_eq!(run.target().update_all_calls, 1);
    assert_eq!(bf.layout, Layout::BatchFirst);
    assert_eq!(bf.outputs.values.len(), B);
    for b in 0..B {
        assert_eq!(bf.outputs.values[b].len(), T);
        for k in 0..T {
            for r in 0..O {
                assert_eq!(bf.outputs.values[b][k][r], tf.outputs[k][(r, b)]);
            }
        }
    }
}

/// A stateless system on a tuple of inputs that keeps the default `update_all` (one `update` per
/// step): `no_state` must still give the stepping numbers.
struct AddPair;

impl DynamicalSystem for AddPair {
    type Input = (f64, f64);
    type Output = f64;

    fn update(&mut self, _sh: &Shared, (a, b): (f64, f64)) -> f64 {
        a * 3.0 + b
    }

    fn reset_state(&mut self) {}

    fn is_stateless(&self) -> bool {
        true
    }
}

#[test]
fn no_state_works_with_tuple_inputs_and_the_default_update_all() {
    let a = [1.0, 2.0, 3.0];
    let b = vec![0.5, -0.5, 0.25];
    let h = LoopOverTime::new(AddPair)
        .no_state(true)
        .run_inputs((&a, &b))
        .unwrap();
    assert_eq!(h.outputs.values, vec![3.5, 5.5, 9.25]);
}

#[test]
fn no_state_over_a_duration_is_refused() {
    let mut run = LoopOverTime::new(dyadic_layer()).no_state(true);
    assert!(matches!(
        run.run_duration(1.0),
        Err(LoopError::NoStateWithDuration)
    ));
    assert!(matches!(
        run.run_steps(10),
        Err(LoopError::NoStateWithDuration)
    ));
    let message = LoopError::<()>::NoStateWithDuration.to_string();
    assert!(message.contains("pass the inputs"), "{message}");
    assert_eq!(run.current_t0(), Some(0.0), "nothing ran");
    assert_eq!(run.target().update_all_calls + run.target().update_calls, 0);
}

#[test]
fn no_state_on_a_stateful_system_is_refused() {
    let mut run = LoopOverTime::new(Leaky::new(0.0, 1.0)).no_state(true);
    let err = run.run_inputs(&[1.0, 2.0][..]).unwrap_err();
    assert!(matches!(err, LoopError::NoStateOnStatefulSystem), "{err:?}");
    assert!(err.to_string().contains("turn `no_state` off"));
    assert_eq!(run.target().x, 0.0, "the system did not run");
    let err = run.run_inputs_batch_first(&[[1.0, 2.0]]).unwrap_err();
    assert!(matches!(err, LoopError::NoStateOnStatefulSystem));
}

#[test]
fn no_state_with_monitors_is_refused() {
    let mut run = LoopOverTime::new(dyadic_layer())
        .no_state(true)
        .monitor("w", |m| m.w);
    let err = run.run_inputs(&dyadic_inputs()).unwrap_err();
    assert!(matches!(err, LoopError::NoStateWithMonitors), "{err:?}");
    assert!(err.to_string().contains("remove the monitors"));
    assert_eq!(run.target().update_all_calls, 0);
}

#[test]
fn no_state_on_a_system_that_needs_t_or_i_is_refused() {
    let mut layer = dyadic_layer();
    layer.needs = Needs::T;
    let mut run = LoopOverTime::new(layer).no_state(true);
    assert!(matches!(
        run.run_inputs(&dyadic_inputs()),
        Err(LoopError::NeedsTime)
    ));

    let mut layer = dyadic_layer();
    layer.needs = Needs::I;
    let mut run = LoopOverTime::new(layer).no_state(true);
    assert!(matches!(
        run.run_inputs(&dyadic_inputs()),
        Err(LoopError::NeedsIndex)
    ));
    assert_eq!(run.target().update_all_calls, 0);
}
