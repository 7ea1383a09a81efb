//! What a run records: a [`Trace`] per monitored variable and for the outputs, with the times and
//! indices of the steps, gathered in a [`History`]. Everything is allocated before the first step.

use alloc::collections::TryReserveError;
use alloc::vec::Vec;
use core::ops::{Deref, Index};
use core::slice::SliceIndex;

use crate::Batched;

/// How the recorded values are ordered; a run's outputs follow its inputs' layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `values[k]` is step `k` (BrainPy's `data_first_axis='T'`).
    TimeFirst,
    /// `values[b][k]` is step `k` of sample `b` (BrainPy's `data_first_axis='B'`).
    BatchFirst,
}

/// The recorded values of one variable, with its name.
///
/// Time-first, `values[k]` is the value after step `k`. Batch-first, `values[b]` is sample `b`'s
/// sequence and `values[b][k]` its value after step `k`.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace<V> {
    /// Name of the variable (`"v"`, `"l1.state"`, `"output"`).
    pub name: &'static str,
    /// The recorded values.
    pub values: Vec<V>,
}

impl<V> Trace<V> {
    /// An empty trace with room for `capacity` values, or the error when that much memory
    /// cannot be had (a run too long to record: the loop reports it instead of aborting).
    pub fn with_capacity(name: &'static str, capacity: usize) -> Result<Self, TryReserveError> {
        Ok(Trace {
            name,
            values: reserved(capacity)?,
        })
    }

    /// The recorded values, without the name.
    pub fn into_values(self) -> Vec<V> {
        self.values
    }
}

impl<S> Trace<Vec<S>> {
    /// An empty batch-first trace: `batch` sequences with room for `steps` values each (or the
    /// error when that much memory cannot be had).
    pub fn batch_first(
        name: &'static str,
        batch: usize,
        steps: usize,
    ) -> Result<Self, TryReserveError> {
        let mut values = reserved(batch)?;
        for _ in 0..batch {
            values.push(reserved(steps)?);
        }
        Ok(Trace { name, values })
    }

    /// Appends each sample of `value` to that sample's sequence.
    pub fn push_samples<V: Batched<Sample = S>>(&mut self, value: &V) {
        for (b, sequence) in self.values.iter_mut().enumerate() {
            sequence.push(value.sample(b));
        }
    }
}

/// An empty vector with room for `capacity` values, without aborting when there is no such room.
/// A large one goes on huge pages where the platform has them (see `huge_pages.rs`).
pub(crate) fn reserved<V>(capacity: usize) -> Result<Vec<V>, TryReserveError> {
    let mut values = Vec::new();
    values.try_reserve_exact(capacity)?;
    crate::huge_pages::advise(&values);
    Ok(values)
}

impl<V> Deref for Trace<V> {
    type Target = [V];

    fn deref(&self) -> &[V] {
        &self.values
    }
}

/// `trace[k]`, `trace[a..b]`, `trace[..]`: indexing as a slice.
impl<V, I: SliceIndex<[V]>> Index<I> for Trace<V> {
    type Output = I::Output;

    fn index(&self, index: I) -> &I::Output {
        &self.values[index]
    }
}

/// Everything a run recorded.
///
/// `O` is the output's value type (time-first: one output per step; batch-first: one sequence of
/// sample outputs per sample) and `T` the tuple of monitor traces, in the order the monitors were
/// added (`()` with none).
#[derive(Clone, Debug, PartialEq)]
pub struct History<O, T> {
    /// `t` of each recorded step, `t0 + n * dt` at the clock's step `n`; `None` when the loop
    /// generates no `t`.
    pub times: Option<Vec<f64>>,
    /// `i` of each recorded step, `i0 + n`; `None` when the loop generates no `i`.
    pub indices: Option<Vec<u64>>,
    /// The system's outputs.
    pub outputs: Trace<O>,
    /// The monitored variables, one [`Trace`] each, as a tuple.
    pub monitors: T,
    /// How `outputs` and `monitors` are ordered.
    pub layout: Layout,
    /// Number of steps run.
    pub steps: usize,
    /// The recording stride: the clock's steps 0, n, 2n, … are recorded (1: every step), and
    /// the step that diverged.
    pub record_every: usize,
}

impl<O, T> History<O, T> {
    /// The outputs and the monitors, without the times: `let (out, (v, spike)) = h.into_parts();`.
    pub fn into_parts(self) -> (Vec<O>, T) {
        (self.outputs.values, self.monitors)
    }
}
