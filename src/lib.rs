//! looptime: single-step dynamical systems (neuron models, recurrent networks) turned into fast,
//! compile-time-checked time loops, in the spirit of BrainPy's `LoopOverTime`.
//!
//! This facade re-exports the runtime ([`loop_core`]): [`DynamicalSystem`], [`Shared`],
//! [`LoopOverTime`], the [`integrate`] module and the recorded [`History`]. The [`prelude`] has
//! what a model or a run needs.
#![cfg_attr(not(feature = "std"), no_std)]

// Generated code names `::looptime::…`; this makes those paths work inside the crate too.
extern crate alloc;
extern crate self as looptime;

pub use loop_core::*;
pub use loop_macros::{dynamical_system, loop_over_time, sequential};
pub use nalgebra;

#[cfg(feature = "std")]
pub mod export;
pub mod inputs;
pub mod layers;
pub mod neurons;
#[cfg(feature = "plot")]
pub mod plot;
#[cfg(feature = "progress")]
pub mod progress;

/// What a model or a run needs: `use looptime::prelude::*;`.
pub mod prelude {
    pub use loop_core::integrate::{Method, OdeState};
    pub use loop_core::{
        DynamicalSystem, History, Layout, LoopError, LoopOverTime, Needs, ParamError, Params, Real,
        Shared, StateVisitor, States, Trace, VisitState,
    };
    pub use loop_macros::{dynamical_system, loop_over_time};
    pub use nalgebra::{SMatrix, SVector};

    pub use crate::neurons::{Hh, Izhikevich, Lif};
}

/// Paths used by generated code; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use alloc::vec::Vec;
    pub use loop_core;
    pub use loop_macros::__dynamical_system_impl;
    pub use nalgebra;
}
