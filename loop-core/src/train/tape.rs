//! [`Tape`]: what the forward pass keeps for the backward pass — one record per step, or with
//! remat one checkpoint (a [`States`](crate::States) snapshot) every `k` steps and the records of
//! one segment at a time. Its vectors are sized when the driver is built, so a gradient
//! allocates nothing; [`TapeUsage`] counts what a gradient actually stored.

use alloc::vec::Vec;

/// Records and checkpoints of one gradient computation.
#[derive(Debug)]
pub struct Tape<R, S> {
    pub(crate) records: Vec<R>,
    pub(crate) checkpoints: Vec<S>,
    /// The end state (with remat): on the heap like the rest, so a large model's snapshot never
    /// sits inline in the driver.
    pub(crate) end: Vec<S>,
    pub(crate) usage: TapeUsage,
}

/// How many states the last gradient stored: each record holds one step's state, each
/// checkpoint one state of the whole system.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TapeUsage {
    /// The most per-step records held at once (`T` without remat, at most `k` with it).
    pub records: usize,
    /// Remat checkpoints kept (`⌈T/k⌉`; none without remat).
    pub checkpoints: usize,
    /// Snapshots of the state after the last step, put back after the backward pass (1 with
    /// remat, 0 without: records leave the system's state alone).
    pub end_states: usize,
}

impl TapeUsage {
    /// Every state stored at the peak: records, checkpoints and end state.
    pub const fn stored_states(&self) -> usize {
        self.records + self.checkpoints + self.end_states
    }
}

impl<R, S> Tape<R, S> {
    /// Room for `records` records and `checkpoints` checkpoints (and, with checkpoints, the end
    /// state), allocated now.
    pub fn with_capacity(records: usize, checkpoints: usize) -> Self {
        Tape {
            records: Vec::with_capacity(records),
            checkpoints: Vec::with_capacity(checkpoints),
            end: Vec::with_capacity(usize::from(checkpoints > 0)),
            usage: TapeUsage::default(),
        }
    }

    /// What the last gradient stored.
    pub fn usage(&self) -> TapeUsage {
        self.usage
    }

    /// The records it has room for without allocating.
    pub fn record_capacity(&self) -> usize {
        self.records.capacity()
    }

    /// The checkpoints it has room for without allocating.
    pub fn checkpoint_capacity(&self) -> usize {
        self.checkpoints.capacity()
    }

    pub(crate) fn clear(&mut self) {
        self.records.clear();
        self.checkpoints.clear();
        self.end.clear();
        self.usage = TapeUsage::default();
    }

    pub(crate) fn push_record(&mut self, record: R) {
        self.records.push(record);
        self.usage.records = self.usage.records.max(self.records.len());
    }

    pub(crate) fn push_checkpoint(&mut self, snapshot: S) {
        self.checkpoints.push(snapshot);
        self.usage.checkpoints = self.checkpoints.len();
    }

    pub(crate) fn set_end(&mut self, snapshot: S) {
        self.end.clear();
        self.end.push(snapshot);
        self.usage.end_states = 1;
    }
}
