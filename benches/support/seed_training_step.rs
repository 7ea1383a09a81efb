//! One training step of the seed's network, built once and then called again and again: the
//! loss and its gradient with respect to every weight, through 30 steps of
//! `Sequential(RNNCell(100, 20), relu, RNNCell(20, 2))` at batch 128 — forward (recording the
//! tape), softmax cross-entropy over every step, backward. The workload of
//! `benches/peers/brainpy_train_step.py` (JAX's `grad` through BrainPy's `LoopOverTime`).
//! Shared by `benches/train_step.rs` (criterion) and `examples/workloads.rs` (`--only
//! train_step`: the median of single calls, as the peer script times JAX).
//!
//! Two forms of the same step (the same weights, inputs and labels; the same loss and gradient
//! up to the rounding of the order of additions): [`seed_training_step`], as a user trains on a
//! machine of several cores, with two `DataParallel` replicas of 64 samples each (one per core
//! when a core is free); and [`seed_training_step_one_model`], one model and one `Bptt` over the
//! 128 samples.

#![allow(dead_code)]

use looptime::layers::{Relu, RnnCell};
use looptime::nalgebra::SMatrix;
use looptime::train::loss::softmax_cross_entropy;
use looptime::train::{Bptt, DataParallel};
use looptime::{Real, sequential, split_columns, split_samples};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// Steps of a sequence.
pub const T: usize = 30;
/// Samples of a batch.
pub const B: usize = 128;
/// Replicas of [`seed_training_step`].
pub const REPLICAS: usize = 2;
/// Samples of a replica's part of the batch.
const H: usize = B / REPLICAS;

/// The seed's network in `$f` at batch `$b`, BrainPy's initializers drawing from `$rng` (the
/// same weights at every batch).
macro_rules! network {
    ($f:ty, $b:expr, $rng:expr) => {
        sequential! {
            l1: RnnCell::<$f, 100, 20, { $b }>::new($rng),
            l2: Relu,
            l3: RnnCell::<$f, 20, 2, { $b }>::new($rng),
        }
    };
}

/// 30 inputs of standard normal values and 30 steps of labels, from seed 1.
#[allow(clippy::type_complexity)]
fn data<F: Real>() -> (Vec<SMatrix<F, 100, B>>, Vec<[usize; B]>) {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let xs = (0..T)
        .map(|_| SMatrix::from_fn(|_, _| F::of(StandardNormal.sample(&mut rng))))
        .collect();
    let labels = (0..T)
        .map(|_| std::array::from_fn(|_| rng.random_range(0..2)))
        .collect();
    (xs, labels)
}

/// A training step of the seed's network in `F` (Xavier-normal weights from seed 0), computed
/// by two [`DataParallel`] replicas of 64 samples each. Each call computes the gradient and
/// returns the loss.
pub fn seed_training_step<F: Real>() -> impl FnMut() -> F {
    let models: [_; REPLICAS] =
        std::array::from_fn(|_| network!(F, H, &mut ChaCha8Rng::seed_from_u64(0)));
    let mut replicas = DataParallel::new(models, T);
    let (xs, labels) = data::<F>();
    let mut part_xs: [Vec<SMatrix<F, 100, H>>; REPLICAS] = Default::default();
    let mut part_labels: [Vec<[usize; H]>; REPLICAS] = Default::default();
    for (x, l) in xs.iter().zip(&labels) {
        let x = split_columns::<_, 100, B, H, REPLICAS>(x);
        let l = split_samples::<_, B, H, REPLICAS>(l);
        for k in 0..REPLICAS {
            part_xs[k].push(x[k]);
            part_labels[k].push(l[k]);
        }
    }
    move || {
        let xs = std::array::from_fn(|k| &part_xs[k][..]);
        replicas
            .gradient(xs, |k, ys, dys| {
                softmax_cross_entropy(ys, &part_labels[k], dys)
            })
            .expect("a finite loss")
    }
}

/// The same training step computed by one model over the 128 samples, with one [`Bptt`].
pub fn seed_training_step_one_model<F: Real>() -> impl FnMut() -> F {
    let mut model = network!(F, B, &mut ChaCha8Rng::seed_from_u64(0));
    let (xs, labels) = data::<F>();
    let mut bptt = Bptt::new(T);
    move || {
        bptt.gradient(&mut model, &xs, |ys, dys| {
            softmax_cross_entropy(ys, &labels, dys)
        })
        .expect("a finite loss")
    }
}
