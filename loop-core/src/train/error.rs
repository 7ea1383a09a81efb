//! [`TrainError`]: why a gradient, an optimizer step or a parameter load was refused.

use super::LossError;
use crate::ClockError;

/// Why training refused to run; nothing is left half-done.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TrainError {
    /// The inputs are empty or longer than the tape was sized for.
    #[error(
        "a gradient needs between 1 and {capacity} steps of input (the tape's size), got {got}"
    )]
    Steps {
        /// Steps given.
        got: usize,
        /// The most the driver was built for.
        capacity: usize,
    },
    /// The clock cannot run: `dt` not positive and finite, `t0` not finite, or an index past
    /// `u64::MAX`.
    #[error(transparent)]
    Clock(#[from] ClockError),
    /// `remat(0)`: a checkpoint every 0 steps.
    #[error("remat(k) keeps every k-th state: k must be at least 1")]
    RematZero,
    /// The system reads `t` (or `i`) but the driver generates none.
    #[error("the system reads `{0}`, but the driver generates none: set {0}0")]
    MissingShared(&'static str),
    /// A flat vector of parameters or gradients has the wrong length; or a system's visit of its
    /// parameters disagrees with its `PARAM_COUNT`.
    #[error("expected {expected} parameter scalars (the model's PARAM_COUNT and visit), got {got}")]
    ParamCount {
        /// Scalars the model has.
        expected: usize,
        /// Scalars given.
        got: usize,
    },
    /// The loss refused its inputs.
    #[error("loss: {0}")]
    Loss(#[from] LossError),
    /// The loss is NaN or infinite; no gradient was computed.
    #[error("the loss is {0}: the model or its inputs diverged")]
    NonFiniteLoss(f64),
}
