//! [`Progress`]: an opt-in progress bar (indicatif) for long runs, added as an observer:
//! `LoopOverTime::new(model).observe(Progress::new("simulating"))`. It draws on stderr and only
//! when stderr is a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::{Observer, ObserverError, Step};

/// Steps between two updates of the bar: cheap enough for runs of millions of steps.
const UPDATE_EVERY: usize = 256;

/// A progress bar over the steps of each run.
pub struct Progress {
    label: &'static str,
    bar: ProgressBar,
    hidden: bool,
}

impl Progress {
    /// A bar labelled `label`, drawn on stderr when it is a terminal.
    pub fn new(label: &'static str) -> Self {
        Progress {
            label,
            bar: ProgressBar::hidden(),
            hidden: false,
        }
    }

    /// A bar that counts but never draws (for tests and for code that reads the position).
    pub fn hidden(label: &'static str) -> Self {
        Progress {
            hidden: true,
            ..Progress::new(label)
        }
    }

    /// Steps done in the current (or last) run.
    pub fn position(&self) -> u64 {
        self.bar.position()
    }
}

impl<M: ?Sized> Observer<M> for Progress {
    fn start(&mut self, steps: usize) {
        let target = if self.hidden {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        self.bar = ProgressBar::with_draw_target(Some(steps as u64), target);
        if let Ok(style) =
            ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} steps [{elapsed} < {eta}]")
        {
            self.bar.set_style(style);
        }
        self.bar.set_message(self.label);
    }

    fn observe(&mut self, _model: &M, step: &Step) -> Result<(), ObserverError> {
        if step.k.is_multiple_of(UPDATE_EVERY) || step.k + 1 == step.steps {
            self.bar.set_position(step.k as u64 + 1);
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), ObserverError> {
        self.bar.finish();
        Ok(())
    }
}
