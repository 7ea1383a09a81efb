//! A population of unconnected neurons run as two runs of half of it each, spread over the cores
//! by `parallel::for_each_job` (`examples/workloads.rs --runs 2`), gives the same bits as one run
//! of the whole population: each neuron's spikes and potential, at every step.

use looptime::neurons::Lif;
use looptime::parallel;
use looptime::prelude::*;

/// 2000 steps of a different input for each of `N` neurons, neurons `offset..offset + N` of 64.
fn inputs<const N: usize>(offset: usize) -> Vec<SMatrix<f64, N, 1>> {
    (0..2000)
        .map(|t| {
            SMatrix::from_fn(|k, _| {
                18.0 + ((offset + k) as f64 * 0.37 + t as f64 * 0.01).sin() * 10.0
            })
        })
        .collect()
}

#[test]
fn two_half_runs_equal_one_run_of_the_whole_population() {
    let whole_model = Lif::<f64, 64>::builder().tau_ref(2.0).build().unwrap();
    let mut whole = LoopOverTime::new(whole_model).select(Lif::<f64, 64>::probe_v());
    let expected = whole.run_inputs(&inputs::<64>(0)).unwrap();

    let half = || Lif::<f64, 32>::builder().tau_ref(2.0).build().unwrap();
    let mut runs: Vec<_> = (0..2)
        .map(|k| {
            let lot = LoopOverTime::new(half()).select(Lif::<f64, 32>::probe_v());
            (lot, inputs::<32>(32 * k), None)
        })
        .collect();
    parallel::split_always(|| {
        parallel::for_each_job(&mut runs, |(lot, xs, history)| {
            *history = Some(lot.run_inputs(&*xs).unwrap());
        })
    });
    let spikes: usize = expected
        .outputs
        .iter()
        .map(|s| s.iter().filter(|s| **s).count())
        .sum();
    assert!(
        spikes > 100,
        "the inputs make the neurons fire ({spikes} spikes)"
    );
    for (k, (_, _, history)) in runs.iter().enumerate() {
        let history = history.as_ref().unwrap();
        for t in 0..2000 {
            for j in 0..32 {
                assert_eq!(history.outputs[t][j], expected.outputs[t][32 * k + j]);
                let (v, v_whole) = (history.monitors.0[t][j], expected.monitors.0[t][32 * k + j]);
                assert_eq!(
                    v.to_bits(),
                    v_whole.to_bits(),
                    "neuron {} at step {t}",
                    32 * k + j
                );
            }
        }
    }
}
