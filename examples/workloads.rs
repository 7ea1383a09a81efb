//! The four reference workloads of `benches/peers/brainpy_bench.py`, timed the same way on our
//! side: inputs built before timing, one warm-up call, then the median of repeated runs.
//!
//! ```sh
//! cargo run --release --example workloads -- --dtype f64|f32 [--only NAME] [--repeat N] \
//!     [--simd LEVEL] [--input array|const] [--record raster|events]
//! cargo run --release --example workloads -- --list-simd
//! ```
//!
//! Prints one JSON object per workload (`name`, `dtype`, `median_ms`, `min_ms`, the size, the
//! vector instructions used, the kind of input, the threads a split may use and the fraction of
//! steps that were split), like the peer script. `--simd sse2|baseline|avx2|avx512` caps the
//! vector instructions (to see what each level brings; as `LOOPTIME_SIMD` does), and a level
//! this CPU lacks is an error; `--list-simd` prints the levels this CPU has. `--repeat` defaults
//! to the peer's 20 (a quarter of it, at least 3, for the two populations).
//!
//! `--input array` (the default) feeds each neuron workload a stored (steps × N) array, as
//! BrainPy's `LoopOverTime` takes it; `--input const` feeds the same constant through
//! `inputs::Constant`, computed step by step and never stored, as Brian2 (a constant per neuron)
//! and BrainPy's `DSRunner` take it. The RNN's inputs are random: always an array.
//!
//! `--runs 2` runs each population workload as two runs of half the neurons each (two `Hh<T,
//! 500>`, two `Lif<T, 2000>`, each with its own input), spread over the cores by
//! `parallel::for_each_job` when a CPU is free: one hand-off per run instead of one per step
//! (`"runs"` in the JSON line; `--runs 1`, the default, is one population).
//!
//! `--record raster` (the default) records the two population workloads as BrainPy's
//! `LoopOverTime` does: the outputs of every step and the monitored spikes, two dense
//! (steps × N) rasters; `--record events` keeps only the spikes as events (step, neuron), through
//! `network::SpikeMonitor`, as Brian2's `SpikeMonitor` does. The JSON line says which
//! (`"record"`).
//!
//! - `hh_single`: one HH neuron, V0 = -65, 1000 steps of input 5.0, monitoring V.
//! - `hh_population`: 1000 HH neurons, V0 = -65, 10 000 steps of input 10.0, monitoring spikes.
//! - `lif_population`: 4000 LIF neurons (defaults), 10 000 steps of input 25.0, monitoring spikes.
//! - `rnn_seed`: `Sequential(RNNCell(100, 20), relu, RNNCell(20, 2))`, batch 128, 30 steps of
//!   uniform [0, 1) inputs, monitoring `l1.state`, with a reset before each run.
//! - `coba`, `cuba`, `cobahh`: Brette et al.'s (2007) networks (`looptime::networks`), 3200 E +
//!   800 I neurons, their own `FixedProb(0.02)` connectivity (seed 0), 10 000 steps, recording
//!   E's spikes as events (the peers' `benches/peers/{brainpy,brian2}_{coba,cuba,cobahh}.py`).
//! - `train_step`, only when asked for by `--only train_step`: one training step of the seed's
//!   network (`benches/support/seed_training_step.rs`: forward over 30 steps at batch 128,
//!   cross-entropy on every step, the gradient of every weight), the median of single calls, as
//!   `benches/peers/brainpy_train_step.py` times JAX's `grad` (`--repeat` defaults to 200 there).
//!   Computed as a user trains on several cores: two `train::DataParallel` replicas of 64
//!   samples each. `train_step_one_model`, only when asked for too: the same step by one model
//!   and one `Bptt` over the 128 samples.
//!
//! As in BrainPy's `LoopOverTime(target, out_vars=…)`, each run returns both the outputs of every
//! step and the monitored variable; the neuron runs continue their timeline from run to run (as
//! the jitted BrainPy calls do), the RNN is reset before each run (as the peer script does).

use std::hint::black_box;
use std::time::Instant;

use looptime::inputs::Constant;
use looptime::layers::{Relu, RnnCell};
use looptime::nalgebra::SMatrix;
use looptime::network::SpikeMonitor;
use looptime::networks::{
    CobaHhKind, CobaKind, CubaKind, EiConnectivity, EiKind, EiNet, Population,
};
use looptime::neurons::{Hh, Lif};
use looptime::prelude::*;
use looptime::{History, Monitors, Observer, Select, parallel, sequential, simd};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[path = "../benches/support/seed_training_step.rs"]
mod seed_training_step;

