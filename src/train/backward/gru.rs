//! Backward step of [`GruCell`] (docs/MODELS.md): with `z = σ(pz)`, `r = σ(pr)`, `a = act(pa)`,
//! `pa = wi_a x + wh_a (r ⊙ h₋) + b_a` and `h = (1 − z) ⊙ h₋ + z ⊙ a`, for `dh = dy + dstate`:
//!
//! ```text
//! dpz = dh ⊙ (a − h₋) ⊙ z(1 − z)        dpa = dh ⊙ z ⊙ act'(pa)
//! drh = wh_aᵀ dpa                        dpr = drh ⊙ h₋ ⊙ r(1 − r)
//! dh₋ = dh ⊙ (1 − z) + drh ⊙ r + wh_zᵀ dpz + wh_rᵀ dpr
//! dx  = wi_zᵀ dpz + wi_rᵀ dpr + wi_aᵀ dpa
//! ```
//!
//! The record is `h₋`; the gates are recomputed from it. Parameters in field order: `wi_z`,
//! `wi_r`, `wi_a`, `wh_z`, `wh_r`, `wh_a`, `b_z`, `b_r`, `b_a`.

use nalgebra::{SMatrix, SVector};

use super::activation::Derivative;
use crate::layers::{GruCell, sigmoid};
use crate::simd::vectorized;
use crate::train::linalg::{add_a_bt, add_row_sums, at_b};
use crate::train::{Backward, Forward, GradCursor};
use crate::{DynamicalSystem, Real, Shared};

/// `w x + v h + b`, column by column.
fn affine<T: Real, const IN: usize, const OUT: usize, const B: usize>(
    w: &SMatrix<T, OUT, IN>,
    x: &SMatrix<T, IN, B>,
    v: &SMatrix<T, OUT, OUT>,
    h: &SMatrix<T, OUT, B>,
    b: &SVector<T, OUT>,
) -> SMatrix<T, OUT, B> {
    let mut y = w * x;
    y.gemm(T::one(), v, h, T::one());
    for mut column in y.column_iter_mut() {
        column += b;
    }
    y
}

recurrent_backward!(
    GruCell,
    record: SMatrix<T, OUT, B>,
    state_grad: SMatrix<T, OUT, B>,
    before: |cell| cell.state,
    zero: SMatrix::zeros(),
);

impl<T: Real, const IN: usize, const OUT: usize, const B: usize> GruCell<T, IN, OUT, B> {
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
        let (x, h) = (step.x, step.record);
        let one = T::one();
        let z = affine(&self.wi_z, x, &self.wh_z, h, &self.b_z).map(sigmoid);
        let r = affine(&self.wi_r, x, &self.wh_r, h, &self.b_r).map(sigmoid);
        let rh = r.component_mul(h);
        let pa = affine(&self.wi_a, x, &self.wh_a, &rh, &self.b_a);
        let act = self.activation;

        let dh = dy + *dstate;
        let dpz = SMatrix::<T, OUT, B>::from_fn(|i, j| {
            let (z, a) = (z[(i, j)], act.apply(pa[(i, j)]));
            dh[(i, j)] * (a - h[(i, j)]) * z * (one - z)
        });
        let dpa = SMatrix::<T, OUT, B>::from_fn(|i, j| {
            dh[(i, j)] * z[(i, j)] * act.derivative(pa[(i, j)])
        });
        let mut drh = SMatrix::<T, OUT, B>::zeros();
        at_b(drh.as_mut_slice(), &self.wh_a, &dpa, T::zero());
        let dpr = SMatrix::<T, OUT, B>::from_fn(|i, j| {
            let r = r[(i, j)];
            drh[(i, j)] * h[(i, j)] * r * (one - r)
        });

        let mut g = GradCursor::new(grads);
        add_a_bt(g.slice(OUT * IN), one, &dpz, x);
        add_a_bt(g.slice(OUT * IN), one, &dpr, x);
        add_a_bt(g.slice(OUT * IN), one, &dpa, x);
        add_a_bt(g.slice(OUT * OUT), one, &dpz, h);
        add_a_bt(g.slice(OUT * OUT), one, &dpr, h);
        add_a_bt(g.slice(OUT * OUT), one, &dpa, &rh);
        add_row_sums(g.slice(OUT), &dpz);
        add_row_sums(g.slice(OUT), &dpr);
        add_row_sums(g.slice(OUT), &dpa);

        *dstate = SMatrix::from_fn(|i, j| dh[(i, j)] * (one - z[(i, j)]) + drh[(i, j)] * r[(i, j)]);
        at_b(dstate.as_mut_slice(), &self.wh_z, &dpz, one);
        at_b(dstate.as_mut_slice(), &self.wh_r, &dpr, one);
        if let Some(dx) = dx {
            at_b(dx.as_mut_slice(), &self.wi_z, &dpz, T::zero());
            at_b(dx.as_mut_slice(), &self.wi_r, &dpr, one);
            at_b(dx.as_mut_slice(), &self.wi_a, &dpa, one);
        }
    }
}
