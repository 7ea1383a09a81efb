//! [`Section`]: a piecewise-constant input, like `brainpy.inputs.section_input`.

use alloc::vec::Vec;

use loop_core::{InputSequence, LoopError, steps_for_duration};

use super::InputError;

/// Value `values[j]` for `durations[j]` ms, one section after the other.
///
/// Section `j` lasts as many steps as a run over `durations[j]`: `ceil(duration / dt)`, with a
/// quotient within 1e-9 of an integer counting as that integer (docs/MODELS.md). BrainPy takes the
/// plain `ceil`, which turns `100 / 0.1 = 1000.0000000000001` into 1001 steps; here it is 1000.
/// A zero duration gives an empty section.
///
/// ```
/// use looptime::inputs::Section;
///
/// // 0 for 1 ms, 22 for 3 ms, 0 for 1 ms, at dt = 0.5: [0, 0, 22 × 6, 0, 0].
/// let s = Section::new(vec![0.0, 22.0, 0.0], &[1.0, 3.0, 1.0], 0.5).unwrap();
/// assert_eq!(s.to_vec(), [0.0, 0.0, 22.0, 22.0, 22.0, 22.0, 22.0, 22.0, 0.0, 0.0]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Section<X> {
    values: Vec<X>,
    /// `ends[j]`: the step after the last of section `j` (cumulative step counts).
    ends: Vec<usize>,
}

impl<X: Clone> Section<X> {
    /// `values[j]` for `durations[j]` ms each, at step `dt`.
    pub fn new(values: Vec<X>, durations: &[f64], dt: f64) -> Result<Self, InputError> {
        loop_core::check_dt(dt)?;
        if values.len() != durations.len() {
            return Err(InputError::LengthMismatch {
                values: values.len(),
                durations: durations.len(),
            });
        }
        let mut steps = Vec::with_capacity(durations.len());
        for (index, &d) in durations.iter().enumerate() {
            if !(d.is_finite() && d >= 0.0) {
                return Err(InputError::InvalidDuration { index, value: d });
            }
            steps.push(steps_for_duration(d, dt));
        }
        Self::from_steps(values, &steps)
    }

    /// `values[j]` for `steps[j]` steps each.
    pub fn from_steps(values: Vec<X>, steps: &[usize]) -> Result<Self, InputError> {
        if values.len() != steps.len() {
            return Err(InputError::LengthMismatch {
                values: values.len(),
                durations: steps.len(),
            });
        }
        let ends = steps
            .iter()
            .scan(0usize, |end, &n| {
                *end += n;
                Some(*end)
            })
            .collect();
        Ok(Section { values, ends })
    }

    /// Total number of steps.
    pub fn len(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    /// `true` when there are no steps.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value at step `k` (`k < len()`).
    ///
    /// # Panics
    /// When `k >= len()`.
    pub fn at(&self, k: usize) -> &X {
        assert!(
            k < self.len(),
            "step {k} is past the end of a {}-step section input",
            self.len()
        );
        &self.values[self.ends.partition_point(|&end| end <= k)]
    }

    /// Every step's value, stored.
    pub fn to_vec(&self) -> Vec<X> {
        (0..self.len()).map(|k| self.at(k).clone()).collect()
    }
}

impl<X: Clone> InputSequence for Section<X> {
    type Item = X;

    fn steps<H>(&self) -> Result<usize, LoopError<H>> {
        Ok(self.len())
    }

    fn item(&self, k: usize) -> X {
        self.at(k).clone()
    }

    fn item_ref(&self, k: usize) -> Option<&X> {
        Some(self.at(k))
    }
}

impl<X: Clone> InputSequence for &Section<X> {
    type Item = X;

    fn steps<H>(&self) -> Result<usize, LoopError<H>> {
        Ok(self.len())
    }

    fn item(&self, k: usize) -> X {
        self.at(k).clone()
    }

    fn item_ref(&self, k: usize) -> Option<&X> {
        Some(self.at(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_follow_each_other() {
        let s = Section::new(vec![1.0, 2.0, 3.0], &[0.2, 0.1, 0.3], 0.1).unwrap();
        assert_eq!(s.to_vec(), [1.0, 1.0, 2.0, 3.0, 3.0, 3.0]);
        assert_eq!(s.len(), 6);
        assert_eq!(s.item(2), 2.0);
    }

    #[test]
    fn durations_count_steps_as_a_run_does() {
        // 100 / 0.1 is 1000.0000000000001: 1000 steps, not BrainPy's 1001.
        let s = Section::new(vec![0.0, 5.0], &[100.0, 100.0], 0.1).unwrap();
        assert_eq!(s.len(), 2000);
        assert_eq!((*s.at(999), *s.at(1000)), (0.0, 5.0));
        // A duration that is not a multiple of dt rounds up: 0.25 / 0.1 → 3 steps.
        let s = Section::new(vec![7.0, 8.0], &[0.25, 0.1], 0.1).unwrap();
        assert_eq!(s.to_vec(), [7.0, 7.0, 7.0, 8.0]);
    }

    #[test]
    fn empty_sections_are_skipped() {
        let s = Section::from_steps(vec![1.0, 2.0, 3.0], &[2, 0, 1]).unwrap();
        assert_eq!(s.to_vec(), [1.0, 1.0, 3.0]);
        let s = Section::new(vec![1.0, 2.0], &[0.0, 0.2], 0.1).unwrap();
        assert_eq!(s.to_vec(), [2.0, 2.0]);
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert_eq!(
            Section::new(vec![1.0, 2.0], &[1.0], 0.1),
            Err(InputError::LengthMismatch {
                values: 2,
                durations: 1
            })
        );
        // NaN is not equal to itself: match on the index.
        assert!(matches!(
            Section::new(vec![1.0, 2.0], &[1.0, f64::NAN], 0.1),
            Err(InputError::InvalidDuration { index: 1, value }) if value.is_nan()
        ));
        assert_eq!(
            Section::new(vec![1.0], &[-1.0], 0.1),
            Err(InputError::InvalidDuration {
                index: 0,
                value: -1.0
            })
        );
        assert_eq!(
            Section::new(vec![1.0], &[1.0], f64::INFINITY),
            Err(InputError::Clock(loop_core::ClockError::InvalidDt(
                f64::INFINITY
            )))
        );
    }

    #[test]
    #[should_panic(expected = "past the end")]
    fn reading_past_the_end_panics_with_a_message() {
        let s = Section::from_steps(vec![1.0], &[2]).unwrap();
        s.at(2);
    }
}
