//! One training step of the seed's network: the loss and its gradient with respect to every
//! weight, through 30 steps of `Sequential(RNNCell(100, 20), relu, RNNCell(20, 2))` at batch
//! 128 — forward (recording the tape), softmax cross-entropy over every step, backward. The same
//! workload as `benches/peers/brainpy_train_step.py` (JAX's `grad` through BrainPy's
//! `LoopOverTime`), in f32 and f64; inputs and labels are built before timing. Each precision
//! twice, side by side: `rnn_seed_*` with two `DataParallel` replicas of 64 samples (the form
//! `examples/workloads.rs --only train_step` times), `rnn_seed_*_one_model` with one model and
//! one `Bptt` over the 128 samples.
//!
//! `cargo bench --bench train_step` (`LOOPTIME_SIMD=avx2 cargo bench …` caps the vector
//! instructions at a level: `baseline`, `avx2` or `avx512`).

// criterion_group! generates an undocumented function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use looptime::Real;
use looptime::nalgebra::SMatrix;
use looptime::simd;
use looptime::train::loss::softmax_cross_entropy;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

#[path = "support/seed_training_step.rs"]
mod seed_training_step;
use seed_training_step::{B, T, seed_training_step, seed_training_step_one_model};

fn bench_scalar<F: Real>(c: &mut Criterion, name: &str, mut step: impl FnMut() -> F) {
    let before = looptime::parallel::stats();
    c.bench_function(name, |b| b.iter(&mut step));
    let stats = looptime::parallel::stats().since(before);
    eprintln!(
        "{name}: {:.0}% of the split sites' steps split; helper pieces: {} run by a helper, {} taken back",
        stats.split_fraction() * 100.0,
        stats.helper_pieces,
        stats.caller_pieces
    );
}

/// The loss alone, as a training step of the seed's network computes it: softmax cross-entropy
/// of 30 outputs of 2 classes × 128 samples, with its gradient.
fn bench_loss(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let ys: Vec<SMatrix<f64, 2, B>> = (0..T)
        .map(|_| SMatrix::from_fn(|_, _| StandardNormal.sample(&mut rng)))
        .collect();
    let labels: Vec<[usize; B]> = (0..T)
        .map(|_| std::array::from_fn(|_| rng.random_range(0..2)))
        .collect();
    let mut dys = vec![SMatrix::<f64, 2, B>::zeros(); T];
    c.bench_function("train_step/softmax_cross_entropy_seed_f64", |b| {
        b.iter(|| softmax_cross_entropy(&ys, &labels, &mut dys).expect("a finite loss"))
    });
}

fn train_step(c: &mut Criterion) {
    if let Ok(name) = std::env::var("LOOPTIME_SIMD") {
        let level = simd::Level::from_name(&name)
            .unwrap_or_else(|| panic!("LOOPTIME_SIMD: `{name}` is not baseline, avx2 or avx512"));
        simd::set_cap(Some(level));
    }
    eprintln!("simd level: {}", simd::level().name());
    bench_scalar(c, "train_step/rnn_seed_f32", seed_training_step::<f32>());
    bench_scalar(
        c,
        "train_step/rnn_seed_f32_one_model",
        seed_training_step_one_model::<f32>(),
    );
    bench_scalar(c, "train_step/rnn_seed_f64", seed_training_step::<f64>());
    bench_scalar(
        c,
        "train_step/rnn_seed_f64_one_model",
        seed_training_step_one_model::<f64>(),
    );
    bench_loss(c);
}

criterion_group!(benches, train_step);
criterion_main!(benches);
