//! The seed's RNN against BrainPy: `Sequential(l1=RNNCell(100, 20), l2=relu, l3=RNNCell(20, 2))`
//! at batch 128 over 30 steps, with BrainPy's weights and inputs (tests/reference/rnn_seed, float64
//! `.npy` files; see its README.txt). Outputs and l1's states match within 1e-12, time-first and
//! batch-first.
#![cfg(feature = "npy")]

use looptime::layers::{BrainPyArray, Relu, RnnCell, read_npy};
use looptime::nalgebra::{SMatrix, SVector};
use looptime::prelude::*;
use looptime::sequential;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/rnn_seed");
const T: usize = 30;
const B: usize = 128;
const IN: usize = 100;
const HIDDEN: usize = 20;
const OUT: usize = 2;
const TOLERANCE: f64 = 1e-12;

fn array(name: &str) -> BrainPyArray {
    read_npy(format!("{DIR}/{name}")).unwrap()
}

/// A `(T, B, N)` C-order array as T matrices `N × B`: sample `b` of step `t` is column `b`, which
/// is exactly the array's memory order, so each step is one column-major slice.
fn steps<const N: usize>(a: &BrainPyArray) -> Vec<SMatrix<f64, N, B>> {
    assert_eq!(a.shape(), [T, B, N], "{}", a.source());
    a.data()
        .chunks_exact(N * B)
        .map(SMatrix::from_column_slice)
        .collect()
}

fn layer<const I: usize, const O: usize>(prefix: &str) -> RnnCell<f64, I, O, B> {
    RnnCell::load_npy(
        format!("{DIR}/{prefix}_Wi.npy"),
        format!("{DIR}/{prefix}_Wh.npy"),
        format!("{DIR}/{prefix}_b.npy"),
    )
    .unwrap()
}

fn max_error<const N: usize>(ours: &[SMatrix<f64, N, B>], theirs: &[SMatrix<f64, N, B>]) -> f64 {
    assert_eq!(ours.len(), theirs.len());
    ours.iter()
        .zip(theirs)
        .map(|(a, b)| (a - b).abs().max())
        .fold(0.0, f64::max)
}

/// The model is ~40 kB and a step's input 100 kB: run in a thread with room for the unoptimized
/// test build's frames.
fn with_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn the_seed_rnn_gives_brainpys_outputs_and_l1_states_time_first() {
    with_stack(|| {
        let xs = steps::<IN>(&array("x.npy"));
        let expected_out = steps::<OUT>(&array("out.npy"));
        let expected_l1 = steps::<HIDDEN>(&array("l1_state.npy"));

        let model = sequential! {
            l1: layer::<IN, HIDDEN>("l1"),
            l2: Relu,
            l3: layer::<HIDDEN, OUT>("l3"),
        };
        let mut run = LoopOverTime::new(model).monitor("l1.state", |m| m.l1.state);
        let history = run.run_inputs(&xs).unwrap();

        // Shapes (30, 128, 2) and (30, 128, 20): 30 steps of OUT × 128 and HIDDEN × 128.
        assert_eq!(history.outputs.len(), T);
        let (l1,) = &history.monitors;
        assert_eq!(l1.name, "l1.state");
        assert_eq!(l1.len(), T);

        let out_error = max_error(&history.outputs, &expected_out);
        let l1_error = max_error(l1, &expected_l1);
        let scale =
            |ms: &[SMatrix<f64, OUT, B>]| ms.iter().map(|m| m.abs().max()).fold(0.0, f64::max);
        let l1_scale = expected_l1
            .iter()
            .map(|m| m.abs().max())
            .fold(0.0, f64::max);
        println!(
            "max |Δ| vs BrainPy: outputs {out_error:e} (values up to {:e}), l1 states {l1_error:e} (values up to {l1_scale:e})",
            scale(&expected_out)
        );
        assert!(out_error <= TOLERANCE, "outputs differ by {out_error:e}");
        assert!(l1_error <= TOLERANCE, "l1 states differ by {l1_error:e}");
        // The reference is not trivially zero: relu leaves most units active.
        assert!(expected_out.iter().any(|m| m.abs().max() > 0.1));
    });
}

#[test]
fn batch_first_gives_the_transposed_result() {
    with_stack(|| {
        let xs = steps::<IN>(&array("x.npy"));
        let model = || {
            sequential! {
                l1: layer::<IN, HIDDEN>("l1"),
                l2: Relu,
                l3: layer::<HIDDEN, OUT>("l3"),
            }
        };
        let time_first = LoopOverTime::new(model())
            .monitor("l1.state", |m| m.l1.state)
            .run_inputs(&xs)
            .unwrap();

        // (B, T, IN): one sequence per sample.
        let sequences: Vec<Vec<SVector<f64, IN>>> = (0..B)
            .map(|b| xs.iter().map(|x| x.column(b).into_owned()).collect())
            .collect();
        let mut run = LoopOverTime::new(model()).monitor("l1.state", |m| m.l1.state);
        let batch_first = run.run_inputs_batch_first(&sequences).unwrap();

        // Shapes (128, 30, 2) and (128, 30, 20).
        let (l1,) = &batch_first.monitors;
        assert_eq!(batch_first.outputs.len(), B);
        assert_eq!(l1.len(), B);
        let expected_out = steps::<OUT>(&array("out.npy"));
        for b in 0..B {
            assert_eq!(batch_first.outputs[b].len(), T);
            assert_eq!(l1[b].len(), T);
            for t in 0..T {
                assert_eq!(batch_first.outputs[b][t], time_first.outputs[t].column(b));
                assert_eq!(l1[b][t], time_first.monitors.0[t].column(b));
                let error = (batch_first.outputs[b][t] - expected_out[t].column(b))
                    .abs()
                    .max();
                assert!(error <= TOLERANCE, "sample {b}, step {t}: {error:e}");
            }
        }
    });
}

#[test]
fn the_reference_weights_have_brainpys_shapes() {
    assert_eq!(array("l1_Wi.npy").shape(), [IN, HIDDEN]);
    assert_eq!(array("l1_Wh.npy").shape(), [HIDDEN, HIDDEN]);
    assert_eq!(array("l1_b.npy").shape(), [HIDDEN]);
    assert_eq!(array("l3_Wi.npy").shape(), [HIDDEN, OUT]);
    assert_eq!(array("l3_Wh.npy").shape(), [OUT, OUT]);
    assert_eq!(array("l3_b.npy").shape(), [OUT]);
}
