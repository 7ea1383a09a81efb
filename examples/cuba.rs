//! CUBA (Brette et al. 2007, benchmark 2) with Brian2's parameters: 3200 E + 800 I LIF neurons,
//! 2% random connectivity, current-based exponential synapses, no external input.
//!
//! ```sh
//! cargo run --release --example cuba -- [--from-brainpy DIR] [--steps N] [--input I]
//!     [--dtype f64|f32] [--seed K] [--scale S] [--out FILE.csv] [--bench]
//! ```
//!
//! The options are `looptime::networks::cli`'s (its docs say what each does).

use std::process::ExitCode;

use looptime::networks::CubaKind;
use looptime::networks::cli;

fn main() -> ExitCode {
    cli::main::<CubaKind>()
}
