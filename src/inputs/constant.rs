//! [`Constant`]: the same input at every step.

use alloc::vec::Vec;

use loop_core::{InputSequence, LoopError, steps_for_duration};

use super::InputError;

/// The same value at every one of `steps` steps.
///
/// ```
/// use looptime::inputs::Constant;
///
/// let five = Constant::new(5.0, 1000);
/// assert_eq!(five.len(), 1000);
/// // Over a duration: ceil(duration / dt) steps, 100 / 0.1 giving 1000 (docs/MODELS.md).
/// assert_eq!(Constant::over(5.0, 100.0, 0.1).unwrap().len(), 1000);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Constant<X> {
    value: X,
    steps: usize,
}

impl<X: Clone> Constant<X> {
    /// `value` at each of `steps` steps.
    pub fn new(value: X, steps: usize) -> Self {
        Constant { value, steps }
    }

    /// `value` for `duration` (ms) at step `dt`: as many steps as a run over that duration.
    pub fn over(value: X, duration: f64, dt: f64) -> Result<Self, InputError> {
        loop_core::check_dt(dt)?;
        if !(duration.is_finite() && duration >= 0.0) {
            return Err(InputError::InvalidDuration {
                index: 0,
                value: duration,
            });
        }
        let steps = steps_for_duration(duration, dt);
        Ok(Constant { value, steps })
    }

    /// The value.
    pub fn value(&self) -> &X {
        &self.value
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
        alloc::vec![self.value.clone(); self.steps]
    }
}

impl<X: Clone> InputSequence for Constant<X> {
    type Item = X;

    fn steps<H>(&self) -> Result<usize, LoopError<H>> {
        Ok(self.steps)
    }

    fn item(&self, _k: usize) -> X {
        self.value.clone()
    }

    fn item_ref(&self, _k: usize) -> Option<&X> {
        Some(&self.value)
    }
}

impl<X: Clone> InputSequence for &Constant<X> {
    type Item = X;

    fn steps<H>(&self) -> Result<usize, LoopError<H>> {
        Ok(self.steps)
    }

    fn item(&self, _k: usize) -> X {
        self.value.clone()
    }

    fn item_ref(&self, _k: usize) -> Option<&X> {
        Some(&self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_the_value() {
        let c = Constant::new(2.5, 4);
        assert_eq!(c.to_vec(), [2.5; 4]);
        assert_eq!(InputSequence::steps::<()>(&c).ok(), Some(4));
        assert_eq!(c.item(3), 2.5);
        assert!(Constant::new(1.0, 0).is_empty());
    }

    /// The run lends the stored value to the step: no copy of a population's input per step.
    #[test]
    fn each_step_lends_the_one_stored_value() {
        let c = Constant::new([1.0_f64; 64], 3);
        for k in 0..3 {
            assert!(core::ptr::eq(c.item_ref(k).unwrap(), &c.value));
            assert!(core::ptr::eq(
                InputSequence::item_ref(&&c, k).unwrap(),
                &c.value
            ));
        }
    }

    #[test]
    fn over_a_duration_counts_steps_as_a_run_does() {
        assert_eq!(Constant::over(1.0, 100.0, 0.1).unwrap().len(), 1000);
        assert_eq!(Constant::over(1.0, 0.3, 0.1).unwrap().len(), 3);
        assert_eq!(Constant::over(1.0, 1.0, 0.3).unwrap().len(), 4);
        assert_eq!(Constant::over(1.0, 0.0, 0.1).unwrap().len(), 0);
        assert_eq!(
            Constant::over(1.0, 1.0, 0.0),
            Err(InputError::Clock(loop_core::ClockError::InvalidDt(0.0)))
        );
        assert!(matches!(
            Constant::over(1.0, -1.0, 0.1),
            Err(InputError::InvalidDuration { .. })
        ));
    }
}
