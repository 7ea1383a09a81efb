//! Losses against their formulas (MSE; softmax cross-entropy, stable for huge logits), and the
//! optimizers' updates against BrainPy's rules worked out by hand.

use looptime::nalgebra::SMatrix;
use looptime::train::loss::{LossError, accuracy, mse, softmax_cross_entropy};
use looptime::train::{
    Adam, Optimizer, ParamVisitor, ParamVisitorMut, Sgd, TrainError, Trainable, clip_grad_norm,
};

#[test]
fn mse_is_the_mean_of_squares_and_adds_its_gradient() {
    let ys = [SMatrix::<f64, 2, 2>::new(1.0, 2.0, 3.0, 4.0); 2];
    let ts = [SMatrix::<f64, 2, 2>::zeros(), SMatrix::repeat(1.0)];
    let mut ds = [SMatrix::<f64, 2, 2>::repeat(10.0); 2];
    let loss = mse(&ys, &ts, &mut ds).unwrap();
    // (1 + 4 + 9 + 16 + 0 + 1 + 4 + 9) / 8 = 44 / 8
    assert_eq!(loss, 5.5);
    // 10 + 2 (y − t) / 8
    assert_eq!(ds[0], SMatrix::<f64, 2, 2>::new(10.25, 10.5, 10.75, 11.0));
    assert_eq!(ds[1], SMatrix::<f64, 2, 2>::new(10.0, 10.25, 10.5, 10.75));
    assert_eq!(
        mse(&ys, &ts[..1], &mut ds),
        Err(LossError::Length {
            outputs: 2,
            targets: 1,
            grads: 2
        })
    );
    assert_eq!(mse::<f64, 2, 2>(&[], &[], &mut []), Err(LossError::Empty));
}

#[test]
fn cross_entropy_is_log_sum_exp_minus_the_label_logit() {
    let z = SMatrix::<f64, 3, 2>::new(1.0, 0.0, 2.0, -1.0, 3.0, 0.5);
    let mut d = [SMatrix::<f64, 3, 2>::zeros()];
    let loss = softmax_cross_entropy(&[z], &[[2, 0]], &mut d).unwrap();
    let lse = |a: [f64; 3]| a.iter().map(|v| v.exp()).sum::<f64>().ln();
    let c0 = [1.0, 2.0, 3.0]; // column 0 (label 2)
    let c1 = [0.0, -1.0, 0.5]; // column 1 (label 0)
    let expected = ((lse(c0) - 3.0) + (lse(c1) - 0.0)) / 2.0;
    assert!((loss - expected).abs() < 1e-15, "{loss} vs {expected}");
    for k in 0..3 {
        let p0 = (c0[k] - lse(c0)).exp() - if k == 2 { 1.0 } else { 0.0 };
        let p1 = (c1[k] - lse(c1)).exp() - if k == 0 { 1.0 } else { 0.0 };
        assert!((d[0][(k, 0)] - p0 / 2.0).abs() < 1e-15);
        assert!((d[0][(k, 1)] - p1 / 2.0).abs() < 1e-15);
    }
    assert_eq!(accuracy(&z, &[2, 0]).unwrap(), 0.5); // column 1's largest is class 2

    // Huge logits: no overflow; the loss is exactly the gap.
    let big = SMatrix::<f64, 2, 1>::new(1000.0, -1000.0);
    let mut d = [SMatrix::<f64, 2, 1>::zeros()];
    assert_eq!(
        softmax_cross_entropy(&[big], &[[1]], &mut d).unwrap(),
        2000.0
    );
    assert_eq!(d[0], SMatrix::<f64, 2, 1>::new(1.0, -1.0));

    assert_eq!(
        softmax_cross_entropy(&[big], &[[2]], &mut d),
        Err(LossError::Label {
            label: 2,
            classes: 2
        })
    );
}

/// Two scalars, as a model.
struct Two([f64; 2]);

impl Trainable for Two {
    type Scalar = f64;
    const PARAM_COUNT: usize = 2;
    fn visit_params(&self, v: &mut dyn ParamVisitor<f64>) {
        v.param("p", &self.0, (2, 1));
    }
    fn visit_params_mut(&mut self, v: &mut dyn ParamVisitorMut<f64>) {
        v.param("p", &mut self.0, (2, 1));
    }
}

#[test]
fn sgd_with_momentum_follows_brainpy_momentum() {
    // v ← μ v − lr g; p ← p + v.
    let mut p = Two([1.0, -2.0]);
    let mut sgd = Sgd::new(&p, 0.1).momentum(0.9);
    sgd.step(&mut p, &[1.0, 2.0]).unwrap(); // v = (-0.1, -0.2)
    sgd.step(&mut p, &[-1.0, 0.5]).unwrap(); // v = (0.9·-0.1 + 0.1, 0.9·-0.2 − 0.05)
    let v1 = [-0.1, -0.2];
    let v2 = [0.9 * v1[0] + 0.1, 0.9 * v1[1] - 0.05];
    assert_eq!(p.0, [1.0 + v1[0] + v2[0], -2.0 + v1[1] + v2[1]]);
    assert_eq!(
        sgd.step(&mut p, &[1.0]),
        Err(TrainError::ParamCount {
            expected: 2,
            got: 1
        })
    );
}

#[test]
fn adam_follows_kingma_and_ba_with_bias_correction() {
    let mut p = Two([0.5, 0.0]);
    let mut adam = Adam::new(&p, 0.01);
    let grads = [[0.2, -1.0], [0.4, 3.0]];
    let (mut m, mut v) = ([0.0; 2], [0.0; 2]);
    let mut expected = [0.5, 0.0];
    for (t, g) in grads.iter().enumerate() {
        adam.step(&mut p, g).unwrap();
        let t = (t + 1) as i32;
        let lr = 0.01 / (1.0 - 0.9_f64.powi(t)) * (1.0 - 0.999_f64.powi(t)).sqrt();
        for k in 0..2 {
            m[k] = 0.9 * m[k] + 0.1 * g[k];
            v[k] = 0.999 * v[k] + 0.001 * g[k] * g[k];
            expected[k] -= lr * m[k] / (v[k].sqrt() + 1e-8);
        }
    }
    for k in 0..2 {
        assert!(
            (p.0[k] - expected[k]).abs() < 1e-15,
            "{:?} vs {expected:?}",
            p.0
        );
    }
    assert_eq!(adam.updates(), 2);
}

#[test]
fn clipping_rescales_to_the_norm() {
    let mut g = [3.0_f64, 4.0];
    assert_eq!(clip_grad_norm(&mut g, 1.0), 5.0);
    assert!((g[0] - 0.6).abs() < 1e-15 && (g[1] - 0.8).abs() < 1e-15);
    let mut small = [0.3, 0.4];
    clip_grad_norm(&mut small, 1.0);
    assert_eq!(small, [0.3, 0.4]);
}