/// What the command line asks for.
struct Args {
    dtype: String,
    only: Option<String>,
    /// `--repeat`, when given (see [`Args::repeat`]).
    repeat: Option<usize>,
    /// Constant inputs computed step by step instead of stored arrays.
    constant: bool,
    /// The population workloads as this many runs of a part of the neurons each (1 or 2).
    runs: usize,
    /// Spikes recorded as events instead of dense rasters (the population workloads).
    events: bool,
}

/// The level called `name`, if this CPU has it.
fn simd_level(name: &str) -> Result<simd::Level, String> {
    let level = simd::Level::from_name(name).ok_or(format!(
        "--simd: `{name}` is not sse2, baseline, avx2 or avx512"
    ))?;
    if level > simd::detected() {
        return Err(format!(
            "--simd {name}: this CPU supports up to {}",
            simd::detected().name()
        ));
    }
    Ok(level)
}

fn parse_args() -> Result<Args, String> {
    // A level forced from the environment must be one this CPU has, or the numbers would be
    // labelled with a level they were not measured at.
    simd::env_cap().map_err(|e| e.to_string())?;
    let mut args = Args {
        dtype: "f64".into(),
        only: None,
        repeat: None,
        constant: false,
        runs: 1,
        events: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--dtype" => args.dtype = value()?,
            "--only" => args.only = Some(value()?),
            "--repeat" => {
                args.repeat = Some(value()?.parse().map_err(|e| format!("--repeat: {e}"))?)
            }
            "--simd" => simd::set_cap(Some(simd_level(&value()?)?)),
            "--input" => match value()?.as_str() {
                "array" => args.constant = false,
                "const" => args.constant = true,
                other => return Err(format!("--input must be array or const, not `{other}`")),
            },
            "--runs" => match value()?.as_str() {
                "1" => args.runs = 1,
                "2" => args.runs = 2,
                other => return Err(format!("--runs must be 1 or 2, not `{other}`")),
            },
            "--record" => match value()?.as_str() {
                "raster" => args.events = false,
                "events" => args.events = true,
                other => return Err(format!("--record must be raster or events, not `{other}`")),
            },
            "--list-simd" => {
                let names: Vec<_> = simd::Level::supported().map(simd::Level::name).collect();
                println!("{}", names.join(" "));
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if args.dtype != "f64" && args.dtype != "f32" {
        return Err(format!("--dtype must be f64 or f32, not `{}`", args.dtype));
    }
    Ok(args)
}

impl Args {
    /// The kind of input the neuron workloads are fed, as the JSON lines name it.
    fn input_kind(&self) -> &'static str {
        if self.constant { "const" } else { "array" }
    }

    /// Timed runs of a workload: `--repeat`, else `default` (the peer script's: 20, and 200 for
    /// the training step).
    fn repeat(&self, default: usize) -> usize {
        self.repeat.unwrap_or(default)
    }
}

/// Whether the command line asks for workload `name`.
fn wanted(args: &Args, name: &str) -> bool {
    args.only.as_deref().is_none_or(|only| only == name)
}

/// Times `run` (one warm-up call, then `repeat` timed calls) and prints its JSON line (`input`:
/// the kind of input it was fed).
fn measure<R>(
    args: &Args,
    name: &str,
    size: &str,
    input: &str,
    repeat: usize,
    mut run: impl FnMut() -> R,
) {
    if !wanted(args, name) {
        return;
    }
    let t = Instant::now();
    black_box(run());
    let first_ms = t.elapsed().as_secs_f64() * 1e3;
    let before = parallel::stats();
    let mut times: Vec<f64> = (0..repeat.max(1))
        .map(|_| {
            let t = Instant::now();
            let out = run();
            let ms = t.elapsed().as_secs_f64() * 1e3;
            drop(black_box(out));
            ms
        })
        .collect();
    let split = parallel::stats().since(before).split_fraction();
    times.sort_by(f64::total_cmp);
    let n = times.len();
    let median = if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2.0
    };
    println!(
        "{{\"name\": \"{name}\", \"dtype\": \"{}\", \"median_ms\": {median}, \"min_ms\": {}, \"first_call_ms\": {first_ms}, {size}, \"simd\": \"{}\", \"input\": \"{input}\", \"threads\": {}, \"split\": {split:.3}}}",
        args.dtype,
        times[0],
        simd::level().name(),
        parallel::threads(),
    );
}

