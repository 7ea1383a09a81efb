//! The seed's brain-simulation example: one Hodgkin–Huxley neuron run for a duration (100 ms, no
//! input) and again over given inputs (1000 steps of 5.0), both traces of V on one plot.
//!
//! `cargo run --release --example hh_neuron` writes `out/hh_neuron.png` and prints the spike
//! times of each run.

use looptime::neurons::Hh;
use looptime::plot::{Series, line_chart};
use looptime::prelude::*;

type Neuron = Hh<f64, 1>;

fn spike_times(times: &[f64], spikes: &[SMatrix<bool, 1, 1>]) -> Vec<f64> {
    times
        .iter()
        .zip(spikes)
        .filter(|(_, s)| s[0])
        .map(|(t, _)| *t)
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut run = LoopOverTime::new(Neuron::new()).select(Neuron::probe_v());

    // Over a duration: 100 ms at dt = 0.1 ms, no input.
    let by_duration = run
        .run_duration(100.0)
        .map_err(LoopError::without_history)?;
    // Over given inputs, from the initial state again (reset rewinds t and the neuron).
    run.reset_state();
    let inputs = vec![SMatrix::<f64, 1, 1>::from_element(5.0); 1000];
    let by_inputs = run
        .run_inputs(&inputs)
        .map_err(LoopError::without_history)?;

    let series = |label, h: &History<_, (Trace<SMatrix<f64, 1, 1>>,)>| Series {
        label,
        points: h
            .times
            .iter()
            .flatten()
            .zip(h.monitors.0.iter())
            .map(|(t, v)| (*t, v[0]))
            .collect(),
    };
    let duration_series = series("over a duration: 100 ms, no input", &by_duration);
    let inputs_series = series("over inputs: 1000 steps of 5.0", &by_inputs);

    std::fs::create_dir_all("out")?;
    let path = "out/hh_neuron.png";
    line_chart(
        path,
        "Hodgkin–Huxley neuron (dt = 0.1 ms, exponential Euler)",
        "time (ms)",
        "membrane potential V (mV)",
        &[duration_series, inputs_series],
    )?;

    let times = |h: &History<_, _>| h.times.clone().unwrap_or_default();
    let quiet = spike_times(&times(&by_duration), &by_duration.outputs);
    let driven = spike_times(&times(&by_inputs), &by_inputs.outputs);
    println!(
        "over a duration ({} steps): {} spikes {quiet:?}",
        by_duration.steps,
        quiet.len()
    );
    println!(
        "over inputs ({} steps of 5.0): {} spikes at t (ms) = {driven:.1?}",
        by_inputs.steps,
        driven.len()
    );
    println!("plot written to {path}");
    Ok(())
}
