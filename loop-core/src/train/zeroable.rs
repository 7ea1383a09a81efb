//! [`Zeroable`]: values that have an all-zero element, so that the driver can start the
//! gradient of every output at zero before a loss adds to it.

use nalgebra::SMatrix;

use crate::Real;

/// A value with an all-zero element of the same shape: the starting gradient of an output.
pub trait Zeroable: Sized {
    /// The value whose every element is zero.
    fn zeroed() -> Self;
}

impl<T: Real, const R: usize, const C: usize> Zeroable for SMatrix<T, R, C> {
    #[inline]
    fn zeroed() -> Self {
        SMatrix::zeros()
    }
}

impl Zeroable for f64 {
    #[inline]
    fn zeroed() -> Self {
        0.0
    }
}

impl Zeroable for f32 {
    #[inline]
    fn zeroed() -> Self {
        0.0
    }
}

impl Zeroable for () {
    #[inline]
    fn zeroed() -> Self {}
}
