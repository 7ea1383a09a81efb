//! [`LoopError`]: everything that stops a loop, as a typed error: bad run parameters, bad inputs,
//! a model that needs what the loop does not generate, divergence and failed observers (both with
//! the partial history).

use alloc::boxed::Box;
use core::fmt;

use crate::{ClockError, Divergence, ObserverError};

/// Why a loop did not run, or stopped.
///
/// `H` is the history type of the run: a [`Diverged`](LoopError::Diverged) error carries the
/// history recorded up to and including the step that diverged, so nothing is lost. Use
/// [`LoopError::without_history`] to drop it (for instance to store the error).
#[derive(thiserror::Error)]
pub enum LoopError<H = ()> {
    /// The clock cannot run: `dt` not positive and finite, `t0` not finite, or a step index or
    /// time past what its type holds.
    #[error(transparent)]
    Clock(#[from] ClockError),
    /// The duration is negative, NaN or infinite (a duration of 0 runs no step).
    #[error("the duration must be finite and not negative, got {0}")]
    InvalidDuration(f64),
    /// `record_every(0)`: there is no 0th step to record.
    #[error("record_every must be at least 1 (1 records every step), got 0")]
    InvalidRecordEvery,
    /// `no_state` loops feed all given inputs at once; a duration has none.
    #[error("a `no_state` loop runs over given inputs only, not over a duration: pass the inputs")]
    NoStateWithDuration,
    /// `no_state` on a system whose [`is_stateless`](crate::DynamicalSystem::is_stateless) is false.
    #[error(
        "`no_state` feeds all steps at once, which is only right for a stateless system; this system keeps state between steps: turn `no_state` off"
    )]
    NoStateOnStatefulSystem,
    /// `no_state` runs make one call, so there is nothing to monitor per step.
    #[error(
        "a `no_state` loop makes one call for all steps, so it cannot monitor state per step: remove the monitors or turn `no_state` off"
    )]
    NoStateWithMonitors,
    /// Inputs that should run side by side have different lengths.
    #[error(
        "the inputs have unequal lengths: input {index} has {found} steps, input 0 has {expected}"
    )]
    UnequalLengths {
        /// Length of the first input (time-first) or sequence (batch-first).
        expected: usize,
        /// Position of the input or sequence whose length differs.
        index: usize,
        /// Its length.
        found: usize,
    },
    /// Batch-first data whose number of sequences differs from the system's batch size.
    #[error("batch-first inputs hold {found} sequences, but the system's batch size is {expected}")]
    BatchMismatch {
        /// The system's batch size (columns of its input).
        expected: usize,
        /// Number of sequences given.
        found: usize,
    },
    /// The run's history would not fit in memory.
    #[error(
        "a run of {steps} steps needs more memory for its history than can be had: run it in shorter pieces (the timeline continues across calls) or record less"
    )]
    TooLong {
        /// Steps asked for.
        steps: usize,
    },
    /// The system reads `t`, which this loop does not generate.
    #[error(
        "this system reads the time `t`, but the loop generates none (t0 is None, or the loop is `no_state`): set t0, or turn `no_state` off"
    )]
    NeedsTime,
    /// The system reads `i`, which this loop does not generate.
    #[error(
        "this system reads the step index `i`, but the loop generates none (i0 is None, or the loop is `no_state`): set i0, or turn `no_state` off"
    )]
    NeedsIndex,
    /// The divergence check found a NaN or infinite state.
    #[error("{at}")]
    Diverged {
        /// Where and when.
        at: Divergence,
        /// What was recorded up to and including the step that diverged (boxed, so that a
        /// `Result` of a run stays small).
        partial: Box<H>,
    },
    /// An observer failed (a stream could not write): the run stopped after step `step`.
    #[error("an observer stopped the run after step {step}: {error}")]
    Observer {
        /// The step of the run after which the observer failed (the run's step count when it
        /// failed while finishing the run).
        step: usize,
        /// What went wrong.
        #[source]
        error: ObserverError,
        /// What was recorded up to and including step `step` (boxed, as for `Diverged`).
        partial: Box<H>,
    },
}

impl<H> LoopError<H> {
    /// The same error without the partial history of a divergence.
    pub fn without_history(self) -> LoopError {
        self.map_partial(|_| ())
    }

    /// The same error with `f` applied to the partial history of a divergence.
    pub fn map_partial<K>(self, f: impl FnOnce(H) -> K) -> LoopError<K> {
        match self {
            LoopError::Clock(e) => LoopError::Clock(e),
            LoopError::InvalidDuration(d) => LoopError::InvalidDuration(d),
            LoopError::InvalidRecordEvery => LoopError::InvalidRecordEvery,
            LoopError::NoStateWithDuration => LoopError::NoStateWithDuration,
            LoopError::NoStateOnStatefulSystem => LoopError::NoStateOnStatefulSystem,
            LoopError::NoStateWithMonitors => LoopError::NoStateWithMonitors,
            LoopError::UnequalLengths {
                expected,
                index,
                found,
            } => LoopError::UnequalLengths {
                expected,
                index,
                found,
            },
            LoopError::BatchMismatch { expected, found } => {
                LoopError::BatchMismatch { expected, found }
            }
            LoopError::TooLong { steps } => LoopError::TooLong { steps },
            LoopError::NeedsTime => LoopError::NeedsTime,
            LoopError::NeedsIndex => LoopError::NeedsIndex,
            LoopError::Diverged { at, partial } => LoopError::Diverged {
                at,
                partial: Box::new(f(*partial)),
            },
            LoopError::Observer {
                step,
                error,
                partial,
            } => LoopError::Observer {
                step,
                error,
                partial: Box::new(f(*partial)),
            },
        }
    }
}

/// Debug shows the error, not the partial history (which can be megabytes).
impl<H> fmt::Debug for LoopError<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoopError::Diverged { at, .. } => f
                .debug_struct("Diverged")
                .field("at", at)
                .finish_non_exhaustive(),
            LoopError::Observer { step, error, .. } => f
                .debug_struct("Observer")
                .field("step", step)
                .field("error", error)
                .finish_non_exhaustive(),
            LoopError::Clock(e) => f.debug_tuple("Clock").field(e).finish(),
            LoopError::InvalidDuration(d) => f.debug_tuple("InvalidDuration").field(d).finish(),
            LoopError::UnequalLengths {
                expected,
                index,
                found,
            } => f
                .debug_struct("UnequalLengths")
                .field("expected", expected)
                .field("index", index)
                .field("found", found)
                .finish(),
            LoopError::BatchMismatch { expected, found } => f
                .debug_struct("BatchMismatch")
                .field("expected", expected)
                .field("found", found)
                .finish(),
            LoopError::InvalidRecordEvery => f.write_str("InvalidRecordEvery"),
            LoopError::NoStateWithDuration => f.write_str("NoStateWithDuration"),
            LoopError::NoStateOnStatefulSystem => f.write_str("NoStateOnStatefulSystem"),
            LoopError::NoStateWithMonitors => f.write_str("NoStateWithMonitors"),
            LoopError::TooLong { steps } => {
                f.debug_struct("TooLong").field("steps", steps).finish()
            }
            LoopError::NeedsTime => f.write_str("NeedsTime"),
            LoopError::NeedsIndex => f.write_str("NeedsIndex"),
        }
    }
}
