//! The one clock (docs/MODELS.md, issue 14 item 1): step `n` of a loop runs at `t = t0 + n * dt`
//! however the run is split into calls, so a LIF neuron with a refractory period (where the exact
//! float comparison `t - t_last_spike <= tau_ref` decides) gives the same spikes, potentials and
//! times, bit for bit, in calls of 1, 3, 7 or 1000 steps or any random split as in one call.
//!
//! Before the clock counted steps, `t0` was moved on by each call's duration in floating point:
//! one-step calls gave 3800 spikes at dt = 0.1 against 3704 in one call. The spike steps are also
//! checked against an independent scalar implementation of docs/MODELS.md's LIF rules.

mod proptest_support;

use looptime::nalgebra::SMatrix;
use looptime::neurons::Lif;
use looptime::prelude::*;
use proptest::prelude::*;

const STEPS: usize = 100_000;
const INPUT: f64 = 400.0;
const TAU_REF: f64 = 2.0;

type Neuron = Lif<f64, 1>;
type X = SMatrix<f64, 1, 1>;

/// Everything a run gives: spikes (the outputs), V (a monitor), t and i of every step.
#[derive(Debug, PartialEq)]
struct Outcome {
    spikes: Vec<bool>,
    v_bits: Vec<u64>,
    t_bits: Vec<u64>,
    indices: Vec<u64>,
}

/// The run split into calls of `chunks` steps (repeated until `STEPS` are done).
fn run_split(dt: f64, chunks: &[usize]) -> Outcome {
    let lif = Neuron::builder().tau_ref(TAU_REF).build().unwrap();
    let mut run = LoopOverTime::new(lif).dt(dt).select(Neuron::probe_v());
    let xs = vec![X::from_element(INPUT); STEPS];
    let mut outcome = Outcome {
        spikes: Vec::with_capacity(STEPS),
        v_bits: Vec::with_capacity(STEPS),
        t_bits: Vec::with_capacity(STEPS),
        indices: Vec::with_capacity(STEPS),
    };
    let mut done = 0;
    for &chunk in chunks.iter().cycle() {
        if done == STEPS {
            break;
        }
        let len = chunk.min(STEPS - done);
        let h = run
            .run_inputs(&xs[done..done + len])
            .map_err(LoopError::without_history)
            .unwrap();
        outcome.spikes.extend(h.outputs.iter().map(|s| s[0]));
        outcome
            .v_bits
            .extend(h.monitors.0.iter().map(|v| v[0].to_bits()));
        outcome
            .t_bits
            .extend(h.times.unwrap().iter().map(|t| t.to_bits()));
        outcome.indices.extend(h.indices.unwrap());
        done += len;
    }
    assert_eq!(run.current_t0(), Some(STEPS as f64 * dt));
    outcome
}

/// docs/MODELS.md's LIF, written out for one neuron with the defaults and `tau_ref`: exponential
/// Euler (exact for this linear equation), the refractory rule on `t = n * dt`, spike and reset.
fn independent_spike_steps(dt: f64) -> Vec<usize> {
    let (v_rest, v_reset, v_th, r, tau) = (0.0, -5.0, 20.0, 1.0, 10.0);
    let (mut v, mut t_last) = (0.0_f64, -1e7_f64);
    let z = -dt / tau;
    let exprel = z.exp_m1() / z;
    let mut steps = Vec::new();
    for n in 0..STEPS {
        let t = n as f64 * dt;
        let f = (-v + v_rest + r * INPUT) / tau;
        let mut v_new = v + dt * exprel * f;
        if t - t_last <= TAU_REF {
            v_new = v;
        }
        if v_new >= v_th {
            steps.push(n);
            v_new = v_reset;
            t_last = t;
        }
        v = v_new;
    }
    steps
}

fn spike_steps(outcome: &Outcome) -> Vec<usize> {
    (0..STEPS).filter(|&n| outcome.spikes[n]).collect()
}

fn whole(dt: f64) -> &'static Outcome {
    use std::sync::OnceLock;
    static AT_01: OnceLock<Outcome> = OnceLock::new();
    static AT_005: OnceLock<Outcome> = OnceLock::new();
    let cell = if dt == 0.1 { &AT_01 } else { &AT_005 };
    cell.get_or_init(|| run_split(dt, &[STEPS]))
}

#[test]
fn one_call_spikes_where_the_rules_say() {
    for dt in [0.1, 0.05] {
        let ours = spike_steps(whole(dt));
        let independent = independent_spike_steps(dt);
        assert_eq!(ours.len(), independent.len(), "dt {dt}: spike counts");
        assert_eq!(ours, independent, "dt {dt}: spike steps");
    }
    // The count the issue measured for one call at dt = 0.1.
    assert_eq!(spike_steps(whole(0.1)).len(), 3704);
}

#[test]
fn calls_of_1_3_7_or_1000_steps_give_the_one_call_bit_for_bit() {
    for dt in [0.1, 0.05] {
        for chunk in [1, 3, 7, 1000] {
            let split = run_split(dt, &[chunk]);
            assert!(
                split == *whole(dt),
                "dt {dt}, calls of {chunk}: {} spikes against {}",
                spike_steps(&split).len(),
                spike_steps(whole(dt)).len()
            );
        }
    }
}

proptest! {
    #![proptest_config(proptest_support::config(2))]

    #[test]
    fn any_split_gives_the_one_call_bit_for_bit(
        dt in prop_oneof![Just(0.1), Just(0.05)],
        chunks in prop::collection::vec(
            prop_oneof![Just(1_usize), Just(3), Just(7), Just(1000), 1_usize..20_000],
            1..12,
        ),
    ) {
        let split = run_split(dt, &chunks);
        prop_assert!(split == *whole(dt), "dt {}, calls of {:?}", dt, chunks);
    }
}