/// A neuron workload's input: the same value at every step, stored as an array or computed.
enum Fed<X> {
    Array(Vec<X>),
    Constant(Constant<X>),
}

impl<X: Clone> Fed<X> {
    fn new(args: &Args, value: X, steps: usize) -> Self {
        if args.constant {
            Fed::Constant(Constant::new(value, steps))
        } else {
            Fed::Array(vec![value; steps])
        }
    }

    /// One run of `lot` over this input (`name`: the workload's, should it fail).
    fn run<M, A, Mon, Obs>(
        &self,
        name: &str,
        lot: &mut LoopOverTime<M, A, Mon, Obs>,
    ) -> History<M::Output, Mon::Traces>
    where
        M: DynamicalSystem<A, Input = X>,
        Mon: Monitors<M>,
        Obs: Observer<M>,
    {
        let history = match self {
            Fed::Array(xs) => lot.run_inputs(xs),
            Fed::Constant(c) => lot.run_inputs(c.clone()),
        };
        history.unwrap_or_else(|_| panic!("{name} does not run"))
    }
}

/// Timed runs of a population or network workload: a quarter of `--repeat`, at least 3.
fn population_repeat(args: &Args) -> usize {
    (args.repeat(20) / 4).max(3)
}

/// A population workload `name`: `models` (`neurons` in all, each model a part of them) over
/// 10 000 steps of the input `x` (each model's part; an array of its own per run with `--input
/// array`, as one (steps × N) array holds them all), every model a run of its own, the runs
/// spread over the cores by `parallel::for_each_job` when a CPU is free; its spikes recorded as
/// `--record` asks: with the outputs and the monitor `probe` (two dense rasters per run), or as
/// events of `spikes` alone. The histories are dropped after the clock stops, as with one run.
#[allow(clippy::too_many_arguments)]
fn population<M, X, S>(
    args: &Args,
    name: &str,
    neurons: usize,
    x: X,
    models: Vec<M>,
    probe: S,
    spikes: fn(&M) -> &[bool],
) where
    X: Clone + Send,
    M: DynamicalSystem<Input = X> + Send,
    M::Output: Send,
    S: Select<M> + Clone + Send,
    S::Value: Send,
    (S,): Monitors<M, Traces: Send>,
{
    let input = args.input_kind();
    let record = if args.events { "events" } else { "raster" };
    let size = format!(
        "\"neurons\": {neurons}, \"steps\": 10000, \"record\": \"{record}\", \"runs\": {}",
        models.len()
    );
    let repeat = population_repeat(args);
    if args.events {
        let mut runs: Vec<_> = models
            .into_iter()
            .map(|model| {
                let lot = LoopOverTime::new(model)
                    .keep_outputs(false)
                    .observe(SpikeMonitor::new(spikes));
                (lot, Fed::new(args, x.clone(), 10_000), None)
            })
            .collect();
        measure(args, name, &size, input, repeat, || {
            parallel::for_each_job(&mut runs, |(lot, x, history)| {
                *history = Some(x.run(name, lot));
            });
            runs.iter_mut().map(|(.., h)| h.take()).collect::<Vec<_>>()
        });
    } else {
        let mut runs: Vec<_> = models
            .into_iter()
            .map(|model| {
                let lot = LoopOverTime::new(model).select(probe.clone());
                (lot, Fed::new(args, x.clone(), 10_000), None)
            })
            .collect();
        measure(args, name, &size, input, repeat, || {
            parallel::for_each_job(&mut runs, |(lot, x, history)| {
                *history = Some(x.run(name, lot));
            });
            runs.iter_mut().map(|(.., h)| h.take()).collect::<Vec<_>>()
        });
    }
}

/// 1000 HH neurons as `--runs` runs of `P` each, 10 000 steps of 10.0, monitoring spikes.
fn hh_population<T: Real, const P: usize>(args: &Args) {
    let x = SMatrix::<T, P, 1>::from_element(T::of(10.0));
    let spikes: fn(&Hh<T, P>) -> &[bool] = |m| m.spike.as_slice();
    let models = (0..args.runs).map(|_| Hh::<T, P>::new()).collect();
    population(
        args,
        "hh_population",
        1000,
        x,
        models,
        Hh::<T, P>::probe_spike(),
        spikes,
    );
}

