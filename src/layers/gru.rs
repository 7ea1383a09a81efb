//! [`GruCell`]: the gated recurrent unit of BrainPy's `brainpy.dyn.GRUCell` (tanh by default),
//! its state starting at zero:
//!
//! ```text
//! z = sigmoid(x Wi_z + h Wh_z + b_z)        r = sigmoid(x Wi_r + h Wh_r + b_r)
//! a = act(x Wi_a + (r * h) Wh_a + b_a)      h = (1 - z) * h + z * a
//! ```
//!
//! BrainPy stacks the gates as `Wi = [Wi_z, Wi_r, Wi_a]` `(n_in, 3·n_out)`, `Wh` likewise
//! `(n_out, 3·n_out)` and `b` `(3·n_out,)`; the cell keeps one transposed block per gate.

use nalgebra::{SMatrix, SVector};
use rand::Rng;

use super::activation::{Activation, ElementFn, Sigmoid};
use super::init::{FINITE_INIT, Initializer, XavierNormal, Zeros};
use super::weights::{
    BrainPyArray, WeightError, gate_bias, gate_matrix, stack_biases, stack_matrices,
};
use crate::kernels::two_products_plus_bias;
use crate::{Real, Shared, dynamical_system};

/// A GRU for each of `B` samples (one column each); output `h`. The state `state` (`OUT × B`)
/// starts at zero. Gate blocks are `OUT × IN` (input) and `OUT × OUT` (recurrent), the
/// transposes of BrainPy's column blocks `z`, `r`, `a` in that order.
#[dynamical_system(crate = crate)]
#[derive(Clone)]
pub struct GruCell<T: Real, const IN: usize, const OUT: usize, const B: usize = 1> {
    /// Input weights of the update gate `z`.
    #[param(check = finite, train)]
    pub wi_z: SMatrix<T, OUT, IN>,
    /// Input weights of the reset gate `r`.
    #[param(check = finite, train)]
    pub wi_r: SMatrix<T, OUT, IN>,
    /// Input weights of the candidate `a`.
    #[param(check = finite, train)]
    pub wi_a: SMatrix<T, OUT, IN>,
    /// Recurrent weights of `z`.
    #[param(check = finite, train)]
    pub wh_z: SMatrix<T, OUT, OUT>,
    /// Recurrent weights of `r`.
    #[param(check = finite, train)]
    pub wh_r: SMatrix<T, OUT, OUT>,
    /// Recurrent weights of `a` (applied to `r * h`).
    #[param(check = finite, train)]
    pub wh_a: SMatrix<T, OUT, OUT>,
    /// Bias of `z`.
    #[param(check = finite, train)]
    pub b_z: SVector<T, OUT>,
    /// Bias of `r`.
    #[param(check = finite, train)]
    pub b_r: SVector<T, OUT>,
    /// Bias of `a`.
    #[param(check = finite, train)]
    pub b_a: SVector<T, OUT>,
    /// The activation of the candidate (BrainPy's default: tanh).
    #[param(default = Activation::Tanh)]
    pub activation: Activation,
    /// The hidden state `h`, one column per sample.
    #[state(init = 0.0)]
    pub state: SMatrix<T, OUT, B>,
}

#[dynamical_system(crate = crate)]
impl<T: Real, const IN: usize, const OUT: usize, const B: usize> GruCell<T, IN, OUT, B> {
    #[update]
    fn step(&mut self, _sh: &Shared, x: &SMatrix<T, IN, B>) -> SMatrix<T, OUT, B> {
        let h = self.state;
        let GruGates { z, a, .. } = self.gates(x, &h);
        let one = T::one();
        self.state = h.zip_zip_map(&z, &a, |h, z, a| (one - z) * h + z * a);
        self.state
    }
}

/// The gates of one GRU step from its input and the state before it: what the step computes,
/// and what its backward step recomputes.
pub(crate) struct GruGates<T: Real, const OUT: usize, const B: usize> {
    /// The update gate `z = sigmoid(x Wi_z + h Wh_z + b_z)`.
    pub z: SMatrix<T, OUT, B>,
    /// The reset gate `r = sigmoid(x Wi_r + h Wh_r + b_r)`.
    pub r: SMatrix<T, OUT, B>,
    /// `r * h`, the candidate's recurrent input.
    pub rh: SMatrix<T, OUT, B>,
    /// The candidate before its activation, `x Wi_a + (r * h) Wh_a + b_a`.
    pub pa: SMatrix<T, OUT, B>,
    /// The candidate `a = act(pa)`.
    pub a: SMatrix<T, OUT, B>,
}

