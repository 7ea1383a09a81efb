//! The four reference workloads of `benches/peers/brainpy_bench.py` under criterion, in f64 and
//! f32: one HH neuron (1000 steps, monitoring V), 1000 HH neurons and 4000 LIF neurons (10 000
//! steps, monitoring spikes), and the seed's RNN (batch 128, 30 steps, monitoring `l1.state`,
//! reset before each run). Inputs are built before timing, as in the peer script and in
//! `examples/workloads.rs`, which prints the medians that `benches/peers/compare.py` sets against
//! BrainPy's.
//!
//! `cargo bench --bench workloads`

// criterion_group! and criterion_main! generate undocumented functions.
#![allow(missing_docs)]

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use looptime::layers::{Relu, RnnCell};
use looptime::nalgebra::SMatrix;
use looptime::neurons::{Hh, Lif};
use looptime::prelude::*;
use looptime::sequential;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn workloads<T: Real>(c: &mut Criterion, dtype: &str) {
    let mut group = c.benchmark_group(format!("workloads_{dtype}"));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));

    let mut hh = LoopOverTime::new(Hh::<T, 1>::new()).select(Hh::<T, 1>::probe_v());
    let x_hh = vec![SMatrix::<T, 1, 1>::from_element(T::of(5.0)); 1000];
    group.bench_function("hh_single", |b| b.iter(|| hh.run_inputs(&x_hh).unwrap()));

    let mut pop = LoopOverTime::new(Hh::<T, 1000>::new()).select(Hh::<T, 1000>::probe_spike());
    let x_pop = vec![SMatrix::<T, 1000, 1>::from_element(T::of(10.0)); 10_000];
    group.bench_function("hh_population", |b| {
        b.iter(|| pop.run_inputs(&x_pop).unwrap())
    });
    drop((pop, x_pop));

    let mut lif = LoopOverTime::new(Lif::<T, 4000>::new()).select(Lif::<T, 4000>::probe_spike());
    let x_lif = vec![SMatrix::<T, 4000, 1>::from_element(T::of(25.0)); 10_000];
    group.bench_function("lif_population", |b| {
        b.iter(|| lif.run_inputs(&x_lif).unwrap())
    });
    drop((lif, x_lif));

    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let model = sequential! {
        l1: RnnCell::<T, 100, 20, 128>::new(&mut rng),
        l2: Relu,
        l3: RnnCell::<T, 20, 2, 128>::new(&mut rng),
    };
    let mut rnn = LoopOverTime::new(model).monitor("l1.state", |m| m.l1.state);
    let x_rnn: Vec<SMatrix<T, 100, 128>> = (0..30)
        .map(|_| SMatrix::from_fn(|_, _| T::of(rng.random::<f64>())))
        .collect();
    group.bench_function("rnn_seed", |b| {
        b.iter(|| {
            rnn.reset_state();
            rnn.run_inputs(&x_rnn).unwrap()
        })
    });
    group.finish();
}

fn all(c: &mut Criterion) {
    workloads::<f64>(c, "f64");
    workloads::<f32>(c, "f32");
}

criterion_group!(benches, all);
criterion_main!(benches);
