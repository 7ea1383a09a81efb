//! Shared by the property tests: the number of cases, small by default so that `cargo test`
//! stays fast in debug builds, larger with `LOOPTIME_PROPTEST_CASES=<n>`.
#![allow(dead_code)]

use proptest::test_runner::Config;

/// The variable that sets the number of cases of every property test.
pub const CASES_VAR: &str = "LOOPTIME_PROPTEST_CASES";

/// A proptest configuration with `default` cases, or the number in `LOOPTIME_PROPTEST_CASES`.
pub fn config(default: u32) -> Config {
    let cases = std::env::var(CASES_VAR)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        // Shrinking re-runs long simulations; the failing case is printed as found.
        max_shrink_iters: 32,
        ..Config::default()
    }
}
