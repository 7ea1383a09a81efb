//! Data layouts: batch-first inputs (one sequence per sample) give the same numbers as time-first
//! inputs transposed, and their outputs and monitors come back batch-first (`values[b][k]`).

mod common;

use common::{BatchLeaky, Leaky};
use looptime::nalgebra::{SMatrix, SVector};
use looptime::{Layout, LoopError, LoopOverTime};

const N: usize = 3;
const B: usize = 4;
const T: usize = 15;

/// Time-first inputs: step `k`, neuron `r`, sample `c`; every entry is different.
fn time_first_inputs() -> Vec<SMatrix<f64, N, B>> {
    (0..T)
        .map(|k| {
            SMatrix::from_fn(|r, c| ((k * 7 + r * 3 + c * 11) as f64 * 0.37).sin() * 5.0 + c as f64)
        })
        .collect()
}

/// The same data batch-first: `sequences[b][k]` is column `b` of step `k`.
fn transpose(xs: &[SMatrix<f64, N, B>]) -> Vec<Vec<SVector<f64, N>>> {
    (0..B)
        .map(|b| xs.iter().map(|x| x.column(b).into_owned()).collect())
        .collect()
}

#[test]
fn batch_first_equals_time_first_transposed() {
    let xs = time_first_inputs();
    let mut time_first = LoopOverTime::new(BatchLeaky::<N, B>::new())
        .dt(0.2)
        .monitor("x", |m| m.x)
        .monitor("peak", |m| m.peak);
    let mut batch_first = LoopOverTime::new(BatchLeaky::<N, B>::new())
        .dt(0.2)
        .monitor("x", |m| m.x)
        .monitor("peak", |m| m.peak);
    let tf = time_first.run_inputs(&xs).unwrap();
    let bf = batch_first.run_inputs_batch_first(&transpose(&xs)).unwrap();

    assert_eq!(tf.layout, Layout::TimeFirst);
    assert_eq!(bf.layout, Layout::BatchFirst);
    assert_eq!((tf.steps, bf.steps), (T, T));
    assert_eq!(tf.times, bf.times);
    assert_eq!(tf.indices, bf.indices);

    let (tf_x, tf_peak) = &tf.monitors;
    let (bf_x, bf_peak) = &bf.monitors;
    assert_eq!((bf_x.name, bf_peak.name), ("x", "peak"));
    for b in 0..B {
        for k in 0..T {
            for r in 0..N {
                assert_eq!(
                    bf.outputs.values[b][k][r],
                    tf.outputs[k][(r, b)],
                    "output b={b} k={k} r={r}"
                );
                assert_eq!(bf_x.values[b][k][r], tf_x[k][(r, b)], "x b={b} k={k} r={r}");
                assert_eq!(
                    bf_peak.values[b][k][r],
                    tf_peak[k][(r, b)],
                    "peak b={b} k={k} r={r}"
                );
            }
        }
    }
    // Both runs leave the same final state.
    assert_eq!(time_first.target().x, batch_first.target().x);
}

#[test]
fn batch_first_histories_are_indexed_sample_then_step() {
    let xs = time_first_inputs();
    let mut run = LoopOverTime::new(BatchLeaky::<N, B>::new()).monitor("x", |m| m.x);
    let h = run.run_inputs_batch_first(&transpose(&xs)).unwrap();
    assert_eq!(h.outputs.values.len(), B);
    assert!(h.outputs.values.iter().all(|seq| seq.len() == T));
    let (x,) = &h.monitors;
    assert_eq!(x.values.len(), B);
    assert!(x.values.iter().all(|seq| seq.len() == T));
    assert_eq!(h.times.as_ref().unwrap().len(), T);
    // The output of BatchLeaky is twice its state.
    for b in 0..B {
        for k in 0..T {
            assert_eq!(h.outputs.values[b][k], x.values[b][k] * 2.0);
        }
    }
}

#[test]
fn batch_first_samples_follow_the_exact_solution_of_their_own_inputs() {
    // Constant input per sample: sample b receives b - 1 on every neuron; row r has tau = 2 + r.
    let dt = 0.1;
    let sequences: Vec<Vec<SVector<f64, N>>> = (0..B)
        .map(|b| vec![SVector::from_element(b as f64 - 1.0); T])
        .collect();
    let mut run = LoopOverTime::new(BatchLeaky::<N, B>::new())
        .dt(dt)
        .monitor("x", |m| m.x);
    let h = run.run_inputs_batch_first(&sequences).unwrap();
    let (x,) = &h.monitors;
    for b in 0..B {
        for k in 0..T {
            for r in 0..N {
                let exact = Leaky::exact(0.0, 2.0 + r as f64, b as f64 - 1.0, (k + 1) as f64 * dt);
                assert!((x.values[b][k][r] - exact).abs() < 1e-12);
            }
        }
    }
}

