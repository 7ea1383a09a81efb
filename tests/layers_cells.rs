//! GRU, LSTM and RNN cells follow docs/MODELS.md's formulas exactly: each is checked against a direct
//! computation written here in BrainPy's own layout (rows are samples, `x Wi` with `Wi` of shape
//! `(n_in, k·n_out)`, gates split by columns, LSTM's state `[h, c]` in one row), with nalgebra's
//! `DMatrix` and none of the layer code.

use looptime::layers::{Activation, BrainPyArray, GruCell, LstmCell, RnnCell};
use looptime::nalgebra::{DMatrix, SMatrix};
use looptime::prelude::*;

const IN: usize = 5;
const OUT: usize = 4;
const B: usize = 3;
const STEPS: usize = 12;
const TOLERANCE: f64 = 1e-13;

/// A BrainPy array with deterministic, irregular values of order `scale`.
fn array(name: &str, shape: &[usize], seed: f64, scale: f64) -> BrainPyArray {
    let n: usize = shape.iter().product();
    let data = (0..n)
        .map(|k| scale * ((k as f64 + 1.0) * 0.618_034 + seed).sin())
        .collect();
    BrainPyArray::new(name, shape.to_vec(), data).unwrap()
}

/// Row-major `(rows, cols)` BrainPy array as a matrix of the same shape.
fn matrix(a: &BrainPyArray) -> DMatrix<f64> {
    let cols = if a.shape().len() == 2 {
        a.shape()[1]
    } else {
        a.shape()[0]
    };
    let rows = if a.shape().len() == 2 {
        a.shape()[0]
    } else {
        1
    };
    DMatrix::from_row_slice(rows, cols, a.data())
}

