//! The built-in neurons against exact formulas and hand-written steps: every explicit method
//! steps exactly as loop-core's integrator on docs/MODELS.md's equations (bit for bit), populations
//! and batches step each neuron on its own, the initial states are docs/MODELS.md's, the spike,
//! reset and refractory rules hold, and LIF's exponential Euler is the exact solution.

use looptime::integrate::{euler, rk2, rk4};
use looptime::math::{exp, exprel};
use looptime::nalgebra::SMatrix;
use looptime::neurons::hh::Rates;
use looptime::neurons::{Euler, ExpEuler, Hh, Izhikevich, Lif, NeuronMethod, Rk2, Rk4};
use looptime::parallel;
use looptime::prelude::*;

type M<T, const N: usize, const B: usize> = SMatrix<T, N, B>;

/// Different currents per neuron and per sample, changing with the step.
fn current<const N: usize, const B: usize>(k: usize, scale: f64) -> M<f64, N, B> {
    M::from_fn(|r, c| scale * (1.0 + 0.3 * r as f64 + 0.2 * c as f64) + 0.01 * (k % 7) as f64)
}

/// docs/MODELS.md's HH right-hand side, written out here.
#[allow(clippy::type_complexity)]
fn hh_rhs<const N: usize, const B: usize>(
    (v, m, h, n): &(M<f64, N, B>, M<f64, N, B>, M<f64, N, B>, M<f64, N, B>),
    i: &M<f64, N, B>,
) -> (M<f64, N, B>, M<f64, N, B>, M<f64, N, B>, M<f64, N, B>) {
    let (e_na, g_na, e_k, g_k, e_l, g_l, c) = (50.0, 120.0, -77.0, 36.0, -54.387, 0.03, 1.0);
    let dv = M::from_fn(|r, col| {
        let (v, m, h, n, i) = (
            v[(r, col)],
            m[(r, col)],
            h[(r, col)],
            n[(r, col)],
            i[(r, col)],
        );
        let n2 = n * n;
        (-(g_na * m * m * m * h) * (v - e_na) - (g_k * n2 * n2) * (v - e_k) - g_l * (v - e_l) + i)
            / c
    });
    let gate = |x: &M<f64, N, B>, alpha: fn(f64) -> f64, beta: fn(f64) -> f64| {
        M::from_fn(|r, col| {
            let (x, v) = (x[(r, col)], v[(r, col)]);
            alpha(v) * (1.0 - x) - beta(v) * x
        })
    };
    // The rates as the model takes them: all six from three exponentials (`Rates::at`, checked
    // against the six definitions in `neurons::hh::rates`).
    (
        dv,
        gate(m, |v| Rates::at(v).m_alpha, |v| Rates::at(v).m_beta),
        gate(h, |v| Rates::at(v).h_alpha, |v| Rates::at(v).h_beta),
        gate(n, |v| Rates::at(v).n_alpha, |v| Rates::at(v).n_beta),
    )
}

/// Steps `model` and the hand-written integrator side by side, comparing every state and the
/// spikes at every step.
macro_rules! check_hh_method {
    ($marker:ty, $integrator:ident) => {{
        const N: usize = 3;
        const B: usize = 2;
        let dt = 0.01;
        let mut model = Hh::<f64, N, B, $marker>::new();
        let mut x = (model.v, model.m, model.h, model.n);
        let sh = Shared::new(dt, ());
        let mut spikes = 0;
        for k in 0..3000 {
            let i = current::<N, B>(k, 8.0);
            let v_old = x.0;
            x = $integrator(&x, 0.0, dt, |s, _| hh_rhs(s, &i));
            let spike = v_old.zip_map(&x.0, |old, new| old < 20.0 && new >= 20.0);
            let out = model.update(&sh, i);
            assert_eq!(
                (model.v, model.m, model.h, model.n),
                x,
                "{}: step {k}",
                stringify!($integrator)
            );
            assert_eq!(
                out,
                spike,
                "{}: spikes at step {k}",
                stringify!($integrator)
            );
            spikes += spike.iter().filter(|s| **s).count();
        }
        assert!(spikes > 0, "the run crosses the threshold");
    }};
}

