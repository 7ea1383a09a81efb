//! [`InputError`]: why an input helper refused its arguments.

use loop_core::ClockError;

/// Why an input helper refused its arguments.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum InputError {
    /// The step size is not positive and finite (the clock's rule, [`loop_core::check_dt`]).
    #[error(transparent)]
    Clock(#[from] ClockError),
    /// A duration is negative or not finite (`index` in the list, `value` as given).
    #[error("duration {index} is {value}; durations must be finite and not negative")]
    InvalidDuration {
        /// Which duration.
        index: usize,
        /// Its value.
        value: f64,
    },
    /// Sections need one duration per value.
    #[error("{values} values but {durations} durations: give one duration per value")]
    LengthMismatch {
        /// Number of values.
        values: usize,
        /// Number of durations.
        durations: usize,
    },
    /// A firing rate is negative or not finite.
    #[error("the rate {0} Hz must be finite and not negative")]
    InvalidRate(f64),
    /// The rate gives a spike probability per step above 1 (`rate · dt / 1000`).
    #[error(
        "a rate of {rate} Hz at dt = {dt} ms means more than one spike per step (rate · dt / 1000 = {}); lower the rate or the step",
        rate * dt / 1000.0
    )]
    RateTooHigh {
        /// The rate (Hz).
        rate: f64,
        /// The step (ms).
        dt: f64,
    },
}
