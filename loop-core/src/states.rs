//! [`States`]: what `#[dynamical_system]` generates for a model's state variables: reset to the
//! initial values, snapshots (checkpoints), and introspection by path (`"l1.state"`), children
//! included.

use alloc::string::String;
use alloc::vec::Vec;

use crate::{StateValues, StateVisitor};

/// The state variables of a model, its children's included.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a #[dynamical_system] model",
    label = "put #[dynamical_system] on the struct `{Self}` as well as on its impl"
)]
pub trait States {
    /// A copy of every state, children's included: get it with [`snapshot`](Self::snapshot),
    /// put it back with [`restore`](Self::restore).
    type Snapshot: Clone;

    /// Names of the model's own states, in declaration order.
    const STATE_NAMES: &'static [&'static str];

    /// Names of the model's children, in declaration order.
    const CHILD_NAMES: &'static [&'static str];

    /// Puts every state back to its initial value (computed from the current parameters),
    /// children included.
    fn reset_states(&mut self);

    /// Shows every state to `visitor`, children inside `enter`/`leave`.
    fn visit_states(&self, visitor: &mut dyn StateVisitor);

    /// A copy of every state.
    fn snapshot(&self) -> Self::Snapshot;

    /// Writes a copy of every state over `into`, in place: what [`snapshot`](Self::snapshot)
    /// returns, without building a large snapshot on the stack and moving it (a training
    /// step's record, written at every step). The generated impl copies state by state.
    #[inline]
    fn snapshot_into(&self, into: &mut Self::Snapshot) {
        *into = self.snapshot();
    }

    /// Puts back the states of a [`snapshot`](Self::snapshot).
    fn restore(&mut self, snapshot: &Self::Snapshot);
}

/// One state variable of a model: its path and shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateInfo {
    /// Path from the model, children joined by dots (`"l1.state"`).
    pub path: String,
    /// `(rows, cols)`: neurons by batch for a population.
    pub shape: (usize, usize),
}

/// Every state variable of `model` (children's included, by path), in visiting order.
pub fn state_infos<M: States + ?Sized>(model: &M) -> Vec<StateInfo> {
    let mut collect = PathCollector::new(|path: &str, _values, shape| {
        Some(StateInfo {
            path: path.into(),
            shape,
        })
    });
    model.visit_states(&mut collect);
    collect.found
}

/// The values of the state at `path` (`"v"`, `"l1.state"`) as `f64`, column-major; `None` when
/// no state has that path.
pub fn state_values<M: States + ?Sized>(model: &M, path: &str) -> Option<Vec<f64>> {
    let mut collect = PathCollector::new(|p: &str, values: StateValues<'_>, _shape| {
        (p == path).then(|| (0..values.len()).map(|k| values.get_f64(k)).collect())
    });
    model.visit_states(&mut collect);
    collect.found.into_iter().next()
}

/// A visitor that tracks the current path and keeps what `keep` returns for each state.
struct PathCollector<T, F> {
    prefix: String,
    marks: Vec<usize>,
    keep: F,
    found: Vec<T>,
}

impl<T, F> PathCollector<T, F>
where
    F: FnMut(&str, StateValues<'_>, (usize, usize)) -> Option<T>,
{
    fn new(keep: F) -> Self {
        PathCollector {
            prefix: String::new(),
            marks: Vec::new(),
            keep,
            found: Vec::new(),
        }
    }
}

impl<T, F> StateVisitor for PathCollector<T, F>
where
    F: FnMut(&str, StateValues<'_>, (usize, usize)) -> Option<T>,
{
    fn enter(&mut self, name: &'static str) {
        self.marks.push(self.prefix.len());
        self.prefix.push_str(name);
        self.prefix.push('.');
    }

    fn leave(&mut self) {
        if let Some(mark) = self.marks.pop() {
            self.prefix.truncate(mark);
        }
    }

    fn state(&mut self, name: &'static str, values: StateValues<'_>, shape: (usize, usize)) {
        let mark = self.prefix.len();
        self.prefix.push_str(name);
        if let Some(kept) = (self.keep)(&self.prefix, values, shape) {
            self.found.push(kept);
        }
        self.prefix.truncate(mark);
    }
}