#[test]
fn hh_steps_by_euler_rk2_and_rk4_as_the_integrators_do() {
    check_hh_method!(Euler, euler);
    check_hh_method!(Rk2, rk2);
    check_hh_method!(Rk4, rk4);
}

#[test]
fn lif_by_euler_is_v_plus_dt_f_with_refractory_reset() {
    const N: usize = 4;
    let (dt, tau_ref) = (0.1, 1.5);
    let model = Lif::<f64, N, 1, Euler>::builder()
        .tau_ref(tau_ref)
        .build()
        .unwrap();
    let mut run = LoopOverTime::new(model).dt(dt);
    let inputs: Vec<M<f64, N, 1>> = (0..2000).map(|k| current::<N, 1>(k, 30.0)).collect();
    let history = run.run_inputs(&inputs).unwrap();
    // By hand, docs/MODELS.md's rules with forward Euler.
    let mut v = [0.0_f64; N];
    let mut t_last = [-1e7_f64; N];
    for (k, i) in inputs.iter().enumerate() {
        let t = k as f64 * dt;
        for j in 0..N {
            let f = (-v[j] + 0.0 + 1.0 * i[j]) / 10.0;
            let mut v_new = v[j] + dt * f;
            if t - t_last[j] <= tau_ref {
                v_new = v[j];
            }
            let spike = v_new >= 20.0;
            assert_eq!(history.outputs[k][j], spike, "step {k}, neuron {j}");
            if spike {
                v_new = -5.0;
                t_last[j] = t;
            }
            v[j] = v_new;
        }
    }
    let model = run.target();
    assert_eq!(model.v.as_slice(), v);
    assert_eq!(model.t_last_spike.as_slice(), t_last);
}

#[test]
fn izhikevich_by_rk2_is_heun_on_both_variables_then_the_reset() {
    const N: usize = 2;
    const B: usize = 3;
    let dt = 0.05;
    let mut model = Izhikevich::<f64, N, B, Rk2>::new();
    let (a, b, c, d) = (0.02, 0.2, -65.0, 8.0);
    let mut x = (
        M::<f64, N, B>::from_element(-70.0),
        M::from_element(b * -70.0),
    );
    let sh = Shared::new(dt, ());
    let mut spikes = 0;
    for k in 0..4000 {
        let i = current::<N, B>(k, 10.0);
        x = rk2(&x, 0.0, dt, |(v, u), _| {
            (
                M::from_fn(|r, col| {
                    let (v, u, i) = (v[(r, col)], u[(r, col)], i[(r, col)]);
                    0.04 * v * v + 5.0 * v + 140.0 - u + i
                }),
                v.zip_map(u, |v, u| a * (b * v - u)),
            )
        });
        let spike = x.0.map(|v| v >= 30.0);
        for e in 0..N * B {
            if spike[e] {
                x.0[e] = c;
                x.1[e] += d;
            }
        }
        spikes += spike.iter().filter(|s| **s).count();
        assert_eq!(model.update(&sh, i), spike, "step {k}");
        assert_eq!((model.v, model.u), x, "step {k}");
    }
    assert!(spikes > 0);
}

