//! `NpyStream` never lies (issue 14 item 5): its file is a valid `.npy` holding exactly the rows
//! written, after success, divergence or an error; it refuses to replace an existing file unless
//! asked to; a bad path fails when the stream is created; runs split into calls append to one
//! file that equals the file of one call.
#![cfg(feature = "npy")]

mod common;

use std::path::{Path, PathBuf};

use common::{BatchLeaky, Growth};
use looptime::export::{ExportError, NpyStream};
use looptime::layers::read_npy;
use looptime::nalgebra::{SMatrix, SVector};
use looptime::{LoopError, LoopOverTime};

type Pop = BatchLeaky<3, 2>;

/// An empty scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("looptime-stream-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn inputs(steps: usize) -> Vec<SMatrix<f64, 3, 2>> {
    (0..steps)
        .map(|k| SMatrix::from_fn(|r, c| r as f64 + 0.5 * c as f64 + 0.01 * k as f64))
        .collect()
}

/// Shape and values of a float64 `.npy` file, through looptime's own reader.
fn read(path: &Path) -> (Vec<usize>, Vec<f64>) {
    let a = read_npy(path).unwrap();
    (a.shape().to_vec(), a.into_data())
}

#[test]
fn an_existing_file_is_refused_unless_the_user_asks_to_overwrite_it() {
    let dir = scratch("exists");
    let path = dir.join("x.npy");
    std::fs::write(&path, b"results of yesterday").unwrap();
    let err = NpyStream::new(&path, |m: &Pop| m.x).err().unwrap();
    assert!(matches!(&err, ExportError::Exists { .. }), "{err:?}");
    assert!(err.to_string().contains("NpyStream::overwrite"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), b"results of yesterday");

    let stream = NpyStream::overwrite(&path, |m: &Pop| m.x).unwrap();
    let mut run = LoopOverTime::new(Pop::new()).observe(stream);
    run.run_inputs(&inputs(4))
        .map_err(LoopError::without_history)
        .unwrap();
    assert_eq!(read(&path).0, [4, 2, 3]);
}

#[test]
fn after_a_divergence_the_file_holds_the_rows_written() {
    // Before: the header promised every step of the run, 22 values were written, and reading
    // the file failed with UnexpectedEof.
    let dir = scratch("diverged");
    let path = dir.join("x.npy");
    let exploding = Growth::<3>::new(SVector::<f64, 3>::from([1.0, 1e300, 2.0]), 10.0);
    let mut run = LoopOverTime::new(exploding)
        .check_finite(true)
        .monitor("x", |m: &Growth<3>| m.x)
        .observe(NpyStream::new(&path, |m: &Growth<3>| m.x).unwrap());
    let LoopError::Diverged { at, partial } = run.run_steps(100).unwrap_err() else {
        panic!("expected a divergence");
    };
    assert_eq!(at.step, 8);
    let (shape, values) = read(&path);
    assert_eq!(shape, [9, 3]);
    let recorded: Vec<f64> = partial
        .monitors
        .0
        .iter()
        .flat_map(|x| x.iter().copied())
        .collect();
    assert_eq!(values.len(), recorded.len());
    for (a, b) in values.iter().zip(&recorded) {
        assert_eq!(a.to_bits(), b.to_bits());
    }
}

#[test]
fn a_second_run_appends_and_split_runs_write_the_file_of_one_run() {
    // Before: each run re-created the file, so the second run silently replaced the first.
    let dir = scratch("split");
    let (whole_path, split_path) = (dir.join("whole.npy"), dir.join("split.npy"));
    let xs = inputs(10);
    let mut whole = LoopOverTime::new(Pop::new())
        .observe(NpyStream::new(&whole_path, |m: &Pop| m.x).unwrap().every(3));
    whole
        .run_inputs(&xs)
        .map_err(LoopError::without_history)
        .unwrap();
    let mut split = LoopOverTime::new(Pop::new())
        .observe(NpyStream::new(&split_path, |m: &Pop| m.x).unwrap().every(3));
    for part in [&xs[..1], &xs[1..5], &xs[5..5], &xs[5..]] {
        split
            .run_inputs(part)
            .map_err(LoopError::without_history)
            .unwrap();
    }
    // Steps 0, 3, 6 and 9 of the clock, whatever the split.
    assert_eq!(read(&whole_path).0, [4, 2, 3]);
    assert_eq!(
        std::fs::read(&whole_path).unwrap(),
        std::fs::read(&split_path).unwrap()
    );
    assert_eq!(split.observers().0.written(), 4);
}

#[test]
fn a_run_of_no_steps_leaves_a_valid_empty_file() {
    let dir = scratch("empty");
    let path = dir.join("x.npy");
    let mut run =
        LoopOverTime::new(Pop::new()).observe(NpyStream::new(&path, |m: &Pop| m.x).unwrap());
    let h = run
        .run_inputs(&inputs(0))
        .map_err(LoopError::without_history)
        .unwrap();
    assert_eq!(h.steps, 0);
    let (shape, values) = read(&path);
    assert_eq!((shape.as_slice(), values.len()), (&[0][..], 0));
    // Rows written later replace the empty array.
    run.run_inputs(&inputs(2))
        .map_err(LoopError::without_history)
        .unwrap();
    assert_eq!(read(&path).0, [2, 2, 3]);
}

#[test]
fn a_stream_dropped_in_the_middle_of_its_rows_leaves_a_valid_file() {
    let dir = scratch("dropped");
    let path = dir.join("x.npy");
    {
        use looptime::{Observer, Step};
        let mut stream = NpyStream::new(&path, |m: &Pop| m.x).unwrap();
        let pop = Pop::new();
        for k in 0..5 {
            let step = Step {
                k,
                steps: 10,
                n: k as u64,
                t: None,
                i: None,
            };
            stream.observe(&pop, &step).unwrap();
        }
        // No `finish`: the run was cut short (a panic in a step, say).
    }
    assert_eq!(read(&path).0, [5, 2, 3]);
}

#[test]
fn a_value_that_changes_shape_stops_the_run_with_the_history_so_far() {
    let dir = scratch("ragged");
    let path = dir.join("x.npy");
    // Batch-first-like values whose length grows with the step.
    let stream =
        NpyStream::new(&path, |m: &Pop| vec![m.x[(0, 0)]; 1 + m.x[(0, 0)] as usize]).unwrap();
    let mut run = LoopOverTime::new(Pop::new())
        .monitor("x", |m: &Pop| m.x)
        .observe(stream);
    let xs = vec![SMatrix::<f64, 3, 2>::from_element(50.0); 10];
    let LoopError::Observer {
        step,
        partial,
        error,
    } = run.run_inputs(&xs).unwrap_err()
    else {
        panic!("expected the stream to stop the run");
    };
    assert!(step < 9, "stopped at step {step}");
    assert_eq!(partial.steps, step + 1);
    assert_eq!(partial.monitors.0.len(), step + 1);
    assert!(error.to_string().contains("change shape"), "{error}");
    let (shape, _) = read(&path);
    assert_eq!(shape[0], step, "the rows before the change");
}
