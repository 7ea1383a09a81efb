//! Command-line runner of a built-in neuron: runs one HH, LIF or Izhikevich neuron and writes its
//! trace as CSV (other tools depend on this interface; keep it exactly so).
//!
//! ```text
//! cargo run --release --example simulate -- --model hh|lif|izhikevich [--param NAME=VALUE]...
//!     [--init NAME=VALUE]... [--dt DT] (--duration MS | --steps N)
//!     [--current I | --ramp START,END] [--method exp_euler|euler|rk2|rk4] --out FILE.csv
//! ```
//!
//! - `--param` sets a parameter by its Rust field name (`g_na`, `tau_ref`, `a`, …).
//! - `--init` sets a state's initial value. `v` sets `V0`, so that the states that start from it
//!   follow (HH's gates at their steady state, Izhikevich's `u = b·V0`); other states (`m`, `u`,
//!   …) are then set as given.
//! - `--dt` defaults to 0.1 ms; a duration runs `ceil(duration / dt)` steps (docs/MODELS.md).
//! - The input is a constant current (`--current`, default 0) or `--ramp A,B`, NumPy's
//!   `linspace(A, B, steps)`.
//! - The CSV has a header `t` then the states in declaration order (`t,v,m,h,n,spike`), one row
//!   per step with `t = k·dt` and the state after the step, floats in round-trip precision and
//!   spikes as 0/1.
//!
//! A bad argument prints the usage and exits with status 2; a failure to write exits with 1.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use looptime::inputs::{Constant, Ramp};
use looptime::integrate::Method;
use looptime::nalgebra::SMatrix;
use looptime::neurons::{Euler, ExpEuler, Hh, Izhikevich, Lif, NeuronMethod, Rk2, Rk4};
use looptime::{
    DynamicalSystem, History, LoopError, LoopOverTime, Params, StateValues, StateVisitor, States,
    Trace, steps_for_duration,
};

/// The usage message, printed with every argument error.
pub const USAGE: &str = "\
usage: simulate --model hh|lif|izhikevich [--param NAME=VALUE]... [--init NAME=VALUE]...
                [--dt DT] (--duration MS | --steps N) [--current I | --ramp START,END]
                [--method exp_euler|euler|rk2|rk4] --out FILE.csv

  --model     the neuron: hh, lif or izhikevich
  --param     a parameter by name (hh: e_na g_na e_k g_k e_l g_l c v_th v_init;
              lif: v_rest v_reset v_th r tau tau_ref v_init; izhikevich: a b c d v_th v_init)
  --init      a state's initial value (hh: v m h n; lif: v t_last_spike; izhikevich: v u);
              v sets V0, and HH's gates and Izhikevich's u start from it
  --dt        the step in ms (default 0.1)
  --duration  run ceil(MS / DT) steps          --steps  run N steps
  --current   a constant input current I (default 0)
  --ramp      the input linspace(START, END, steps)
  --method    the integration method (default exp_euler)
  --out       the CSV to write: t, then the states in declaration order, one row per step";

/// Which built-in neuron.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// Hodgkin–Huxley.
    Hh,
    /// Leaky integrate-and-fire.
    Lif,
    /// Izhikevich.
    Izhikevich,
}

/// How long to run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Length {
    /// A duration in ms.
    Duration(f64),
    /// A number of steps.
    Steps(usize),
}

/// The input current.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Input {
    /// The same current at every step.
    Current(f64),
    /// `linspace(start, end, steps)`.
    Ramp(f64, f64),
}

/// A parsed command line.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The neuron.
    pub model: Model,
    /// `--param NAME=VALUE`, in order.
    pub params: Vec<(String, f64)>,
    /// `--init NAME=VALUE`, in order.
    pub inits: Vec<(String, f64)>,
    /// The step (ms).
    pub dt: f64,
    /// How long.
    pub length: Length,
    /// The input.
    pub input: Input,
    /// The integration method.
    pub method: Method,
    /// Where the CSV goes.
    pub out: PathBuf,
}

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// `--help`.
    Help,
    /// A simulation.
    Run(Options),
}