#[test]
fn populations_and_batches_step_every_neuron_on_its_own() {
    const N: usize = 3;
    const B: usize = 2;
    let dt = 0.05;
    let inputs: Vec<M<f64, N, B>> = (0..2000).map(|k| current::<N, B>(k, 9.0)).collect();
    let column = |r: usize, c: usize| -> Vec<M<f64, 1, 1>> {
        inputs.iter().map(|i| M::from_element(i[(r, c)])).collect()
    };

    let mut pop = LoopOverTime::new(Hh::<f64, N, B>::new())
        .dt(dt)
        .select(Hh::<f64, N, B>::probe_v());
    let pop_h = pop.run_inputs(&inputs).unwrap();
    let mut lif = LoopOverTime::new(Lif::<f64, N, B>::builder().tau_ref(0.7).build().unwrap())
        .dt(dt)
        .select(Lif::<f64, N, B>::probe_v());
    let lif_h = lif
        .run_inputs(&inputs.iter().map(|i| i * 3.0).collect::<Vec<_>>())
        .unwrap();
    let mut izh = LoopOverTime::new(Izhikevich::<f64, N, B>::new())
        .dt(dt)
        .select(Izhikevich::<f64, N, B>::probe_v());
    let izh_h = izh.run_inputs(&inputs).unwrap();

    for r in 0..N {
        for c in 0..B {
            let one = column(r, c);
            let h = LoopOverTime::new(Hh::<f64, 1>::new())
                .dt(dt)
                .select(Hh::<f64, 1>::probe_v())
                .run_inputs(&one)
                .unwrap();
            let l = LoopOverTime::new(Lif::<f64, 1>::builder().tau_ref(0.7).build().unwrap())
                .dt(dt)
                .select(Lif::<f64, 1>::probe_v())
                .run_inputs(&one.iter().map(|i| i * 3.0).collect::<Vec<_>>())
                .unwrap();
            let z = LoopOverTime::new(Izhikevich::<f64, 1>::new())
                .dt(dt)
                .select(Izhikevich::<f64, 1>::probe_v())
                .run_inputs(&one)
                .unwrap();
            for k in 0..inputs.len() {
                assert_eq!(
                    pop_h.monitors.0[k][(r, c)],
                    h.monitors.0[k][0],
                    "hh ({r},{c}) {k}"
                );
                assert_eq!(
                    lif_h.monitors.0[k][(r, c)],
                    l.monitors.0[k][0],
                    "lif ({r},{c}) {k}"
                );
                assert_eq!(
                    izh_h.monitors.0[k][(r, c)],
                    z.monitors.0[k][0],
                    "izh ({r},{c}) {k}"
                );
                assert_eq!(pop_h.outputs[k][(r, c)], h.outputs[k][0]);
                assert_eq!(lif_h.outputs[k][(r, c)], l.outputs[k][0]);
                assert_eq!(izh_h.outputs[k][(r, c)], z.outputs[k][0]);
            }
        }
    }
}

/// Steps two copies of a population of `N × B` HH neurons (every neuron with its own current),
/// one split across the cores at every step (`parallel::split_always`) and one on this thread
/// (`parallel::serial`), and compares them bit for bit at every step, and both with a few of
/// their neurons stepped alone.
fn split_and_fused_steps_agree<Method: NeuronMethod, const N: usize, const B: usize>(dt: f64)
where
    Hh<f64, N, B, Method>: DynamicalSystem<Input = M<f64, N, B>, Output = M<bool, N, B>>,
    Hh<f64, 1, 1, Method>: DynamicalSystem<Input = M<f64, 1, 1>, Output = M<bool, 1, 1>>,
{
    let mut split = Hh::<f64, N, B, Method>::new();
    let mut fused = Hh::<f64, N, B, Method>::new();
    // Neurons stepped alone (a one-neuron model takes the plain fused step through
    // `integrated`): the first, one in the middle and the last, whichever block or pass of the
    // population's step they fall in.
    let watched = [(0, 0), (N / 2, B - 1), (N - 1, B - 1)];
    let mut alone = watched.map(|_| Hh::<f64, 1, 1, Method>::new());
    let sh = Shared::new(dt, ());
    let mut spikes = 0;
    for k in 0..600 {
        // Spread the currents over the neurons so that both halves spike at different times.
        let i = M::<f64, N, B>::from_fn(|r, c| 4.0 + 8.0 * ((r * B + c) % 17) as f64 / 16.0)
            + current::<N, B>(k, 0.5);
        let out_split = parallel::split_always(|| split.update(&sh, i));
        let out_fused = parallel::serial(|| fused.update(&sh, i));
        assert_eq!(out_split, out_fused, "spikes at step {k}");
        assert_eq!(
            (split.v, split.m, split.h, split.n),
            (fused.v, fused.m, fused.h, fused.n),
            "states at step {k}"
        );
        for ((r, c), one) in watched.into_iter().zip(&mut alone) {
            let out = one.update(&sh, M::<f64, 1, 1>::from_element(i[(r, c)]));
            assert_eq!(out[0], out_split[(r, c)], "spike of ({r}, {c}) at step {k}");
            let (v, m, h, n) = (one.v[0], one.m[0], one.h[0], one.n[0]);
            let theirs = (
                split.v[(r, c)],
                split.m[(r, c)],
                split.h[(r, c)],
                split.n[(r, c)],
            );
            assert_eq!((v, m, h, n), theirs, "neuron ({r}, {c}) at step {k}");
        }
        spikes += out_split.iter().filter(|s| **s).count();
    }
    assert!(spikes > 0, "the run crosses the threshold");
}

