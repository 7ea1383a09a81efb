//! [`Tape`]: what the forward pass keeps for the backward pass — one record per step, or with
//! remat one checkpoint (a [`States`](crate::States) snapshot) every `k` steps and the records of
//! one segment at a time. Its vectors are sized when the driver is built, so a gradient
//! allocates nothing; [`TapeUsage`] counts what a gradient actually stored. A record, once made,
//! stays as a slot that later steps write over in place
//! ([`Backward::forward_into`](super::Backward::forward_into)), so a large record is not moved
//! into the tape at every step.

use alloc::vec::Vec;

/// Records and checkpoints of one gradient computation.
#[derive(Debug)]
pub struct Tape<R, S> {
    /// The record slots: the first `filled` hold this gradient's records, the others wait to be
    /// written over.
    records: Vec<R>,
    filled: usize,
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
            filled: 0,
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
        self.filled = 0;
        self.checkpoints.clear();
        self.end.clear();
        self.usage = TapeUsage::default();
    }

    /// Drops the records and their slots, for the next segment of remat (which keeps no more
    /// than a segment's records alive, not even while one is being made).
    pub(crate) fn drop_records(&mut self) {
        self.records.clear();
        self.filled = 0;
    }

    /// The records of this gradient (or segment), in order.
    pub(crate) fn records(&self) -> &[R] {
        &self.records[..self.filled]
    }

    /// Adds the next record: written over an old slot by `fill` when there is one, else made by
    /// `make` (which returns it with the step's output) and pushed. Both get `cx`.
    #[inline(always)]
    pub(crate) fn record<C, Y>(
        &mut self,
        cx: C,
        fill: impl FnOnce(C, &mut R) -> Y,
        make: impl FnOnce(C) -> (Y, R),
    ) -> Y {
        let y = if let Some(slot) = self.records.get_mut(self.filled) {
            fill(cx, slot)
        } else {
            let (y, record) = make(cx);
            self.records.push(record);
            y
        };
        self.filled += 1;
        self.usage.records = self.usage.records.max(self.filled);
        y
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
