//! A user's own `#[dynamical_system]` layer takes part in training: its `#[param(train)]` fields
//! make it `Trainable`, it implements `Backward` once, composes with the built-in layers in `sequential!`, and its gradients
//! (and those it sends back to the layers before it) agree with finite differences.

mod train_support;

use looptime::layers::{Dense, Tanh};
use looptime::nalgebra::{SMatrix, SVector};
use looptime::prelude::*;
use looptime::sequential;
use looptime::train::loss::mse;
use looptime::train::{Backward, Forward, GradCursor, param_infos};
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

impl<A, const N: usize, const B: usize> Backward<A> for GainLeak<N, B> {
    type Record = SMatrix<f64, N, B>;
    type StateGrad = SMatrix<f64, N, B>;

    fn forward(
        &mut self,
        sh: &Shared<A>,
        x: &SMatrix<f64, N, B>,
    ) -> (SMatrix<f64, N, B>, Self::Record) {
        let before = self.h;
        (self.update(sh, *x), before)
    }

    fn zero_state_grad(&self) -> Self::StateGrad {
        SMatrix::zeros()
    }

    fn backward(
        &self,
        _sh: &Shared<A>,
        step: Forward<'_, SMatrix<f64, N, B>, SMatrix<f64, N, B>, Self::Record>,
        dy: &SMatrix<f64, N, B>,
        dh: &mut Self::StateGrad,
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
                da[0] += d[(i, j)] * step.record[(i, j)];
            }
        }
        *dh = d * self.a;
        if let Some(dx) = dx {
            *dx = SMatrix::from_fn(|i, j| self.g[i] * d[(i, j)]);
        }
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
        check.max_rel <= 1e-6 && check.max_abs_over_scale <= 1e-6,
        "{check:?}"
    );
}
