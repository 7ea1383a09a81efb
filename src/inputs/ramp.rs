//! [`Ramp`]: `linspace(start, end, steps)`, computed exactly as NumPy does, one value per step.

use alloc::vec::Vec;
use core::marker::PhantomData;

use loop_core::{InputSequence, LoopError};

use super::FromScalar;

/// `steps` values from `start` to `end` inclusive, evenly spaced: NumPy's
/// `linspace(start, end, steps)`, with the same rounding (`k · step + start` with
/// `step = (end - start) / (steps - 1)`, and the last value exactly `end`), so that a run fed by
/// a ramp here and one fed by NumPy's see the same numbers. Items are `X::from_scalar(value)`.
///
/// ```
/// use looptime::inputs::Ramp;
///
/// let ramp = Ramp::<f64>::linspace(1.0, -1.0, 4);
/// assert_eq!(ramp.to_vec(), [1.0, 0.33333333333333337, -0.33333333333333326, -1.0]);
/// ```
pub struct Ramp<X> {
    start: f64,
    end: f64,
    steps: usize,
    item: PhantomData<fn() -> X>,
}

impl<X> Clone for Ramp<X> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<X> Copy for Ramp<X> {}

impl<X> core::fmt::Debug for Ramp<X> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Ramp")
            .field("start", &self.start)
            .field("end", &self.end)
            .field("steps", &self.steps)
            .finish()
    }
}

impl<X: FromScalar> Ramp<X> {
    /// `linspace(start, end, steps)`.
    pub fn linspace(start: f64, end: f64, steps: usize) -> Self {
        Ramp {
            start,
            end,
            steps,
            item: PhantomData,
        }
    }

    /// The number at step `k` (`k < len()`), before conversion to `X`.
    pub fn value(&self, k: usize) -> f64 {
        if self.steps < 2 {
            // NumPy: one point is the start; the step is undefined.
            return self.start;
        }
        if k == self.steps - 1 {
            return self.end;
        }
        let div = (self.steps - 1) as f64;
        let delta = self.end - self.start;
        let step = delta / div;
        let offset = if step == 0.0 {
            // NumPy's path for a step that underflows (or a flat ramp): k / div · delta.
            k as f64 / div * delta
        } else {
            k as f64 * step
        };
        offset + self.start
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.steps
    }

    /// `true` when there are no steps.
    pub fn is_empty(&self) -> bool {
        self.steps == 0
    }

    /// Every step's value, stored.
    pub fn to_vec(&self) -> Vec<X> {
        (0..self.steps)
            .map(|k| X::from_scalar(self.value(k)))
            .collect()
    }
}

impl<X: FromScalar> InputSequence for Ramp<X> {
    type Item = X;

    fn steps<H>(&self) -> Result<usize, LoopError<H>> {
        Ok(self.steps)
    }

    fn item(&self, k: usize) -> X {
        X::from_scalar(self.value(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::SMatrix;

    // Expected values are NumPy 2.4's `np.linspace` output, printed with repr.

    #[test]
    fn matches_numpy_linspace() {
        let r = Ramp::<f64>::linspace(0.1, 0.7, 7);
        assert_eq!(r.to_vec(), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
        let r = Ramp::<f64>::linspace(20.0, 60.0, 4000);
        assert_eq!(r.value(0), 20.0);
        assert_eq!(r.value(1), 20.010002500625156);
        assert_eq!(r.value(1234), 32.34308577144286);
        assert_eq!(r.value(3998), 59.989997499374844);
        assert_eq!(r.value(3999), 60.0);
        let r = Ramp::<f64>::linspace(1.0, -1.0, 4);
        assert_eq!(
            r.to_vec(),
            [1.0, 0.33333333333333337, -0.33333333333333326, -1.0]
        );
    }

    #[test]
    fn one_point_flat_and_empty_ramps() {
        assert_eq!(Ramp::<f64>::linspace(-3.0, 5.0, 1).to_vec(), [-3.0]);
        assert_eq!(Ramp::<f64>::linspace(2.0, 2.0, 3).to_vec(), [2.0; 3]);
        assert!(Ramp::<f64>::linspace(0.0, 1.0, 0).is_empty());
    }

    #[test]
    fn items_broadcast_to_matrices() {
        let r = Ramp::<SMatrix<f32, 2, 2>>::linspace(0.0, 1.0, 3);
        assert_eq!(r.item(1), SMatrix::<f32, 2, 2>::from_element(0.5));
        assert_eq!(InputSequence::steps::<()>(&r).ok(), Some(3));
    }
}