#[test]
fn a_large_hh_population_split_across_cores_steps_as_one_core_and_one_neuron_do() {
    split_and_fused_steps_agree::<ExpEuler, 1000, 2>(0.05);
    split_and_fused_steps_agree::<Rk4, 600, 1>(0.01);
    // Not a multiple of the split granularity: the halves are unequal, and the last neurons
    // are past the last block of two passes.
    split_and_fused_steps_agree::<Euler, 523, 1>(0.01);
    split_and_fused_steps_agree::<ExpEuler, 523, 1>(0.05);
    // Less than a block: one piece, on one core.
    split_and_fused_steps_agree::<ExpEuler, 40, 1>(0.05);
}

#[test]
fn hh_gates_start_at_their_steady_state_at_v0() {
    for v0 in [-65.0, -70.0, -55.0, -40.0] {
        let hh = Hh::<f64, 2, 3>::builder().v_init(v0).build().unwrap();
        let alpha_m = 1.0 / exprel(-(v0 + 40.0) / 10.0);
        let beta_m = 4.0 * exp(-(v0 + 65.0) / 18.0);
        let alpha_h = 0.07 * exp(-(v0 + 65.0) / 20.0);
        let beta_h = 1.0 / (1.0 + exp(-(v0 + 35.0) / 10.0));
        let alpha_n = 0.1 / exprel(-(v0 + 55.0) / 10.0);
        let beta_n = 0.125 * exp(-(v0 + 65.0) / 80.0);
        assert_eq!(hh.v, M::<f64, 2, 3>::from_element(v0));
        assert_eq!(
            hh.m,
            M::<f64, 2, 3>::from_element(alpha_m / (alpha_m + beta_m))
        );
        assert_eq!(
            hh.h,
            M::<f64, 2, 3>::from_element(alpha_h / (alpha_h + beta_h))
        );
        assert_eq!(
            hh.n,
            M::<f64, 2, 3>::from_element(alpha_n / (alpha_n + beta_n))
        );
        assert!(hh.spike.iter().all(|s| !s));
    }
    // At -40, alpha_m's exprel argument is exactly 0: exprel(0) = 1, alpha_m = 1.
    assert_eq!(looptime::neurons::hh::m_alpha(-40.0_f64), 1.0);
}

#[test]
fn hh_can_draw_v0_uniformly_like_brainpy_seeded() {
    let draw = |seed| {
        Hh::<f64, 200, 2>::builder()
            .v_init_spread(5.0)
            .seed(seed)
            .build()
            .unwrap()
    };
    let hh = draw(7);
    assert!(
        hh.v.iter().all(|v| (-70.0..-60.0).contains(v)),
        "V0 in [-70, -60)"
    );
    assert!(
        hh.v.iter().any(|&v| v != hh.v[0]),
        "one draw per neuron and sample"
    );
    for (v, m) in hh.v.iter().zip(hh.m.iter()) {
        assert_eq!(
            *m,
            looptime::neurons::hh::m_inf(*v),
            "gates at each neuron's own V0"
        );
    }
    assert_eq!(hh.v, draw(7).v, "a seed reproduces its draw");
    assert_ne!(hh.v, draw(8).v);
    let fresh = hh.snapshot();
    let mut run = LoopOverTime::new(hh);
    run.run_steps(50).unwrap();
    let mut hh = run.into_target();
    assert_ne!(hh.snapshot(), fresh);
    hh.reset_states();
    assert_eq!(hh.snapshot(), fresh, "a reset draws the same V0 again");
}

