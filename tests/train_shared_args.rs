//! The driver feeds each step the shared values a loop would (`t = t0 + k·dt`, `i`, `dt`,
//! `fit = true`, the user's args), in the forward pass, in remat's recomputation and in the
//! backward pass; and it refuses a model that reads `t` when it generates none.

use looptime::nalgebra::SMatrix;
use looptime::train::loss::mse;
use looptime::train::{
    Backward, Bptt, Forward, ParamVisitor, ParamVisitorMut, TrainError, Trainable,
};
use looptime::{DynamicalSystem, Needs, Shared, StateVisitor, States};

/// The shared args: a gain.
#[derive(Clone, Copy)]
struct Gain(f64);

/// `h ← w h + gain · t · x`: reads `t` and the args.
struct Clocked {
    w: f64,
    h: SMatrix<f64, 1, 1>,
}

impl DynamicalSystem<Gain> for Clocked {
    type Input = SMatrix<f64, 1, 1>;
    type Output = SMatrix<f64, 1, 1>;

    fn update(&mut self, sh: &Shared<Gain>, x: Self::Input) -> Self::Output {
        assert!(sh.fit, "the driver trains: fit = true");
        self.h = self.h * self.w + x * (sh.args.0 * sh.time());
        self.h
    }

    fn reset_state(&mut self) {
        self.h = SMatrix::zeros();
    }

    fn needs(&self) -> Needs {
        Needs::T
    }
}

impl States for Clocked {
    type Snapshot = SMatrix<f64, 1, 1>;
    const STATE_NAMES: &'static [&'static str] = &["h"];
    const CHILD_NAMES: &'static [&'static str] = &[];
    fn reset_states(&mut self) {
        self.h = SMatrix::zeros();
    }
    fn visit_states(&self, _visitor: &mut dyn StateVisitor) {}
    fn snapshot(&self) -> Self::Snapshot {
        self.h
    }
    fn restore(&mut self, h: &Self::Snapshot) {
        self.h = *h;
    }
}

impl Trainable for Clocked {
    type Scalar = f64;
    const PARAM_COUNT: usize = 1;
    fn visit_params(&self, v: &mut dyn ParamVisitor<f64>) {
        v.param("w", core::slice::from_ref(&self.w), (1, 1));
    }
    fn visit_params_mut(&mut self, v: &mut dyn ParamVisitorMut<f64>) {
        v.param("w", core::slice::from_mut(&mut self.w), (1, 1));
    }
}

impl Backward<Gain> for Clocked {
    type Record = SMatrix<f64, 1, 1>;
    type StateGrad = SMatrix<f64, 1, 1>;

    fn forward(&mut self, sh: &Shared<Gain>, x: &Self::Input) -> (Self::Output, Self::Record) {
        let before = self.h;
        (self.update(sh, *x), before)
    }

    fn zero_state_grad(&self) -> Self::StateGrad {
        SMatrix::zeros()
    }

    fn backward(
        &self,
        sh: &Shared<Gain>,
        step: Forward<'_, Self::Input, Self::Output, Self::Record>,
        dy: &Self::Output,
        dh: &mut Self::StateGrad,
        grads: &mut [f64],
        dx: Option<&mut Self::Input>,
    ) {
        let d = dy + *dh;
        grads[0] += d[0] * step.record[0];
        *dh = d * self.w;
        if let Some(dx) = dx {
            *dx = d * (sh.args.0 * sh.time());
        }
    }
}

/// The loss as a function of `w`, stepped by hand: `h_k = w h_{k−1} + g · (t0 + k dt) · x_k`.
fn loss_at(w: f64, xs: &[f64], targets: &[f64], g: f64, t0: f64, dt: f64) -> f64 {
    let mut h = 0.0;
    let mut sum = 0.0;
    for (k, (x, target)) in xs.iter().zip(targets).enumerate() {
        h = w * h + g * (t0 + k as f64 * dt) * x;
        sum += (h - target) * (h - target);
    }
    sum / xs.len() as f64
}

#[test]
fn time_and_args_reach_every_pass() {
    let xs: Vec<SMatrix<f64, 1, 1>> = (0..12)
        .map(|k| SMatrix::repeat((k as f64 * 0.7).sin()))
        .collect();
    let targets: Vec<SMatrix<f64, 1, 1>> = (0..12)
        .map(|k| SMatrix::repeat((k as f64 * 0.3).cos()))
        .collect();
    let loss = |ys: &[SMatrix<f64, 1, 1>], dys: &mut [SMatrix<f64, 1, 1>]| mse(ys, &targets, dys);
    let mut model = Clocked {
        w: 0.8,
        h: SMatrix::zeros(),
    };
    let (g, t0, dt) = (1.5, 2.0, 0.25);
    let mut plain = Bptt::with_args(12, Gain(g)).t0(t0).dt(dt);
    let mut remat = Bptt::with_args(12, Gain(g)).t0(t0).dt(dt).remat(5);
    let value = plain.gradient(&mut model, &xs, loss).unwrap();
    assert_eq!(remat.gradient(&mut model, &xs, loss).unwrap(), value);
    assert_eq!(plain.grads(), remat.grads());

    let (xs_, ts_): (Vec<f64>, Vec<f64>) =
        xs.iter().zip(&targets).map(|(x, t)| (x[0], t[0])).unzip();
    assert!((value - loss_at(0.8, &xs_, &ts_, g, t0, dt)).abs() < 1e-14);
    let h = 1e-6;
    let fd = (loss_at(0.8 + h, &xs_, &ts_, g, t0, dt) - loss_at(0.8 - h, &xs_, &ts_, g, t0, dt))
        / (2.0 * h);
    assert!(
        ((plain.grads()[0] - fd) / fd).abs() < 1e-7,
        "{} vs {fd}",
        plain.grads()[0]
    );

    let mut timeless = Bptt::with_args(12, Gain(g)).t0(None);
    assert_eq!(
        timeless.gradient(&mut model, &xs, loss),
        Err(TrainError::MissingShared("t"))
    );
}
