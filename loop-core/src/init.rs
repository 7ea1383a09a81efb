//! How `#[param(default = …)]` and `#[state(init = …)]` values become field values: a number
//! literal ([`Lit`]), an element broadcast to every entry of a matrix, or a value of the field's
//! own type ([`InitFrom`]); a state without `init` starts at [`ZeroState`].

use nalgebra::{SMatrix, Scalar};

use crate::Real;

/// A number literal written in an attribute (`init = -65.0`, `default = 10`), converted to the
/// field's scalar type (f32 or f64) and broadcast over a matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lit(pub f64);

impl Lit {
    /// The literal as written (`10`, `-65.0`), as `f64`.
    pub fn new(x: impl Into<f64>) -> Lit {
        Lit(x.into())
    }
}

/// A field value built from what an attribute says.
#[diagnostic::on_unimplemented(
    message = "a field of type `{Self}` cannot be initialized from `{S}`",
    label = "expected a number, an element of the field, or a value of the field's type"
)]
pub trait InitFrom<S> {
    /// The field value.
    fn init_from(source: S) -> Self;
}

impl<T: Real> InitFrom<Lit> for T {
    fn init_from(source: Lit) -> T {
        T::of(source.0)
    }
}

impl<T: Real> InitFrom<T> for T {
    fn init_from(source: T) -> T {
        source
    }
}

impl<T: Real, const R: usize, const C: usize> InitFrom<Lit> for SMatrix<T, R, C> {
    fn init_from(source: Lit) -> Self {
        Self::from_element(T::of(source.0))
    }
}

/// Every element set to `source`.
impl<T: Scalar, const R: usize, const C: usize> InitFrom<T> for SMatrix<T, R, C> {
    fn init_from(source: T) -> Self {
        Self::from_element(source)
    }
}

impl<T: Scalar, const R: usize, const C: usize> InitFrom<SMatrix<T, R, C>> for SMatrix<T, R, C> {
    fn init_from(source: Self) -> Self {
        source
    }
}

macro_rules! plain_init {
    ($($t:ty),*) => {$(
        impl InitFrom<$t> for $t {
            fn init_from(source: $t) -> $t { source }
        }
        impl InitFrom<Lit> for $t {
            fn init_from(source: Lit) -> $t { source.0 as $t }
        }
    )*};
}
plain_init!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl InitFrom<bool> for bool {
    fn init_from(source: bool) -> bool {
        source
    }
}

/// The value of a `#[state]` without `init`: zero, `false`, or a matrix of them.
#[diagnostic::on_unimplemented(
    message = "a `{Self}` state has no natural zero",
    label = "give it an initial value: `#[state(init = …)]`"
)]
pub trait ZeroState {
    /// Zero, `false`, or a matrix of them.
    fn zero_state() -> Self;
}

macro_rules! zero_state {
    ($($t:ty => $zero:expr),*) => {$(
        impl ZeroState for $t {
            fn zero_state() -> $t { $zero }
        }
    )*};
}
zero_state!(f32 => 0.0, f64 => 0.0, i8 => 0, i16 => 0, i32 => 0, i64 => 0, isize => 0, u8 => 0, u16 => 0, u32 => 0, u64 => 0, usize => 0, bool => false);

impl<T: Scalar + ZeroState, const R: usize, const C: usize> ZeroState for SMatrix<T, R, C> {
    fn zero_state() -> Self {
        Self::from_element(T::zero_state())
    }
}