/// Parses the arguments (without the program name). Flags take their value as the next argument
/// or after `=` (`--dt 0.05` or `--dt=0.05`).
pub fn parse_args(args: &[String]) -> Result<Command, String> {
    let mut model = None;
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut dt = None;
    let mut duration = None;
    let mut steps = None;
    let mut current = None;
    let mut ramp = None;
    let mut method = None;
    let mut out = None;

    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help);
        }
        let Some(flag) = arg.strip_prefix("--") else {
            return Err(format!("unexpected argument `{arg}`"));
        };
        let (flag, inline) = match flag.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_string())),
            None => (flag, None),
        };
        if !matches!(
            flag,
            "model"
                | "param"
                | "init"
                | "dt"
                | "duration"
                | "steps"
                | "current"
                | "ramp"
                | "method"
                | "out"
        ) {
            return Err(format!("unknown flag `--{flag}`"));
        }
        let value = match inline {
            Some(value) => value,
            None => rest
                .next()
                .cloned()
                .ok_or_else(|| format!("`--{flag}` needs a value"))?,
        };
        match flag {
            "model" => {
                let m = match value.as_str() {
                    "hh" => Model::Hh,
                    "lif" => Model::Lif,
                    "izhikevich" => Model::Izhikevich,
                    other => {
                        return Err(format!(
                            "unknown model `{other}`; models are: hh, lif, izhikevich"
                        ));
                    }
                };
                set_once(&mut model, m, flag)?;
            }
            "param" => params.push(name_value(flag, &value)?),
            "init" => inits.push(name_value(flag, &value)?),
            "dt" => {
                let x = number(flag, &value)?;
                if x <= 0.0 {
                    return Err(format!("`--dt` must be positive, not {value}"));
                }
                set_once(&mut dt, x, flag)?;
            }
            "duration" => {
                let x = number(flag, &value)?;
                if x <= 0.0 {
                    return Err(format!("`--duration` must be positive, not {value}"));
                }
                set_once(&mut duration, x, flag)?;
            }
            "steps" => {
                let n: usize = value
                    .parse()
                    .map_err(|_| format!("`--steps` takes a whole number, not `{value}`"))?;
                if n == 0 {
                    return Err("`--steps` must be at least 1".into());
                }
                set_once(&mut steps, n, flag)?;
            }
            "current" => set_once(&mut current, number(flag, &value)?, flag)?,
            "ramp" => {
                let parts: Vec<&str> = value.split(',').collect();
                let [start, end] = parts[..] else {
                    return Err(format!("`--ramp` takes START,END, not `{value}`"));
                };
                let pair = (number(flag, start.trim())?, number(flag, end.trim())?);
                set_once(&mut ramp, pair, flag)?;
            }
            "method" => {
                let m = Method::from_name(&value).ok_or_else(|| {
                    format!("unknown method `{value}`; methods are: exp_euler, euler, rk2, rk4")
                })?;
                set_once(&mut method, m, flag)?;
            }
            "out" => set_once(&mut out, PathBuf::from(value), flag)?,
            _ => unreachable!("flags are checked above"),
        }
    }

    let model = model.ok_or("`--model` is required")?;
    let out = out.ok_or("`--out` is required")?;
    let length = match (duration, steps) {
        (Some(d), None) => Length::Duration(d),
        (None, Some(n)) => Length::Steps(n),
        (Some(_), Some(_)) => return Err("give `--duration` or `--steps`, not both".into()),
        (None, None) => return Err("give `--duration MS` or `--steps N`".into()),
    };
    let input = match (current, ramp) {
        (Some(_), Some(_)) => return Err("give `--current` or `--ramp`, not both".into()),
        (_, Some((a, b))) => Input::Ramp(a, b),
        (i, None) => Input::Current(i.unwrap_or(0.0)),
    };
    Ok(Command::Run(Options {
        model,
        params,
        inits,
        dt: dt.unwrap_or(0.1),
        length,
        input,
        method: method.unwrap_or(Method::ExpEuler),
        out,
    }))
}

fn set_once<T>(slot: &mut Option<T>, value: T, flag: &str) -> Result<(), String> {
    if slot.replace(value).is_some() {
        Err(format!("`--{flag}` is given twice"))
    } else {
        Ok(())
    }
}

fn number(flag: &str, text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(format!("`--{flag}` takes a finite number, not `{text}`")),
    }
}

