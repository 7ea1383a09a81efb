//! Backward step of [`Dense`]: `y = w x + b`, so the affine map's backward step gives
//! `dw += dy xᵀ`, `db += Σ dy` and `dx = wᵀ dy`. Parameters in field order: `w` (`OUT × IN`),
//! `b` (`OUT`).

use nalgebra::SMatrix;

use crate::layers::Dense;
use crate::train::linalg::Write;
use crate::train::{Backward, Forward, GradCursor, product_plus_bias_backward};
use crate::{DynamicalSystem, Real, Shared};

impl<A, T: Real, const IN: usize, const OUT: usize, const B: usize> Backward<A>
    for Dense<T, IN, OUT, B>
{
    type Record = ();
    type StateGrad = ();

    #[inline]
    fn forward(&mut self, sh: &Shared<A>, x: &SMatrix<T, IN, B>) -> (SMatrix<T, OUT, B>, ()) {
        (self.update_ref(sh, x), ())
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
        let (gw, gb) = (g.slice(OUT * IN), g.slice(OUT));
        let dx = dx.map(|dx| (dx, Write::Over));
        product_plus_bias_backward(&self.w, step.x, dy, gw, gb, dx);
    }
}
