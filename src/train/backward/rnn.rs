//! Backward step of [`RnnCell`]: `h = act(p)` with `p = wi x + wh h₋ + b` (the cell's
//! `preactivation`), so with `dp = (dy + dh) ⊙ act'(p)` the affine map's backward step gives
//! `dwi += dp xᵀ`, `dwh += dp h₋ᵀ`, `db += Σ dp`, `dh₋ = whᵀ dp` and `dx = wiᵀ dp`. The record
//! is `h₋`, the state before the step; `act'(p)` comes from the output for relu, tanh and the
//! like, and from `p` recomputed otherwise. Parameters in field order: `wi` (`OUT × IN`), `wh`
//! (`OUT × OUT`), `b` (`OUT`).

use nalgebra::SMatrix;

use crate::layers::{Derivative, RnnCell};
use crate::simd::vectorized;
use crate::train::linalg::Write;
use crate::train::{AffineGrads, Backward, Forward, GradCursor, two_products_plus_bias_backward};
use crate::{DynamicalSystem, Real, Shared};

recurrent_backward!(
    RnnCell,
    record: SMatrix<T, OUT, B>,
    state_grad: SMatrix<T, OUT, B>,
    before: |cell| cell.state,
    zero: SMatrix::zeros(),
);

impl<T: Real, const IN: usize, const OUT: usize, const B: usize> RnnCell<T, IN, OUT, B> {
    /// The backward step (see the module docs).
    #[inline(always)]
    fn backward_step(
        &self,
        step: Forward<'_, SMatrix<T, IN, B>, SMatrix<T, OUT, B>, SMatrix<T, OUT, B>>,
        dy: &SMatrix<T, OUT, B>,
        dstate: &mut SMatrix<T, OUT, B>,
        grads: &mut [T],
        dx: Option<&mut SMatrix<T, IN, B>>,
    ) {
        let (x, h_prev) = (step.x, step.record);
        let mut dp = dy + *dstate;
        let act = self.activation;
        if !act.scale_by_derivative_from_output(dp.as_mut_slice(), step.y.as_slice()) {
            // The output does not determine act'(p): recompute p as the step did.
            let p = self.preactivation(x, h_prev);
            act.scale_by_derivative(dp.as_mut_slice(), p.as_slice());
        }
        let mut g = GradCursor::new(grads);
        let grads = AffineGrads {
            a: g.slice(OUT * IN),
            c: g.slice(OUT * OUT),
            b: g.slice(OUT),
        };
        let dx = dx.map(|dx| (dx, Write::Over));
        let dh = Some((dstate, Write::Over));
        two_products_plus_bias_backward(&self.wi, x, &self.wh, h_prev, &dp, grads, dx, dh);
    }
}
