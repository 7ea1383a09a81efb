//! Models written as a user writes them (`benches/support/user_models.rs`, in the README's
//! style) against the zoo's, one step of a population, in f64 and f32, with the default threads
//! and with one (`looptime::parallel::set_enabled(false)`):
//!
//! - `hh_<dtype>_<threads>`: the zoo's `Hh`, a user's HH with the same rate formulas
//!   (`Rates::at`), and one with the textbook's six rates as plain `.exp()` (ten exponentials a
//!   step where the zoo computes seven); 1000 neurons.
//! - `lif_<dtype>_<threads>`: the zoo's `Lif` and a user's; 4000 neurons.
//! - `plain_<dtype>`: FitzHugh–Nagumo and AdEx as models against the same equations as a plain
//!   scalar Rust loop over `Vec`s (f64 only for the plain loops); 4000 neurons.
//!
//! `cargo bench --bench user_models`

// criterion_group! and criterion_main! generate undocumented functions.
#![allow(missing_docs)]

#[path = "support/user_models.rs"]
mod user_models;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use looptime::nalgebra::SVector;
use looptime::neurons::{Hh, Lif};
use looptime::parallel;
use looptime::prelude::*;
use user_models::{AdEx, Fhn, PlainAdEx, PlainFhn, TextbookHh, UserHh, UserLif};

const HH_N: usize = 1000;
const LIF_N: usize = 4000;

/// `name`: `default` (the threads looptime chooses) or `one_thread`.
fn with_threads(default: bool) -> &'static str {
    parallel::set_enabled(default);
    if default { "default" } else { "one_thread" }
}

fn hh<T: Real>(c: &mut Criterion, dtype: &str, default: bool) {
    let threads = with_threads(default);
    let sh = Shared::new(0.1, ());
    let input = SVector::<T, HH_N>::from_element(T::of(10.0));
    let mut zoo = Box::new(Hh::<T, HH_N>::new());
    let mut user = Box::new(UserHh::<T, HH_N>::new());
    let mut textbook = Box::new(TextbookHh::<T, HH_N>::new());
    let mut group = c.benchmark_group(format!("hh_{dtype}_{threads}"));
    group.bench_function("zoo", |b| {
        b.iter(|| black_box(zoo.update_ref(&sh, black_box(&input))))
    });
    group.bench_function("user_rates_at", |b| {
        b.iter(|| black_box(user.update_ref(&sh, black_box(&input))))
    });
    group.bench_function("user_textbook_exp", |b| {
        b.iter(|| black_box(textbook.update_ref(&sh, black_box(&input))))
    });
    group.finish();
    parallel::set_enabled(true);
}

fn lif<T: Real>(c: &mut Criterion, dtype: &str, default: bool) {
    let threads = with_threads(default);
    let input = SVector::<T, LIF_N>::from_element(T::of(25.0));
    let mut zoo = Box::new(
        Lif::<T, LIF_N>::builder()
            .tau_ref(T::of(2.0))
            .build()
            .unwrap(),
    );
    let mut user = Box::new(
        UserLif::<T, LIF_N>::builder()
            .tau_ref(T::of(2.0))
            .build()
            .unwrap(),
    );
    let mut group = c.benchmark_group(format!("lif_{dtype}_{threads}"));
    let mut k = 0;
    group.bench_function("zoo", |b| {
        b.iter(|| {
            k += 1;
            let sh = Shared::at(k as f64 * 0.1, k, 0.1, ());
            black_box(zoo.update_ref(&sh, black_box(&input)))
        })
    });
    let mut k = 0;
    group.bench_function("user", |b| {
        b.iter(|| {
            k += 1;
            let sh = Shared::at(k as f64 * 0.1, k, 0.1, ());
            black_box(user.update_ref(&sh, black_box(&input)))
        })
    });
    group.finish();
    parallel::set_enabled(true);
}

fn plain(c: &mut Criterion) {
    let sh = Shared::new(0.1, ());
    let input: Vec<f64> = (0..LIF_N).map(|k| 600.0 + (k % 50) as f64).collect();
    let as_vector = SVector::<f64, LIF_N>::from_column_slice(&input);
    let mut group = c.benchmark_group("plain_f64");
    let mut fhn = Box::new(Fhn::<f64, LIF_N>::new());
    let mut plain_fhn = PlainFhn::new(LIF_N);
    let mut out = vec![0.0; LIF_N];
    group.bench_function("fhn_model", |b| {
        b.iter(|| black_box(fhn.update_ref(&sh, black_box(&as_vector))))
    });
    group.bench_function("fhn_plain_loop", |b| {
        b.iter(|| plain_fhn.step(0.1, black_box(&input), black_box(&mut out)))
    });
    let mut adex = Box::new(AdEx::<f64, LIF_N>::new());
    let mut plain_adex = PlainAdEx::new(LIF_N);
    let mut spikes = vec![false; LIF_N];
    group.bench_function("adex_model", |b| {
        b.iter(|| black_box(adex.update_ref(&sh, black_box(&as_vector))))
    });
    group.bench_function("adex_plain_loop", |b| {
        b.iter(|| plain_adex.step(0.1, black_box(&input), black_box(&mut spikes)))
    });
    group.finish();
}

fn all(c: &mut Criterion) {
    for default in [true, false] {
        hh::<f64>(c, "f64", default);
        hh::<f32>(c, "f32", default);
        lif::<f64>(c, "f64", default);
        lif::<f32>(c, "f32", default);
    }
    plain(c);
}

criterion_group!(benches, all);
criterion_main!(benches);
