//! Shared by the training tests: seeded inputs, and the gradient check that compares `Bptt`'s
//! gradient with central finite differences of the same loss, parameter by parameter.
#![allow(dead_code)]

use looptime::nalgebra::SMatrix;
use looptime::train::{Backward, Bptt, LossError, Zeroable, params_from_slice, params_to_vec};
use looptime::{DynamicalSystem, Shared, States};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `n` matrices of uniform values in [-1, 1), from `seed`.
pub fn uniform<const R: usize, const C: usize>(seed: u64, n: usize) -> Vec<SMatrix<f64, R, C>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| SMatrix::from_fn(|_, _| rng.random_range(-1.0..1.0)))
        .collect()
}

/// The loss of `model` over `xs` from its initial state, stepping with `update` as a loop does
/// (dt = 0.1, t = k·dt, fit = true, as the driver).
pub fn loss_of<M, F>(model: &mut M, xs: &[M::Input], loss: &F) -> f64
where
    M: DynamicalSystem,
    M::Input: Clone,
    M::Output: Zeroable,
    F: Fn(&[M::Output], &mut [M::Output]) -> Result<f64, LossError>,
{
    model.reset_state();
    let mut sh = Shared {
        fit: true,
        ..Shared::default()
    };
    let ys: Vec<M::Output> = xs
        .iter()
        .enumerate()
        .map(|(k, x)| {
            sh.t = Some(k as f64 * sh.dt);
            sh.i = Some(k as u64);
            model.update(&sh, x.clone())
        })
        .collect();
    let mut dys: Vec<M::Output> = (0..ys.len()).map(|_| M::Output::zeroed()).collect();
    loss(&ys, &mut dys).unwrap()
}

/// The outcome of a gradient check.
#[derive(Debug)]
pub struct Check {
    /// Parameters compared.
    pub params: usize,
    /// max |g − fd| / max(|g|, |fd|) over the elements whose |fd| is at least 1e-3 of the
    /// largest (smaller ones are dominated by the differences' rounding).
    pub max_rel: f64,
    /// max |g − fd| / max |fd| over every element.
    pub max_abs_over_scale: f64,
}

/// Compares the driver's gradient with fourth-order central differences of step `h`. The
/// driver first computes a gradient over the inputs in reverse order, so that the checked one
/// writes its records over an earlier gradient's, as a training loop does (a layer that skips
/// recording what the step before's output holds would read stale records otherwise unseen).
pub fn grad_check<M, F>(model: &mut M, xs: &[M::Input], loss: F, h: f64) -> Check
where
    M: Backward<Scalar = f64> + States,
    M::Input: Clone,
    M::Output: Zeroable,
    F: Fn(&[M::Output], &mut [M::Output]) -> Result<f64, LossError>,
{
    let mut bptt = Bptt::new(xs.len());
    let reversed: Vec<M::Input> = xs.iter().rev().cloned().collect();
    bptt.gradient(model, &reversed, &loss).unwrap();
    bptt.gradient(model, xs, &loss).unwrap();
    let grads = bptt.grads().to_vec();
    let theta = params_to_vec(model);
    assert_eq!(grads.len(), theta.len());
    let mut fd = vec![0.0; theta.len()];
    for p in 0..theta.len() {
        // Fourth-order central differences: (8 (f(+h) − f(−h)) − (f(+2h) − f(−2h))) / 12h.
        let mut at = |offset: f64| {
            let mut shifted = theta.clone();
            shifted[p] = theta[p] + offset;
            params_from_slice(model, &shifted).unwrap();
            loss_of(model, xs, &loss)
        };
        let (p1, m1, p2, m2) = (at(h), at(-h), at(2.0 * h), at(-2.0 * h));
        fd[p] = (8.0 * (p1 - m1) - (p2 - m2)) / (12.0 * h);
    }
    params_from_slice(model, &theta).unwrap();
    let scale = fd.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    assert!(
        scale > 0.0,
        "every gradient is zero: the check would prove nothing"
    );
    let mut max_rel = 0.0_f64;
    let mut max_abs = 0.0_f64;
    for (g, f) in grads.iter().zip(&fd) {
        let diff = (g - f).abs();
        max_abs = max_abs.max(diff / scale);
        if f.abs() >= 1e-3 * scale {
            max_rel = max_rel.max(diff / g.abs().max(f.abs()));
        }
    }
    Check {
        params: theta.len(),
        max_rel,
        max_abs_over_scale: max_abs,
    }
}
