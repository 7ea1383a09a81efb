//! Test support for networks: BrainPy's COBA reference (`tests/reference/coba_seed1`, see its
//! README.txt) and how to compare a run against it ([`coba_reference`]), and an independent
//! plain-Rust COBA written from docs/MODELS.md's rules on the network machinery ([`coba_plain`]).
//!
//! A COBA built on `#[dynamical_system]` reuses [`coba_reference`]: load it, run 1000 steps from
//! its connectivity and V0 with input 20, hand each step's spike vectors to
//! [`coba_reference::CobaReference::check_step`].
#![allow(dead_code)]

pub mod coba_plain;
pub mod coba_reference;

/// Runs `f` on a thread with a 256 MB stack: a network of thousands of neurons is a value of a
/// few hundred KB (states are arrays), of which an unoptimized build makes several copies while
/// building it, more than a test thread's 2 MB.
pub fn on_large_stack<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .expect("a thread")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}
