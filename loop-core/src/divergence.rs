//! The opt-in divergence check: after each step, the first NaN or infinite state stops the loop
//! with a [`Divergence`] that names the variable (with its child path), the element, the step and
//! the time.

use alloc::string::String;
use core::fmt;

use crate::{StateValues, StateVisitor};

/// Where and when a state first became NaN or infinite.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error(
    "state `{variable}` diverged: element {element} is {value} after step {step}{}; try a smaller dt or check the parameters",
    AtTime(*.t)
)]
pub struct Divergence {
    /// Path of the state variable, children joined by dots (`"l1.state"`).
    pub variable: String,
    /// Position of the first bad element in the variable (column-major).
    pub element: usize,
    /// The bad value (NaN or ±inf).
    pub value: f64,
    /// Step of the run (0-based) after which the state was bad.
    pub step: usize,
    /// Index `i` of that step, when the loop generates it.
    pub i: Option<u64>,
    /// Time `t` of that step, when the loop generates it.
    pub t: Option<f64>,
}

/// ` (t = …)` when the step has a time, else nothing: part of [`Divergence`]'s message.
struct AtTime(Option<f64>);

impl fmt::Display for AtTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(t) => write!(f, " (t = {t})"),
            None => Ok(()),
        }
    }
}

/// Deepest child nesting the check names in full; deeper paths are cut at this depth.
const MAX_DEPTH: usize = 16;

/// Walks the states and keeps the first non-finite one. Allocates only when it finds one.
pub(crate) struct FiniteCheck {
    path: [&'static str; MAX_DEPTH],
    depth: usize,
    found: Option<(String, usize, f64)>,
}

impl FiniteCheck {
    pub(crate) fn new() -> Self {
        FiniteCheck {
            path: [""; MAX_DEPTH],
            depth: 0,
            found: None,
        }
    }

    /// The first bad state seen: `(path, element, value)`.
    pub(crate) fn take(&mut self) -> Option<(String, usize, f64)> {
        self.found.take()
    }
}

impl StateVisitor for FiniteCheck {
    fn enter(&mut self, name: &'static str) {
        if self.depth < MAX_DEPTH {
            self.path[self.depth] = name;
        }
        self.depth += 1;
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn state(&mut self, name: &'static str, values: StateValues<'_>, _shape: (usize, usize)) {
        if self.found.is_some() {
            return;
        }
        if let Some(element) = values.first_non_finite() {
            let mut variable = String::new();
            for part in &self.path[..self.depth.min(MAX_DEPTH)] {
                variable.push_str(part);
                variable.push('.');
            }
            variable.push_str(name);
            self.found = Some((variable, element, values.get_f64(element)));
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn the_message_names_the_time_only_when_the_step_has_one() {
        let mut d = Divergence {
            variable: "l1.state".into(),
            element: 3,
            value: f64::NAN,
            step: 7,
            i: None,
            t: None,
        };
        assert_eq!(
            d.to_string(),
            "state `l1.state` diverged: element 3 is NaN after step 7; try a smaller dt or check the parameters"
        );
        d.t = Some(0.75);
        assert_eq!(
            d.to_string(),
            "state `l1.state` diverged: element 3 is NaN after step 7 (t = 0.75); try a smaller dt or check the parameters"
        );
    }
}