/// Input of step `t`: `(B, IN)` rows for the reference, `IN × B` columns for the cell.
fn input(t: usize) -> (DMatrix<f64>, SMatrix<f64, IN, B>) {
    let rows = DMatrix::from_fn(B, IN, |b, i| {
        (1.3 * (t as f64) + 0.7 * (b as f64) - 0.45 * (i as f64)).cos() * 1.5
    });
    let columns = SMatrix::from_fn(|i, b| rows[(b, i)]);
    (rows, columns)
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// `m` plus the row `b` added to every row.
fn plus_row(m: &DMatrix<f64>, b: &DMatrix<f64>) -> DMatrix<f64> {
    DMatrix::from_fn(m.nrows(), m.ncols(), |r, c| m[(r, c)] + b[(0, c)])
}

/// Columns `from .. from + n` of `m`.
fn cols(m: &DMatrix<f64>, from: usize, n: usize) -> DMatrix<f64> {
    m.columns(from, n).into_owned()
}

/// The cell's `OUT × B` output against the reference's `(B, OUT)` rows.
fn assert_close(ours: &SMatrix<f64, OUT, B>, theirs: &DMatrix<f64>, what: &str) {
    assert_eq!(theirs.shape(), (B, OUT));
    for b in 0..B {
        for j in 0..OUT {
            let (x, y) = (ours[(j, b)], theirs[(b, j)]);
            assert!(
                (x - y).abs() <= TOLERANCE,
                "{what}: unit {j}, sample {b}: {x} vs {y}"
            );
        }
    }
}

#[test]
fn gru_follows_the_formula() {
    let wi = array("Wi", &[IN, 3 * OUT], 0.1, 0.6);
    let wh = array("Wh", &[OUT, 3 * OUT], 1.7, 0.5);
    let b = array("b", &[3 * OUT], 2.9, 0.3);
    let mut cell = GruCell::<f64, IN, OUT, B>::from_brainpy(&wi, &wh, &b).unwrap();
    let (wi, wh, b) = (matrix(&wi), matrix(&wh), matrix(&b));
    let n = OUT;

    let mut h = DMatrix::<f64>::zeros(B, n);
    let sh = Shared::default();
    for t in 0..STEPS {
        let (x_rows, x_cols) = input(t);
        // docs/MODELS.md: split x Wi into [zr_x (2 n_out), a_x]; Wh into [Wh_zr, Wh_a]; b into
        // [b_zr, b_a]; z, r = split(sigmoid(zr_x + h Wh_zr + b_zr));
        // a = act(a_x + (r * h) Wh_a + b_a); h = (1 - z) * h + z * a.
        let gates_x = &x_rows * &wi;
        let (zr_x, a_x) = (cols(&gates_x, 0, 2 * n), cols(&gates_x, 2 * n, n));
        let (wh_zr, wh_a) = (cols(&wh, 0, 2 * n), cols(&wh, 2 * n, n));
        let (b_zr, b_a) = (cols(&b, 0, 2 * n), cols(&b, 2 * n, n));
        let zr = plus_row(&(zr_x + &h * wh_zr), &b_zr).map(sigmoid);
        let (z, r) = (cols(&zr, 0, n), cols(&zr, n, n));
        let a = plus_row(&(a_x + r.component_mul(&h) * wh_a), &b_a).map(f64::tanh);
        h = (z.map(|z| 1.0 - z)).component_mul(&h) + z.component_mul(&a);

        let y = cell.update(&sh, x_cols);
        assert_close(&y, &h, &format!("GRU step {t}"));
        assert_close(&cell.state, &h, &format!("GRU state, step {t}"));
    }
}

#[test]
fn lstm_follows_the_formula() {
    let wi = array("Wi", &[IN, 4 * OUT], 0.4, 0.6);
    let wh = array("Wh", &[OUT, 4 * OUT], 2.2, 0.5);
    let b = array("b", &[4 * OUT], 3.3, 0.4);
    let mut cell = LstmCell::<f64, IN, OUT, B>::from_brainpy(&wi, &wh, &b).unwrap();
    let (wi, wh, b) = (matrix(&wi), matrix(&wh), matrix(&b));
    let n = OUT;

    // BrainPy keeps [h, c] as one state of width 2 n_out.
    let mut state = DMatrix::<f64>::zeros(B, 2 * n);
    let sh = Shared::default();
    for t in 0..STEPS {
        let (x_rows, x_cols) = input(t);
        let (h, c) = (cols(&state, 0, n), cols(&state, n, n));
        // docs/MODELS.md: i, g, f, o = split(x Wi + b + h Wh);
        // c = sigmoid(f + 1) * c + sigmoid(i) * act(g); h = sigmoid(o) * act(c).
        let gated = plus_row(&(&x_rows * &wi), &b) + &h * &wh;
        let (i, g, f, o) = (
            cols(&gated, 0, n),
            cols(&gated, n, n),
            cols(&gated, 2 * n, n),
            cols(&gated, 3 * n, n),
        );
        let c = f.map(|f| sigmoid(f + 1.0)).component_mul(&c)
            + i.map(sigmoid).component_mul(&g.map(f64::tanh));
        let h = o.map(sigmoid).component_mul(&c.map(f64::tanh));
        state.columns_mut(0, n).copy_from(&h);
        state.columns_mut(n, n).copy_from(&c);

        let y = cell.update(&sh, x_cols);
        assert_close(&y, &h, &format!("LSTM output, step {t}"));
        assert_close(&cell.h, &h, &format!("LSTM h, step {t}"));
        assert_close(&cell.c, &c, &format!("LSTM c, step {t}"));
    }
}

#[test]
fn rnn_follows_the_formula_with_any_activation() {
    let wi = array("Wi", &[IN, OUT], 0.9, 0.7);
    let wh = array("Wh", &[OUT, OUT], 1.1, 0.6);
    let b = array("b", &[OUT], 0.2, 0.3);
    for (activation, f) in [
        (Activation::Relu, (|x: f64| x.max(0.0)) as fn(f64) -> f64),
        (Activation::Tanh, f64::tanh),
        (Activation::Identity, |x| x),
    ] {
        let mut cell = RnnCell::<f64, IN, OUT, B>::from_brainpy(&wi, &wh, &b)
            .unwrap()
            .with_activation(activation);
        let (wi, wh, b) = (matrix(&wi), matrix(&wh), matrix(&b));
        let mut h = DMatrix::<f64>::zeros(B, OUT);
        let sh = Shared::default();
        for t in 0..STEPS {
            let (x_rows, x_cols) = input(t);
            // docs/MODELS.md: h = act(x Wi + h Wh + b).
            h = plus_row(&(&x_rows * &wi + &h * &wh), &b).map(f);
            let y = cell.update(&sh, x_cols);
            assert_close(&y, &h, &format!("RNN ({activation:?}) step {t}"));
        }
    }
}

#[test]
fn cells_default_to_brainpys_activations_and_start_at_zero() {
    let wi = array("Wi", &[IN, 3 * OUT], 0.1, 0.6);
    let wh = array("Wh", &[OUT, 3 * OUT], 1.7, 0.5);
    let b = array("b", &[3 * OUT], 2.9, 0.3);
    let gru = GruCell::<f64, IN, OUT, B>::from_brainpy(&wi, &wh, &b).unwrap();
    assert_eq!(gru.activation, Activation::Tanh);
    assert_eq!(gru.state, SMatrix::<f64, OUT, B>::zeros());
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(1);
    let rnn = RnnCell::<f64, IN, OUT, B>::new(&mut rng);
    assert_eq!(rnn.activation, Activation::Relu);
    let lstm = LstmCell::<f64, IN, OUT, B>::new(&mut rng);
    assert_eq!(lstm.activation, Activation::Tanh);
    assert_eq!(lstm.h, SMatrix::<f64, OUT, B>::zeros());
    assert_eq!(lstm.c, SMatrix::<f64, OUT, B>::zeros());
    assert_eq!(
        <LstmCell<f64, IN, OUT, B> as States>::STATE_NAMES,
        ["h", "c"]
    );
    assert_eq!(<GruCell<f64, IN, OUT, B> as States>::STATE_NAMES, ["state"]);
}

#[test]
fn f32_cells_follow_the_f64_ones_to_single_precision() {
    let wi = array("Wi", &[IN, 4 * OUT], 0.4, 0.6);
    let wh = array("Wh", &[OUT, 4 * OUT], 2.2, 0.5);
    let b = array("b", &[4 * OUT], 3.3, 0.4);
    let mut single = LstmCell::<f32, IN, OUT, B>::from_brainpy(&wi, &wh, &b).unwrap();
    let mut double = LstmCell::<f64, IN, OUT, B>::from_brainpy(&wi, &wh, &b).unwrap();
    let sh = Shared::default();
    for t in 0..STEPS {
        let (_, x) = input(t);
        let y32 = single.update(&sh, x.map(|v| v as f32));
        let y64 = double.update(&sh, x);
        for (a, b) in y32.iter().zip(y64.iter()) {
            assert!((f64::from(*a) - b).abs() < 1e-5, "step {t}: {a} vs {b}");
        }
    }
}
