//! COBAHH (Brette et al. 2007, benchmark 3) with BrainPy's parameters: 3200 E + 800 I
//! Hodgkin–Huxley neurons (Traub & Miles), 2% random connectivity, conductance-based exponential
//! synapses, no external input.
//!
//! ```sh
//! cargo run --release --example cobahh -- [--from-brainpy DIR] [--steps N] [--input I]
//!     [--dtype f64|f32] [--seed K] [--scale S] [--out FILE.csv] [--bench]
//! ```
//!
//! The options are `looptime::networks::cli`'s (its docs say what each does).

use std::process::ExitCode;

use looptime::networks::CobaHhKind;
use looptime::networks::cli;

fn main() -> ExitCode {
    cli::main::<CobaHhKind>()
}
