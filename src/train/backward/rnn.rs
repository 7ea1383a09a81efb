//! Backward step of [`RnnCell`]: `h = act(p)` with `p = wi x + wh h₋ + b` (the cell's
//! `preactivation`), so with `dp = (dy + dh) ⊙ act'(p)` the affine map's backward step gives
//! `dwi += dp xᵀ`, `dwh += dp h₋ᵀ`, `db += Σ dp`, `dh₋ = whᵀ dp` and `dx = wiᵀ dp`. `h₋`, the
//! state before the step, is the step before's output when the loop kept it, else the record
//! (`STATE_IS_OUTPUT`); `act'(p)` comes from the output for relu, tanh and the
//! like, and from `p` recomputed otherwise. Parameters in field order: `wi` (`OUT × IN`), `wh`
//! (`OUT × OUT`), `b` (`OUT`).

use nalgebra::SMatrix;

use crate::layers::{Derivative, RnnCell};
use crate::train::linalg::Write;
use crate::train::{
    AffineGrads, Forward, GradCursor, LocalBackward, Zeroable, two_products_plus_bias_backward,
};
use crate::{Real, Shared};

/// The gradient carried from step to step by [`RnnCell`]'s backward steps: `∂L/∂h`, and the
/// buffer each step writes its `dp` into (kept here, as `sequential!` keeps its inner outputs'
/// gradients, so that a step neither copies nor zeroes a temporary for it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RnnStateGrad<T: Real, const OUT: usize, const B: usize> {
    /// `∂L/∂h`.
    pub h: SMatrix<T, OUT, B>,
    /// Scratch: the last step's `dp = (dy + dh) ⊙ act'(p)`.
    pub dp: SMatrix<T, OUT, B>,
}

impl<T: Real, const OUT: usize, const B: usize> Zeroable for RnnStateGrad<T, OUT, B> {
    fn zeroed() -> Self {
        RnnStateGrad {
            h: SMatrix::zeros(),
            dp: SMatrix::zeros(),
        }
    }
}

impl<T: Real, const IN: usize, const OUT: usize, const B: usize> LocalBackward
    for RnnCell<T, IN, OUT, B>
{
    type In = SMatrix<T, IN, B>;
    type Out = SMatrix<T, OUT, B>;
    type StateGrad = RnnStateGrad<T, OUT, B>;
    /// The state `h` is the output: not recorded when the step before's output is kept.
    const STATE_IS_OUTPUT: bool = true;

    /// The backward step (see the module docs).
    #[inline(always)]
    fn backward_step<A>(
        &self,
        _sh: &Shared<A>,
        step: Forward<'_, SMatrix<T, IN, B>, SMatrix<T, OUT, B>, Self::Snapshot>,
        dy: &SMatrix<T, OUT, B>,
        dstate: &mut Self::StateGrad,
        grads: &mut [T],
        dx: Option<&mut SMatrix<T, IN, B>>,
    ) {
        let (x, h_prev) = (step.x, step.state_before(&step.record.state));
        let RnnStateGrad { h: dh, dp } = dstate;
        // `dp = (dy + dh) ⊙ act'` in one pass where the output gives `act'` (else the sum).
        let act = self.activation;
        if !act.sum_times_derivative_from_output(
            dp.as_mut_slice(),
            dy.as_slice(),
            dh.as_slice(),
            step.y.as_slice(),
        ) {
            // The output does not determine act'(p): recompute p as the step did.
            let mut p = SMatrix::<T, OUT, B>::zeros();
            self.preactivation(x, h_prev, &mut p);
            act.scale_by_derivative(dp.as_mut_slice(), p.as_slice());
        }
        let mut g = GradCursor::new(grads);
        let grads = AffineGrads {
            a: g.slice(OUT * IN),
            c: g.slice(OUT * OUT),
            b: g.slice(OUT),
        };
        let dx = dx.map(|dx| (dx, Write::Over));
        let dh = Some((dh, Write::Over));
        two_products_plus_bias_backward(&self.wi, x, &self.wh, h_prev, dp, grads, dx, dh);
    }
}