/// 4000 LIF neurons as `--runs` runs of `P` each, 10 000 steps of 25.0, monitoring spikes.
fn lif_population<T: Real, const P: usize>(args: &Args) {
    let x = SMatrix::<T, P, 1>::from_element(T::of(25.0));
    let spikes: fn(&Lif<T, P>) -> &[bool] = |m| m.spike.as_slice();
    let models = (0..args.runs).map(|_| Lif::<T, P>::new()).collect();
    population(
        args,
        "lif_population",
        4000,
        x,
        models,
        Lif::<T, P>::probe_spike(),
        spikes,
    );
}

/// Runs the four workloads in scalar `T`.
fn workloads<T: Real>(args: &Args) {
    let input = args.input_kind();

    // 1. One HH neuron, 1000 steps of 5.0, monitoring V.
    if wanted(args, "hh_single") {
        let mut hh = LoopOverTime::new(Hh::<T, 1>::new()).select(Hh::<T, 1>::probe_v());
        let x = Fed::new(args, SMatrix::<T, 1, 1>::from_element(T::of(5.0)), 1000);
        measure(
            args,
            "hh_single",
            "\"neurons\": 1, \"steps\": 1000",
            input,
            args.repeat(20),
            || x.run("hh_single", &mut hh),
        );
    }

    // 2. 1000 HH neurons, 10 000 steps of 10.0, monitoring spikes.
    if wanted(args, "hh_population") {
        match args.runs {
            1 => hh_population::<T, 1000>(args),
            _ => hh_population::<T, 500>(args),
        }
    }

    // 3. 4000 LIF neurons, 10 000 steps of 25.0, monitoring spikes.
    if wanted(args, "lif_population") {
        match args.runs {
            1 => lif_population::<T, 4000>(args),
            _ => lif_population::<T, 2000>(args),
        }
    }

    // 4. The seed's RNN, batch 128, 30 steps, monitoring l1.state, reset before each run.
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
    measure(
        args,
        "rnn_seed",
        "\"steps\": 30, \"batch\": 128, \"n_in\": 100",
        "array",
        args.repeat(20),
        || {
            rnn.reset_state();
            rnn.run_inputs(&x_rnn).expect("rnn_seed runs")
        },
    );

    // The seed's training step, only when asked for: the median of single calls, as the peer
    // script times JAX's `grad` (200 of them unless `--repeat` says otherwise).
    if args.only.as_deref() == Some("train_step") {
        let mut step = seed_training_step::seed_training_step::<T>();
        let size = format!(
            "\"steps\": 30, \"batch\": 128, \"n_in\": 100, \"replicas\": {}",
            seed_training_step::REPLICAS
        );
        measure(
            args,
            "train_step",
            &size,
            "array",
            args.repeat(200),
            &mut step,
        );
    }
    if args.only.as_deref() == Some("train_step_one_model") {
        let mut step = seed_training_step::seed_training_step_one_model::<T>();
        let size = "\"steps\": 30, \"batch\": 128, \"n_in\": 100, \"replicas\": 1";
        let name = "train_step_one_model";
        measure(args, name, size, "array", args.repeat(200), &mut step);
    }

    // 5–7. The benchmark networks, continuing their timeline from run to run.
    network::<CobaKind, T>(args);
    network::<CubaKind, T>(args);
    network::<CobaHhKind, T>(args);
}

/// Benchmark `K` at scale 1 (3200 E + 800 I), 10 000 steps, E's spikes recorded as events.
fn network<K: EiKind, T: Real>(args: &Args) {
    if args.only.as_deref().is_some_and(|only| only != K::NAME) {
        return;
    }
    type Net<T, K> = Box<EiNet<T, 3200, 800, K>>;
    let connectivity = EiConnectivity::fixed_prob(0.02, 0, 3200, 800).expect("FixedProb(0.02)");
    let net: Net<T, K> = Box::new(EiNet::benchmark(connectivity, 0).expect("the benchmark"));
    let spikes = SpikeMonitor::new(|net: &Net<T, K>| net.e.spikes().as_slice());
    let mut run = LoopOverTime::new(net).keep_outputs(false).observe(spikes);
    measure(
        args,
        K::NAME,
        "\"neurons\": 4000, \"steps\": 10000",
        "const",
        population_repeat(args),
        || run.run_steps(10_000).expect("the network runs"),
    );
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("workloads: {e}");
            eprintln!(
                "usage: workloads --dtype f64|f32 [--only NAME] [--repeat N] [--simd sse2|avx2|avx512] [--input array|const] [--record raster|events] [--runs 1|2] | --list-simd"
            );
            std::process::exit(2);
        }
    };
    if args.dtype == "f64" {
        workloads::<f64>(&args);
    } else {
        workloads::<f32>(&args);
    }
}
