//! The command line of the examples `coba`, `cuba` and `cobahh` — one benchmark network run for
//! a number of steps, its spikes recorded as events — and what it runs, so that a test runs the
//! same code as `cargo run --example coba`:
//!
//! ```text
//! [--from-brainpy DIR] [--steps N] [--input I] [--dtype f64|f32] [--seed K] [--scale S]
//! [--out FILE.csv] [--bench]
//! ```
//!
//! - `--from-brainpy DIR`: BrainPy's `E_v0.npy`, `I_v0.npy` and
//!   `{E2E,E2I,I2E,I2I}_{indices,indptr}.npy` (their sizes must be the scale's); without it,
//!   `FixedProb(0.02)` connectivity and the benchmark's initial state, drawn with `--seed`.
//! - `--scale S`: `3200 S` E and `800 S` I neurons, weights divided by `S` (BrainPy's
//!   `EINet(scale)`); sizes are type parameters, so `S` is one of [`SCALES`].
//! - Defaults: `--steps 10000 --dtype f64 --seed 0 --scale 1`, the benchmark's input.
//! - `--out FILE.csv`: every spike, `step,population,neuron` (step from 0, `E` or `I`).
//! - `--bench`: one JSON line, `{"name", "dtype", "median_ms", "E_rate_hz", "neurons",
//!   "steps"}`, the median over repeated runs after a warm-up, each run a fresh network.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::ei_net::{EiKind, EiNet};
use super::population::Population;
use super::setup::EiConnectivity;
use crate::export::save_spike_csv;
use crate::network::{ConnError, Footprint, SpikeEvents, SpikeMonitor};
use crate::{LoopOverTime, Real};

/// The scales a run may ask for (each is a pair of population sizes compiled in).
pub const SCALES: [f64; 8] = [0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 8.0, 10.0];

/// The step (ms).
pub const DT: f64 = 0.1;

/// The scalar of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dtype {
    /// Double precision.
    F64,
    /// Single precision.
    F32,
}

impl Dtype {
    /// `"f64"` or `"f32"`.
    pub fn name(self) -> &'static str {
        match self {
            Dtype::F64 => "f64",
            Dtype::F32 => "f32",
        }
    }
}

/// What the command line asks for (see the module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// BrainPy's files instead of drawn connectivity and potentials.
    pub from_brainpy: Option<PathBuf>,
    /// Steps of 0.1 ms.
    pub steps: usize,
    /// The input of every neuron (the benchmark's when `None`).
    pub input: Option<f64>,
    /// The scalar.
    pub dtype: Dtype,
    /// The seed of the drawn connectivity and initial state.
    pub seed: u64,
    /// The scale, one of [`SCALES`].
    pub scale: f64,
    /// Where to write the spikes as CSV.
    pub out: Option<PathBuf>,
    /// Time repeated runs and print JSON.
    pub bench: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            from_brainpy: None,
            steps: 10_000,
            input: None,
            dtype: Dtype::F64,
            seed: 0,
            scale: 1.0,
            out: None,
            bench: false,
        }
    }
}

/// Why a run cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line is not understood.
    #[error(
        "{0}\nusage: [--from-brainpy DIR] [--steps N] [--input I] [--dtype f64|f32] [--seed K] [--scale S] [--out FILE.csv] [--bench]"
    )]
    Usage(String),
    /// The scale is not one the sizes were compiled for.
    #[error("--scale {0} is not one of {SCALES:?} (population sizes are type parameters)")]
    Scale(f64),
    /// The connectivity does not fit the populations.
    #[error("connectivity: {0}")]
    Conn(#[from] ConnError),
    /// BrainPy's files cannot be read or are not valid.
    #[cfg(feature = "npy")]
    #[error("{0}")]
    File(#[from] crate::connect::ConnFileError),
    /// BrainPy's files have other population sizes than the scale's.
    #[error(
        "{dir} holds {found_e} E and {found_i} I neurons, not the {ne} and {ni} of --scale {scale}"
    )]
    Sizes {
        /// The directory.
        dir: String,
        /// E neurons in the files.
        found_e: usize,
        /// I neurons in the files.
        found_i: usize,
        /// E neurons of the scale.
        ne: usize,
        /// I neurons of the scale.
        ni: usize,
        /// The scale.
        scale: f64,
    },
    /// The spikes cannot be written.
    #[error("{0}")]
    Export(#[from] crate::export::ExportError),
    /// The loop refused to run.
    #[error("{0}")]
    Loop(String),
}

impl Options {
    /// The options of `args` (without the program's name).
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, CliError> {
        let mut options = Options::default();
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .ok_or_else(|| CliError::Usage(format!("{name} needs a value")))
            };
            match flag.as_str() {
                "--from-brainpy" => options.from_brainpy = Some(value(&flag)?.into()),
                "--steps" => options.steps = number(&flag, &value(&flag)?)?,
                "--input" => options.input = Some(number(&flag, &value(&flag)?)?),
                "--dtype" => {
                    options.dtype = match value(&flag)?.as_str() {
                        "f64" => Dtype::F64,
                        "f32" => Dtype::F32,
                        other => {
                            return Err(CliError::Usage(format!("--dtype {other}: f64 or f32")));
                        }
                    }
                }
                "--seed" => options.seed = number(&flag, &value(&flag)?)?,
                "--scale" => options.scale = number(&flag, &value(&flag)?)?,
                "--out" => options.out = Some(value(&flag)?.into()),
                "--bench" => options.bench = true,
                other => return Err(CliError::Usage(format!("unknown argument `{other}`"))),
            }
        }
        Ok(options)
    }
}

