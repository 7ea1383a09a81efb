//! A raster plot of COBA (`looptime::networks::CobaNet`, Brette et al. 2007 benchmark 1):
//! 3200 E + 800 I neurons for 300 ms, every spike of every neuron, E below I. Writes
//! `out/coba_raster.png`.
//!
//! ```sh
//! cargo run --release --example coba_raster -- [the options of the coba example]
//! ```
//!
//! Without options it draws its own connectivity (seed 0); `--from-brainpy
//! tests/reference/coba_seed1 --steps 1000` draws BrainPy's run (100 ms).

use std::process::ExitCode;

use looptime::networks::CobaKind;
use looptime::networks::cli::{self, DT, Options};
use looptime::plot::raster;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--steps") {
        args.extend(["--steps".into(), "3000".into()]);
    }
    let options = match Options::parse(args) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let outcome = match cli::run::<CobaKind>(&options) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    // E neurons are rows 0..NE, I neurons the rows above them.
    let points: Vec<(f64, usize)> = outcome
        .e
        .iter()
        .map(|(step, n)| (step as f64 * DT, n as usize))
        .chain(
            outcome
                .i
                .iter()
                .map(|(step, n)| (step as f64 * DT, outcome.ne + n as usize)),
        )
        .collect();
    if let Err(e) = std::fs::create_dir_all("out") {
        eprintln!("out/: {e}");
        return ExitCode::FAILURE;
    }
    let title = format!(
        "COBA: {} E + {} I neurons, E {:.1} Hz, I {:.1} Hz",
        outcome.ne,
        outcome.ni,
        outcome.e_rate_hz(),
        outcome.i_rate_hz()
    );
    let t_max = outcome.steps as f64 * DT;
    if let Err(e) = raster(
        "out/coba_raster.png",
        &title,
        &points,
        t_max,
        outcome.ne + outcome.ni,
    ) {
        eprintln!("{e}");
        return ExitCode::FAILURE;
    }
    println!(
        "{title}: {} spikes over {t_max} ms, raster written to out/coba_raster.png",
        points.len()
    );
    ExitCode::SUCCESS
}
