//! Backward step of [`ActivationLayer`]: `dx = dy ⊙ f'(x)`, no parameters, no state. `f'`
//! comes from the output where it determines it, from the input otherwise.

use nalgebra::SMatrix;

use crate::layers::{ActivationLayer, Derivative};
use crate::simd::vectorized;
use crate::train::{Backward, Forward, Trainable};
use crate::{DynamicalSystem, Real, Shared};

/// Nothing to train.
impl<F, T: Real, const R: usize, const C: usize> Trainable
    for ActivationLayer<F, SMatrix<T, R, C>>
{
    type Scalar = T;
}

impl<A, F, T, const R: usize, const C: usize> Backward<A> for ActivationLayer<F, SMatrix<T, R, C>>
where
    F: Derivative,
    T: Real,
{
    type Record = ();
    type StateGrad = ();

    #[inline]
    fn forward(&mut self, sh: &Shared<A>, x: &SMatrix<T, R, C>) -> (SMatrix<T, R, C>, ()) {
        (self.update_ref(sh, x), ())
    }

    #[inline]
    fn forward_into_output(
        &mut self,
        sh: &Shared<A>,
        x: &SMatrix<T, R, C>,
        _record: &mut (),
        out: &mut SMatrix<T, R, C>,
        _previous_kept: bool,
    ) {
        self.update_into(sh, x, out);
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
                (&self.f, dy.as_slice(), step),
                #[inline(always)]
                |dx, (f, dy, step)| {
                    // `dx = dy ⊙ f'` in one pass where the output gives `f'` (else `dx = dy`).
                    if !f.sum_times_derivative_from_output(dx, dy, &[], step.y.as_slice()) {
                        f.scale_by_derivative(dx, step.x.as_slice());
                    }
                },
            );
        }
    }
}
