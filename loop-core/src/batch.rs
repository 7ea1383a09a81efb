//! Batches as columns: [`Batched`] splits a per-step value into its samples (one column each) and
//! [`FromSamples`] builds it back, which is how batch-first data runs through a time-first loop.
//! [`split_columns`] and [`split_samples`] cut a batch into equal parts, in order (the parts of
//! [`DataParallel`](crate::train::DataParallel)'s replicas).

use nalgebra::{SMatrix, SVector, Scalar};
use num_traits::Zero;

/// A per-step value that holds one sample per column, `BATCH` columns in all.
pub trait Batched {
    /// One sample (one column).
    type Sample: Clone;
    /// Number of samples.
    const BATCH: usize;
    /// Sample `b` (`b < BATCH`).
    fn sample(&self, b: usize) -> Self::Sample;
}

/// A [`Batched`] value that can be assembled from its samples.
pub trait FromSamples: Batched + Sized {
    /// Builds the value whose sample `b` is `sample(b)`, for `b` in `0..BATCH` in order.
    fn from_samples(sample: impl FnMut(usize) -> Self::Sample) -> Self;
}

impl<T: Scalar, const R: usize, const C: usize> Batched for SMatrix<T, R, C> {
    type Sample = SVector<T, R>;
    const BATCH: usize = C;

    fn sample(&self, b: usize) -> Self::Sample {
        self.column(b).into_owned()
    }
}

impl<T: Scalar + Zero, const R: usize, const C: usize> FromSamples for SMatrix<T, R, C> {
    fn from_samples(mut sample: impl FnMut(usize) -> Self::Sample) -> Self {
        let mut m = Self::zeros();
        for b in 0..C {
            m.set_column(b, &sample(b));
        }
        m
    }
}

/// The `N` parts of a batch of `B` samples (one per column), `H` samples each, in order: part `k`
/// holds columns `k·H .. (k+1)·H`. `H · N = B` is checked at compile time.
///
/// ```
/// use loop_core::{split_columns, split_samples};
/// use nalgebra::SMatrix;
///
/// let x = SMatrix::<f64, 2, 4>::from_fn(|r, c| (10 * c + r) as f64);
/// let [a, b] = split_columns::<_, 2, 4, 2, 2>(&x);
/// assert_eq!(a, x.fixed_columns::<2>(0));
/// assert_eq!(b, x.fixed_columns::<2>(2));
/// assert_eq!(split_samples::<_, 4, 2, 2>(&[7, 8, 9, 10]), [[7, 8], [9, 10]]);
/// ```
pub fn split_columns<T: Scalar, const R: usize, const B: usize, const H: usize, const N: usize>(
    x: &SMatrix<T, R, B>,
) -> [SMatrix<T, R, H>; N] {
    const { assert!(H * N == B, "split_columns: H · N must be the batch B") };
    core::array::from_fn(|k| x.fixed_columns::<H>(k * H).into_owned())
}

/// The `N` parts of the per-sample values `samples` (labels, say), `H` each, in order:
/// [`split_columns`] for an array.
pub fn split_samples<T: Copy, const B: usize, const H: usize, const N: usize>(
    samples: &[T; B],
) -> [[T; H]; N] {
    const { assert!(H * N == B, "split_samples: H · N must be the batch B") };
    core::array::from_fn(|k| core::array::from_fn(|j| samples[k * H + j]))
}

/// A system without output still runs batch-first; each sample's output is `()`.
impl Batched for () {
    type Sample = ();
    const BATCH: usize = 1;

    fn sample(&self, _b: usize) {}
}

macro_rules! scalar_batched {
    ($($t:ty),*) => {$(
        /// A scalar is a batch of one.
        impl Batched for $t {
            type Sample = $t;
            const BATCH: usize = 1;
            fn sample(&self, _b: usize) -> $t { *self }
        }
        impl FromSamples for $t {
            fn from_samples(mut sample: impl FnMut(usize) -> $t) -> $t { sample(0) }
        }
    )*};
}
scalar_batched!(f32, f64, bool);

macro_rules! tuple_batched {
    ($($name:ident $idx:tt),+) => {
        /// A tuple is batched element by element; its batch is the first element's.
        impl<$($name: Batched),+> Batched for ($($name,)+) {
            type Sample = ($($name::Sample,)+);
            const BATCH: usize = tuple_batched!(@first $($name),+);
            fn sample(&self, b: usize) -> Self::Sample { ($(self.$idx.sample(b),)+) }
        }
        impl<$($name: FromSamples),+> FromSamples for ($($name,)+) {
            fn from_samples(mut sample: impl FnMut(usize) -> Self::Sample) -> Self {
                // One pass per element keeps this allocation-free; `sample` only clones.
                ($( $name::from_samples(|b| sample(b).$idx), )+)
            }
        }
    };
    (@first $first:ident $(, $rest:ident)*) => { $first::BATCH };
}
tuple_batched!(A 0);
tuple_batched!(A 0, B 1);
tuple_batched!(A 0, B 1, C 2);
tuple_batched!(A 0, B 1, C 2, D 3);