#[test]
fn izhikevich_u_starts_at_b_times_v0() {
    let izh = Izhikevich::<f32, 3>::builder()
        .b(0.25)
        .v_init(-60.0)
        .build()
        .unwrap();
    assert_eq!(izh.u, M::<f32, 3, 1>::from_element(0.25 * -60.0));
    let izh = Izhikevich::<f64, 1>::new();
    assert_eq!((izh.v[0], izh.u[0]), (-70.0, 0.2 * -70.0));
}

#[test]
fn an_hh_spike_is_an_upward_crossing_only() {
    // Gates at rest, V moved above threshold: V stays above it for a short step, and there is no
    // spike, because V_old < v_th fails.
    let sh = Shared::new(0.01, ());
    let mut hh = Hh::<f64, 1>::new();
    hh.v.fill(30.0);
    let out = hh.update(&sh, M::zeros());
    assert!(hh.v[0] >= 20.0, "still above threshold: {}", hh.v[0]);
    assert!(!out[0]);
    // Just below, a strong input crosses on the first step: a spike.
    let mut hh = Hh::<f64, 1>::new();
    hh.v.fill(19.9);
    let out = hh.update(&sh, M::from_element(100.0));
    assert!(hh.v[0] >= 20.0 && out[0], "V = {}", hh.v[0]);
}

#[test]
fn lif_exponential_euler_is_the_exact_solution_below_threshold() {
    // dV/dt = (-V + I) / tau from 0: V(t) = I (1 - exp(-t / tau)); row k is at t = (k + 1) dt.
    let (i, tau, dt) = (15.0, 10.0, 0.1);
    let mut run = LoopOverTime::new(Lif::<f64, 1>::new())
        .dt(dt)
        .select(Lif::<f64, 1>::probe_v());
    let history = run.run_inputs(&vec![M::from_element(i); 3000]).unwrap();
    assert!(history.outputs.iter().all(|s| !s[0]), "15 stays below 20");
    for (k, v) in history.monitors.0.values.iter().enumerate() {
        let exact = i * (1.0 - (-((k + 1) as f64) * dt / tau).exp());
        assert!(
            (v[0] - exact).abs() < 1e-12,
            "step {k}: {} vs {exact}",
            v[0]
        );
    }
}

#[test]
fn lif_holds_v_for_tau_ref_after_a_spike() {
    // dt = 0.5 and tau_ref = 2.0 are exact in binary: after a spike at t_s, the steps at
    // t_s + 0.5 … t_s + 2.0 keep V at v_reset, the step at t_s + 2.5 integrates again.
    let mut run = LoopOverTime::new(Lif::<f64, 1>::builder().tau_ref(2.0).build().unwrap())
        .dt(0.5)
        .select(Lif::<f64, 1>::probe_v())
        .select(Lif::<f64, 1>::probe_t_last_spike());
    let history = run.run_inputs(&vec![M::from_element(60.0); 200]).unwrap();
    let (v, t_last) = &history.monitors;
    let times = history.times.as_ref().unwrap();
    let spikes: Vec<usize> = (0..200).filter(|&k| history.outputs[k][0]).collect();
    assert!(spikes.len() >= 3, "{spikes:?}");
    for &s in &spikes[..spikes.len() - 1] {
        assert_eq!(v[s][0], -5.0);
        assert_eq!(t_last[s][0], times[s]);
        for k in s + 1..=s + 4 {
            assert_eq!(
                v[k][0],
                -5.0,
                "held at step {k} (t - t_last = {})",
                times[k] - times[s]
            );
        }
        assert!(v[s + 5][0] > -5.0, "free again at t_s + 2.5");
    }
}

