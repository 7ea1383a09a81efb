//! A user's own `#[dynamical_system]` layers take part in training: their `#[param(train)]`
//! fields make them `Trainable`, they write only their local derivative (`LocalBackward`), they
//! compose with the built-in layers in `sequential!`, and their gradients (and those they send
//! back to the layers before them) agree with finite differences. The recurrent cell is the
//! README's ("A layer of your own"), trained end to end.

mod train_support;

use looptime::kernels::two_products_plus_bias;
use looptime::layers::{Dense, Tanh};
use looptime::nalgebra::{SMatrix, SVector};
use looptime::prelude::*;
use looptime::sequential;
use looptime::train::linalg::Write;
use looptime::train::loss::{mse, softmax_cross_entropy};
use looptime::train::{
    Adam, AffineGrads, Bptt, Forward, GradCursor, LocalBackward, Optimizer, param_infos,
    two_products_plus_bias_backward,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use train_support::{grad_check, uniform};

/// A leaky integrator with a trainable gain per unit and a trainable decay:
/// `h ← a h + g ⊙ x`, output `h`.
#[dynamical_system]
#[derive(Clone)]
pub struct GainLeak<const N: usize, const B: usize> {
    /// Gain per unit.
    #[param(default = 1.0, train)]
    pub g: SVector<f64, N>,
    /// Decay of the state per step.
    #[param(default = 0.9, train)]
    pub a: f64,
    /// The state.
    #[state(init = 0.0)]
    pub h: SMatrix<f64, N, B>,
}

#[dynamical_system]
impl<const N: usize, const B: usize> GainLeak<N, B> {
    #[update]
    fn step(&mut self, _sh: &Shared, x: SMatrix<f64, N, B>) -> SMatrix<f64, N, B> {
        let gx = SMatrix::<f64, N, B>::from_fn(|i, j| self.g[i] * x[(i, j)]);
        self.h = self.h * self.a + gx;
        self.h
    }
}

impl<const N: usize, const B: usize> LocalBackward for GainLeak<N, B> {
    type In = SMatrix<f64, N, B>;
    type Out = SMatrix<f64, N, B>;
    type StateGrad = SMatrix<f64, N, B>;

    fn backward_step<A>(
        &self,
        _sh: &Shared<A>,
        step: Forward<'_, Self::In, Self::Out, Self::Snapshot>,
        dy: &SMatrix<f64, N, B>,
        dh: &mut SMatrix<f64, N, B>,
        grads: &mut [f64],
        dx: Option<&mut SMatrix<f64, N, B>>,
    ) {
        let d = dy + *dh;
        let mut cursor = GradCursor::new(grads);
        let mut dg = cursor.matrix::<N, 1>();
        let da = cursor.slice(1);
        for i in 0..N {
            for j in 0..B {
                dg[i] += d[(i, j)] * step.x[(i, j)];
                da[0] += d[(i, j)] * step.record.h[(i, j)];
            }
        }
        *dh = d * self.a;
        if let Some(dx) = dx {
            *dx = SMatrix::from_fn(|i, j| self.g[i] * d[(i, j)]);
        }
    }
}

// The README's cell, from here to the end of its `LocalBackward`.

/// A leaky recurrent cell: `h ← (1 − α) h + α tanh(w x + u h + b)`, with `α` fixed.
#[dynamical_system]
#[derive(Clone)]
pub struct LeakyCell<const IN: usize, const N: usize, const B: usize> {
    /// Input weights.
    #[param(check = finite, train)]
    pub w: SMatrix<f64, N, IN>,
    /// Recurrent weights.
    #[param(check = finite, train)]
    pub u: SMatrix<f64, N, N>,
    /// Bias.
    #[param(check = finite, train)]
    pub b: SVector<f64, N>,
    /// The leak (not trained: no `train`).
    #[param(default = 0.5, check = positive)]
    pub alpha: f64,
    /// The state, one column per sample.
    #[state(init = 0.0)]
    pub h: SMatrix<f64, N, B>,
}

#[dynamical_system]
impl<const IN: usize, const N: usize, const B: usize> LeakyCell<IN, N, B> {
    #[update]
    fn step(&mut self, _sh: &Shared, x: &SMatrix<f64, IN, B>) -> SMatrix<f64, N, B> {
        let mut p = SMatrix::zeros(); // p = w x + u h + b, the zoo's kernel
        two_products_plus_bias(&self.w, x, &self.u, &self.h, &self.b, &mut p);
        let alpha = self.alpha;
        self.h = self
            .h
            .zip_map(&p, |h, p| (1.0 - alpha) * h + alpha * p.tanh());
        self.h
    }
}

impl<const IN: usize, const N: usize, const B: usize> LocalBackward for LeakyCell<IN, N, B> {
    type In = SMatrix<f64, IN, B>;
    type Out = SMatrix<f64, N, B>;
    type StateGrad = SMatrix<f64, N, B>;
    /// `h` is the output: the state before a step is the step before's output when kept.
    const STATE_IS_OUTPUT: bool = true;

    /// With `d = dy + dh` and `tanh(p) = (h − (1 − α) h₋) / α`: `dp = α d ⊙ (1 − tanh²(p))`,
    /// then the affine map's backward step (`dw`, `du`, `db`, `dx = wᵀ dp`, `uᵀ dp`), and
    /// `dh₋ = (1 − α) d + uᵀ dp`.
    fn backward_step<A>(
        &self,
        _sh: &Shared<A>,
        step: Forward<'_, Self::In, Self::Out, Self::Snapshot>,
        dy: &SMatrix<f64, N, B>,
        dh: &mut SMatrix<f64, N, B>,
        grads: &mut [f64],
        dx: Option<&mut SMatrix<f64, IN, B>>,
    ) {
        let (alpha, h_prev) = (self.alpha, step.state_before(&step.record.h));
        let d = dy + *dh;
        let dp = SMatrix::<f64, N, B>::from_fn(|i, j| {
            let t = (step.y[(i, j)] - (1.0 - alpha) * h_prev[(i, j)]) / alpha;
            alpha * d[(i, j)] * (1.0 - t * t)
        });
        let mut g = GradCursor::new(grads); // w, u, b: the fields' order
        let grads = AffineGrads {
            a: g.slice(N * IN),
            c: g.slice(N * N),
            b: g.slice(N),
        };
        let dx = dx.map(|dx| (dx, Write::Over));
        let dh_prev = Some((&mut *dh, Write::Over));
        two_products_plus_bias_backward(&self.w, step.x, &self.u, h_prev, &dp, grads, dx, dh_prev);
        *dh += d * (1.0 - alpha);
    }
}

#[test]
fn a_user_layer_trains_inside_a_sequential() {
    const B: usize = 3;
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut model = sequential! {
        l1: Dense::<f64, 3, 4, B>::new(&mut rng),
        l2: Tanh,
        l3: GainLeak::<4, B>::builder().a(0.8).build().unwrap(),
    };
    model
        .l3
        .update_params(|p| p.g = SVector::from_fn(|i, _| 0.5 + 0.25 * i as f64))
        .unwrap();
    let paths: Vec<String> = param_infos(&model).into_iter().map(|p| p.path).collect();
    assert_eq!(paths, ["l1.w", "l1.b", "l3.g", "l3.a"]);

    let xs = uniform::<3, B>(2, 30);
    let targets = uniform::<4, B>(3, 30);
    let check = grad_check(
        &mut model,
        &xs,
        |ys: &[SMatrix<f64, 4, B>], dys: &mut [SMatrix<f64, 4, B>]| mse(ys, &targets, dys),
        1e-4,
    );
    println!("{check:?}");
    assert_eq!(check.params, 12 + 4 + 4 + 1);
    assert!(
        check.max_rel <= 5e-8 && check.max_abs_over_scale <= 5e-8,
        "{check:?}"
    );
}

/// The README's cell: by finite differences (its weights, and through `dx` the dense layer's
/// before it), 30 steps.
#[test]
fn the_guides_cell_has_the_gradients_of_finite_differences() {
    const B: usize = 4;
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let cell = LeakyCell::<3, 5, B>::builder()
        .w(SMatrix::from_fn(|i, j| {
            ((i * 3 + j) as f64 * 0.7).sin() * 0.6
        }))
        .u(SMatrix::from_fn(|i, j| {
            ((i * 5 + j) as f64 * 1.3).cos() * 0.4
        }))
        .b(SVector::from_fn(|i, _| 0.1 * i as f64 - 0.2))
        .alpha(0.3)
        .build()
        .unwrap();
    let mut model = sequential! {
        l1: Dense::<f64, 2, 3, B>::new(&mut rng),
        l2: cell,
    };
    let paths: Vec<String> = param_infos(&model).into_iter().map(|p| p.path).collect();
    assert_eq!(paths, ["l1.w", "l1.b", "l2.w", "l2.u", "l2.b"]);
    let xs = uniform::<2, B>(8, 30);
    let targets = uniform::<5, B>(9, 30);
    let check = grad_check(
        &mut model,
        &xs,
        |ys: &[SMatrix<f64, 5, B>], dys: &mut [SMatrix<f64, 5, B>]| mse(ys, &targets, dys),
        1e-4,
    );
    println!("{check:?}");
    assert_eq!(check.params, 2 * 3 + 3 + 3 * 5 + 5 * 5 + 5);
    assert!(
        check.max_rel <= 5e-8 && check.max_abs_over_scale <= 5e-8,
        "{check:?}"
    );
}

/// The README's cell learns the sign of a running sum (the task of `examples/train_rnn.rs`),
/// behind nothing but a read-out: the cross-entropy falls tenfold in 300 Adam steps.
#[test]
fn the_guides_cell_learns_end_to_end() {
    const B: usize = 16;
    const T: usize = 12;
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut model = sequential! {
        l1: LeakyCell::<1, 8, B>::builder()
            .w(SMatrix::from_fn(|i, _| ((i as f64) * 2.1).sin()))
            .u(SMatrix::from_fn(|i, j| ((i * 8 + j) as f64 * 0.9).cos() * 0.2))
            .b(SVector::zeros())
            .build()
            .unwrap(),
        l2: Dense::<f64, 8, 2, B>::new(&mut rng),
    };
    let xs = uniform::<1, B>(12, T);
    let labels: Vec<[usize; B]> = (0..T)
        .map(|t| {
            core::array::from_fn(|b| {
                let sum: f64 = xs[..=t].iter().map(|x| x[(0, b)]).sum();
                usize::from(sum > 0.0)
            })
        })
        .collect();
    let mut bptt = Bptt::new(T);
    let mut adam = Adam::new(&model, 0.02);
    let mut losses = Vec::new();
    for _ in 0..300 {
        let loss = bptt
            .gradient(&mut model, &xs, |ys, dys| {
                softmax_cross_entropy(ys, &labels, dys)
            })
            .unwrap();
        losses.push(loss);
        adam.step(&mut model, bptt.grads()).unwrap();
    }
    let (first, last) = (losses[0], losses[losses.len() - 1]);
    println!("cross-entropy {first} -> {last}");
    assert!(last < first / 10.0, "{first} -> {last}");
}
