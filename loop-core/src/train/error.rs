//! [`TrainError`]: why a gradient, an optimizer step or a parameter load was refused.

use core::fmt;

use super::LossError;

/// Why training refused to run; nothing is left half-done.
#[derive(Clone, Debug, PartialEq)]
pub enum TrainError {
    /// The inputs are empty or longer than the tape was sized for.
    Steps {
        /// Steps given.
        got: usize,
        /// The most the driver was built for.
        capacity: usize,
    },
    /// `dt` is not a positive finite number.
    InvalidDt(f64),
    /// `remat(0)`: a checkpoint every 0 steps.
    RematZero,
    /// The system reads `t` (or `i`) but the driver generates none.
    MissingShared(&'static str),
    /// A flat vector of parameters or gradients has the wrong length; or a system's visit of its
    /// parameters disagrees with its `PARAM_COUNT`.
    ParamCount {
        /// Scalars the model has.
        expected: usize,
        /// Scalars given.
        got: usize,
    },
    /// The loss refused its inputs.
    Loss(LossError),
    /// The loss is NaN or infinite; no gradient was computed.
    NonFiniteLoss(f64),
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrainError::Steps { got, capacity } => write!(
                f,
                "a gradient needs between 1 and {capacity} steps of input (the tape's size), got {got}"
            ),
            TrainError::InvalidDt(dt) => write!(f, "dt must be positive and finite, got {dt}"),
            TrainError::RematZero => {
                write!(f, "remat(k) keeps every k-th state: k must be at least 1")
            }
            TrainError::MissingShared(what) => write!(
                f,
                "the system reads `{what}`, but the driver generates none: set {what}0"
            ),
            TrainError::ParamCount { expected, got } => write!(
                f,
                "expected {expected} parameter scalars (the model's PARAM_COUNT and visit), got {got}"
            ),
            TrainError::Loss(e) => write!(f, "loss: {e}"),
            TrainError::NonFiniteLoss(v) => {
                write!(f, "the loss is {v}: the model or its inputs diverged")
            }
        }
    }
}

impl core::error::Error for TrainError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            TrainError::Loss(e) => Some(e),
            _ => None,
        }
    }
}

impl From<LossError> for TrainError {
    fn from(e: LossError) -> Self {
        TrainError::Loss(e)
    }
}
