//! Introspection of state variables: a [`StateVisitor`] sees each state's name, shape and values,
//! so generic code (the divergence check, export) can walk any system without knowing its type.

use nalgebra::{SMatrix, Scalar};

/// The values of one state variable, flattened in column-major order (nalgebra's order: for an
/// `N × B` state, the `N` neurons of sample 0 first).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StateValues<'a> {
    /// Single-precision floats.
    F32(&'a [f32]),
    /// Double-precision floats.
    F64(&'a [f64]),
    /// Flags, such as spikes.
    Bool(&'a [bool]),
    /// Signed integers (counters, indices).
    I64(&'a [i64]),
}

impl StateValues<'_> {
    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            StateValues::F32(v) => v.len(),
            StateValues::F64(v) => v.len(),
            StateValues::Bool(v) => v.len(),
            StateValues::I64(v) => v.len(),
        }
    }

    /// `true` when there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `k` as `f64` (flags as 0 or 1).
    pub fn get_f64(&self, k: usize) -> f64 {
        match self {
            StateValues::F32(v) => f64::from(v[k]),
            StateValues::F64(v) => v[k],
            StateValues::Bool(v) => f64::from(u8::from(v[k])),
            StateValues::I64(v) => v[k] as f64,
        }
    }

    /// Index of the first value that is NaN or infinite (never for flags and integers).
    pub fn first_non_finite(&self) -> Option<usize> {
        match self {
            StateValues::F32(v) => v.iter().position(|x| !x.is_finite()),
            StateValues::F64(v) => v.iter().position(|x| !x.is_finite()),
            StateValues::Bool(_) | StateValues::I64(_) => None,
        }
    }
}

/// An element type a state can hold.
pub trait StateElement: Scalar + Copy {
    /// Wraps a slice of this type.
    fn values(slice: &[Self]) -> StateValues<'_>;
}

impl StateElement for f32 {
    fn values(slice: &[Self]) -> StateValues<'_> {
        StateValues::F32(slice)
    }
}

impl StateElement for f64 {
    fn values(slice: &[Self]) -> StateValues<'_> {
        StateValues::F64(slice)
    }
}

impl StateElement for bool {
    fn values(slice: &[Self]) -> StateValues<'_> {
        StateValues::Bool(slice)
    }
}

impl StateElement for i64 {
    fn values(slice: &[Self]) -> StateValues<'_> {
        StateValues::I64(slice)
    }
}

/// A value that can be shown to a [`StateVisitor`] as one state variable.
pub trait VisitState {
    /// Shows `self` to `visitor` under `name`.
    fn visit_state(&self, name: &'static str, visitor: &mut dyn StateVisitor);
}

impl<T: StateElement, const R: usize, const C: usize> VisitState for SMatrix<T, R, C> {
    fn visit_state(&self, name: &'static str, visitor: &mut dyn StateVisitor) {
        visitor.state(name, T::values(self.as_slice()), (R, C));
    }
}

macro_rules! scalar_visit_state {
    ($($t:ty),*) => {$(
        impl VisitState for $t {
            fn visit_state(&self, name: &'static str, visitor: &mut dyn StateVisitor) {
                visitor.state(name, <$t as StateElement>::values(core::slice::from_ref(self)), (1, 1));
            }
        }
    )*};
}
scalar_visit_state!(f32, f64, bool, i64);

/// Sees the state variables of a system, one call of [`state`](Self::state) each. Children are
/// bracketed by [`enter`](Self::enter) and [`leave`](Self::leave), so a visitor can build paths
/// such as `l1.state`.
pub trait StateVisitor {
    /// The following states belong to the child `name`.
    fn enter(&mut self, name: &'static str) {
        let _ = name;
    }

    /// The child entered last is done.
    fn leave(&mut self) {}

    /// One state variable: its name, its values (column-major) and its shape `(rows, cols)`.
    fn state(&mut self, name: &'static str, values: StateValues<'_>, shape: (usize, usize));
}
