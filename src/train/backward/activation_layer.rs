//! Backward step of [`ActivationLayer`]: `dx = dy ⊙ f'(x)`, no parameters, no state.

use nalgebra::SMatrix;

use super::activation::Derivative;
use crate::layers::{ActivationLayer, ElementFn};
use crate::simd::vectorized;
use crate::train::{Backward, Forward, ParamVisitor, ParamVisitorMut, Trainable};
use crate::{DynamicalSystem, Real, Shared};

impl<F, T: Real, const R: usize, const C: usize> Trainable
    for ActivationLayer<F, SMatrix<T, R, C>>
{
    type Scalar = T;
    const PARAM_COUNT: usize = 0;

    fn visit_params(&self, _visitor: &mut dyn ParamVisitor<T>) {}

    fn visit_params_mut(&mut self, _visitor: &mut dyn ParamVisitorMut<T>) {}
}

impl<A, F, T, const R: usize, const C: usize> Backward<A> for ActivationLayer<F, SMatrix<T, R, C>>
where
    F: ElementFn + Derivative,
    T: Real,
{
    type Record = ();
    type StateGrad = ();

    #[inline]
    fn forward(&mut self, sh: &Shared<A>, x: &SMatrix<T, R, C>) -> (SMatrix<T, R, C>, ()) {
        (self.update(sh, *x), ())
    }

    fn zero_state_grad(&self) {}

    fn backward(
        &self,
        _sh: &Shared<A>,
        step: Forward<'_, SMatrix<T, R, C>, SMatrix<T, R, C>, ()>,
        dy: &SMatrix<T, R, C>,
        _dstate: &mut (),
        _grads: &mut [T],
        dx: Option<&mut SMatrix<T, R, C>>,
    ) {
        if let Some(dx) = dx {
            // Compiled for the widest vector instructions the CPU has.
            vectorized(
                dx.as_mut_slice(),
                (&self.f, dy.as_slice(), step.x.as_slice()),
                #[inline(always)]
                |dx, (f, dy, x)| {
                    for ((dx, dy), x) in dx.iter_mut().zip(dy).zip(x) {
                        *dx = *dy * f.derivative(*x);
                    }
                },
            );
        }
    }
}