#[test]
fn batch_first_accepts_arrays_and_slices() {
    let xs = time_first_inputs();
    let vecs = transpose(&xs);
    let arrays: Vec<[SVector<f64, N>; T]> = vecs
        .iter()
        .map(|seq| core::array::from_fn(|k| seq[k]))
        .collect();
    let slices: Vec<&[SVector<f64, N>]> = vecs.iter().map(|seq| seq.as_slice()).collect();
    let a = LoopOverTime::new(BatchLeaky::<N, B>::new())
        .run_inputs_batch_first(&arrays)
        .unwrap();
    let s = LoopOverTime::new(BatchLeaky::<N, B>::new())
        .run_inputs_batch_first(&slices)
        .unwrap();
    let v = LoopOverTime::new(BatchLeaky::<N, B>::new())
        .run_inputs_batch_first(&vecs)
        .unwrap();
    assert_eq!(a.outputs, v.outputs);
    assert_eq!(s.outputs, v.outputs);
}

#[test]
fn a_batch_of_one_scalar_runs_batch_first() {
    let xs = [1.0, 2.0, 0.5, -1.0];
    let tf = LoopOverTime::new(Leaky::new(0.0, 2.0))
        .monitor("x", |m| m.x)
        .run_inputs(&xs)
        .unwrap();
    let bf = LoopOverTime::new(Leaky::new(0.0, 2.0))
        .monitor("x", |m| m.x)
        .run_inputs_batch_first(&[xs])
        .unwrap();
    assert_eq!(bf.outputs.values, vec![tf.outputs.values.clone()]);
    assert_eq!(bf.monitors.0.values, vec![tf.monitors.0.values.clone()]);
}

#[test]
fn batch_first_runs_continue_the_timeline_and_reset() {
    let xs = time_first_inputs();
    let seqs = transpose(&xs);
    let mut run = LoopOverTime::new(BatchLeaky::<N, B>::new()).dt(0.5).i0(2);
    let first = run.run_inputs_batch_first(&seqs).unwrap();
    let second = run.run_inputs_batch_first(&seqs).unwrap();
    let t0 = 0.0 + T as f64 * 0.5;
    for k in 0..T {
        assert_eq!(second.times.as_ref().unwrap()[k], t0 + k as f64 * 0.5);
        assert_eq!(second.indices.as_ref().unwrap()[k], 2 + (T + k) as u64);
    }
    assert_ne!(first.outputs, second.outputs, "the state carried over");
    run.reset_state();
    let again = run.run_inputs_batch_first(&seqs).unwrap();
    assert_eq!(again, first);
}

#[test]
fn batch_first_with_the_wrong_number_of_sequences_is_a_batch_mismatch() {
    let seqs = transpose(&time_first_inputs());
    let mut run = LoopOverTime::new(BatchLeaky::<N, B>::new());
    match run.run_inputs_batch_first(&seqs[..3]) {
        Err(LoopError::BatchMismatch { expected, found }) => assert_eq!((expected, found), (B, 3)),
        other => panic!("expected BatchMismatch, got {:?}", other.map(|h| h.steps)),
    }
    let mut five = seqs.clone();
    five.push(seqs[0].clone());
    let err = run.run_inputs_batch_first(&five).unwrap_err();
    assert!(matches!(
        err,
        LoopError::BatchMismatch {
            expected: B,
            found: 5
        }
    ));
    let message = err.to_string();
    assert!(message.contains('5') && message.contains('4'), "{message}");
    // Nothing ran.
    assert_eq!(run.current_i0(), Some(0));
    assert_eq!(run.target().x, SMatrix::<f64, N, B>::zeros());
}

#[test]
fn batch_first_sequences_of_unequal_lengths_are_refused() {
    let mut seqs = transpose(&time_first_inputs());
    seqs[2].pop();
    let mut run = LoopOverTime::new(BatchLeaky::<N, B>::new());
    let err = run.run_inputs_batch_first(&seqs).unwrap_err();
    assert!(
        matches!(err, LoopError::UnequalLengths { expected: T, index: 2, found } if found == T - 1),
        "{err:?}"
    );
    assert_eq!(run.current_t0(), Some(0.0), "nothing ran");
}

#[test]
fn batch_first_monitors_of_unbatched_values_do_not_panic() {
    // `tau` is one column shared by every sample, and `x.sum()` a scalar: neither has B columns.
    let seqs = transpose(&time_first_inputs());
    let mut run = LoopOverTime::new(BatchLeaky::<N, B>::new())
        .monitor("tau", |m| m.tau)
        .monitor("total", |m| m.x.sum())
        .monitor("x", |m| m.x);
    let h = run.run_inputs_batch_first(&seqs).unwrap();
    let (tau, total, x) = &h.monitors;
    assert_eq!(tau.values.len(), 1, "one column: a batch of one");
    assert_eq!(total.values.len(), 1);
    assert_eq!(x.values.len(), B);
    for k in 0..T {
        assert_eq!(tau.values[0][k], SVector::<f64, N>::new(2.0, 3.0, 4.0));
        let sum: f64 = (0..B).map(|b| x.values[b][k].sum()).sum();
        assert!((total.values[0][k] - sum).abs() < 1e-12);
    }
}
