//! Procedural macros of looptime: `#[dynamical_system]`, `loop_over_time!` and `sequential!`.
//!
//! Nothing is exported yet: the macros land with their own issues. The crate exists so that the
//! workspace has its final shape and the facade already depends on it.
