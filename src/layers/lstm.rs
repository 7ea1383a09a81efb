//! [`LstmCell`]: the long short-term memory cell of BrainPy's `brainpy.dyn.LSTMCell` (tanh by
//! default), with states `h` and `c` starting at zero:
//!
//! ```text
//! i, g, f, o = split(x Wi + b + h Wh)
//! c = sigmoid(f + 1) * c + sigmoid(i) * act(g)      h = sigmoid(o) * act(c)
//! ```
//!
//! BrainPy stacks the gates as `Wi = [Wi_i, Wi_g, Wi_f, Wi_o]` `(n_in, 4·n_out)`, `Wh` likewise
//! `(n_out, 4·n_out)` and `b` `(4·n_out,)`, and keeps `[h, c]` in one state of length `2·n_out`;
//! the cell keeps one transposed block per gate and `h`, `c` apart.

use nalgebra::{SMatrix, SVector};
use rand::Rng;

use super::activation::{Activation, sigmoid};
use super::init::{FINITE_INIT, Initializer, XavierNormal, Zeros};
use super::weights::{
    BrainPyArray, WeightError, gate_bias, gate_matrix, stack_biases, stack_matrices,
};
use crate::kernels::product_plus_bias_plus_product;
use crate::{Real, Shared, dynamical_system};

/// An LSTM for each of `B` samples (one column each); output `h`. States `h` and `c`
/// (`OUT × B` each) start at zero. Gate blocks are the transposes of BrainPy's column blocks
/// `i`, `g`, `f`, `o`, in that order.
#[dynamical_system(crate = crate)]
#[derive(Clone)]
pub struct LstmCell<T: Real, const IN: usize, const OUT: usize, const B: usize = 1> {
    /// Input weights of the input gate `i`.
    #[param(check = finite, train)]
    pub wi_i: SMatrix<T, OUT, IN>,
    /// Input weights of the candidate `g`.
    #[param(check = finite, train)]
    pub wi_g: SMatrix<T, OUT, IN>,
    /// Input weights of the forget gate `f`.
    #[param(check = finite, train)]
    pub wi_f: SMatrix<T, OUT, IN>,
    /// Input weights of the output gate `o`.
    #[param(check = finite, train)]
    pub wi_o: SMatrix<T, OUT, IN>,
    /// Recurrent weights of `i`.
    #[param(check = finite, train)]
    pub wh_i: SMatrix<T, OUT, OUT>,
    /// Recurrent weights of `g`.
    #[param(check = finite, train)]
    pub wh_g: SMatrix<T, OUT, OUT>,
    /// Recurrent weights of `f`.
    #[param(check = finite, train)]
    pub wh_f: SMatrix<T, OUT, OUT>,
    /// Recurrent weights of `o`.
    #[param(check = finite, train)]
    pub wh_o: SMatrix<T, OUT, OUT>,
    /// Bias of `i`.
    #[param(check = finite, train)]
    pub b_i: SVector<T, OUT>,
    /// Bias of `g`.
    #[param(check = finite, train)]
    pub b_g: SVector<T, OUT>,
    /// Bias of `f` (BrainPy adds 1 to `f` inside the sigmoid, not here).
    #[param(check = finite, train)]
    pub b_f: SVector<T, OUT>,
    /// Bias of `o`.
    #[param(check = finite, train)]
    pub b_o: SVector<T, OUT>,
    /// The activation of `g` and of the output (BrainPy's default: tanh).
    #[param(default = Activation::Tanh)]
    pub activation: Activation,
    /// The hidden state `h` (the output), one column per sample.
    #[state(init = 0.0)]
    pub h: SMatrix<T, OUT, B>,
    /// The cell state `c`, one column per sample.
    #[state(init = 0.0)]
    pub c: SMatrix<T, OUT, B>,
}

