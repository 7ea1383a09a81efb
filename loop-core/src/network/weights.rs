//! Synaptic weights: one for every synapse of a projection ([`Weights::Homogeneous`], as in
//! BrainPy's COBA) or one per synapse ([`Weights::PerSynapse`]), stored as `f32` or `f64`
//! whatever the model's scalar ([`Weight`]).

use alloc::vec::Vec;

use super::error::{ConnArray, ConnError};
use crate::Real;

/// A stored weight read as the model's scalar `T`: `f32` and `f64` as themselves, and `f32` in an
/// `f64` model (exactly), so that an `f64` network can keep 8-byte synapses. (An `f64` weight in
/// an `f32` model would round; convert the weights once instead.)
pub trait Weight<T>: Copy {
    /// The weight as `T`.
    fn weight(self) -> T;
}

/// A weight stored in the model's own scalar (so that generic network code over `T: Real` can
/// use `Synapses<T>`).
impl<T: Real> Weight<T> for T {
    #[inline(always)]
    fn weight(self) -> T {
        self
    }
}

impl Weight<f64> for f32 {
    #[inline(always)]
    fn weight(self) -> f64 {
        f64::from(self)
    }
}

/// The weights of a projection's synapses.
#[derive(Clone, Debug, PartialEq)]
pub enum Weights<W> {
    /// One weight for every synapse: no memory per synapse.
    Homogeneous(W),
    /// One weight per synapse, in the order of the connectivity's synapses.
    PerSynapse(Vec<W>),
}

impl<W> Weights<W> {
    /// Heap bytes held (0 for a homogeneous weight), counted by capacity.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Weights::Homogeneous(_) => 0,
            Weights::PerSynapse(w) => w.capacity() * size_of::<W>(),
        }
    }
}

/// Checks that `found` per-synapse weights fit `expected` synapses.
pub(super) fn check_weight_count(found: usize, expected: usize) -> Result<(), ConnError> {
    if found != expected {
        return Err(ConnError::Length {
            array: ConnArray::Weights,
            found,
            expected,
        });
    }
    Ok(())
}