#[test]
fn lif_reads_the_loops_time_and_the_others_do_not() {
    assert_eq!(
        DynamicalSystem::<()>::needs(&Lif::<f64, 1>::new()),
        Needs::T
    );
    assert_eq!(
        DynamicalSystem::<()>::needs(&Hh::<f64, 1>::new()),
        Needs::NOTHING
    );
    assert_eq!(
        DynamicalSystem::<()>::needs(&Izhikevich::<f64, 1>::new()),
        Needs::NOTHING
    );
    let mut run = LoopOverTime::new(Lif::<f64, 1>::new()).t0(None);
    let err = run.run_steps(10).unwrap_err();
    assert!(matches!(err, LoopError::NeedsTime), "{err:?}");
}

#[test]
fn names_of_params_and_states_are_the_rust_field_names() {
    assert_eq!(
        <Hh<f64, 1> as Params>::PARAM_NAMES,
        [
            "e_na",
            "g_na",
            "e_k",
            "g_k",
            "e_l",
            "g_l",
            "c",
            "v_th",
            "v_init",
            "v_init_spread",
            "seed"
        ]
    );
    assert_eq!(
        <Hh<f64, 1> as States>::STATE_NAMES,
        ["v", "m", "h", "n", "spike"]
    );
    assert_eq!(
        <Lif<f64, 1> as Params>::PARAM_NAMES,
        ["v_rest", "v_reset", "v_th", "r", "tau", "tau_ref", "v_init"]
    );
    assert_eq!(
        <Lif<f64, 1> as States>::STATE_NAMES,
        ["v", "spike", "t_last_spike"]
    );
    assert_eq!(
        <Izhikevich<f64, 1> as Params>::PARAM_NAMES,
        ["a", "b", "c", "d", "v_th", "v_init"]
    );
    assert_eq!(
        <Izhikevich<f64, 1> as States>::STATE_NAMES,
        ["v", "u", "spike"]
    );
    // Defaults, as docs/MODELS.md lists them.
    let hh = Hh::<f64, 1>::new();
    assert_eq!(
        (
            hh.e_na, hh.g_na, hh.e_k, hh.g_k, hh.e_l, hh.g_l, hh.c, hh.v_th
        ),
        (50.0, 120.0, -77.0, 36.0, -54.387, 0.03, 1.0, 20.0)
    );
    let lif = Lif::<f64, 1>::new();
    assert_eq!(
        (
            lif.v_rest,
            lif.v_reset,
            lif.v_th,
            lif.r,
            lif.tau,
            lif.tau_ref,
            lif.v[0]
        ),
        (0.0, -5.0, 20.0, 1.0, 10.0, 0.0, 0.0)
    );
    assert_eq!(lif.t_last_spike[0], -1e7);
    let izh = Izhikevich::<f64, 1>::new();
    assert_eq!(
        (izh.a, izh.b, izh.c, izh.d, izh.v_th),
        (0.02, 0.2, -65.0, 8.0, 30.0)
    );
    // Bad values are refused by name.
    let err = Lif::<f64, 1>::builder().tau(0.0).build().unwrap_err();
    assert!(err.to_string().contains("`tau`"), "{err}");
    let err = Hh::<f64, 1>::builder()
        .v_init_spread(-1.0)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("v_init_spread"), "{err}");
}

#[test]
fn a_reset_through_the_loop_replays_the_same_trace() {
    let mut run = LoopOverTime::new(Hh::<f32, 2, 2, Rk4>::new())
        .dt(0.01)
        .select(Hh::<f32, 2, 2, Rk4>::probe_v());
    let inputs = vec![M::<f32, 2, 2>::from_element(6.0); 500];
    let first = run.run_inputs(&inputs).unwrap();
    run.reset_state();
    let second = run.run_inputs(&inputs).unwrap();
    assert_eq!(first.monitors.0.values, second.monitors.0.values);
    assert_eq!(first.times, second.times);
}
