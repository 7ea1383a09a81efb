//! Weights in BrainPy's layout ([`BrainPyArray`]: float64, C order, `Wi` of shape
//! `(n_in, k·n_out)`) and the typed error a wrong one gives ([`WeightError`]).
//!
//! The layers are column-major (one column per sample), so they store the transposes of BrainPy's
//! matrices, one block per gate: gate `g` of a BrainPy matrix `(rows, k·n_out)` is its columns
//! `g·n_out .. (g+1)·n_out`, and the layer keeps that block transposed, an `n_out × rows` matrix.
//! `y = x Wi` for a row `x` is then `y = Wiᵀ x` for a column, the same numbers.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use nalgebra::{SMatrix, SVector};

use crate::Real;

/// A float64 array in C (row-major) order, its shape, and where it came from (a file name, or
/// any label), so that an error can say which array was wrong.
///
/// Its data always fill its shape: it is built by [`new`](Self::new), which checks that, and
/// read through accessors, so a layer indexing it by its shape cannot go out of bounds.
#[derive(Clone, Debug, PartialEq)]
pub struct BrainPyArray {
    /// Where the array came from, for messages (`"l1_Wi.npy"`).
    pub(crate) source: String,
    /// The shape, slowest index first (NumPy's `shape`).
    pub(crate) shape: Vec<usize>,
    /// The elements in C order.
    pub(crate) data: Vec<f64>,
}

impl BrainPyArray {
    /// An array of `shape` holding `data` in C order; an error when their sizes differ (or the
    /// shape's size does not fit in `usize`).
    pub fn new(
        source: impl Into<String>,
        shape: Vec<usize>,
        data: Vec<f64>,
    ) -> Result<Self, WeightError> {
        let source = source.into();
        let size = shape.iter().try_fold(1_usize, |n, &d| n.checked_mul(d));
        if size != Some(data.len()) {
            return Err(WeightError::Length {
                array: source,
                shape,
                len: data.len(),
            });
        }
        Ok(BrainPyArray {
            source,
            shape,
            data,
        })
    }

    /// Where the array came from (a file name, or any label).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The shape, slowest index first (NumPy's `shape`).
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The elements in C order.
    pub fn data(&self) -> &[f64] {
        &self.data
    }

    /// The elements in C order, without the shape.
    pub fn into_data(self) -> Vec<f64> {
        self.data
    }

    /// `Ok` when the array has shape `expected`, else a [`WeightError::Shape`] naming `what`.
    pub fn expect_shape(&self, what: &'static str, expected: &[usize]) -> Result<(), WeightError> {
        if self.shape == expected {
            Ok(())
        } else {
            Err(WeightError::Shape {
                array: self.source.clone(),
                what,
                expected: expected.to_vec(),
                found: self.shape.clone(),
            })
        }
    }
}

/// Why weights could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WeightError {
    /// An array has the wrong shape for the layer.
    #[error(
        "{array}: {what} must have shape {} for this layer, but has shape {}",
        Shape(expected),
        Shape(found)
    )]
    Shape {
        /// Where the array came from.
        array: String,
        /// Which array of the layer, with its BrainPy shape in words (`"Wi, (n_in, 3·n_out)"`).
        what: &'static str,
        /// The shape the layer needs.
        expected: Vec<usize>,
        /// The array's shape.
        found: Vec<usize>,
    },
    /// The data do not fill the stated shape.
    #[error(
        "{array}: shape {} needs {} elements, but {len} were given",
        Shape(shape),
        Size(shape)
    )]
    Length {
        /// Where the array came from.
        array: String,
        /// The stated shape.
        shape: Vec<usize>,
        /// Number of elements given.
        len: usize,
    },
    /// The weights break a layer's parameter check (a NaN or infinite element).
    #[error("{source}: {error}")]
    Param {
        /// Where the weights came from.
        source: String,
        /// The check that failed.
        #[source]
        error: crate::ParamError,
    },
    /// A `.npy` file could not be read.
    #[cfg(feature = "npy")]
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        #[source]
        error: std::io::Error,
    },
    /// A `.npy` file holds something other than a float64 array in C order.
    #[cfg(feature = "npy")]
    #[error("{path}: expected a float64 array in C order (BrainPy's weights), found {found}")]
    Format {
        /// The file.
        path: String,
        /// What it holds instead.
        found: String,
    },
}

/// `(100, 20)`, as NumPy prints a shape.
struct Shape<'a>(&'a [usize]);

impl fmt::Display for Shape<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for (k, d) in self.0.iter().enumerate() {
            if k > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{d}")?;
        }
        if self.0.len() == 1 {
            f.write_str(",")?;
        }
        f.write_str(")")
    }
}

/// The number of elements of a shape, or words for one past `usize::MAX`.
struct Size<'a>(&'a [usize]);

impl fmt::Display for Size<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.iter().try_fold(1_usize, |n, &d| n.checked_mul(d)) {
            Some(n) => write!(f, "{n}"),
            None => f.write_str("more than usize::MAX"),
        }
    }
}

/// Gate `g` of the `k` stacked in `a`, a BrainPy matrix of shape `(ROWS, k·OUT)` whose shape was
/// checked: columns `g·OUT .. (g+1)·OUT`, transposed.
pub(crate) fn gate_matrix<T: Real, const OUT: usize, const ROWS: usize>(
    a: &BrainPyArray,
    k: usize,
    g: usize,
) -> SMatrix<T, OUT, ROWS> {
    let cols = k * OUT;
    SMatrix::from_fn(|j, r| T::of(a.data[r * cols + g * OUT + j]))
}

/// Gate `g` of the `k` stacked in `b`, a BrainPy bias of shape `(k·OUT,)` whose shape was checked.
pub(crate) fn gate_bias<T: Real, const OUT: usize>(b: &BrainPyArray, g: usize) -> SVector<T, OUT> {
    SVector::from_fn(|j, _| T::of(b.data[g * OUT + j]))
}

/// The BrainPy matrix `(ROWS, k·OUT)` whose gates are `gates` (each `OUT × ROWS`, transposed).
pub(crate) fn stack_matrices<T: Real, const OUT: usize, const ROWS: usize>(
    source: &str,
    gates: &[&SMatrix<T, OUT, ROWS>],
) -> BrainPyArray {
    let cols = gates.len() * OUT;
    let mut data = alloc::vec![0.0; ROWS * cols];
    for (g, m) in gates.iter().enumerate() {
        for r in 0..ROWS {
            for j in 0..OUT {
                data[r * cols + g * OUT + j] = m[(j, r)].to_f64();
            }
        }
    }
    BrainPyArray {
        source: source.into(),
        shape: alloc::vec![ROWS, cols],
        data,
    }
}

/// The BrainPy bias `(k·OUT,)` whose gates are `gates`.
pub(crate) fn stack_biases<T: Real, const OUT: usize>(
    source: &str,
    gates: &[&SVector<T, OUT>],
) -> BrainPyArray {
    let data: Vec<f64> = gates
        .iter()
        .flat_map(|b| b.iter().map(|x| x.to_f64()))
        .collect();
    BrainPyArray {
        source: source.into(),
        shape: alloc::vec![data.len()],
        data,
    }
}
