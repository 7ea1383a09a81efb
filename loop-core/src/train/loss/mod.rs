//! Losses over a run's outputs: each returns the loss and **adds** its gradient with respect to
//! every output to the matching entry of `d_outputs`, so that losses can be summed and a loss on
//! some steps only leaves the others at zero. [`mse`] and [`softmax_cross_entropy`] (with
//! [`accuracy`]) follow BrainPy's `bp.losses` with their default `'mean'` reduction.

mod cross_entropy;
mod mse;

pub use cross_entropy::{accuracy, softmax_cross_entropy};
pub use mse::mse;

/// Why a loss refused its inputs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LossError {
    /// Outputs, targets and gradients are not of one length.
    #[error(
        "outputs, targets and gradients must have one length; got {outputs} outputs, {targets} targets and {grads} gradients"
    )]
    Length {
        /// Outputs given.
        outputs: usize,
        /// Targets (or label rows) given.
        targets: usize,
        /// Gradient slots given.
        grads: usize,
    },
    /// No outputs.
    #[error("a loss needs at least one output")]
    Empty,
    /// A class label is not below the number of classes.
    #[error(
        "label {label} is not a class: the outputs have {classes} classes (labels 0..{classes})"
    )]
    Label {
        /// The label.
        label: usize,
        /// The number of classes (rows of the logits).
        classes: usize,
    },
}

/// Checks that the three lengths agree and are not zero.
pub(crate) fn check_lengths(outputs: usize, targets: usize, grads: usize) -> Result<(), LossError> {
    if outputs != targets || outputs != grads {
        return Err(LossError::Length {
            outputs,
            targets,
            grads,
        });
    }
    if outputs == 0 {
        return Err(LossError::Empty);
    }
    Ok(())
}
