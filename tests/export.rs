//! Export round trips: a history written as `.npy` files and as CSV reads back with the same
//! numbers and BrainPy's shapes, and a monitor streamed to `.npy` during the run equals the same
//! monitor recorded in memory.
#![cfg(feature = "npy")]

mod common;

use common::BatchLeaky;
use looptime::export::{Column, ColumnData, Columns, ExportError, NpyStream, SaveNpy, ToCsv};
use looptime::nalgebra::{SMatrix, SVector};
use looptime::{LoopError, LoopOverTime};

type Pop = BatchLeaky<3, 2>;

fn inputs(steps: usize) -> Vec<SMatrix<f64, 3, 2>> {
    (0..steps)
        .map(|k| SMatrix::from_fn(|r, c| r as f64 + 0.5 * c as f64 + 0.01 * k as f64))
        .collect()
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("looptime-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn read_f64(path: &std::path::Path) -> (Vec<u64>, Vec<f64>) {
    let bytes = std::fs::read(path).unwrap();
    let npy = npyz::NpyFile::new(&bytes[..]).unwrap();
    let shape = npy.shape().to_vec();
    (shape, npy.into_vec::<f64>().unwrap())
}

#[test]
fn npy_files_read_back_with_the_same_numbers_and_brainpy_shapes() {
    let mut run = LoopOverTime::new(Pop::new())
        .monitor("x", |m: &Pop| m.x)
        .monitor("x00", |m: &Pop| m.x[(0, 0)])
        .monitor("tau", |m: &Pop| m.tau);
    let h = run
        .run_inputs(&inputs(7))
        .map_err(LoopError::without_history)
        .unwrap();
    let dir = scratch("npy");
    let paths = h.save_npy(&dir).unwrap();
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["t.npy", "output.npy", "x.npy", "x00.npy", "tau.npy"]
    );

    let (shape, t) = read_f64(&dir.join("t.npy"));
    assert_eq!(shape, [7]);
    assert_eq!(t, h.times.clone().unwrap());
    // A 3 × 2 state (3 neurons, batch 2) is (T, B, N) = (7, 2, 3), sample-major like BrainPy.
    let (shape, x) = read_f64(&dir.join("x.npy"));
    assert_eq!(shape, [7, 2, 3]);
    for (k, m) in h.monitors.0.iter().enumerate() {
        for b in 0..2 {
            for n in 0..3 {
                assert_eq!(x[k * 6 + b * 3 + n], m[(n, b)]);
            }
        }
    }
    let (shape, x00) = read_f64(&dir.join("x00.npy"));
    assert_eq!(shape, [7]);
    assert_eq!(x00, h.monitors.1.values);
    let (shape, tau) = read_f64(&dir.join("tau.npy"));
    assert_eq!(shape, [7, 3], "a column vector is (T, N)");
    assert_eq!(&tau[..3], h.monitors.2[0].as_slice());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn flags_and_batch_first_histories_export_too() {
    let sequences: Vec<Vec<SVector<f64, 3>>> = (0..2)
        .map(|b| {
            (0..5)
                .map(|k| SVector::from_element((b + k) as f64))
                .collect()
        })
        .collect();
    let mut run = LoopOverTime::new(Pop::new())
        .monitor("x", |m: &Pop| m.x)
        .monitor("above_one", |m: &Pop| m.x.map(|v| v > 1.0));
    let h = run
        .run_inputs_batch_first(&sequences)
        .map_err(LoopError::without_history)
        .unwrap();
    let columns = h.columns().unwrap();
    let x: &Column = &columns[2];
    assert_eq!(x.shape, [2, 5, 3], "batch-first is (B, T, N)");
    let ColumnData::F64(values) = &x.data else {
        panic!("f64 expected")
    };
    assert_eq!(&values[..3], h.monitors.0.values[0][0].as_slice());
    assert_eq!(&values[15..18], h.monitors.0.values[1][0].as_slice());
    let flags = &columns[3];
    let ColumnData::Bool(flags_data) = &flags.data else {
        panic!("bool expected")
    };
    assert_eq!(flags_data.len(), 30);
    assert!(
        h.to_csv_string().is_err(),
        "batch-first goes to npy, not CSV"
    );
    let dir = scratch("bool");
    h.save_npy(&dir).unwrap();
    let bytes = std::fs::read(dir.join("above_one.npy")).unwrap();
    let npy = npyz::NpyFile::new(&bytes[..]).unwrap();
    assert_eq!(npy.shape(), [2, 5, 3]);
    assert_eq!(&npy.into_vec::<bool>().unwrap(), flags_data);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn csv_has_named_headers_and_round_trips_every_float_exactly() {
    let mut run = LoopOverTime::new(Pop::new())
        .dt(0.3)
        .monitor("x", |m: &Pop| m.x.column(0).into_owned())
        .monitor("spike", |m: &Pop| m.x[(2, 1)] > 2.2);
    let h = run
        .run_inputs(&inputs(6))
        .map_err(LoopError::without_history)
        .unwrap();
    let text = h.to_csv_string().unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let out: Vec<String> = (0..6).map(|k| format!("output[{k}]")).collect();
    assert_eq!(header, format!("t,{},x[0],x[1],x[2],spike", out.join(",")));
    for (k, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells.len(), 1 + 6 + 3 + 1);
        assert_eq!(
            cells[0].parse::<f64>().unwrap(),
            h.times.as_ref().unwrap()[k]
        );
        for n in 0..3 {
            assert_eq!(
                cells[7 + n].parse::<f64>().unwrap(),
                h.monitors.0[k][n],
                "full precision"
            );
        }
        assert_eq!(cells[10], if h.monitors.1[k] { "1" } else { "0" });
    }
    let dir = scratch("csv");
    std::fs::create_dir_all(&dir).unwrap();
    h.save_csv(dir.join("run.csv")).unwrap();
    assert_eq!(std::fs::read_to_string(dir.join("run.csv")).unwrap(), text);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_streamed_monitor_equals_the_recorded_one() {
    let dir = scratch("stream");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("x.npy");
    let mut run = LoopOverTime::new(Pop::new())
        .monitor("x", |m: &Pop| m.x)
        .observe(NpyStream::new(&path, |m: &Pop| m.x).unwrap())
        .observe(
            NpyStream::new(dir.join("x_every_4.npy"), |m: &Pop| m.x)
                .unwrap()
                .every(4),
        );
    let h = run
        .run_inputs(&inputs(10))
        .map_err(LoopError::without_history)
        .unwrap();
    let (full, strided) = run.observers();
    assert!(full.error().is_none() && strided.error().is_none());
    assert_eq!((full.written(), strided.written()), (10, 3));
    let (shape, x) = read_f64(&path);
    assert_eq!(shape, [10, 2, 3]);
    let recorded: Vec<f64> = h
        .monitors
        .0
        .iter()
        .flat_map(|m| (0..2).flat_map(move |b| (0..3).map(move |n| m[(n, b)])))
        .collect();
    assert_eq!(x, recorded);
    let (shape, _) = read_f64(&dir.join("x_every_4.npy"));
    assert_eq!(shape, [3, 2, 3]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_stream_to_a_bad_path_fails_when_it_is_created() {
    let path = scratch("missing-dir").join("nested").join("x.npy");
    let error = NpyStream::new(&path, |m: &Pop| m.x)
        .err()
        .expect("no such directory");
    assert!(matches!(error, ExportError::Io { .. }), "{error:?}");
    assert!(error.to_string().contains("x.npy"), "{error}");
}
