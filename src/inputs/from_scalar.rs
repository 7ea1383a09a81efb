//! [`FromScalar`]: an input value made from one number, as the scalar input helpers produce it.

use loop_core::Real;
use nalgebra::SMatrix;

/// An input value made from one number: the number itself, or a matrix with every element at it
/// (the same current for every neuron and every sample).
pub trait FromScalar {
    /// The value for `x` (converted to `f32` when the scalar is `f32`).
    fn from_scalar(x: f64) -> Self;
}

impl FromScalar for f64 {
    fn from_scalar(x: f64) -> Self {
        x
    }
}

impl FromScalar for f32 {
    fn from_scalar(x: f64) -> Self {
        x as f32
    }
}

impl<T: Real, const R: usize, const C: usize> FromScalar for SMatrix<T, R, C> {
    fn from_scalar(x: f64) -> Self {
        SMatrix::from_element(T::of(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_broadcast_matrices() {
        assert_eq!(f64::from_scalar(0.1), 0.1);
        assert_eq!(f32::from_scalar(0.1), 0.1_f32);
        assert_eq!(
            SMatrix::<f32, 2, 3>::from_scalar(2.5),
            SMatrix::<f32, 2, 3>::from_element(2.5)
        );
    }
}
