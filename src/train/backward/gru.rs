//! Backward step of [`GruCell`] (docs/MODELS.md): with the cell's gates `z = σ(pz)`, `r = σ(pr)`,
//! `a = act(pa)` (recomputed by the cell's own `gates` from `h₋`, the step before's output or
//! the record), where each `p` is an affine map of `x` and `h₋` (of `r ⊙ h₋` for `pa`), and
//! `h = (1 − z) ⊙ h₋ + z ⊙ a`, for `dh = dy + dstate`:
//!
//! ```text
//! dpz = dh ⊙ (a − h₋) ⊙ z(1 − z)        dpa = dh ⊙ z ⊙ act'(pa)
//! drh = wh_aᵀ dpa                        dpr = drh ⊙ h₋ ⊙ r(1 − r)
//! dh₋ = dh ⊙ (1 − z) + drh ⊙ r + wh_zᵀ dpz + wh_rᵀ dpr
//! dx  = wi_aᵀ dpa + wi_zᵀ dpz + wi_rᵀ dpr
//! ```
//!
//! Each `dp` goes through the backward step of its gate's affine map, which also adds the
//! weights' gradients. Parameters in field order: `wi_z`, `wi_r`, `wi_a`, `wh_z`, `wh_r`,
//! `wh_a`, `b_z`, `b_r`, `b_a`.

use nalgebra::SMatrix;

use crate::layers::{Derivative, GruCell};
use crate::train::linalg::Write;
use crate::train::{
    AffineGrads, Forward, GradCursor, LocalBackward, two_products_plus_bias_backward,
};
use crate::{Real, Shared};

impl<T: Real, const IN: usize, const OUT: usize, const B: usize> LocalBackward
    for GruCell<T, IN, OUT, B>
{
    type In = SMatrix<T, IN, B>;
    type Out = SMatrix<T, OUT, B>;
    type StateGrad = SMatrix<T, OUT, B>;
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
        mut dx: Option<&mut SMatrix<T, IN, B>>,
    ) {
        let (x, h) = (step.x, step.state_before(&step.record.state));
        let one = T::one();
        let gates = self.gates(x, h);
        let (z, r) = (&gates.z, &gates.r);
        // By reference: `dy + *dstate` would copy the state gradient first.
        #[allow(clippy::op_ref)]
        let dh = dy + &*dstate;
        let dpz = SMatrix::<T, OUT, B>::from_fn(|i, j| {
            let z = z[(i, j)];
            dh[(i, j)] * (gates.a[(i, j)] - h[(i, j)]) * z * (one - z)
        });
        let mut dpa = dh.component_mul(z);
        if !self
            .activation
            .scale_by_derivative_from_output(dpa.as_mut_slice(), gates.a.as_slice())
        {
            self.activation
                .scale_by_derivative(dpa.as_mut_slice(), gates.pa.as_slice());
        }

        let mut g = GradCursor::new(grads);
        let (wi_z, wi_r, wi_a) = (g.slice(OUT * IN), g.slice(OUT * IN), g.slice(OUT * IN));
        let (wh_z, wh_r, wh_a) = (g.slice(OUT * OUT), g.slice(OUT * OUT), g.slice(OUT * OUT));
        let (b_z, b_r, b_a) = (g.slice(OUT), g.slice(OUT), g.slice(OUT));

        // The candidate first: its input gradient `drh` feeds the reset gate's.
        let mut drh = SMatrix::<T, OUT, B>::zeros();
        let grads_a = AffineGrads {
            a: wi_a,
            c: wh_a,
            b: b_a,
        };
        let dx_a = dx.as_deref_mut().map(|dx| (dx, Write::Over));
        let drh_out = Some((&mut drh, Write::Over));
        two_products_plus_bias_backward(
            &self.wi_a, x, &self.wh_a, &gates.rh, &dpa, grads_a, dx_a, drh_out,
        );
        let dpr = SMatrix::<T, OUT, B>::from_fn(|i, j| {
            let r = r[(i, j)];
            drh[(i, j)] * h[(i, j)] * r * (one - r)
        });
        *dstate = SMatrix::from_fn(|i, j| dh[(i, j)] * (one - z[(i, j)]) + drh[(i, j)] * r[(i, j)]);
        for (wi, wh, gi, gh, gb, dp) in [
            (&self.wi_z, &self.wh_z, wi_z, wh_z, b_z, &dpz),
            (&self.wi_r, &self.wh_r, wi_r, wh_r, b_r, &dpr),
        ] {
            let grads = AffineGrads {
                a: gi,
                c: gh,
                b: gb,
            };
            let dx = dx.as_deref_mut().map(|dx| (dx, Write::Add));
            let dh = Some((&mut *dstate, Write::Add));
            two_products_plus_bias_backward(wi, x, wh, h, dp, grads, dx, dh);
        }
    }
}
