//! The synapse models (`looptime::synapses`) and COBAHH's neuron (`HhTraub`) against BrainPy
//! 2.8.2's traces (`tests/reference/synapses/`, made by its `make_reference.py`: one synapse
//! driven by the same spikes, float64, dt 0.1 ms), and against the analytic solutions where
//! there is one: Expon's exponential decay, Alpha's `(t/τ) e^{-t/τ}`, DualExpon's difference of
//! exponentials (whose peak is 1).

mod neurons_support;

use looptime::nalgebra::SMatrix;
use looptime::neurons::HhTraub;
use looptime::synapses::{
    Alpha, Ampa, Coba, CobaInput, Cuba, DualExpon, Expon, GabaA, MgBlock, MgBlockInput, Nmda,
};
use looptime::{DynamicalSystem, Shared};
use neurons_support::{Trace, reference};

const DT: f64 = 0.1;

/// The shared values of step `k`.
fn at(k: usize) -> Shared {
    Shared::at(k as f64 * DT, k as u64, DT, ())
}

/// The largest `|ours - theirs|` over a trace, relative to the largest `|theirs|`.
fn worst_relative(ours: &[f64], theirs: &[f64]) -> f64 {
    assert_eq!(ours.len(), theirs.len());
    let scale = theirs.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    let worst = ours
        .iter()
        .zip(theirs)
        .fold(0.0_f64, |m, (a, b)| m.max((a - b).abs()));
    worst / scale
}

/// Steps `model` over the reference's spike column, recording `read` after each step.
fn drive<M>(trace: &Trace, mut model: M, read: impl Fn(&M) -> (f64, f64)) -> (Vec<f64>, Vec<f64>)
where
    M: DynamicalSystem<Input = SMatrix<bool, 1, 1>, Output = ()>,
{
    let spikes = trace.column("spike");
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (k, &s) in spikes.iter().enumerate() {
        model.update(&at(k), SMatrix::from_element(s != 0.0));
        let (x, y) = read(&model);
        a.push(x);
        b.push(y);
    }
    (a, b)
}

#[test]
fn expon_decays_as_brainpys_and_as_the_exponential() {
    let trace = reference("synapses/expon.csv");
    let mut syn = Expon::<f64, 1>::builder().tau(5.0).build().unwrap();
    syn.g[0] = 1.0;
    let mut g = Vec::new();
    for k in 0..trace.rows.len() {
        syn.update(&at(k), ());
        g.push(syn.g[0]);
    }
    // BrainPy's `exprel` is `(e^z - 1) / z`, ours `expm1(z) / z`: a few ulp apart per step.
    assert!(worst_relative(&g, &trace.column("g")) < 1e-12);
    // Exponential Euler is exact on a linear equation: g = e^{-t/τ} after each step.
    for (k, g) in g.iter().enumerate() {
        let exact = (-((k + 1) as f64) * DT / 5.0).exp();
        assert!(
            (g - exact).abs() < 1e-13 * exact.max(1e-300) + 1e-15,
            "step {k}"
        );
    }
}

/// `g` after each of `steps` steps of `model` driven by one spike, at step 0.
fn after_one_spike<M>(mut model: M, steps: usize, g: impl Fn(&M) -> f64) -> Vec<f64>
where
    M: DynamicalSystem<Input = SMatrix<bool, 1, 1>, Output = ()>,
{
    (0..steps)
        .map(|k| {
            model.update(&at(k), SMatrix::from_element(k == 0));
            g(&model)
        })
        .collect()
}

#[test]
fn dual_expon_follows_brainpy_and_the_difference_of_exponentials() {
    let trace = reference("synapses/dual_expon.csv");
    let syn = || {
        DualExpon::<f64, 1>::builder()
            .tau_decay(5.0)
            .tau_rise(1.0)
            .build()
            .unwrap()
    };
    let (g, h) = drive(&trace, syn(), |s| (s.g[0], s.h[0]));
    assert!(worst_relative(&g, &trace.column("g")) < 1e-12);
    assert!(worst_relative(&h, &trace.column("h")) < 1e-12);
    // One spike: g(t) = a τd τr / (τd - τr) (e^{-t/τd} - e^{-t/τr}), whose peak is 1 (that is
    // what `a` is for). Exponential Euler holds h over each step, which overestimates g by
    // about dt / (2 τr) = 5% of the peak here.
    let (tau_d, tau_r) = (5.0_f64, 1.0_f64);
    let a = (tau_r / tau_d).powf(tau_r / (tau_r - tau_d)) / tau_r;
    let g = after_one_spike(syn(), 300, |s| s.g[0]);
    let mut peak: f64 = 0.0;
    for (m, &g) in g[1..].iter().enumerate() {
        let t = (m + 1) as f64 * DT;
        let exact = a * tau_d * tau_r / (tau_d - tau_r) * ((-t / tau_d).exp() - (-t / tau_r).exp());
        assert!((g - exact).abs() < 0.06, "{t} ms: {g} against {exact}");
        peak = peak.max(exact);
    }
    assert!(
        (peak - 1.0).abs() < 1e-4,
        "the normalizer makes the peak 1: {peak}"
    );
}