impl<T: Real, const IN: usize, const OUT: usize, const B: usize> GruCell<T, IN, OUT, B> {
    /// The gates for input `x` and state `h`, each affine map in BrainPy's order,
    /// `(x W + h V) + b` (`loop_core`'s kernel; its backward step is
    /// `train::two_products_plus_bias_backward`).
    #[inline(always)]
    pub(crate) fn gates(
        &self,
        x: &SMatrix<T, IN, B>,
        h: &SMatrix<T, OUT, B>,
    ) -> GruGates<T, OUT, B> {
        let mut z = SMatrix::<T, OUT, B>::zeros();
        two_products_plus_bias(&self.wi_z, x, &self.wh_z, h, &self.b_z, &mut z);
        Sigmoid.apply_slice(z.as_mut_slice());
        let mut r = SMatrix::<T, OUT, B>::zeros();
        two_products_plus_bias(&self.wi_r, x, &self.wh_r, h, &self.b_r, &mut r);
        Sigmoid.apply_slice(r.as_mut_slice());
        let rh = r.component_mul(h);
        let mut pa = SMatrix::<T, OUT, B>::zeros();
        two_products_plus_bias(&self.wi_a, x, &self.wh_a, &rh, &self.b_a, &mut pa);
        let mut a = pa;
        self.activation.apply_slice(a.as_mut_slice());
        GruGates { z, r, rh, pa, a }
    }

    /// BrainPy's defaults: Xavier-normal `Wi` and `Wh`, zero bias, tanh, drawn from `rng`.
    pub fn new<R: Rng + ?Sized>(rng: &mut R) -> Self {
        Self::with_init(rng, &XavierNormal::new(), &XavierNormal::new(), &Zeros)
    }

    /// Weights from the given initializers, with the fans of BrainPy's stacked shapes:
    /// `(IN, 3·OUT)` for `Wi`, `(OUT, 3·OUT)` for `Wh`, `(1, 3·OUT)` for `b`; tanh.
    ///
    /// # Panics
    /// When an initializer gives a weight that is NaN or infinite.
    pub fn with_init<R: Rng + ?Sized>(
        rng: &mut R,
        wi_init: &impl Initializer,
        wh_init: &impl Initializer,
        b_init: &impl Initializer,
    ) -> Self {
        let k = 3 * OUT;
        let (wi_z, wi_r, wi_a) = (
            wi_init.matrix(rng, IN, k),
            wi_init.matrix(rng, IN, k),
            wi_init.matrix(rng, IN, k),
        );
        let (wh_z, wh_r, wh_a) = (
            wh_init.matrix(rng, OUT, k),
            wh_init.matrix(rng, OUT, k),
            wh_init.matrix(rng, OUT, k),
        );
        let (b_z, b_r, b_a) = (
            b_init.matrix(rng, 1, k),
            b_init.matrix(rng, 1, k),
            b_init.matrix(rng, 1, k),
        );
        Self::from_params(GruCellParams {
            wi_z,
            wi_r,
            wi_a,
            wh_z,
            wh_r,
            wh_a,
            b_z,
            b_r,
            b_a,
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

    /// BrainPy's arrays: `Wi` `(IN, 3·OUT)`, `Wh` `(OUT, 3·OUT)`, `b` `(3·OUT,)`, gates in the
    /// order `z`, `r`, `a`; tanh.
    pub fn from_brainpy(
        wi: &BrainPyArray,
        wh: &BrainPyArray,
        b: &BrainPyArray,
    ) -> Result<Self, WeightError> {
        wi.expect_shape("Wi, (n_in, 3·n_out)", &[IN, 3 * OUT])?;
        wh.expect_shape("Wh, (n_out, 3·n_out)", &[OUT, 3 * OUT])?;
        b.expect_shape("b, (3·n_out,)", &[3 * OUT])?;
        Self::from_params(GruCellParams {
            wi_z: gate_matrix(wi, 3, 0),
            wi_r: gate_matrix(wi, 3, 1),
            wi_a: gate_matrix(wi, 3, 2),
            wh_z: gate_matrix(wh, 3, 0),
            wh_r: gate_matrix(wh, 3, 1),
            wh_a: gate_matrix(wh, 3, 2),
            b_z: gate_bias(b, 0),
            b_r: gate_bias(b, 1),
            b_a: gate_bias(b, 2),
            activation: Activation::Tanh,
        })
        .map_err(|error| WeightError::Param {
            source: wi.source.clone(),
            error,
        })
    }

    /// The weights in BrainPy's layout: `(Wi, Wh, b)`, gates stacked `z`, `r`, `a`.
    pub fn to_brainpy(&self) -> (BrainPyArray, BrainPyArray, BrainPyArray) {
        (
            stack_matrices("Wi", &[&self.wi_z, &self.wi_r, &self.wi_a]),
            stack_matrices("Wh", &[&self.wh_z, &self.wh_r, &self.wh_a]),
            stack_biases("b", &[&self.b_z, &self.b_r, &self.b_a]),
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
