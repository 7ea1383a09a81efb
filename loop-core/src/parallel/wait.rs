//! Sleeping until a word changes: [`wait`] blocks while an `AtomicU32` holds a value, [`wake`]
//! wakes the threads blocked on it. A thread that waits here uses no CPU.
//!
//! On Linux these are the futex system calls (no allocation, no thread handle to keep). Elsewhere
//! one process-wide mutex and condition variable stand in, which is slower but correct: [`wake`]
//! takes the mutex, so a wake-up between a waiter's check and its sleep is not lost.

use core::sync::atomic::AtomicU32;

/// Blocks while `word` holds `expected` (returns at once if it does not; may return early).
pub fn wait(word: &AtomicU32, expected: u32) {
    imp::wait(word, expected);
}

/// Wakes up to `count` threads blocked in [`wait`] on `word`.
pub fn wake(word: &AtomicU32, count: u32) {
    imp::wake(word, count);
}

#[cfg(target_os = "linux")]
mod imp {
    use core::sync::atomic::AtomicU32;

    pub fn wait(word: &AtomicU32, expected: u32) {
        // SAFETY: FUTEX_WAIT on a live, aligned u32; it returns when woken, interrupted, or at once
        // when the word no longer holds `expected`.
        unsafe {
            libc::syscall(
                libc::SYS_futex,
                word.as_ptr(),
                libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
                expected,
                core::ptr::null::<libc::timespec>(),
            );
        }
    }

    pub fn wake(word: &AtomicU32, count: u32) {
        let count = i32::try_from(count).unwrap_or(i32::MAX);
        // SAFETY: FUTEX_WAKE on a live, aligned u32.
        unsafe {
            libc::syscall(
                libc::SYS_futex,
                word.as_ptr(),
                libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
                count,
            );
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use core::sync::atomic::{AtomicU32, Ordering};
    use std::sync::{Condvar, Mutex, PoisonError};

    static LOCK: Mutex<()> = Mutex::new(());
    static CHANGED: Condvar = Condvar::new();

    pub fn wait(word: &AtomicU32, expected: u32) {
        let guard = LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        if word.load(Ordering::SeqCst) == expected {
            drop(CHANGED.wait(guard));
        }
    }

    pub fn wake(_: &AtomicU32, _: u32) {
        drop(LOCK.lock().unwrap_or_else(PoisonError::into_inner));
        CHANGED.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::sync::atomic::Ordering;

    #[test]
    fn a_waiter_wakes_when_the_word_changes() {
        static WORD: AtomicU32 = AtomicU32::new(0);
        // Not holding the value: returns at once.
        wait(&WORD, 7);
        let waiter = std::thread::spawn(|| {
            while WORD.load(Ordering::SeqCst) == 0 {
                wait(&WORD, 0);
            }
        });
        WORD.store(1, Ordering::SeqCst);
        wake(&WORD, u32::MAX);
        waiter.join().unwrap();
    }
}
