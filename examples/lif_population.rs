//! 1000 leaky integrate-and-fire neurons driven by Poisson input: a bias current plus, at each
//! input spike (200 Hz per neuron, seeded), a one-step current pulse. Writes a spike raster
//! (`out/lif_population.png`), the spikes as `.npy` (`out/lif_population/`), and prints a
//! firing-rate summary.

use looptime::export::SaveNpy;
use looptime::inputs::{Map, PoissonSpikes};
use looptime::neurons::Lif;
use looptime::plot::raster;
use looptime::prelude::*;

const N: usize = 1000;
const DT: f64 = 0.1;
const STEPS: usize = 5000; // 500 ms

type Population = Lif<f64, N>;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A 2 ms refractory period; everything else at BrainPy's defaults (v_th = 20, tau = 10).
    let population = Population::builder().tau_ref(2.0).build()?;

    // Input: a bias of 15 (below threshold on its own) plus pulses of 300 for one step at each
    // Poisson input spike. Generated step by step: nothing of the input is stored.
    let trains = PoissonSpikes::<N>::new(200.0, DT, STEPS, 2026)?;
    let current = Map::new(trains, |spikes: SMatrix<bool, N, 1>| {
        spikes.map(|s| if s { 15.0 + 300.0 } else { 15.0 })
    });

    let mut run = LoopOverTime::new(population)
        .dt(DT)
        .keep_outputs(false)
        .monitor("spike", |m: &Population| m.spike);
    let history = run
        .run_inputs(current)
        .map_err(LoopError::without_history)?;

    // Spike times and counts.
    let times = history.times.clone().unwrap_or_default();
    let mut raster_points = Vec::new();
    let mut counts = vec![0usize; N];
    for (t, spikes) in times.iter().zip(history.monitors.0.iter()) {
        for (n, fired) in spikes.iter().enumerate() {
            if *fired {
                raster_points.push((*t, n));
                counts[n] += 1;
            }
        }
    }
    let seconds = STEPS as f64 * DT / 1000.0;
    let rates: Vec<f64> = counts.iter().map(|&c| c as f64 / seconds).collect();
    let mean = rates.iter().sum::<f64>() / N as f64;
    let min = rates.iter().cloned().fold(f64::INFINITY, f64::min);
    let max = rates.iter().cloned().fold(0.0, f64::max);
    let silent = counts.iter().filter(|&&c| c == 0).count();

    std::fs::create_dir_all("out")?;
    // The first 200 neurons, so that single spike trains stay visible.
    let shown: Vec<(f64, usize)> = raster_points
        .iter()
        .copied()
        .filter(|&(_, n)| n < 200)
        .collect();
    raster(
        "out/lif_population.png",
        "LIF neurons 0-199 of 1000, Poisson input (200 Hz per neuron), dt = 0.1 ms",
        &shown,
        STEPS as f64 * DT,
        200,
    )?;
    let files = history.save_npy("out/lif_population")?;

    println!(
        "{N} LIF neurons for {} ms: {} spikes",
        STEPS as f64 * DT,
        raster_points.len()
    );
    println!(
        "firing rate: mean {mean:.1} Hz, min {min:.1} Hz, max {max:.1} Hz; {silent} neurons silent"
    );
    println!("raster written to out/lif_population.png");
    for file in files {
        println!("spikes written to {}", file.display());
    }
    Ok(())
}
