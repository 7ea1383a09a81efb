//! Backward step of [`RnnCell`]: `h = act(p)` with `p = wi x + wh h₋ + b`, so with
//! `dp = (dy + dh) ⊙ act'(p)`: `dwi += dp xᵀ`, `dwh += dp h₋ᵀ`, `db += Σ dp`, `dh₋ = whᵀ dp`,
//! `dx = wiᵀ dp`. The record is `h₋`, the state before the step; `act'(p)` comes from the output
//! for relu, tanh and the like, and from `p` recomputed otherwise. Parameters in field order:
//! `wi` (`OUT × IN`), `wh` (`OUT × OUT`), `b` (`OUT`).

use nalgebra::SMatrix;

use super::activation::{Derivative, scale_by_derivative_from_output};
use crate::layers::RnnCell;
use crate::simd::vectorized;
use crate::train::linalg::{add_a_bt, add_row_sums, at_b};
use crate::train::{Backward, Forward, GradCursor};
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
        if !scale_by_derivative_from_output(self.activation, dp.as_mut_slice(), step.y.as_slice()) {
            // The output does not determine act'(p): recompute p as the step did.
            let mut p = self.wi * x;
            p.gemm(T::one(), &self.wh, h_prev, T::one());
            for mut column in p.column_iter_mut() {
                column += &self.b;
            }
            for (d, p) in dp.iter_mut().zip(p.iter()) {
                *d *= self.activation.derivative(*p);
            }
        }
        let mut g = GradCursor::new(grads);
        add_a_bt(g.slice(OUT * IN), T::one(), &dp, x);
        add_a_bt(g.slice(OUT * OUT), T::one(), &dp, h_prev);
        add_row_sums(g.slice(OUT), &dp);
        at_b(dstate.as_mut_slice(), &self.wh, &dp, T::zero());
        if let Some(dx) = dx {
            at_b(dx.as_mut_slice(), &self.wi, &dp, T::zero());
        }
    }
}
