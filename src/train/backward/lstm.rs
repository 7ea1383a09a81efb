//! Backward step of [`LstmCell`] (docs/MODELS.md): with `i = σ(pi)`, `g = act(pg)`, `f = σ(pf + 1)`,
//! `o = σ(po)`, `c = f ⊙ c₋ + i ⊙ g`, `h = o ⊙ act(c)`, every gate `pk = wi_k x + b_k + wh_k h₋`,
//! and `dh = dy + dstate.h`:
//!
//! ```text
//! dc  = dstate.c + dh ⊙ o ⊙ act'(c)
//! dpo = dh ⊙ act(c) ⊙ o(1 − o)     dpf = dc ⊙ c₋ ⊙ f(1 − f)
//! dpi = dc ⊙ g ⊙ i(1 − i)          dpg = dc ⊙ i ⊙ act'(pg)
//! dc₋ = dc ⊙ f      dh₋ = Σ_k wh_kᵀ dpk      dx = Σ_k wi_kᵀ dpk
//! ```
//!
//! The record is `(h₋, c₋)`; the gates are recomputed from it. Parameters in field order:
//! `wi_i`, `wi_g`, `wi_f`, `wi_o`, `wh_i`, `wh_g`, `wh_f`, `wh_o`, `b_i`, `b_g`, `b_f`, `b_o`.

use nalgebra::{SMatrix, SVector};

use super::activation::Derivative;
use crate::layers::{LstmCell, sigmoid};
use crate::simd::vectorized;
use crate::train::linalg::{add_a_bt, add_row_sums, at_b};
use crate::train::{Backward, Forward, GradCursor};
use crate::{DynamicalSystem, Real, Shared};

/// One gate before its nonlinearity: `w x + b + v h`.
fn gate<T: Real, const IN: usize, const OUT: usize, const B: usize>(
    w: &SMatrix<T, OUT, IN>,
    x: &SMatrix<T, IN, B>,
    b: &SVector<T, OUT>,
    v: &SMatrix<T, OUT, OUT>,
    h: &SMatrix<T, OUT, B>,
) -> SMatrix<T, OUT, B> {
    let mut y = w * x;
    for mut column in y.column_iter_mut() {
        column += b;
    }
    y.gemm(T::one(), v, h, T::one());
    y
}

/// What the forward half keeps of an LSTM step: the states `(h, c)` before it.
type LstmRecord<T, const OUT: usize, const B: usize> = (SMatrix<T, OUT, B>, SMatrix<T, OUT, B>);

/// The gradients of the LSTM's two states, `h` and `c`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LstmStateGrad<T: Real, const OUT: usize, const B: usize> {
    /// `∂L/∂h`.
    pub h: SMatrix<T, OUT, B>,
    /// `∂L/∂c`.
    pub c: SMatrix<T, OUT, B>,
}

recurrent_backward!(
    LstmCell,
    record: LstmRecord<T, OUT, B>,
    state_grad: LstmStateGrad<T, OUT, B>,
    before: |cell| (cell.h, cell.c),
    zero: LstmStateGrad {
        h: SMatrix::zeros(),
        c: SMatrix::zeros(),
    },
);

impl<T: Real, const IN: usize, const OUT: usize, const B: usize> LstmCell<T, IN, OUT, B> {
    /// The backward step (see the module docs).
    #[inline(always)]
    fn backward_step(
        &self,
        step: Forward<'_, SMatrix<T, IN, B>, SMatrix<T, OUT, B>, LstmRecord<T, OUT, B>>,
        dy: &SMatrix<T, OUT, B>,
        dstate: &mut LstmStateGrad<T, OUT, B>,
        grads: &mut [T],
        dx: Option<&mut SMatrix<T, IN, B>>,
    ) {
        let (x, (h, c_prev)) = (step.x, step.record);
        let one = T::one();
        let act = self.activation;
        let i = gate(&self.wi_i, x, &self.b_i, &self.wh_i, h).map(sigmoid);
        let pg = gate(&self.wi_g, x, &self.b_g, &self.wh_g, h);
        let f = gate(&self.wi_f, x, &self.b_f, &self.wh_f, h).map(|p| sigmoid(p + one));
        let o = gate(&self.wi_o, x, &self.b_o, &self.wh_o, h).map(sigmoid);
        let g = pg.map(|p| act.apply(p));
        let c = SMatrix::<T, OUT, B>::from_fn(|r, s| {
            f[(r, s)] * c_prev[(r, s)] + i[(r, s)] * g[(r, s)]
        });

        let dh = dy + dstate.h;
        let dc = SMatrix::<T, OUT, B>::from_fn(|r, s| {
            dstate.c[(r, s)] + dh[(r, s)] * o[(r, s)] * act.derivative(c[(r, s)])
        });
        let dpo = SMatrix::<T, OUT, B>::from_fn(|r, s| {
            let o = o[(r, s)];
            dh[(r, s)] * act.apply(c[(r, s)]) * o * (one - o)
        });
        let dpf = SMatrix::<T, OUT, B>::from_fn(|r, s| {
            let f = f[(r, s)];
            dc[(r, s)] * c_prev[(r, s)] * f * (one - f)
        });
        let dpi = SMatrix::<T, OUT, B>::from_fn(|r, s| {
            let i = i[(r, s)];
            dc[(r, s)] * g[(r, s)] * i * (one - i)
        });
        let dpg = SMatrix::<T, OUT, B>::from_fn(|r, s| {
            dc[(r, s)] * i[(r, s)] * act.derivative(pg[(r, s)])
        });
        let gates = [&dpi, &dpg, &dpf, &dpo];

        let mut grad = GradCursor::new(grads);
        for d in gates {
            add_a_bt(grad.slice(OUT * IN), one, d, x);
        }
        for d in gates {
            add_a_bt(grad.slice(OUT * OUT), one, d, h);
        }
        for d in gates {
            add_row_sums(grad.slice(OUT), d);
        }

        dstate.c = dc.component_mul(&f);
        let recurrent = [&self.wh_i, &self.wh_g, &self.wh_f, &self.wh_o];
        for (k, (w, d)) in recurrent.into_iter().zip(gates).enumerate() {
            let beta = if k == 0 { T::zero() } else { one };
            at_b(dstate.h.as_mut_slice(), w, d, beta);
        }
        if let Some(dx) = dx {
            let input = [&self.wi_i, &self.wi_g, &self.wi_f, &self.wi_o];
            for (k, (w, d)) in input.into_iter().zip(gates).enumerate() {
                let beta = if k == 0 { T::zero() } else { one };
                at_b(dx.as_mut_slice(), w, d, beta);
            }
        }
    }
}
