//! Optimizers that apply a flat gradient to a [`Trainable`] system's parameters: [`Sgd`] (with
//! momentum) and [`Adam`], with BrainPy's update rules (`bp.optim.Momentum`, `bp.optim.Adam`).
//! Their buffers are sized when they are built; a step allocates nothing. [`clip_grad_norm`]
//! rescales a gradient whose norm is too large.

mod adam;
mod sgd;

pub use adam::Adam;
pub use sgd::Sgd;

use super::trainable::{for_each_param_mut, visited_count};
use super::{TrainError, Trainable};
use crate::Real;

/// Applies gradients to parameters.
pub trait Optimizer<T: Real> {
    /// One update of every parameter of `model` from `grads` (the flat layout of
    /// [`Trainable::visit_params`]).
    ///
    /// # Errors
    /// [`TrainError::ParamCount`] when `grads`, the optimizer's buffers and the model's
    /// parameters do not have one size; the model is then unchanged.
    fn step<M: Trainable<Scalar = T> + ?Sized>(
        &mut self,
        model: &mut M,
        grads: &[T],
    ) -> Result<(), TrainError>;
}

/// Scales `grads` down so that its Euclidean norm is at most `max_norm`; returns the norm before.
pub fn clip_grad_norm<T: Real>(grads: &mut [T], max_norm: T) -> T {
    let norm = grads.iter().fold(T::zero(), |s, g| s + *g * *g).sqrt();
    if norm > max_norm {
        let scale = max_norm / norm;
        for g in grads.iter_mut() {
            *g *= scale;
        }
    }
    norm
}

/// Checks that the model's visit, the gradient and a buffer have one size.
fn check_sizes<M: Trainable + ?Sized>(
    model: &M,
    grads: usize,
    buffer: usize,
) -> Result<(), TrainError> {
    let visited = visited_count(model);
    if grads != visited {
        return Err(TrainError::ParamCount {
            expected: visited,
            got: grads,
        });
    }
    if buffer != visited {
        return Err(TrainError::ParamCount {
            expected: buffer,
            got: visited,
        });
    }
    Ok(())
}

/// Calls `f(offset, params)` for every parameter, with its place in the flat layout.
fn each_param<M: Trainable + ?Sized>(model: &mut M, f: impl FnMut(usize, &mut [M::Scalar])) {
    for_each_param_mut(model, f);
}
