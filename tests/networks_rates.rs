//! The three benchmarks with their own connectivity (`FixedProb(0.02)`, seeded) fire at the
//! rates BrainPy and Brian2 give for them (E neurons; peers measured with `benches/peers/`):
//!
//! | benchmark | BrainPy 2.8.2 | Brian2 2.9 | window tested over 1 s |
//! | --- | --- | --- | --- |
//! | COBA | 19–22 Hz | 20–21 Hz | 15–25 Hz (the issue's) |
//! | CUBA | 5.7 Hz | 5.8 Hz | 4–8 Hz |
//! | COBAHH | 38.6 Hz | 37.4 Hz | 30–45 Hz |
//!
//! One second is 10 000 steps, slow in an unoptimized build: those tests are `#[ignore]`d (run
//! them with `cargo test --release --test networks_rates -- --ignored`, a few seconds). The first
//! 200 ms of COBA and CUBA and the first 100 ms of COBAHH (whose unoptimized HH step is slow),
//! in the same windows, run always: the networks settle within a few tens of ms. (A smaller
//! network is no shortcut: at scale 0.25 the weights are 4 times larger and the rates others.)

mod network_support;

use looptime::networks::cli::{self, Options};
use looptime::networks::{CobaHhKind, CobaKind, CubaKind, EiKind};
use network_support::on_large_stack;

/// E's rate over `steps` steps of `K` at scale 1, for each of `seeds` seeds.
fn e_rates<K: EiKind>(steps: usize, seeds: u64) -> Vec<f64> {
    on_large_stack(move || {
        (0..seeds)
            .map(|seed| {
                let options = Options {
                    steps,
                    seed,
                    ..Options::default()
                };
                cli::run::<K>(&options).unwrap().e_rate_hz()
            })
            .collect()
    })
}

fn assert_within(rates: &[f64], low: f64, high: f64, name: &str) {
    for &rate in rates {
        assert!((low..=high).contains(&rate), "{name}: E fires at {rate} Hz");
    }
}

#[test]
fn coba_fires_at_15_to_25_hz_in_its_first_200_ms() {
    assert_within(&e_rates::<CobaKind>(2000, 2), 15.0, 25.0, "COBA");
}

#[test]
fn cuba_fires_at_brainpys_and_brian2s_rate_in_its_first_200_ms() {
    assert_within(&e_rates::<CubaKind>(2000, 2), 4.0, 8.0, "CUBA");
}

#[test]
fn cobahh_fires_at_brainpys_and_brian2s_rate_in_its_first_100_ms() {
    assert_within(&e_rates::<CobaHhKind>(1000, 1), 30.0, 45.0, "COBAHH");
}

#[test]
#[ignore = "10 000 steps: run in release"]
fn coba_fires_at_15_to_25_hz_over_1_s() {
    assert_within(&e_rates::<CobaKind>(10_000, 2), 15.0, 25.0, "COBA");
}

#[test]
#[ignore = "10 000 steps: run in release"]
fn cuba_fires_at_brainpys_and_brian2s_rate_over_1_s() {
    assert_within(&e_rates::<CubaKind>(10_000, 2), 4.0, 8.0, "CUBA");
}

#[test]
#[ignore = "10 000 steps: run in release"]
fn cobahh_fires_at_brainpys_and_brian2s_rate_over_1_s() {
    assert_within(&e_rates::<CobaHhKind>(10_000, 2), 30.0, 45.0, "COBAHH");
}
