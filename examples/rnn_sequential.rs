//! The seed's recurrent-network example: `Sequential(l1=RNNCell(100, 20), l2=relu,
//! l3=RNNCell(20, 2))` at batch 128, run over 30 time-first steps with l1's state monitored.
//!
//! First with seeded Xavier-normal weights and random inputs (the shapes), then with BrainPy's own
//! weights and inputs from `tests/reference/rnn_seed` (the numbers, against BrainPy's outputs).
//!
//! `cargo run --release --example rnn_sequential`

use looptime::layers::{BrainPyArray, Relu, RnnCell, read_npy};
use looptime::nalgebra::SMatrix;
use looptime::prelude::*;
use looptime::sequential;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

const T: usize = 30;
const B: usize = 128;

type Input = SMatrix<f64, 100, B>;

fn load<const I: usize, const O: usize>(
    dir: &str,
    layer: &str,
) -> Result<RnnCell<f64, I, O, B>, looptime::layers::WeightError> {
    RnnCell::load_npy(
        format!("{dir}/{layer}_Wi.npy"),
        format!("{dir}/{layer}_Wh.npy"),
        format!("{dir}/{layer}_b.npy"),
    )
}

/// A `(T, B, N)` C-order array as T matrices `N × B` (each step is one column-major slice).
fn steps<const N: usize>(a: &BrainPyArray) -> Vec<SMatrix<f64, N, B>> {
    a.data()
        .chunks_exact(N * B)
        .map(SMatrix::from_column_slice)
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Seeded weights (BrainPy's defaults: Xavier normal, zero bias), random inputs.
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    let model = sequential! {
        l1: RnnCell::<f64, 100, 20, B>::new(&mut rng),
        l2: Relu,
        l3: RnnCell::<f64, 20, 2, B>::new(&mut rng),
    };
    let xs: Vec<Input> = (0..T)
        .map(|_| Input::from_fn(|_, _| StandardNormal.sample(&mut rng)))
        .collect();
    // As the seed: first the outputs alone, then again monitoring l1's state.
    let shape = |m: &SMatrix<f64, 2, B>| (m.ncols(), m.nrows());
    let mut run = LoopOverTime::new(model);
    let history = run.run_inputs(&xs).map_err(LoopError::without_history)?;
    let (b, n) = shape(&history.outputs[0]);
    println!("({}, {b}, {n})", history.outputs.len());

    run.reset_state();
    let mut run = LoopOverTime::new(run.into_target()).monitor("l1.state", |m| m.l1.state);
    let history = run.run_inputs(&xs).map_err(LoopError::without_history)?;
    let (l1,) = &history.monitors;
    println!("({}, {}, {})", l1.len(), l1[0].ncols(), l1[0].nrows());

    // 2. BrainPy's weights and inputs: the same model gives BrainPy's numbers.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/rnn_seed");
    let model = sequential! {
        l1: load::<100, 20>(dir, "l1")?,
        l2: Relu,
        l3: load::<20, 2>(dir, "l3")?,
    };
    let xs = steps::<100>(&read_npy(format!("{dir}/x.npy"))?);
    let expected = steps::<2>(&read_npy(format!("{dir}/out.npy"))?);
    let history = LoopOverTime::new(model)
        .run_inputs(&xs)
        .map_err(LoopError::without_history)?;
    let error = history
        .outputs
        .iter()
        .zip(&expected)
        .map(|(a, b)| (a - b).abs().max())
        .fold(0.0, f64::max);
    println!("max |ours - BrainPy| over the (30, 128, 2) outputs: {error:e}");
    Ok(())
}
