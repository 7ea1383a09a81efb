//! `Dense`: `y = x W + b` in BrainPy's layout, and a `no_state` run (one matrix product over all
//! `T × B` columns through `#[update_all]`) that equals stepping: bit for bit when every product
//! is exact, to rounding otherwise.

use looptime::layers::{BrainPyArray, Dense};
use looptime::nalgebra::SMatrix;
use looptime::prelude::*;

const IN: usize = 7;
const OUT: usize = 6;
const B: usize = 9;
const T: usize = 11;

fn brainpy(values: impl Fn(usize) -> f64) -> (BrainPyArray, BrainPyArray) {
    let w = BrainPyArray::new("W", vec![IN, OUT], (0..IN * OUT).map(&values).collect()).unwrap();
    let b =
        BrainPyArray::new("b", vec![OUT], (0..OUT).map(|k| values(k + 1000)).collect()).unwrap();
    (w, b)
}

/// Multiples of 1/8 with small numerators: every product and partial sum is exact in f64.
fn dyadic(k: usize) -> f64 {
    ((k * 7 + 3) % 13) as f64 / 8.0 - 0.75
}

fn irregular(k: usize) -> f64 {
    ((k as f64 + 0.5) * 1.618_033_988_7).sin() * 1.7
}

fn inputs(values: impl Fn(usize) -> f64) -> Vec<SMatrix<f64, IN, B>> {
    (0..T)
        .map(|t| SMatrix::from_fn(|i, b| values(t * 1009 + b * 31 + i)))
        .collect()
}

#[test]
fn a_step_is_x_w_plus_b_in_brainpys_layout() {
    let (w, b) = brainpy(irregular);
    let mut layer = Dense::<f64, IN, OUT, B>::from_brainpy(&w, &b).unwrap();
    let x = inputs(irregular)[3];
    let y = layer.update(&Shared::default(), x);
    for s in 0..B {
        for j in 0..OUT {
            // y[s, j] = sum_i x[s, i] W[i, j] + b[j], with W row-major (IN, OUT).
            let expected: f64 = (0..IN)
                .map(|i| x[(i, s)] * w.data()[i * OUT + j])
                .sum::<f64>()
                + b.data()[j];
            assert!(
                (y[(j, s)] - expected).abs() < 1e-14,
                "{} vs {expected}",
                y[(j, s)]
            );
        }
    }
}

#[test]
fn no_state_equals_stepping_exactly_when_products_are_exact() {
    let (w, b) = brainpy(dyadic);
    let xs = inputs(dyadic);
    let layer = Dense::<f64, IN, OUT, B>::from_brainpy(&w, &b).unwrap();
    let stepped = LoopOverTime::new(layer.clone()).run_inputs(&xs).unwrap();
    let at_once = LoopOverTime::new(layer)
        .no_state(true)
        .run_inputs(&xs)
        .unwrap();
    assert_eq!(at_once.steps, T);
    assert_eq!(at_once.outputs.values, stepped.outputs.values);
}

#[test]
fn no_state_equals_stepping_to_rounding_on_any_numbers() {
    let (w, b) = brainpy(irregular);
    let xs = inputs(irregular);
    let layer = Dense::<f64, IN, OUT, B>::from_brainpy(&w, &b).unwrap();
    let stepped = LoopOverTime::new(layer.clone()).run_inputs(&xs).unwrap();
    let at_once = LoopOverTime::new(layer)
        .no_state(true)
        .run_inputs(&xs)
        .unwrap();
    for t in 0..T {
        for (a, b) in at_once.outputs[t].iter().zip(stepped.outputs[t].iter()) {
            assert!(
                (a - b).abs() <= 1e-14 * b.abs().max(1.0),
                "step {t}: {a} vs {b}"
            );
        }
    }
}

#[test]
fn no_state_appends_after_what_the_output_already_holds() {
    let (w, b) = brainpy(dyadic);
    let xs = inputs(dyadic);
    let mut layer = Dense::<f64, IN, OUT, B>::from_brainpy(&w, &b).unwrap();
    let sh = Shared::default();
    let first = layer.update(&sh, xs[0]);
    let mut out = vec![first];
    DynamicalSystem::<()>::update_all(&mut layer, &sh, &xs[1..], &mut out);
    assert_eq!(out.len(), T);
    for (t, y) in out.iter().enumerate() {
        assert_eq!(*y, layer.update(&sh, xs[t]), "step {t}");
    }
}

#[test]
fn a_dense_layer_is_stateless_and_f32_works() {
    let (w, b) = brainpy(dyadic);
    let layer = Dense::<f32, IN, OUT, B>::from_brainpy(&w, &b).unwrap();
    assert!(DynamicalSystem::<()>::is_stateless(&layer));
    let xs: Vec<SMatrix<f32, IN, B>> = inputs(dyadic).iter().map(|x| x.map(|v| v as f32)).collect();
    let stepped = LoopOverTime::new(layer.clone()).run_inputs(&xs).unwrap();
    let at_once = LoopOverTime::new(layer)
        .no_state(true)
        .run_inputs(&xs)
        .unwrap();
    assert_eq!(at_once.outputs.values, stepped.outputs.values);
}
