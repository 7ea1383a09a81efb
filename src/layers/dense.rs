//! [`Dense`]: the fully connected layer `y = x W + b` (BrainPy's `brainpy.dnn.Dense`), stateless.
//! A `no_state` run feeds it every step at once: one matrix product over all `T × B` columns.

use core::marker::PhantomData;

use alloc::vec::Vec;
use nalgebra::{DMatrixView, DMatrixViewMut, SMatrix, SVector};
use rand::Rng;

use super::init::{FINITE_INIT, Initializer, XavierNormal, Zeros};
use super::weights::{
    BrainPyArray, WeightError, gate_bias, gate_matrix, stack_biases, stack_matrices,
};
use crate::kernels::product_plus_bias;
use crate::{Real, Shared, dynamical_system};

/// `y = x W + b` for each of `B` samples (one column each): `IN` inputs, `OUT` outputs.
///
/// `w` is the transpose of BrainPy's `W` (shape `(IN, OUT)`), so that a column `x` gives
/// `y = w x + b`: the same numbers. The layer is stateless, so a `no_state` loop runs it over
/// every step in one matrix product ([`DynamicalSystem::update_all`](crate::DynamicalSystem::update_all)),
/// equal to stepping up to the rounding of the sums (bit for bit when the products are exact).
///
/// Sizes live on the stack: `w` holds `OUT·IN` scalars and a step `IN·B + OUT·B` more; keep
/// them within the thread's stack (2 MiB for test threads, 8 MiB for `main`), or run a large
/// layer in a thread with a larger stack.
#[dynamical_system(crate = crate)]
#[derive(Clone)]
pub struct Dense<T: Real, const IN: usize, const OUT: usize, const B: usize = 1> {
    /// Weights, `OUT × IN`: the transpose of BrainPy's `W`.
    #[param(check = finite, train)]
    pub w: SMatrix<T, OUT, IN>,
    /// Bias, one per output.
    #[param(check = finite, train)]
    pub b: SVector<T, OUT>,
    batch: PhantomData<[(); B]>,
}

#[dynamical_system(crate = crate)]
impl<T: Real, const IN: usize, const OUT: usize, const B: usize> Dense<T, IN, OUT, B> {
    #[update]
    fn step(&mut self, _sh: &Shared, x: &SMatrix<T, IN, B>) -> SMatrix<T, OUT, B> {
        // `loop_core`'s kernel: the sums of `w * x` and `+ b`; its backward step is
        // `train::product_plus_bias_backward`.
        let mut y = SMatrix::<T, OUT, B>::zeros();
        product_plus_bias(&self.w, x, &self.b, &mut y);
        y
    }

    #[update_all]
    fn step_all(
        &mut self,
        _sh: &Shared,
        xs: &[SMatrix<T, IN, B>],
        out: &mut Vec<SMatrix<T, OUT, B>>,
    ) {
        let start = out.len();
        out.resize(start + xs.len(), SMatrix::zeros());
        let columns = xs.len() * B;
        let x = DMatrixView::from_slice(flatten(xs), IN, columns);
        let mut y = DMatrixViewMut::from_slice(flatten_mut(&mut out[start..]), OUT, columns);
        y.gemm(T::one(), &self.w, &x, T::zero());
        for mut column in y.column_iter_mut() {
            column += &self.b;
        }
    }
}

impl<T: Real, const IN: usize, const OUT: usize, const B: usize> Dense<T, IN, OUT, B> {
    /// BrainPy's defaults: Xavier-normal weights and zero bias, drawn from `rng`.
    pub fn new<R: Rng + ?Sized>(rng: &mut R) -> Self {
        Self::with_init(rng, &XavierNormal::new(), &Zeros)
    }

    /// Weights from `w_init` (fans `IN`, `OUT`, those of BrainPy's `(IN, OUT)` matrix) and bias
    /// from `b_init` (drawn as a `(1, OUT)` matrix).
    ///
    /// # Panics
    /// When an initializer gives a weight that is NaN or infinite.
    pub fn with_init<R: Rng + ?Sized>(
        rng: &mut R,
        w_init: &impl Initializer,
        b_init: &impl Initializer,
    ) -> Self {
        let w = w_init.matrix(rng, IN, OUT);
        let b = b_init.matrix(rng, 1, OUT);
        Self::from_params(DenseParams { w, b }).expect(FINITE_INIT)
    }

    /// BrainPy's arrays: `w` of shape `(IN, OUT)` and `b` of shape `(OUT,)`.
    pub fn from_brainpy(w: &BrainPyArray, b: &BrainPyArray) -> Result<Self, WeightError> {
        w.expect_shape("W, (n_in, n_out)", &[IN, OUT])?;
        b.expect_shape("b, (n_out,)", &[OUT])?;
        Self::from_params(DenseParams {
            w: gate_matrix(w, 1, 0),
            b: gate_bias(b, 0),
        })
        .map_err(|error| WeightError::Param {
            source: w.source.clone(),
            error,
        })
    }

    /// The weights in BrainPy's layout: `(W, b)` of shapes `(IN, OUT)` and `(OUT,)`.
    pub fn to_brainpy(&self) -> (BrainPyArray, BrainPyArray) {
        (
            stack_matrices("W", &[&self.w]),
            stack_biases("b", &[&self.b]),
        )
    }

    /// BrainPy's arrays from `.npy` files (float64, C order).
    #[cfg(feature = "npy")]
    pub fn load_npy(
        w: impl AsRef<std::path::Path>,
        b: impl AsRef<std::path::Path>,
    ) -> Result<Self, WeightError> {
        Self::from_brainpy(&super::read_npy(w)?, &super::read_npy(b)?)
    }
}

/// The elements of `xs`, in order: each matrix is `R · C` scalars in column-major order, so the
/// whole slice is one `R × (len · C)` column-major matrix.
fn flatten<T, const R: usize, const C: usize>(xs: &[SMatrix<T, R, C>]) -> &[T] {
    const { assert!(size_of::<SMatrix<T, R, C>>() == R * C * size_of::<T>()) };
    // SAFETY: `SMatrix<T, R, C>` is `Matrix<T, Const<R>, Const<C>, ArrayStorage<T, R, C>>`:
    // `Matrix` is `#[repr(C)]` with its storage first and a zero-sized marker after it, and
    // `ArrayStorage` is `#[repr(transparent)]` over `[[T; R]; C]`. So a matrix is exactly `R · C`
    // consecutive `T`s (the size is asserted above) with the alignment of `T`, and a slice of
    // them is `len · R · C` consecutive `T`s, borrowed for as long as `xs`.
    unsafe { core::slice::from_raw_parts(xs.as_ptr().cast::<T>(), xs.len() * R * C) }
}

/// [`flatten`], mutably.
fn flatten_mut<T, const R: usize, const C: usize>(xs: &mut [SMatrix<T, R, C>]) -> &mut [T] {
    const { assert!(size_of::<SMatrix<T, R, C>>() == R * C * size_of::<T>()) };
    // SAFETY: as in `flatten`; the borrow is unique for as long as `xs`'s.
    unsafe { core::slice::from_raw_parts_mut(xs.as_mut_ptr().cast::<T>(), xs.len() * R * C) }
}
