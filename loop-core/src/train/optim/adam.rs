//! [`Adam`]: Kingma & Ba's adaptive moments, BrainPy's `bp.optim.Adam` rule: at update `t`,
//! `m ← β₁ m + (1−β₁) g`, `v ← β₂ v + (1−β₂) g²`,
//! `p ← p − lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε)`.

use alloc::vec;
use alloc::vec::Vec;

use super::{Optimizer, check_sizes, each_param};
use crate::Real;
use crate::train::{TrainError, Trainable};

/// Adam. Its two moment buffers are allocated when it is built.
#[derive(Clone, Debug)]
pub struct Adam<T> {
    /// Learning rate.
    pub lr: T,
    /// Decay of the first moment (default 0.9).
    pub beta1: T,
    /// Decay of the second moment (default 0.999).
    pub beta2: T,
    /// Added to `√v` (default 1e-8).
    pub eps: T,
    t: i32,
    m: Vec<T>,
    v: Vec<T>,
}

impl<T: Real> Adam<T> {
    /// Adam with learning rate `lr` and BrainPy's defaults (β₁ 0.9, β₂ 0.999, ε 1e-8) for the
    /// parameters of `model`.
    pub fn new<M: Trainable<Scalar = T> + ?Sized>(model: &M, lr: T) -> Self {
        let _ = model;
        Adam {
            lr,
            beta1: T::of(0.9),
            beta2: T::of(0.999),
            eps: T::of(1e-8),
            t: 0,
            m: vec![T::zero(); M::PARAM_COUNT],
            v: vec![T::zero(); M::PARAM_COUNT],
        }
    }

    /// Updates made so far.
    pub fn updates(&self) -> i32 {
        self.t
    }
}

impl<T: Real> Optimizer<T> for Adam<T> {
    fn step<M: Trainable<Scalar = T> + ?Sized>(
        &mut self,
        model: &mut M,
        grads: &[T],
    ) -> Result<(), TrainError> {
        check_sizes(model, grads.len(), self.m.len())?;
        self.t = self.t.saturating_add(1);
        let one = T::one();
        let (b1, b2, eps) = (self.beta1, self.beta2, self.eps);
        let lr = self.lr / (one - b1.powi(self.t)) * (one - b2.powi(self.t)).sqrt();
        let (m, v) = (&mut self.m, &mut self.v);
        each_param(model, |offset, params| {
            let range = offset..offset + params.len();
            let moments = m[range.clone()].iter_mut().zip(&mut v[range.clone()]);
            for ((p, (m, v)), g) in params.iter_mut().zip(moments).zip(&grads[range]) {
                *m = b1 * *m + (one - b1) * *g;
                *v = b2 * *v + (one - b2) * *g * *g;
                *p -= lr * *m / (v.sqrt() + eps);
            }
        });
        Ok(())
    }
}
