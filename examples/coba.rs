//! COBA (Brette et al. 2007, benchmark 1) with BrainPy's parameters: 3200 E + 800 I LIF neurons,
//! 2% random connectivity, conductance-based exponential synapses. With `--from-brainpy
//! tests/reference/coba_seed1 --steps 1000 --out s.csv` it fires BrainPy's spike trains, every
//! step and every neuron (`tests/networks_cli.rs`).
//!
//! ```sh
//! cargo run --release --example coba -- [--from-brainpy DIR] [--steps N] [--input I]
//!     [--dtype f64|f32] [--seed K] [--scale S] [--out FILE.csv] [--bench]
//! ```
//!
//! The options are `looptime::networks::cli`'s (its docs say what each does).

use std::process::ExitCode;

use looptime::networks::CobaKind;
use looptime::networks::cli;

fn main() -> ExitCode {
    cli::main::<CobaKind>()
}
