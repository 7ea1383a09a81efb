//! One training step of the seed's network, built once and then called again and again: the
//! loss and its gradient with respect to every weight, through 30 steps of
//! `Sequential(RNNCell(100, 20), relu, RNNCell(20, 2))` at batch 128 — forward (recording the
//! tape), softmax cross-entropy over every step, backward. The workload of
//! `benches/peers/brainpy_train_step.py` (JAX's `grad` through BrainPy's `LoopOverTime`).
//! Shared by `benches/train_step.rs` (criterion) and `examples/workloads.rs` (`--only
//! train_step`: the median of single calls, as the peer script times JAX).

#![allow(dead_code)]

use looptime::Real;
use looptime::layers::{Relu, RnnCell};
use looptime::nalgebra::SMatrix;
use looptime::sequential;
use looptime::train::Bptt;
use looptime::train::loss::softmax_cross_entropy;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// Steps of a sequence.
pub const T: usize = 30;
/// Samples of a batch.
pub const B: usize = 128;

/// A training step of the seed's network in `F`: the model (seeded Xavier-normal weights), 30
/// inputs of standard normal values and 30 steps of labels, all built here from seed 0, and a
/// `Bptt` sized for them. Each call computes the gradient and returns the loss.
pub fn seed_training_step<F: Real>() -> impl FnMut() -> F {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let mut model = sequential! {
        l1: RnnCell::<F, 100, 20, B>::new(&mut rng),
        l2: Relu,
        l3: RnnCell::<F, 20, 2, B>::new(&mut rng),
    };
    let xs: Vec<SMatrix<F, 100, B>> = (0..T)
        .map(|_| SMatrix::from_fn(|_, _| F::of(StandardNormal.sample(&mut rng))))
        .collect();
    let labels: Vec<[usize; B]> = (0..T)
        .map(|_| std::array::from_fn(|_| rng.random_range(0..2)))
        .collect();
    let mut bptt = Bptt::new(T);
    move || {
        bptt.gradient(&mut model, &xs, |ys, dys| {
            softmax_cross_entropy(ys, &labels, dys)
        })
        .expect("a finite loss")
    }
}
