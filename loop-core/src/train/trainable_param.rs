//! [`TrainableParam`]: what a `#[param(train)]` field can be (a matrix, a vector or a scalar of
//! the model's scalar), shown to the optimizers as a flat column-major slice with its shape.
//! `#[dynamical_system]` derives a model's [`Trainable`](super::Trainable) from these fields.

use nalgebra::SMatrix;

use crate::Real;

/// A trainable parameter of scalar `T`: its shape and its values as one slice.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a trainable parameter of scalar `{T}`",
    label = "`#[param(train)]` takes a matrix, a vector or a scalar of the model's float scalar"
)]
pub trait TrainableParam<T> {
    /// `(rows, cols)`.
    const SHAPE: (usize, usize);

    /// The values, column-major.
    fn values(&self) -> &[T];

    /// The values, column-major, for change.
    fn values_mut(&mut self) -> &mut [T];
}

impl<T: Real, const R: usize, const C: usize> TrainableParam<T> for SMatrix<T, R, C> {
    const SHAPE: (usize, usize) = (R, C);

    fn values(&self) -> &[T] {
        self.as_slice()
    }

    fn values_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

macro_rules! scalar_param {
    ($($t:ty),*) => {$(
        impl TrainableParam<$t> for $t {
            const SHAPE: (usize, usize) = (1, 1);

            fn values(&self) -> &[$t] {
                core::slice::from_ref(self)
            }

            fn values_mut(&mut self) -> &mut [$t] {
                core::slice::from_mut(self)
            }
        }
    )*};
}

scalar_param!(f32, f64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_values_are_column_major() {
        let mut m = SMatrix::<f64, 2, 3>::from_fn(|r, c| (10 * r + c) as f64);
        assert_eq!(<SMatrix<f64, 2, 3> as TrainableParam<f64>>::SHAPE, (2, 3));
        assert_eq!(m.values(), &[0.0, 10.0, 1.0, 11.0, 2.0, 12.0]);
        m.values_mut()[1] = 5.0;
        assert_eq!(m[(1, 0)], 5.0);
        let mut x = 2.0_f32;
        x.values_mut()[0] = 3.0;
        assert_eq!((x, <f32 as TrainableParam<f32>>::SHAPE), (3.0, (1, 1)));
    }
}
