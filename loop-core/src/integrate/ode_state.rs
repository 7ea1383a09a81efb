//! [`OdeState`]: what an integrator needs of a state: element-wise combinations of states of the
//! same shape. Scalars, fixed-size matrices and tuples of them implement it.

use nalgebra::SMatrix;

use crate::Real;

/// A state of an ODE system, combined element by element by the integrators.
pub trait OdeState: Clone {
    /// The scalar type of every element.
    type Scalar: Real;

    /// `f(self[k], b[k])` for every element `k`.
    fn zip_map(&self, b: &Self, f: impl FnMut(Self::Scalar, Self::Scalar) -> Self::Scalar) -> Self;

    /// `f(self[k], b[k], c[k])` for every element `k`.
    fn zip_zip_map(
        &self,
        b: &Self,
        c: &Self,
        f: impl FnMut(Self::Scalar, Self::Scalar, Self::Scalar) -> Self::Scalar,
    ) -> Self;

    /// `self + h * d`.
    fn add_scaled(&self, h: Self::Scalar, d: &Self) -> Self {
        self.zip_map(d, |x, d| x + h * d)
    }
}

/// One element: a scalar state.
impl<T: Real> OdeState for T {
    type Scalar = T;

    fn zip_map(&self, b: &Self, mut f: impl FnMut(T, T) -> T) -> Self {
        f(*self, *b)
    }

    fn zip_zip_map(&self, b: &Self, c: &Self, mut f: impl FnMut(T, T, T) -> T) -> Self {
        f(*self, *b, *c)
    }
}

impl<T: Real, const R: usize, const C: usize> OdeState for SMatrix<T, R, C> {
    type Scalar = T;

    fn zip_map(&self, b: &Self, f: impl FnMut(T, T) -> T) -> Self {
        SMatrix::zip_map(self, b, f)
    }

    fn zip_zip_map(&self, b: &Self, c: &Self, f: impl FnMut(T, T, T) -> T) -> Self {
        SMatrix::zip_zip_map(self, b, c, f)
    }
}

macro_rules! tuple_state {
    ($first:ident $fidx:tt $(, $name:ident $idx:tt)*) => {
        /// Variables integrated jointly; every part has the same scalar.
        impl<$first: OdeState $(, $name: OdeState<Scalar = $first::Scalar>)*> OdeState for ($first, $($name,)*) {
            type Scalar = $first::Scalar;

            fn zip_map(&self, b: &Self, mut f: impl FnMut(Self::Scalar, Self::Scalar) -> Self::Scalar) -> Self {
                (self.$fidx.zip_map(&b.$fidx, &mut f), $(self.$idx.zip_map(&b.$idx, &mut f),)*)
            }

            fn zip_zip_map(
                &self,
                b: &Self,
                c: &Self,
                mut f: impl FnMut(Self::Scalar, Self::Scalar, Self::Scalar) -> Self::Scalar,
            ) -> Self {
                (self.$fidx.zip_zip_map(&b.$fidx, &c.$fidx, &mut f), $(self.$idx.zip_zip_map(&b.$idx, &c.$idx, &mut f),)*)
            }
        }
    };
}
tuple_state!(A 0);
tuple_state!(A 0, B 1);
tuple_state!(A 0, B 1, C 2);
tuple_state!(A 0, B 1, C 2, D 3);
tuple_state!(A 0, B 1, C 2, D 3, E 4);
tuple_state!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_state!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_state!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