fn name_value(flag: &str, text: &str) -> Result<(String, f64), String> {
    let Some((name, value)) = text.split_once('=') else {
        return Err(format!("`--{flag}` takes NAME=VALUE, not `{text}`"));
    };
    if name.is_empty() {
        return Err(format!("`--{flag}` takes NAME=VALUE, not `{text}`"));
    }
    Ok((name.to_string(), number(flag, value)?))
}

/// Why a run did not happen: a bad argument (usage, status 2) or a failure (status 1).
#[derive(Debug)]
pub enum Failure {
    /// The arguments are wrong.
    Usage(String),
    /// The run or the writing failed.
    Run(String),
}

/// One neuron (N = B = 1, f64) as the command line drives it.
trait CliNeuron:
    DynamicalSystem<Input = SMatrix<f64, 1, 1>, Output = SMatrix<bool, 1, 1>> + States + Params + Sized
{
    /// The model with default params.
    fn fresh() -> Self;
    /// The states `--init` may set after `v`, by name.
    const SETTABLE: &'static [&'static str];
    /// Sets state `name` (one of `SETTABLE`) to `value`.
    fn set_state(&mut self, name: &str, value: f64);
}

impl<M: NeuronMethod> CliNeuron for Hh<f64, 1, 1, M>
where
    Self: DynamicalSystem<Input = SMatrix<f64, 1, 1>, Output = SMatrix<bool, 1, 1>>,
{
    fn fresh() -> Self {
        Self::new()
    }
    const SETTABLE: &'static [&'static str] = &["m", "h", "n"];
    fn set_state(&mut self, name: &str, value: f64) {
        match name {
            "m" => self.m.fill(value),
            "h" => self.h.fill(value),
            _ => self.n.fill(value),
        }
    }
}

impl<M: NeuronMethod> CliNeuron for Lif<f64, 1, 1, M>
where
    Self: DynamicalSystem<Input = SMatrix<f64, 1, 1>, Output = SMatrix<bool, 1, 1>>,
{
    fn fresh() -> Self {
        Self::new()
    }
    const SETTABLE: &'static [&'static str] = &["t_last_spike"];
    fn set_state(&mut self, _name: &str, value: f64) {
        self.t_last_spike.fill(value);
    }
}

impl<M: NeuronMethod> CliNeuron for Izhikevich<f64, 1, 1, M>
where
    Self: DynamicalSystem<Input = SMatrix<f64, 1, 1>, Output = SMatrix<bool, 1, 1>>,
{
    fn fresh() -> Self {
        Self::new()
    }
    const SETTABLE: &'static [&'static str] = &["u"];
    fn set_state(&mut self, _name: &str, value: f64) {
        self.u.fill(value);
    }
}

/// The model with the command line's params and initial states.
fn configure<N: CliNeuron>(options: &Options) -> Result<N, Failure> {
    let mut model = N::fresh();
    for (name, value) in &options.params {
        model
            .set_param(name, *value)
            .map_err(|e| Failure::Usage(format!("--param {name}={value}: {e}")))?;
    }
    for (_, value) in options.inits.iter().filter(|(n, _)| n == "v") {
        model
            .set_param("v_init", *value)
            .map_err(|e| Failure::Usage(format!("--init v={value}: {e}")))?;
    }
    // Initial states from the final params (HH's gates, Izhikevich's u = b·V0).
    model.reset_states();
    for (name, value) in options.inits.iter().filter(|(n, _)| n != "v") {
        if !N::SETTABLE.contains(&name.as_str()) {
            return Err(Failure::Usage(format!(
                "--init {name}: no such state to set; states are: v, {}",
                N::SETTABLE.join(", ")
            )));
        }
        model.set_state(name, *value);
    }
    Ok(model)
}

/// The values of every state of a model, in declaration order.
struct Row<'a>(&'a mut Vec<f64>);

impl StateVisitor for Row<'_> {
    fn state(&mut self, _name: &'static str, values: StateValues<'_>, _shape: (usize, usize)) {
        self.0.extend((0..values.len()).map(|k| values.get_f64(k)));
    }
}

fn row<N: States>(model: &N) -> Vec<f64> {
    let mut values = Vec::with_capacity(N::STATE_NAMES.len());
    model.visit_states(&mut Row(&mut values));
    values
}

/// A run's record: the spikes, and the values of every state after each step.
type Record = History<SMatrix<bool, 1, 1>, (Trace<Vec<f64>>,)>;

