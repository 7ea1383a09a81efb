//! Shared by the neuron tests: reading a reference trace (`tests/reference/*.csv`, BrainPy's
//! output: a `# {json}` line, a header, one row per step) and comparing a run with it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A trace: named columns of numbers, one row per step.
#[derive(Debug)]
pub struct Trace {
    /// The `# {json}` line describing the run, without the `# `.
    pub meta: String,
    /// Column names, as in the header.
    pub columns: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<f64>>,
}

impl Trace {
    /// The column called `name`, all rows.
    pub fn column(&self, name: &str) -> Vec<f64> {
        let j = self
            .columns
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no column `{name}` in {:?}", self.columns));
        self.rows.iter().map(|r| r[j]).collect()
    }

    /// Steps at which column `spike` is 1.
    pub fn spike_steps(&self) -> Vec<usize> {
        spike_steps(&self.column("spike"))
    }
}

/// Indices of the nonzero values.
pub fn spike_steps(flags: &[f64]) -> Vec<usize> {
    flags
        .iter()
        .enumerate()
        .filter(|(_, s)| **s != 0.0)
        .map(|(k, _)| k)
        .collect()
}

/// `tests/reference/<name>`, from the package root (works on a clean clone).
pub fn reference_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("reference")
        .join(name)
}

/// Reads a reference trace by file name.
pub fn reference(name: &str) -> Trace {
    read_trace(&reference_path(name))
}

/// Reads a trace: an optional `# …` line, a header, then rows of numbers.
pub fn read_trace(path: &Path) -> Trace {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut lines = text.lines();
    let mut first = lines.next().expect("an empty trace");
    let mut meta = String::new();
    if let Some(rest) = first.strip_prefix("# ") {
        meta = rest.to_string();
        first = lines.next().expect("a trace without a header");
    }
    let columns: Vec<String> = first.split(',').map(str::to_string).collect();
    let rows: Vec<Vec<f64>> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.split(',')
                .map(|x| {
                    x.parse()
                        .unwrap_or_else(|e| panic!("bad number `{x}` in {}: {e}", path.display()))
                })
                .collect()
        })
        .collect();
    assert!(
        rows.iter().all(|r| r.len() == columns.len()),
        "ragged rows in {}",
        path.display()
    );
    Trace {
        meta,
        columns,
        rows,
    }
}

/// The largest |a - b| and the first step where it occurs.
pub fn max_abs_diff(a: &[f64], b: &[f64]) -> (f64, usize) {
    assert_eq!(a.len(), b.len(), "traces of different lengths");
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .enumerate()
        .fold(
            (0.0, 0),
            |(m, at), (k, d)| {
                if d > m || d.is_nan() { (d, k) } else { (m, at) }
            },
        )
}

/// Asserts that `ours` is within `tol` of the reference column `name`, and says by how much.
pub fn assert_close(trace: &str, name: &str, ours: &[f64], reference: &[f64], tol: f64) -> f64 {
    let (diff, at) = max_abs_diff(ours, reference);
    eprintln!("{trace}: max |Δ{name}| = {diff:e} (step {at})");
    assert!(
        diff <= tol,
        "{trace}: column {name} differs by {diff} at step {at} (ours {}, reference {}); tolerance {tol}",
        ours[at],
        reference[at]
    );
    diff
}
