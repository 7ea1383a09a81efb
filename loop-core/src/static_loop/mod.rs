//! Loops whose step count is known at compile time, as `loop_over_time!` generates them: outputs
//! and monitors come back as boxed arrays `Box<[X; T]>` (batch-first: `Box<[[S; T]; B]>`),
//! filled in place on the heap ([`StaticTrace`]), stepped by [`StaticRun`], fully unrolled up to
//! [`MAX_FULL_UNROLL`] steps ([`FullUnroll`]), within [`MAX_HISTORY_BYTES`] ([`StaticHistory`]).

mod full_unroll;
mod history_size;
mod monitors;
mod run;
mod trace;

pub use full_unroll::{FullUnroll, MAX_FULL_UNROLL};
pub use history_size::{MAX_HISTORY_BYTES, StaticHistory};
pub use monitors::{StaticBatchMonitors, StaticMonitors};
pub use run::{BatchArray, StaticBatchInputs, StaticBatchRun, StaticInputs, StaticRun, probe_of};
pub use trace::StaticTrace;
