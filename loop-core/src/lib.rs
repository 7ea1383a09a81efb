//! Runtime of looptime: single-step dynamical systems ([`DynamicalSystem`]), the values every node
//! sees at a step ([`Shared`]), the time loop ([`LoopOverTime`]) with every option of BrainPy's
//! `LoopOverTime`, the integrators ([`integrate`]) and the recorded [`History`].
//!
//! With `--no-default-features` the crate is `#![no_std]` (it needs `alloc` for histories only;
//! a step never allocates), so a model can be embedded in firmware or in another crate.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod batch;
mod divergence;
mod error;
mod history;
mod init;
mod inputs;
pub mod integrate;
mod loop_over_time;
pub mod math;
mod monitor;
mod params;
mod shared;
mod state;
mod states;
mod steps;
mod system;

pub use batch::{Batched, FromSamples};
pub use divergence::Divergence;
pub use error::LoopError;
pub use history::{History, Layout, Trace};
pub use init::{InitFrom, Lit, ZeroState};
pub use inputs::{InputSequence, ZeroInput};
pub use loop_over_time::{DEFAULT_DT, LoopOverTime};
pub use math::Real;
pub use monitor::{Append, BatchMonitors, Monitors, Probe, Select};
pub use params::{Check, ParamError, ParamValue, Params, check_param, unknown_param};
pub use shared::Shared;
pub use state::{StateElement, StateValues, StateVisitor, VisitState};
pub use states::{StateInfo, States, state_infos, state_values};
pub use steps::steps_for_duration;
pub use system::{DynamicalSystem, Needs};