/// Runs the neuron and writes its CSV; returns the number of steps and of spikes. A run that
/// diverges (a state becomes NaN or infinite, as explicit methods do on HH at too large a dt)
/// writes the steps up to the bad one and fails.
fn simulate<N: CliNeuron>(options: &Options) -> Result<(usize, usize), Failure> {
    let model: N = configure(options)?;
    let steps = match options.length {
        Length::Steps(n) => n,
        Length::Duration(d) => steps_for_duration(d, options.dt),
    };
    let mut run = LoopOverTime::new(model)
        .dt(options.dt)
        .check_finite(true)
        .monitor("states", row::<N>);
    let outcome = match options.input {
        Input::Current(i) => run.run_inputs(Constant::new(SMatrix::from_element(i), steps)),
        Input::Ramp(a, b) => run.run_inputs(Ramp::<SMatrix<f64, 1, 1>>::linspace(a, b, steps)),
    };
    match outcome {
        Ok(history) => {
            write_csv::<N>(&options.out, &history)?;
            let spikes = history.outputs.values.iter().filter(|s| s[0]).count();
            Ok((history.steps, spikes))
        }
        Err(LoopError::Diverged { partial, at }) => {
            write_csv::<N>(&options.out, &partial)?;
            let message = LoopError::<()>::Diverged {
                at,
                partial: Box::new(()),
            };
            Err(Failure::Run(format!(
                "{message}; the steps up to it are in {} (a smaller --dt, or --method \
                 exp_euler, keeps it finite)",
                options.out.display()
            )))
        }
        Err(e) => Err(Failure::Run(e.without_history().to_string())),
    }
}

/// The CSV: `t`, then the states in declaration order; one row per recorded step.
fn write_csv<N: States>(path: &std::path::Path, history: &Record) -> Result<(), Failure> {
    let mut text = String::from("t");
    for name in N::STATE_NAMES {
        text.push(',');
        text.push_str(name);
    }
    text.push('\n');
    let times = history.times.as_deref().unwrap_or_default();
    let (rows,) = &history.monitors;
    for (t, values) in times.iter().zip(&rows.values).take(history.steps) {
        // `{}` prints an f64 in the shortest form that reads back to the same number.
        write!(text, "{t}").expect("writing to a String");
        for x in values {
            write!(text, ",{x}").expect("writing to a String");
        }
        text.push('\n');
    }
    std::fs::write(path, text)
        .map_err(|e| Failure::Run(format!("cannot write {}: {e}", path.display())))
}

/// Picks the model type for the model and method.
fn dispatch(options: &Options) -> Result<(usize, usize), Failure> {
    macro_rules! with_method {
        ($model:ident) => {
            match options.method {
                Method::ExpEuler => simulate::<$model<f64, 1, 1, ExpEuler>>(options),
                Method::Euler => simulate::<$model<f64, 1, 1, Euler>>(options),
                Method::Rk2 => simulate::<$model<f64, 1, 1, Rk2>>(options),
                Method::Rk4 => simulate::<$model<f64, 1, 1, Rk4>>(options),
            }
        };
    }
    match options.model {
        Model::Hh => with_method!(Hh),
        Model::Lif => with_method!(Lif),
        Model::Izhikevich => with_method!(Izhikevich),
    }
}

/// The whole command: parses `args` (without the program name), runs, and returns the exit
/// status; messages go to `out` (help, summary) and `err` (errors, usage).
pub fn cli(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let options = match parse_args(args) {
        Ok(Command::Help) => {
            let _ = writeln!(out, "{USAGE}");
            return 0;
        }
        Ok(Command::Run(options)) => options,
        Err(message) => {
            let _ = writeln!(err, "error: {message}\n\n{USAGE}");
            return 2;
        }
    };
    match dispatch(&options) {
        Ok((steps, spikes)) => {
            let _ = writeln!(
                out,
                "{steps} steps, {spikes} spikes, written to {}",
                options.out.display()
            );
            0
        }
        Err(Failure::Usage(message)) => {
            let _ = writeln!(err, "error: {message}\n\n{USAGE}");
            2
        }
        Err(Failure::Run(message)) => {
            let _ = writeln!(err, "error: {message}");
            1
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    ExitCode::from(cli(&args, &mut std::io::stdout(), &mut std::io::stderr()))
}
