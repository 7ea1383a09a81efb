//! [`Sgd`]: stochastic gradient descent with momentum, BrainPy's `bp.optim.Momentum` rule:
//! `v ← μ v − lr g`, `p ← p + v` (plain SGD when `μ = 0`).

use alloc::vec;
use alloc::vec::Vec;

use super::{Optimizer, check_sizes, each_param};
use crate::Real;
use crate::train::{TrainError, Trainable};

/// SGD with momentum. Its velocity buffer is allocated when it is built.
///
/// ```
/// use loop_core::train::{Optimizer, Sgd, Trainable};
/// # use loop_core::train::{ParamVisitor, ParamVisitorMut};
/// # struct W(f64);
/// # impl Trainable for W {
/// #     type Scalar = f64;
/// #     const PARAM_COUNT: usize = 1;
/// #     fn visit_params(&self, v: &mut dyn ParamVisitor<f64>) { v.param("w", core::slice::from_ref(&self.0), (1, 1)) }
/// #     fn visit_params_mut(&mut self, v: &mut dyn ParamVisitorMut<f64>) { v.param("w", core::slice::from_mut(&mut self.0), (1, 1)) }
/// # }
/// let mut w = W(1.0);
/// let mut sgd = Sgd::new(&w, 0.1).momentum(0.5);
/// sgd.step(&mut w, &[2.0]).unwrap(); // v = -0.2
/// sgd.step(&mut w, &[2.0]).unwrap(); // v = 0.5 * -0.2 - 0.2 = -0.3
/// assert!((w.0 - 0.5).abs() < 1e-15);
/// ```
#[derive(Clone, Debug)]
pub struct Sgd<T> {
    /// Learning rate.
    pub lr: T,
    /// Momentum `μ` (0 for plain SGD).
    pub momentum: T,
    velocity: Vec<T>,
}

impl<T: Real> Sgd<T> {
    /// Plain SGD with learning rate `lr` for the parameters of `model`.
    pub fn new<M: Trainable<Scalar = T> + ?Sized>(model: &M, lr: T) -> Self {
        let _ = model;
        Sgd {
            lr,
            momentum: T::zero(),
            velocity: vec![T::zero(); M::PARAM_COUNT],
        }
    }

    /// With momentum `μ` (BrainPy's default is 0.9).
    #[must_use]
    pub fn momentum(mut self, momentum: T) -> Self {
        self.momentum = momentum;
        self
    }
}

impl<T: Real> Optimizer<T> for Sgd<T> {
    fn step<M: Trainable<Scalar = T> + ?Sized>(
        &mut self,
        model: &mut M,
        grads: &[T],
    ) -> Result<(), TrainError> {
        check_sizes(model, grads.len(), self.velocity.len())?;
        let (lr, mu, velocity) = (self.lr, self.momentum, &mut self.velocity);
        each_param(model, |offset, params| {
            let range = offset..offset + params.len();
            for ((p, v), g) in params
                .iter_mut()
                .zip(&mut velocity[range.clone()])
                .zip(&grads[range])
            {
                *v = mu * *v - lr * *g;
                *p += *v;
            }
        });
        Ok(())
    }
}
