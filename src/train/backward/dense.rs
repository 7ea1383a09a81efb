//! Backward step of [`Dense`]: `y = w x + b`, so `dw += dy xᵀ`, `db += Σ dy`, `dx = wᵀ dy`.
//! Parameters in field order: `w` (`OUT × IN`), `b` (`OUT`).

use nalgebra::SMatrix;

use crate::layers::Dense;
use crate::train::linalg::{add_a_bt, add_row_sums, at_b};
use crate::train::{Backward, Forward, GradCursor};
use crate::{DynamicalSystem, Real, Shared};

impl<A, T: Real, const IN: usize, const OUT: usize, const B: usize> Backward<A>
    for Dense<T, IN, OUT, B>
{
    type Record = ();
    type StateGrad = ();

    #[inline]
    fn forward(&mut self, sh: &Shared<A>, x: &SMatrix<T, IN, B>) -> (SMatrix<T, OUT, B>, ()) {
        (self.update(sh, *x), ())
    }

    fn zero_state_grad(&self) {}

    fn backward(
        &self,
        _sh: &Shared<A>,
        step: Forward<'_, SMatrix<T, IN, B>, SMatrix<T, OUT, B>, ()>,
        dy: &SMatrix<T, OUT, B>,
        _dstate: &mut (),
        grads: &mut [T],
        dx: Option<&mut SMatrix<T, IN, B>>,
    ) {
        let mut g = GradCursor::new(grads);
        add_a_bt(g.slice(OUT * IN), T::one(), dy, step.x);
        add_row_sums(g.slice(OUT), dy);
        if let Some(dx) = dx {
            at_b(dx.as_mut_slice(), &self.w, dy, T::zero());
        }
    }
}
