//! Backward step of [`LstmCell`] (docs/MODELS.md): with the cell's gates `i = σ(pi)`, `g = act(pg)`,
//! `f = σ(pf + 1)`, `o = σ(po)`, `c = f ⊙ c₋ + i ⊙ g`, `h = o ⊙ act(c)` (recomputed from the
//! record (the states `h₋`, `c₋` before the step) by the cell's own `gates`), every `pk` an affine map of `x` and `h₋`, and
//! `dh = dy + dstate.h`:
//!
//! ```text
//! dc  = dstate.c + dh ⊙ o ⊙ act'(c)
//! dpo = dh ⊙ act(c) ⊙ o(1 − o)     dpf = dc ⊙ c₋ ⊙ f(1 − f)
//! dpi = dc ⊙ g ⊙ i(1 − i)          dpg = dc ⊙ i ⊙ act'(pg)
//! dc₋ = dc ⊙ f      dh₋ = Σ_k wh_kᵀ dpk      dx = Σ_k wi_kᵀ dpk
//! ```
//!
//! Each `dpk` goes through the backward step of its gate's affine map, which also adds the
//! weights' gradients. Parameters in field order: `wi_i`, `wi_g`, `wi_f`, `wi_o`, `wh_i`,
//! `wh_g`, `wh_f`, `wh_o`, `b_i`, `b_g`, `b_f`, `b_o`.

use nalgebra::SMatrix;

use crate::layers::{Derivative, LstmCell, sigmoid};
use crate::train::linalg::Write;
use crate::train::{
    AffineGrads, Forward, GradCursor, LocalBackward, Zeroable, two_products_plus_bias_backward,
};
use crate::{Real, Shared};

/// The gradients of the LSTM's two states, `h` and `c`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LstmStateGrad<T: Real, const OUT: usize, const B: usize> {
    /// `∂L/∂h`.
    pub h: SMatrix<T, OUT, B>,
    /// `∂L/∂c`.
    pub c: SMatrix<T, OUT, B>,
}

impl<T: Real, const OUT: usize, const B: usize> Zeroable for LstmStateGrad<T, OUT, B> {
    fn zeroed() -> Self {
        LstmStateGrad {
            h: SMatrix::zeros(),
            c: SMatrix::zeros(),
        }
    }
}

impl<T: Real, const IN: usize, const OUT: usize, const B: usize> LocalBackward
    for LstmCell<T, IN, OUT, B>
{
    type In = SMatrix<T, IN, B>;
    type Out = SMatrix<T, OUT, B>;
    type StateGrad = LstmStateGrad<T, OUT, B>;

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
        let (x, h, c_prev) = (step.x, &step.record.h, &step.record.c);
        let one = T::one();
        let act = self.activation;
        let gates = self.gates(x, h, c_prev);
        let i = gates.pi.map(sigmoid);
        let f = gates.pf.map(|p| sigmoid(p + one));
        let o = gates.po.map(sigmoid);

        let dh = dy + dstate.h;
        let mut dc = dh.component_mul(&o);
        if !act.scale_by_derivative_from_output(dc.as_mut_slice(), gates.act_c.as_slice()) {
            act.scale_by_derivative(dc.as_mut_slice(), gates.c.as_slice());
        }
        dc += dstate.c;
        let dpo = SMatrix::<T, OUT, B>::from_fn(|r, s| {
            let o = o[(r, s)];
            dh[(r, s)] * gates.act_c[(r, s)] * o * (one - o)
        });
        let dpf = SMatrix::<T, OUT, B>::from_fn(|r, s| {
            let f = f[(r, s)];
            dc[(r, s)] * c_prev[(r, s)] * f * (one - f)
        });
        let dpi = SMatrix::<T, OUT, B>::from_fn(|r, s| {
            let i = i[(r, s)];
            dc[(r, s)] * gates.g[(r, s)] * i * (one - i)
        });
        let mut dpg = dc.component_mul(&i);
        if !act.scale_by_derivative_from_output(dpg.as_mut_slice(), gates.g.as_slice()) {
            act.scale_by_derivative(dpg.as_mut_slice(), gates.pg.as_slice());
        }
        dstate.c = dc.component_mul(&f);

        let mut g = GradCursor::new(grads);
        let wi = [(); 4].map(|()| g.slice(OUT * IN));
        let wh = [(); 4].map(|()| g.slice(OUT * OUT));
        let b = [(); 4].map(|()| g.slice(OUT));
        let weights = [
            (&self.wi_i, &self.wh_i, &dpi),
            (&self.wi_g, &self.wh_g, &dpg),
            (&self.wi_f, &self.wh_f, &dpf),
            (&self.wi_o, &self.wh_o, &dpo),
        ];
        for (k, (((w, v, dp), (gi, gh)), gb)) in weights
            .into_iter()
            .zip(wi.into_iter().zip(wh))
            .zip(b)
            .enumerate()
        {
            let write = if k == 0 { Write::Over } else { Write::Add };
            let grads = AffineGrads {
                a: gi,
                c: gh,
                b: gb,
            };
            let dx = dx.as_deref_mut().map(|dx| (dx, write));
            let dh = Some((&mut dstate.h, write));
            two_products_plus_bias_backward(w, x, v, h, dp, grads, dx, dh);
        }
    }
}