#[dynamical_system(crate = crate)]
impl<T: Real, const IN: usize, const OUT: usize, const B: usize> LstmCell<T, IN, OUT, B> {
    #[update]
    fn step(&mut self, _sh: &Shared, x: &SMatrix<T, IN, B>) -> SMatrix<T, OUT, B> {
        let LstmGates { c, h, .. } = self.gates(x, &self.h, &self.c);
        self.c = c;
        self.h = h;
        self.h
    }
}

/// The gates and states of one LSTM step from its input and the states before it: what the
/// step computes, and what its backward step recomputes.
pub(crate) struct LstmGates<T: Real, const OUT: usize, const B: usize> {
    /// The input gate before its sigmoid, `x Wi_i + b_i + h Wh_i`.
    pub pi: SMatrix<T, OUT, B>,
    /// The candidate before its activation.
    pub pg: SMatrix<T, OUT, B>,
    /// The forget gate before its sigmoid (BrainPy adds 1 inside the sigmoid).
    pub pf: SMatrix<T, OUT, B>,
    /// The output gate before its sigmoid.
    pub po: SMatrix<T, OUT, B>,
    /// The candidate `g = act(pg)`.
    pub g: SMatrix<T, OUT, B>,
    /// The new cell state `c = sigmoid(pf + 1) * c₋ + sigmoid(pi) * g`.
    pub c: SMatrix<T, OUT, B>,
    /// `act(c)`.
    pub act_c: SMatrix<T, OUT, B>,
    /// The new output `h = sigmoid(po) * act(c)`.
    pub h: SMatrix<T, OUT, B>,
}

impl<T: Real, const IN: usize, const OUT: usize, const B: usize> LstmCell<T, IN, OUT, B> {
    /// The gates for input `x` and states `h`, `c`, each affine map in BrainPy's order,
    /// `(x W + b) + h V` (`loop_core`'s kernel; its backward step is
    /// `train::two_products_plus_bias_backward`).
    #[inline(always)]
    pub(crate) fn gates(
        &self,
        x: &SMatrix<T, IN, B>,
        h: &SMatrix<T, OUT, B>,
        c: &SMatrix<T, OUT, B>,
    ) -> LstmGates<T, OUT, B> {
        let gate = |w, b, v| {
            let mut p = SMatrix::<T, OUT, B>::zeros();
            product_plus_bias_plus_product(w, x, b, v, h, &mut p);
            p
        };
        let pi = gate(&self.wi_i, &self.b_i, &self.wh_i);
        let pg = gate(&self.wi_g, &self.b_g, &self.wh_g);
        let pf = gate(&self.wi_f, &self.b_f, &self.wh_f);
        let po = gate(&self.wi_o, &self.b_o, &self.wh_o);
        let mut g = pg;
        self.activation.apply_slice(g.as_mut_slice());
        let one = T::one();
        let c = SMatrix::<T, OUT, B>::from_fn(|r, s| {
            sigmoid(pf[(r, s)] + one) * c[(r, s)] + sigmoid(pi[(r, s)]) * g[(r, s)]
        });
        let mut act_c = c;
        self.activation.apply_slice(act_c.as_mut_slice());
        let h = po.zip_map(&act_c, |o, a| sigmoid(o) * a);
        LstmGates {
            pi,
            pg,
            pf,
            po,
            g,
            c,
            act_c,
            h,
        }
    }

    /// BrainPy's defaults: Xavier-normal `Wi` and `Wh`, zero bias, tanh, drawn from `rng`.
    pub fn new<R: Rng + ?Sized>(rng: &mut R) -> Self {
        Self::with_init(rng, &XavierNormal::new(), &XavierNormal::new(), &Zeros)
    }

