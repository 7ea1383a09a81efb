//! Delivery timing against BrainPy: a spike sent through an align-post projection reaches an
//! exponential conductance at the step BrainPy 2.8.2 delivers it, for each delay
//! (`tests/reference/brainpy_delay/arrival.csv`, measured with `make_reference.py` beside it),
//! and the conductance then decays by exponential Euler to BrainPy's numbers (within 2 ulp:
//! BrainPy's `exprel` is `(exp(z) - 1) / z`, loop-core's the more accurate `expm1(z) / z`, and
//! the second decay step already differs in the last bit).

use looptime::integrate::exp_euler_scalar;
use looptime::network::{AlignPost, Csr, Synapses, brainpy_delay_steps};

const ARRIVAL: &str = include_str!("reference/brainpy_delay/arrival.csv");
const DT: f64 = 0.1;
const TAU: f64 = 5.0;

/// One row of arrival.csv.
struct Arrival {
    delay: Option<f64>,
    spike_step: usize,
    first_step: usize,
    g_first: f64,
    g_next: f64,
}

fn arrivals() -> Vec<Arrival> {
    ARRIVAL
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            Arrival {
                delay: (!f[0].is_empty()).then(|| f[0].parse().unwrap()),
                spike_step: f[1].parse().unwrap(),
                first_step: f[2].parse().unwrap(),
                g_first: f[3].parse().unwrap(),
                g_next: f[4].parse().unwrap(),
            }
        })
        .collect()
}

#[test]
fn spikes_arrive_when_brainpy_delivers_them() {
    let rows = arrivals();
    assert_eq!(rows.len(), 7);
    for row in rows {
        let syn = Synapses::homogeneous(Csr::one_to_one(1).unwrap(), 1.0_f64);
        let mut proj = AlignPost::new(syn, brainpy_delay_steps(row.delay, DT));
        let mut g = [0.0_f64];
        let mut trace = Vec::new();
        for k in 0..30 {
            // The projection runs first and sees the spike of the step before.
            let fired_before = k > 0 && k - 1 == row.spike_step;
            proj.deliver(&[fired_before], &mut g);
            // Then the synapse decays: Expon's exp_euler of dg/dt = -g / tau.
            g[0] = exp_euler_scalar(g[0], DT, -g[0] / TAU, -1.0 / TAU);
            trace.push(g[0]);
        }
        let first = trace.iter().position(|&g| g > 0.0).unwrap();
        assert_eq!(first, row.first_step, "delay {:?}", row.delay);
        assert_eq!(trace[first], row.g_first, "delay {:?}", row.delay);
        let ulps = (trace[first + 1] - row.g_next).abs() / (row.g_next * f64::EPSILON);
        assert!(
            ulps <= 2.0,
            "delay {:?}: {} vs {}",
            row.delay,
            trace[first + 1],
            row.g_next
        );
    }
}
