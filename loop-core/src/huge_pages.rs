//! Large histories on transparent huge pages (Linux, with `std`). A run's history is reserved
//! before the loop and touched for the first time during it; with 4 KB pages a 40 MB trace takes
//! 10 000 page faults, about a quarter of a 4000-neuron LIF run. Advising the kernel to back the
//! buffer with 2 MB pages (`madvise(MADV_HUGEPAGE)`; honoured when transparent huge pages are
//! `always` or `madvise`, the usual settings) makes that 20 faults. Only advice: if the kernel
//! declines, nothing changes but the speed.

use alloc::vec::Vec;

/// Reservations from this size on are advised (smaller ones rarely span a whole huge page).
#[cfg(all(feature = "std", target_os = "linux"))]
const MIN_BYTES: usize = 4 << 20;

/// The size of a huge page on x86-64 and aarch64 Linux.
#[cfg(all(feature = "std", target_os = "linux"))]
const HUGE_PAGE: usize = 2 << 20;

/// Advises huge pages for the reserved, untouched capacity of `values` (the whole 2 MB pages
/// inside it).
#[cfg(all(feature = "std", target_os = "linux"))]
pub(crate) fn advise<V>(values: &Vec<V>) {
    let bytes = values.capacity().saturating_mul(size_of::<V>());
    if bytes < MIN_BYTES {
        return;
    }
    let begin = values.as_ptr() as usize;
    let start = begin.next_multiple_of(HUGE_PAGE);
    let end = (begin + bytes) / HUGE_PAGE * HUGE_PAGE;
    if end > start {
        // SAFETY: [start, end) lies inside the vector's own allocation, which stays alive for the
        // call; MADV_HUGEPAGE only changes how the kernel backs those pages, never their content,
        // and an error (an old kernel, THP disabled) is harmless and ignored.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

/// Elsewhere there is nothing to advise.
#[cfg(not(all(feature = "std", target_os = "linux")))]
pub(crate) fn advise<V>(values: &Vec<V>) {
    let _ = values;
}
