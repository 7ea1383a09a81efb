//! Inputs of a run: [`InputSequence`] for time-first data (slices, arrays, vectors, and tuples of
//! them fed side by side) and [`ZeroInput`], the natural zero fed by runs over a duration.

use alloc::vec::Vec;
use nalgebra::{SMatrix, Scalar};
use num_traits::Zero;

use crate::LoopError;

/// Time-first inputs: one item per step.
///
/// Implemented for `&[X]`, `&Vec<X>`, `&[X; T]` (each step's item is lent to the step, not
/// copied) and for tuples of inputs, which run side by side and give tuple items; their
/// lengths must agree.
pub trait InputSequence {
    /// What the system receives at one step.
    type Item;

    /// Number of steps. Errors when the parts of a tuple have unequal lengths.
    fn steps<H>(&self) -> Result<usize, LoopError<H>>;

    /// The item of step `k` (`k < steps()`).
    fn item(&self, k: usize) -> Self::Item;

    /// The item of step `k` where it is stored, when it is (a stored array, a constant): the
    /// run lends it to the step instead of copying it out, which for a large input (a
    /// population's currents) saves a copy per step. By default, item `k` of
    /// [`as_slice`](Self::as_slice).
    fn item_ref(&self, k: usize) -> Option<&Self::Item> {
        self.as_slice().map(|items| &items[k])
    }

    /// All items as one slice, when they are stored so (a no-state run then needs no copy).
    fn as_slice(&self) -> Option<&[Self::Item]> {
        None
    }
}

impl<X: Clone> InputSequence for &[X] {
    type Item = X;

    fn steps<H>(&self) -> Result<usize, LoopError<H>> {
        Ok(self.len())
    }

    fn item(&self, k: usize) -> X {
        self[k].clone()
    }

    fn as_slice(&self) -> Option<&[X]> {
        Some(self)
    }
}

impl<X: Clone> InputSequence for &Vec<X> {
    type Item = X;

    fn steps<H>(&self) -> Result<usize, LoopError<H>> {
        Ok(self.len())
    }

    fn item(&self, k: usize) -> X {
        self[k].clone()
    }

    fn as_slice(&self) -> Option<&[X]> {
        Some(self)
    }
}

impl<X: Clone, const T: usize> InputSequence for &[X; T] {
    type Item = X;

    fn steps<H>(&self) -> Result<usize, LoopError<H>> {
        Ok(T)
    }

    fn item(&self, k: usize) -> X {
        self[k].clone()
    }

    fn as_slice(&self) -> Option<&[X]> {
        Some(&self[..])
    }
}

macro_rules! tuple_inputs {
    ($($name:ident $idx:tt),+) => {
        /// Inputs side by side: item `k` is the tuple of each part's item `k`.
        impl<$($name: InputSequence),+> InputSequence for ($($name,)+) {
            type Item = ($($name::Item,)+);

            fn steps<H>(&self) -> Result<usize, LoopError<H>> {
                let lengths = [$(self.$idx.steps()?),+];
                let expected = lengths[0];
                match lengths.iter().position(|&n| n != expected) {
                    None => Ok(expected),
                    Some(index) => Err(LoopError::UnequalLengths { expected, index, found: lengths[index] }),
                }
            }

            fn item(&self, k: usize) -> Self::Item {
                ($(self.$idx.item(k),)+)
            }
        }
    };
}
tuple_inputs!(A 0);
tuple_inputs!(A 0, B 1);
tuple_inputs!(A 0, B 1, C 2);
tuple_inputs!(A 0, B 1, C 2, D 3);
tuple_inputs!(A 0, B 1, C 2, D 3, E 4);
tuple_inputs!(A 0, B 1, C 2, D 3, E 4, F 5);

/// An input with a natural zero, fed at every step of a run over a duration (where BrainPy feeds
/// no input).
pub trait ZeroInput {
    /// The zero input.
    fn zero_input() -> Self;
}

impl ZeroInput for () {
    fn zero_input() -> Self {}
}

impl ZeroInput for f32 {
    fn zero_input() -> Self {
        0.0
    }
}

impl ZeroInput for f64 {
    fn zero_input() -> Self {
        0.0
    }
}

impl<T: Scalar + Zero, const R: usize, const C: usize> ZeroInput for SMatrix<T, R, C> {
    fn zero_input() -> Self {
        Self::zeros()
    }
}

macro_rules! tuple_zero {
    ($($name:ident),+) => {
        /// Each part is zero.
        impl<$($name: ZeroInput),+> ZeroInput for ($($name,)+) {
            fn zero_input() -> Self {
                ($($name::zero_input(),)+)
            }
        }
    };
}
tuple_zero!(A);
tuple_zero!(A, B);
tuple_zero!(A, B, C);
tuple_zero!(A, B, C, D);