    /// Weights from the given initializers, with the fans of BrainPy's stacked shapes:
    /// `(IN, 4·OUT)` for `Wi`, `(OUT, 4·OUT)` for `Wh`, `(1, 4·OUT)` for `b`; tanh.
    ///
    /// # Panics
    /// When an initializer gives a weight that is NaN or infinite.
    pub fn with_init<R: Rng + ?Sized>(
        rng: &mut R,
        wi_init: &impl Initializer,
        wh_init: &impl Initializer,
        b_init: &impl Initializer,
    ) -> Self {
        let k = 4 * OUT;
        let wi: [SMatrix<T, OUT, IN>; 4] = core::array::from_fn(|_| wi_init.matrix(rng, IN, k));
        let wh: [SMatrix<T, OUT, OUT>; 4] = core::array::from_fn(|_| wh_init.matrix(rng, OUT, k));
        let b: [SVector<T, OUT>; 4] = core::array::from_fn(|_| b_init.matrix(rng, 1, k));
        let [wi_i, wi_g, wi_f, wi_o] = wi;
        let [wh_i, wh_g, wh_f, wh_o] = wh;
        let [b_i, b_g, b_f, b_o] = b;
        Self::from_params(LstmCellParams {
            wi_i,
            wi_g,
            wi_f,
            wi_o,
            wh_i,
            wh_g,
            wh_f,
            wh_o,
            b_i,
            b_g,
            b_f,
            b_o,
            activation: Activation::Tanh,
        })
        .expect(FINITE_INIT)
    }

    /// The same cell with another activation.
    #[must_use]
    pub fn with_activation(mut self, activation: Activation) -> Self {
        // The activation has no check: nothing to validate.
        self.params.activation = activation;
        self
    }

    /// BrainPy's arrays: `Wi` `(IN, 4·OUT)`, `Wh` `(OUT, 4·OUT)`, `b` `(4·OUT,)`, gates in the
    /// order `i`, `g`, `f`, `o`; tanh.
    pub fn from_brainpy(
        wi: &BrainPyArray,
        wh: &BrainPyArray,
        b: &BrainPyArray,
    ) -> Result<Self, WeightError> {
        wi.expect_shape("Wi, (n_in, 4·n_out)", &[IN, 4 * OUT])?;
        wh.expect_shape("Wh, (n_out, 4·n_out)", &[OUT, 4 * OUT])?;
        b.expect_shape("b, (4·n_out,)", &[4 * OUT])?;
        Self::from_params(LstmCellParams {
            wi_i: gate_matrix(wi, 4, 0),
            wi_g: gate_matrix(wi, 4, 1),
            wi_f: gate_matrix(wi, 4, 2),
            wi_o: gate_matrix(wi, 4, 3),
            wh_i: gate_matrix(wh, 4, 0),
            wh_g: gate_matrix(wh, 4, 1),
            wh_f: gate_matrix(wh, 4, 2),
            wh_o: gate_matrix(wh, 4, 3),
            b_i: gate_bias(b, 0),
            b_g: gate_bias(b, 1),
            b_f: gate_bias(b, 2),
            b_o: gate_bias(b, 3),
            activation: Activation::Tanh,
        })
        .map_err(|error| WeightError::Param {
            source: wi.source.clone(),
            error,
        })
    }

    /// The weights in BrainPy's layout: `(Wi, Wh, b)`, gates stacked `i`, `g`, `f`, `o`.
    pub fn to_brainpy(&self) -> (BrainPyArray, BrainPyArray, BrainPyArray) {
        (
            stack_matrices("Wi", &[&self.wi_i, &self.wi_g, &self.wi_f, &self.wi_o]),
            stack_matrices("Wh", &[&self.wh_i, &self.wh_g, &self.wh_f, &self.wh_o]),
            stack_biases("b", &[&self.b_i, &self.b_g, &self.b_f, &self.b_o]),
        )
    }

    /// BrainPy's arrays from `.npy` files (float64, C order).
    #[cfg(feature = "npy")]
    pub fn load_npy(
        wi: impl AsRef<std::path::Path>,
        wh: impl AsRef<std::path::Path>,
        b: impl AsRef<std::path::Path>,
    ) -> Result<Self, WeightError> {
        Self::from_brainpy(
            &super::read_npy(wi)?,
            &super::read_npy(wh)?,
            &super::read_npy(b)?,
        )
    }
}