#[test]
fn alpha_follows_brainpy_and_t_over_tau_e_to_the_minus_t_over_tau() {
    let trace = reference("synapses/alpha.csv");
    let syn = || Alpha::<f64, 1>::builder().tau_decay(5.0).build().unwrap();
    let (g, h) = drive(&trace, syn(), |s| (s.g[0], s.h[0]));
    assert!(worst_relative(&g, &trace.column("g")) < 1e-12);
    assert!(worst_relative(&h, &trace.column("h")) < 1e-12);
    // One spike: g(t) = (t/τ) e^{-t/τ}. Exponential Euler holds h over each step:
    // g_m = m (1 - d) d^{m-1} with d = e^{-dt/τ}, exactly; that is (t/τ) e^{-t/τ} times
    // (1 - d) / (d dt/τ) = 1 + dt/(2τ) + … (1% here).
    let tau = 5.0_f64;
    let d = (-DT / tau).exp();
    let g = after_one_spike(syn(), 300, |s| s.g[0]);
    for (m, &g) in g.iter().enumerate().skip(1) {
        let discrete = m as f64 * (1.0 - d) * d.powi(m as i32 - 1);
        assert!(
            (g - discrete).abs() < 1e-13,
            "step {m}: {g} against {discrete}"
        );
        let t = m as f64 * DT;
        let exact = t / tau * (-t / tau).exp();
        assert!(
            (g - exact).abs() <= 0.011 * exact + 1e-15,
            "{t} ms: {g} against {exact}"
        );
    }
}

#[test]
fn nmda_ampa_and_gabaa_follow_brainpy() {
    let trace = reference("synapses/nmda.csv");
    let (g, x) = drive(&trace, Nmda::<f64, 1>::new(), |s| (s.g[0], s.x[0]));
    assert!(worst_relative(&g, &trace.column("g")) < 1e-12);
    assert!(worst_relative(&x, &trace.column("x")) < 1e-12);

    let trace = reference("synapses/ampa.csv");
    let (g, arrival) = drive(&trace, Ampa::<f64, 1>::new(), |s| (s.g[0], s.arrival[0]));
    assert!(worst_relative(&g, &trace.column("g")) < 1e-12);
    assert_eq!(arrival, trace.column("spike_arrival_time"));

    let trace = reference("synapses/gabaa.csv");
    let (g, arrival) = drive(&trace, GabaA::<f64, 1>::new(), |s| (s.g[0], s.arrival[0]));
    assert!(worst_relative(&g, &trace.column("g")) < 1e-12);
    assert_eq!(arrival, trace.column("spike_arrival_time"));
    assert!(g.iter().any(|&g| g > 0.1), "GABA_A opens");
}

#[test]
fn ampa_in_f32_keeps_its_times_in_f32() {
    // In f32 the arrival times are BrainPy's float32 ones (the step's time rounded to f32), and
    // the conductance follows the float64 trace to f32 accuracy.
    let trace = reference("synapses/ampa.csv");
    let (g, arrival) = drive(&trace, Ampa::<f32, 1>::new(), |s| {
        (f64::from(s.g[0]), f64::from(s.arrival[0]))
    });
    let in_f32: Vec<f64> = trace
        .column("spike_arrival_time")
        .iter()
        .map(|&t| f64::from(t as f32))
        .collect();
    assert_eq!(arrival, in_f32);
    assert!(worst_relative(&g, &trace.column("g")) < 1e-5);
}

#[test]
fn the_outputs_are_brainpys_currents() {
    let trace = reference("synapses/mg_block.csv");
    let (gs, vs, currents) = (
        trace.column("g"),
        trace.column("v"),
        trace.column("current"),
    );
    let mut block = MgBlock::<f64, 1>::new();
    for ((&g, &v), &current) in gs.iter().zip(&vs).zip(&currents) {
        block.update(
            &at(0),
            MgBlockInput {
                g: SMatrix::from_element(g),
                v: SMatrix::from_element(v),
            },
        );
        let ours = block.i[0];
        assert!(
            (ours - current).abs() <= 1e-14 * current.abs().max(1.0),
            "g {g}, V {v}: {ours} against {current}"
        );
    }
    let mut coba = Coba::<f64, 2>::builder().e(-80.0).build().unwrap();
    coba.update(
        &at(0),
        CobaInput {
            g: SMatrix::from([[0.5, 2.0]]),
            v: SMatrix::from([[-60.0, -80.0]]),
        },
    );
    assert_eq!(coba.i, SMatrix::from([[0.5 * (-80.0 + 60.0), 0.0]]));
    let mut cuba = Cuba::<f64, 2>::new();
    cuba.update(&at(0), SMatrix::from([[1.5, -9.0]]));
    assert_eq!(cuba.i, SMatrix::from([[1.5, -9.0]]));
}

#[test]
fn hh_traub_follows_brainpys_cond_neu_group() {
    let trace = reference("synapses/hh_traub.csv");
    let mut hh = HhTraub::<f64, 1>::new();
    let (mut v, mut m, mut h, mut n, mut spikes) = (vec![], vec![], vec![], vec![], vec![]);
    for k in 0..trace.rows.len() {
        let spike = hh.update(&at(k), SMatrix::from_element(2.0));
        v.push(hh.v[0]);
        m.push(hh.m[0]);
        h.push(hh.h[0]);
        n.push(hh.n[0]);
        if spike[0] {
            spikes.push(k);
        }
    }
    assert_eq!(spikes, trace.spike_steps());
    assert!(!spikes.is_empty());
    for (ours, name) in [(&v, "V"), (&m, "m"), (&h, "h"), (&n, "n")] {
        let worst = worst_relative(ours, &trace.column(name));
        assert!(
            worst < 1e-9,
            "{name} differs by {worst} (relative to its range)"
        );
    }
}
