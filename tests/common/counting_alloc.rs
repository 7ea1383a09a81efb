//! A counting global allocator for the tests that prove a step allocates nothing and a streamed
//! run keeps its memory flat. Each test binary that wants it installs it:
//! `#[global_allocator] static GLOBAL: Counting = Counting;` (each binary has its own counters).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Forwards to the system allocator, counting the calls made by the measuring thread and the
/// live heap bytes of the whole process (with their peak).
pub struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static MEASURING: Mutex<()> = Mutex::new(());

thread_local! {
    // `const` and without Drop: reading it never allocates, even inside the allocator.
    static ARMED: Cell<bool> = const { Cell::new(false) };
}

fn count(grown: usize) {
    if ARMED.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
    }
    let now = LIVE.fetch_add(grown, Ordering::SeqCst) + grown;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: same contract as this function.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: same contract as this function.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        count(new_size);
        // SAFETY: same contract as this function.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        // SAFETY: same contract as this function.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Runs `f` and returns how many allocations the calling thread made in it, with its result
/// (dropped by the caller, outside the count). Measurements run one at a time.
pub fn allocations_in<R>(f: impl FnOnce() -> R) -> (usize, R) {
    let _lock = MEASURING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    ALLOCATIONS.store(0, Ordering::SeqCst);
    ARMED.with(|armed| armed.set(true));
    let result = f();
    ARMED.with(|armed| armed.set(false));
    (ALLOCATIONS.load(Ordering::SeqCst), result)
}

/// Runs `f` and returns the peak of live heap bytes during it, above the level before it.
/// Measurements run one at a time.
pub fn peak_bytes_in(f: impl FnOnce()) -> usize {
    let _lock = MEASURING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    f();
    PEAK.load(Ordering::SeqCst).saturating_sub(before)
}
