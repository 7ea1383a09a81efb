//! [`StaticTrace`]: a recording whose length is known before the loop, allocated once on the heap
//! and filled in place, then handed out as a boxed array. A trace of 100 MB never touches the
//! stack.

use alloc::boxed::Box;
use core::mem::MaybeUninit;

/// Values written once each at known positions, then turned into `Box<[V; T]>` or
/// `Box<[[V; T]; B]>`.
///
/// If the loop panics before the trace is complete, the values written so far are leaked, not
/// dropped (memory-safe; states are plain numbers).
pub struct StaticTrace<V> {
    slots: Box<[MaybeUninit<V>]>,
    written: usize,
}

impl<V> StaticTrace<V> {
    /// Room for `len` values, uninitialized.
    pub fn new(len: usize) -> Self {
        StaticTrace {
            slots: Box::new_uninit_slice(len),
            written: 0,
        }
    }

    /// Writes `value` at `position`; every position must be written exactly once.
    #[inline(always)]
    pub fn write(&mut self, position: usize, value: V) {
        self.slots[position].write(value);
        self.written += 1;
    }

    /// The values as `Box<[V; T]>`.
    ///
    /// # Panics
    /// When the trace does not hold exactly `T` written values (a bug in the loop, not in user
    /// input).
    pub fn into_array<const T: usize>(self) -> Box<[V; T]> {
        assert!(
            self.slots.len() == T && self.written == T,
            "a static trace of {T} values was filled with {} of {}",
            self.written,
            self.slots.len()
        );
        let raw = Box::into_raw(self.slots).cast::<[V; T]>();
        // SAFETY: the slice holds exactly T slots, all written (checked above), and
        // `[MaybeUninit<V>]` of length T has the layout of `[V; T]`.
        unsafe { Box::from_raw(raw) }
    }

    /// The values as `Box<[[V; T]; B]>`, position `b * T + k` being `[b][k]`.
    ///
    /// # Panics
    /// When the trace does not hold exactly `T * B` written values.
    pub fn into_batch_array<const T: usize, const B: usize>(self) -> Box<[[V; T]; B]> {
        assert!(
            self.slots.len() == T * B && self.written == T * B,
            "a static batch-first trace of {B} × {T} values was filled with {} of {}",
            self.written,
            self.slots.len()
        );
        let raw = Box::into_raw(self.slots).cast::<[[V; T]; B]>();
        // SAFETY: T * B slots, all written, laid out as B consecutive runs of T values, which is
        // the layout of `[[V; T]; B]`.
        unsafe { Box::from_raw(raw) }
    }
}
