//! Models written as a user writes them (`benches/support/user_models.rs`) give the right
//! numbers: HH with the zoo's rates or with the textbook's six `.exp()` matches BrainPy's trace,
//! LIF matches the zoo's `Lif` bit for bit, and FitzHugh–Nagumo and AdEx agree with the same
//! equations in a plain Rust loop (to the last bits for FitzHugh–Nagumo; for AdEx, whose
//! `.exp()` is looptime's vectorizable one rather than the platform's, within 1e-9 and with the
//! same spikes).

mod neurons_support;
#[path = "../benches/support/user_models.rs"]
mod user_models;

use looptime::nalgebra::SVector;
use looptime::neurons::Lif;
use looptime::prelude::*;
use neurons_support::{assert_close, reference};
use user_models::{AdEx, Fhn, PlainAdEx, PlainFhn, TextbookHh, UserHh, UserLif};

#[test]
fn user_hh_with_the_zoos_rates_matches_brainpy() {
    let trace = reference("hh_input5_1000steps.csv");
    let mut run = LoopOverTime::new(UserHh::<f64, 1>::new()).monitor("v", |m| m.v[0]);
    let history = run
        .run_inputs(&vec![SVector::<f64, 1>::from_element(5.0); 1000])
        .unwrap();
    let (v,) = &history.monitors;
    assert_close("hh_input5", "V", &v.values, &trace.column("V"), 1e-6);
}

#[test]
fn textbook_hh_with_plain_exp_matches_brainpy() {
    let trace = reference("hh_input5_1000steps.csv");
    let mut run = LoopOverTime::new(TextbookHh::<f64, 1>::new()).monitor("v", |m| m.v[0]);
    let history = run
        .run_inputs(&vec![SVector::<f64, 1>::from_element(5.0); 1000])
        .unwrap();
    let (v,) = &history.monitors;
    assert_close("hh_input5", "V", &v.values, &trace.column("V"), 1e-6);
    let spikes: Vec<usize> = (0..1000).filter(|&k| history.outputs[k][0]).collect();
    assert_eq!(spikes, trace.spike_steps());
}

#[test]
fn user_lif_is_the_zoos_lif() {
    const N: usize = 100;
    let input = SVector::<f64, N>::from_fn(|k, _| 15.0 + 0.3 * k as f64);
    let user = UserLif::<f64, N>::builder().tau_ref(2.0).build().unwrap();
    let zoo = Lif::<f64, N>::builder().tau_ref(2.0).build().unwrap();
    let mut user_run = LoopOverTime::new(user).monitor("v", |m| m.v);
    let mut zoo_run = LoopOverTime::new(zoo).monitor("v", |m| m.v);
    let ours = user_run.run_inputs(&vec![input; 2000]).unwrap();
    let theirs = zoo_run.run_inputs(&vec![input; 2000]).unwrap();
    assert_eq!(ours.monitors.0.values, theirs.monitors.0.values);
    assert!(ours.outputs.iter().any(|s| s.iter().any(|x| *x)));
}

#[test]
fn fhn_is_the_plain_loop_bit_for_bit() {
    const N: usize = 37;
    let input: Vec<f64> = (0..N).map(|k| 0.3 + 0.02 * k as f64).collect();
    let mut model = Fhn::<f64, N>::new();
    let mut plain = PlainFhn::new(N);
    let mut out = vec![0.0; N];
    let sh = Shared::new(0.1, ());
    for _ in 0..500 {
        let ours = model.update(&sh, SVector::from_column_slice(&input));
        plain.step(0.1, &input, &mut out);
        assert_eq!(ours.as_slice(), &out[..]);
    }
    assert_eq!(model.w.as_slice(), &plain.w[..]);
}

#[test]
fn adex_agrees_with_the_plain_loop() {
    const N: usize = 23;
    let input: Vec<f64> = (0..N).map(|k| 600.0 + 20.0 * k as f64).collect();
    let mut model = AdEx::<f64, N>::new();
    let mut plain = PlainAdEx::new(N);
    let mut spikes = vec![false; N];
    let sh = Shared::new(0.1, ());
    let mut fired = 0;
    for _ in 0..5000 {
        let ours = model.update(&sh, SVector::from_column_slice(&input));
        plain.step(0.1, &input, &mut spikes);
        assert_eq!(ours.as_slice(), &spikes[..]);
        fired += spikes.iter().filter(|s| **s).count();
        for k in 0..N {
            assert!((model.v[k] - plain.v[k]).abs() <= 1e-9 * plain.v[k].abs().max(1.0));
        }
    }
    assert!(fired > 0, "the inputs make AdEx fire");
}
