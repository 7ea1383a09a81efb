//! [`RnnCell`]: the vanilla recurrent cell `h = act(x Wi + h Wh + b)` (BrainPy's
//! `brainpy.dyn.RNNCell`, relu by default), its state starting at zero.

use nalgebra::{SMatrix, SVector};
use rand::Rng;

use super::activation::Activation;
use super::init::{FINITE_INIT, Initializer, XavierNormal, Zeros};
use super::weights::{
    BrainPyArray, WeightError, gate_bias, gate_matrix, stack_biases, stack_matrices,
};
use crate::kernels::{two_products_plus_bias, two_products_plus_bias_in_place};
use crate::{Real, Shared, dynamical_system};

/// `h = act(x Wi + h Wh + b)` for each of `B` samples (one column each); output `h`.
///
/// `wi` and `wh` are the transposes of BrainPy's `Wi` `(IN, OUT)` and `Wh` `(OUT, OUT)`, so the
/// numbers are BrainPy's. The state `state` (`OUT × B`) starts at zero and is monitored as
/// `"state"` (`"l1.state"` inside a `sequential!`).
///
/// A step keeps the `IN × B` input and a few `OUT × B` matrices on the stack (see
/// [`Dense`](super::Dense) for the limits).
#[dynamical_system(crate = crate)]
#[derive(Clone)]
pub struct RnnCell<T: Real, const IN: usize, const OUT: usize, const B: usize = 1> {
    /// Input weights, `OUT × IN`: the transpose of BrainPy's `Wi`.
    #[param(check = finite, train)]
    pub wi: SMatrix<T, OUT, IN>,
    /// Recurrent weights, `OUT × OUT`: the transpose of BrainPy's `Wh`.
    #[param(check = finite, train)]
    pub wh: SMatrix<T, OUT, OUT>,
    /// Bias, one per unit.
    #[param(check = finite, train)]
    pub b: SVector<T, OUT>,
    /// The activation (BrainPy's default for this cell: relu).
    #[param(default = Activation::Relu)]
    pub activation: Activation,
    /// The hidden state `h`, one column per sample.
    #[state(init = 0.0)]
    pub state: SMatrix<T, OUT, B>,
}

#[dynamical_system(crate = crate)]
impl<T: Real, const IN: usize, const OUT: usize, const B: usize> RnnCell<T, IN, OUT, B> {
    #[update]
    fn step(&mut self, _sh: &Shared, x: &SMatrix<T, IN, B>) -> SMatrix<T, OUT, B> {
        // The new state over the old one, the activation applied to each column as it is
        // written: no temporary to zero and copy back (20 KB each for the seed's cell), and no
        // second pass for the activation.
        let (p, act) = (&self.params, self.params.activation);
        two_products_plus_bias_in_place(
            &p.wi,
            x,
            &p.wh,
            &mut self.state,
            &p.b,
            // Inlined into the kernel's vectorized code (else compiled for the baseline).
            #[inline(always)]
            move |h: &mut [T]| act.apply_slice(h),
        );
        self.state
    }
}

impl<T: Real, const IN: usize, const OUT: usize, const B: usize> RnnCell<T, IN, OUT, B> {
    /// Writes every element of `p = wi x + wh h + b`, before the activation, in BrainPy's order:
    /// x Wi, then + h Wh, then + b (`loop_core`'s kernel; its backward step is
    /// `train::two_products_plus_bias_backward`).
    #[inline(always)]
    pub(crate) fn preactivation(
        &self,
        x: &SMatrix<T, IN, B>,
        h: &SMatrix<T, OUT, B>,
        p: &mut SMatrix<T, OUT, B>,
    ) {
        two_products_plus_bias(&self.wi, x, &self.wh, h, &self.b, p);
    }

    /// BrainPy's defaults: Xavier-normal `Wi` and `Wh`, zero bias, relu, drawn from `rng`.
    pub fn new<R: Rng + ?Sized>(rng: &mut R) -> Self {
        Self::with_init(rng, &XavierNormal::new(), &XavierNormal::new(), &Zeros)
    }

    /// Weights from the given initializers (fans of BrainPy's shapes: `(IN, OUT)` for `Wi`,
    /// `(OUT, OUT)` for `Wh`, `(1, OUT)` for `b`), relu.
    ///
    /// # Panics
    /// When an initializer gives a weight that is NaN or infinite.
    pub fn with_init<R: Rng + ?Sized>(
        rng: &mut R,
        wi_init: &impl Initializer,
        wh_init: &impl Initializer,
        b_init: &impl Initializer,
    ) -> Self {
        let wi = wi_init.matrix(rng, IN, OUT);
        let wh = wh_init.matrix(rng, OUT, OUT);
        let b = b_init.matrix(rng, 1, OUT);
        Self::from_params(RnnCellParams {
            wi,
            wh,
            b,
            activation: Activation::Relu,
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

    /// BrainPy's arrays: `Wi` `(IN, OUT)`, `Wh` `(OUT, OUT)`, `b` `(OUT,)`; relu.
    pub fn from_brainpy(
        wi: &BrainPyArray,
        wh: &BrainPyArray,
        b: &BrainPyArray,
    ) -> Result<Self, WeightError> {
        wi.expect_shape("Wi, (n_in, n_out)", &[IN, OUT])?;
        wh.expect_shape("Wh, (n_out, n_out)", &[OUT, OUT])?;
        b.expect_shape("b, (n_out,)", &[OUT])?;
        Self::from_params(RnnCellParams {
            wi: gate_matrix(wi, 1, 0),
            wh: gate_matrix(wh, 1, 0),
            b: gate_bias(b, 0),
            activation: Activation::Relu,
        })
        .map_err(|error| WeightError::Param {
            source: wi.source.clone(),
            error,
        })
    }

    /// The weights in BrainPy's layout: `(Wi, Wh, b)`.
    pub fn to_brainpy(&self) -> (BrainPyArray, BrainPyArray, BrainPyArray) {
        (
            stack_matrices("Wi", &[&self.wi]),
            stack_matrices("Wh", &[&self.wh]),
            stack_biases("b", &[&self.b]),
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
