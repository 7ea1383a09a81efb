//! [`InputError`]: why an input helper refused its arguments.

use core::fmt;

/// Why an input helper refused its arguments.
#[derive(Clone, Debug, PartialEq)]
pub enum InputError {
    /// The step size is not positive and finite.
    InvalidDt(f64),
    /// A duration is negative or not finite (`index` in the list, `value` as given).
    InvalidDuration {
        /// Which duration.
        index: usize,
        /// Its value.
        value: f64,
    },
    /// Sections need one duration per value.
    LengthMismatch {
        /// Number of values.
        values: usize,
        /// Number of durations.
        durations: usize,
    },
    /// A firing rate is negative or not finite.
    InvalidRate(f64),
    /// The rate gives a spike probability per step above 1 (`rate · dt / 1000`).
    RateTooHigh {
        /// The rate (Hz).
        rate: f64,
        /// The step (ms).
        dt: f64,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::InvalidDt(dt) => {
                write!(f, "the step dt = {dt} must be positive and finite")
            }
            InputError::InvalidDuration { index, value } => write!(
                f,
                "duration {index} is {value}; durations must be finite and not negative"
            ),
            InputError::LengthMismatch { values, durations } => write!(
                f,
                "{values} values but {durations} durations: give one duration per value"
            ),
            InputError::InvalidRate(rate) => {
                write!(f, "the rate {rate} Hz must be finite and not negative")
            }
            InputError::RateTooHigh { rate, dt } => write!(
                f,
                "a rate of {rate} Hz at dt = {dt} ms means more than one spike per step \
                 (rate · dt / 1000 = {}); lower the rate or the step",
                rate * dt / 1000.0
            ),
        }
    }
}

impl core::error::Error for InputError {}
