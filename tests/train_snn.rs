//! Spiking networks train with surrogate gradients: `SurrogateLif` steps as BrainPy's LIF in
//! training mode (Heaviside spike, soft reset), its backward step uses the surrogate derivative,
//! and a small spiking classifier's loss falls under Adam.

use looptime::layers::Dense;
use looptime::math::exprel;
use looptime::nalgebra::SMatrix;
use looptime::sequential;
use looptime::train::loss::softmax_cross_entropy;
use looptime::train::{Adam, Backward, Bptt, Forward, Optimizer, Surrogate, SurrogateLif};
use looptime::{DynamicalSystem, Shared};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[test]
fn one_step_matches_the_training_mode_formulas() {
    let mut lif = SurrogateLif::<f64, 2, 1>::builder()
        .v_th(1.0)
        .v_reset(0.0)
        .tau(5.0)
        .build()
        .unwrap();
    lif.v = SMatrix::<f64, 2, 1>::new(0.5, 0.9);
    let sh = Shared {
        dt: 1.0,
        ..Shared::default()
    };
    let x = SMatrix::<f64, 2, 1>::new(0.2, 1.5);
    let (y, record) = lif.forward(&sh, &x);

    // V' = V + dt·exprel(−dt/tau)·(−V + I)/tau; spike = [V' ≥ 1]; V ← V' − 1·spike.
    let rate = exprel(-1.0 / 5.0) / 5.0;
    let v_int = [0.5 + rate * (-0.5 + 0.2), 0.9 + rate * (-0.9 + 1.5)];
    assert!(v_int[0] < 1.0 && v_int[1] >= 1.0);
    assert_eq!(y, SMatrix::<f64, 2, 1>::new(0.0, 1.0));
    assert!((lif.v[0] - v_int[0]).abs() < 1e-15 && (lif.v[1] - (v_int[1] - 1.0)).abs() < 1e-15);

    // Backward with dL/dspike = 1 and dL/dV_new = 0.5:
    // dV' = 0.5 + (1 − 1·0.5)·g(V' − 1), g(x) = 1/(100|x| + 1)².
    let g = |x: f64| 1.0 / (100.0 * x.abs() + 1.0).powi(2);
    let mut dv = SMatrix::<f64, 2, 1>::repeat(0.5);
    let mut dx = SMatrix::<f64, 2, 1>::zeros();
    let step = Forward {
        x: &x,
        y: &y,
        record: &record,
        previous: None,
    };
    lif.backward(
        &sh,
        step,
        &SMatrix::repeat(1.0),
        &mut dv,
        &mut [],
        Some(&mut dx),
    );
    for k in 0..2 {
        let dv_int = 0.5 + 0.5 * g(v_int[k] - 1.0);
        assert!((dx[k] - dv_int * rate).abs() < 1e-15);
        assert!((dv[k] - dv_int * (1.0 - rate)).abs() < 1e-15);
    }
    assert_eq!(lif.surrogate, Surrogate::InvSquare(100.0));
}

const T: usize = 25;
const B: usize = 16;
const IN: usize = 20;

/// Two classes of spike trains: class 0 fires mostly on the first half of the channels, class
/// 1 on the second half.
fn spikes(rng: &mut ChaCha8Rng) -> (Vec<SMatrix<f64, IN, B>>, [usize; B]) {
    let labels: [usize; B] = std::array::from_fn(|b| b % 2);
    let xs = (0..T)
        .map(|_| {
            SMatrix::from_fn(|i, b| {
                let preferred = (i < IN / 2) == (labels[b] == 0);
                let p = if preferred { 0.4 } else { 0.1 };
                if rng.random::<f64>() < p { 1.0 } else { 0.0 }
            })
        })
        .collect();
    (xs, labels)
}

#[test]
fn a_spiking_classifier_learns() {
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let lif = SurrogateLif::<f64, 16, B>::builder()
        .v_th(1.0)
        .v_reset(0.0)
        .tau(5.0)
        .build()
        .unwrap();
    let mut model = sequential! {
        l1: Dense::<f64, IN, 16, B>::new(&mut rng),
        l2: lif,
        l3: Dense::<f64, 16, 2, B>::new(&mut rng),
    };
    model.l1.update_params(|p| p.w *= 3.0).unwrap();
    // Cross-entropy of the readout averaged over time.
    let loss = |labels: [usize; B]| {
        move |ys: &[SMatrix<f64, 2, B>], dys: &mut [SMatrix<f64, 2, B>]| {
            let mean = ys.iter().sum::<SMatrix<f64, 2, B>>() / T as f64;
            let mut d = [SMatrix::zeros()];
            let value = softmax_cross_entropy(&[mean], &[labels], &mut d)?;
            for dy in dys.iter_mut() {
                *dy += d[0] / T as f64;
            }
            Ok(value)
        }
    };
    let mut bptt = Bptt::new(T).dt(1.0);
    let mut adam = Adam::new(&model, 0.02);
    let (eval_xs, eval_labels) = spikes(&mut rng);
    let eval = |model: &mut _, bptt: &mut Bptt<_>| {
        bptt.gradient(model, &eval_xs, loss(eval_labels)).unwrap()
    };
    let initial = eval(&mut model, &mut bptt);
    for _ in 0..60 {
        let (xs, labels) = spikes(&mut rng);
        bptt.gradient(&mut model, &xs, loss(labels)).unwrap();
        adam.step(&mut model, bptt.grads()).unwrap();
    }
    let fin = eval(&mut model, &mut bptt);
    // The hidden layer spikes (so the gradient went through the surrogate), and the loss fell.
    DynamicalSystem::<()>::reset_state(&mut model);
    let sh = Shared {
        dt: 1.0,
        ..Shared::default()
    };
    let mut hidden_spikes = 0.0;
    for x in &eval_xs {
        let current = model.l1.update(&sh, *x);
        hidden_spikes += model.l2.update(&sh, current).sum();
    }
    println!("loss {initial:.4} -> {fin:.4}, {hidden_spikes} hidden spikes");
    assert!(hidden_spikes > 0.0);
    assert!(fin < 0.5 * initial, "loss {initial} -> {fin}");
}