/// `text` as a number for `flag`.
fn number<N: core::str::FromStr>(flag: &str, text: &str) -> Result<N, CliError> {
    text.parse()
        .map_err(|_| CliError::Usage(format!("{flag} {text}: not a number")))
}

/// What a run gives: the spikes of its last run, its sizes and, with `--bench`, its timing.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The benchmark's name.
    pub name: &'static str,
    /// The scalar.
    pub dtype: Dtype,
    /// E neurons.
    pub ne: usize,
    /// I neurons.
    pub ni: usize,
    /// Steps run.
    pub steps: usize,
    /// The memory of the connectivity.
    pub footprint: Footprint,
    /// Spikes of E.
    pub e: SpikeEvents,
    /// Spikes of I.
    pub i: SpikeEvents,
    /// Wall-clock time of each timed run (one untimed run first with `--bench`; without, the
    /// one run's).
    pub times: Vec<Duration>,
}

impl Outcome {
    /// Mean rate of E (Hz).
    pub fn e_rate_hz(&self) -> f64 {
        self.e.rate_hz(self.ne, self.steps, DT)
    }

    /// Mean rate of I (Hz).
    pub fn i_rate_hz(&self) -> f64 {
        self.i.rate_hz(self.ni, self.steps, DT)
    }

    /// The median run time (ms).
    pub fn median_ms(&self) -> f64 {
        let mut ms: Vec<f64> = self.times.iter().map(|t| t.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        let n = ms.len();
        if n == 0 {
            f64::NAN
        } else if n % 2 == 1 {
            ms[n / 2]
        } else {
            (ms[n / 2 - 1] + ms[n / 2]) / 2.0
        }
    }

    /// `--bench`'s JSON line.
    pub fn json(&self) -> String {
        format!(
            r#"{{"name": "{}", "dtype": "{}", "median_ms": {}, "E_rate_hz": {}, "neurons": {}, "steps": {}}}"#,
            self.name,
            self.dtype.name(),
            self.median_ms(),
            self.e_rate_hz(),
            self.ne + self.ni,
            self.steps
        )
    }
}

/// Runs benchmark `K` as `options` say, on a thread with room for the network on its stack,
/// and writes `--out`.
pub fn run<K: EiKind>(options: &Options) -> Result<Outcome, CliError> {
    let options = options.clone();
    let outcome = std::thread::Builder::new()
        .stack_size(stack_bytes(&options))
        .spawn(move || dispatch::<K>(&options).map(|outcome| (outcome, options)))
        .map_err(|e| CliError::Loop(e.to_string()))?
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    let (outcome, options) = outcome;
    if let Some(out) = &options.out {
        save_spike_csv(out, &[("E", &outcome.e), ("I", &outcome.i)])?;
    }
    Ok(outcome)
}

/// A stack for a network of `options`' scale: its states are arrays (about 100 bytes per
/// neuron), of which building and stepping it make a few copies.
fn stack_bytes(options: &Options) -> usize {
    let neurons = (4000.0 * options.scale.max(1.0)) as usize;
    (64 << 20) + neurons * 4096
}

/// Runs `K` at the sizes of `options.scale` and its dtype.
fn dispatch<K: EiKind>(options: &Options) -> Result<Outcome, CliError> {
    macro_rules! sizes {
        ($($scale:literal => ($ne:literal, $ni:literal)),* $(,)?) => {
            $(
                if options.scale == $scale {
                    return match options.dtype {
                        Dtype::F64 => run_sized::<K, f64, $ne, $ni>(options),
                        Dtype::F32 => run_sized::<K, f32, $ne, $ni>(options),
                    };
                }
            )*
        };
    }
    sizes!(
        0.25 => (800, 200),
        0.5 => (1600, 400),
        1.0 => (3200, 800),
        2.0 => (6400, 1600),
        4.0 => (12800, 3200),
        5.0 => (16000, 4000),
        8.0 => (25600, 6400),
        10.0 => (32000, 8000),
    );
    Err(CliError::Scale(options.scale))
}

/// Initial potentials of E and I.
type Potentials = (Vec<f64>, Vec<f64>);

/// The connectivity and initial potentials of a run: BrainPy's files, or drawn (the potentials
/// then by the benchmark itself).
fn setup(
    options: &Options,
    ne: usize,
    ni: usize,
) -> Result<(EiConnectivity, Option<Potentials>), CliError> {
    match &options.from_brainpy {
        #[cfg(feature = "npy")]
        Some(dir) => {
            let setup = super::setup::EiSetup::load_brainpy(dir)?;
            let (found_e, found_i) = (setup.e_v0.len(), setup.i_v0.len());
            if (found_e, found_i) != (ne, ni) {
                return Err(CliError::Sizes {
                    dir: dir.display().to_string(),
                    found_e,
                    found_i,
                    ne,
                    ni,
                    scale: options.scale,
                });
            }
            Ok((setup.connectivity, Some((setup.e_v0, setup.i_v0))))
        }
        #[cfg(not(feature = "npy"))]
        Some(_) => Err(CliError::Usage(
            "--from-brainpy needs the `npy` feature".into(),
        )),
        None => Ok((
            EiConnectivity::fixed_prob(0.02, options.seed, ne, ni)?,
            None,
        )),
    }
}

/// One run of `K` with `NE` and `NI` neurons of scalar `T`: once, or with `--bench` a warm-up
/// and timed runs (at least 3, more while they take under 20 s in all, at most 7), each on a
/// fresh network.
fn run_sized<K: EiKind, T: Real, const NE: usize, const NI: usize>(
    options: &Options,
) -> Result<Outcome, CliError> {
    let (connectivity, v0) = setup(options, NE, NI)?;
    let build = || -> Result<Box<EiNet<T, NE, NI, K>>, CliError> {
        let mut net = Box::new(EiNet::benchmark(connectivity.clone(), options.seed)?);
        if let Some((e_v0, i_v0)) = &v0 {
            net.set_v(e_v0, i_v0);
        }
        if let Some(input) = options.input {
            net.set_input(T::of(input))
                .map_err(|e| CliError::Usage(e.to_string()))?;
        }
        Ok(net)
    };
    let runs = if options.bench { 8 } else { 1 };
    let mut times = Vec::new();
    let mut last = None;
    let mut footprint = None;
    let started = Instant::now();
    for run in 0..runs {
        let net = build()?;
        footprint.get_or_insert_with(|| net.footprint());
        let (e, i, time) = record::<K, T, NE, NI>(net, options.steps)?;
        if run > 0 || !options.bench {
            times.push(time);
        }
        last = Some((e, i));
        let enough = times.len() >= 7 || (times.len() >= 3 && started.elapsed().as_secs() >= 20);
        if enough {
            break;
        }
    }
    let (e, i) = last.expect("at least one run");
    Ok(Outcome {
        name: K::NAME,
        dtype: options.dtype,
        ne: NE,
        ni: NI,
        steps: options.steps,
        footprint: footprint.expect("at least one run"),
        e,
        i,
        times,
    })
}

/// Runs `net` for `steps` steps in a `LoopOverTime`, its spikes recorded by two
/// `SpikeMonitor`s; returns them and the wall-clock time of the run.
fn record<K: EiKind, T: Real, const NE: usize, const NI: usize>(
    net: Box<EiNet<T, NE, NI, K>>,
    steps: usize,
) -> Result<(SpikeEvents, SpikeEvents, Duration), CliError> {
    type Boxed<T, const NE: usize, const NI: usize, K> = Box<EiNet<T, NE, NI, K>>;
    // Room for 100 Hz: recording allocates nothing at the benchmarks' rates.
    let room = |n: usize| SpikeEvents::with_capacity(n * steps / 100 + 1);
    let e = SpikeMonitor::with_events(
        |net: &Boxed<T, NE, NI, K>| net.e.spikes().as_slice(),
        room(NE),
    );
    let i = SpikeMonitor::with_events(
        |net: &Boxed<T, NE, NI, K>| net.i.spikes().as_slice(),
        room(NI),
    );
    let mut run = LoopOverTime::new(net)
        .dt(DT)
        .keep_outputs(false)
        .observe(e)
        .observe(i);
    let start = Instant::now();
    run.run_steps(steps)
        .map_err(|e| CliError::Loop(e.to_string()))?;
    let time = start.elapsed();
    let (e, i) = run.observers();
    Ok((e.events().clone(), i.events().clone(), time))
}

/// An example's `main`: parses the command line, runs `K`, writes `--out`, and prints `--bench`'s
/// JSON or a summary.
pub fn main<K: EiKind>() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(e) => {
            std::eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run::<K>(&options) {
        Ok(outcome) if options.bench => {
            std::println!("{}", outcome.json());
            ExitCode::SUCCESS
        }
        Ok(outcome) => {
            let memory = &outcome.footprint;
            std::println!(
                "{}: {} E + {} I neurons, {} synapses ({} B each, + {:.1} MB of row pointers), {} steps ({} ms) in {:.1} ms ({}); E {:.2} Hz, I {:.2} Hz{}",
                K::NAME,
                outcome.ne,
                outcome.ni,
                memory.synapses,
                memory.bytes_per_synapse(),
                memory.per_row_bytes as f64 / 1e6,
                outcome.steps,
                outcome.steps as f64 * DT,
                outcome.median_ms(),
                outcome.dtype.name(),
                outcome.e_rate_hz(),
                outcome.i_rate_hz(),
                options
                    .out
                    .as_ref()
                    .map(|p| format!("; spikes in {}", p.display()))
                    .unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            std::eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
