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

impl<T: Zeroable, const N: usize> Zeroable for [T; N] {
    #[inline]
    fn zeroed() -> Self {
        core::array::from_fn(|_| T::zeroed())
    }
}

/// Tuples of zeroable values (a layer whose output is several values): each part zeroed.
macro_rules! tuple_zeroable {
    ($(($($t:ident),+)),* $(,)?) => {$(
        impl<$($t: Zeroable),+> Zeroable for ($($t,)+) {
            #[inline]
            fn zeroed() -> Self {
                ($($t::zeroed(),)+)
            }
        }
    )*};
}

tuple_zeroable!((A), (A, B), (A, B, C), (A, B, C, D));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_and_tuples_are_zero_in_every_part() {
        let (m, x, a): (SMatrix<f64, 2, 3>, f32, [f64; 4]) = Zeroable::zeroed();
        assert!(m.iter().all(|v| *v == 0.0));
        assert_eq!(x, 0.0);
        assert_eq!(a, [0.0; 4]);
    }
}
