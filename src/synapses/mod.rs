//! Synapse models, written with `#[dynamical_system]` as a user writes a model, step for step as
//! BrainPy's `brainpy.dyn` synapses:
//!
//! - **dynamics** (a conductance and what drives it): [`Expon`] (align-post: projections add
//!   spikes' weights to its conductance), [`DualExpon`], [`Alpha`], [`Ampa`], [`GabaA`] and
//!   [`Nmda`] (align-pre: each is driven by the spikes of its presynaptic neuron);
//! - **outputs** (the current a conductance drives into the postsynaptic neuron, from its
//!   potential before the update): [`Coba`] `g (E - V)`, [`Cuba`] `g`, [`MgBlock`] (NMDA's
//!   magnesium block).
//!
//! Decays are written `-g * self.tau.recip()`: BrainPy's `-g / tau` is compiled by XLA into a
//! product with the reciprocal of the constant `tau`, and so is computed here (bit for bit with
//! BrainPy's `Expon`, `tests/synapses_reference.rs`), one division per step rather than one per
//! synapse.
//!
//! How they compose with neurons and projections into a network: [`crate::networks`].
//! Each model is generic over its scalar `T` (`f32` or `f64`), its size `N` and a batch `B`
//! (default 1), like the neurons; states are `SMatrix<T, N, B>`.

mod alpha;
mod ampa;
mod coba;
mod cuba;
mod dual_expon;
mod expon;
mod mg_block;
mod nmda;

pub use alpha::{Alpha, AlphaElement, AlphaParams};
pub use ampa::{Ampa, AmpaElement, AmpaParams, GabaA, GabaAElement, GabaAParams};
pub use coba::{Coba, CobaElement, CobaInput, CobaInputRef, CobaParams};
pub use cuba::{Cuba, CubaElement, CubaParams};
pub use dual_expon::{DualExpon, DualExponElement, DualExponParams};
pub use expon::{Expon, ExponElement, ExponParams};
pub use mg_block::{MgBlock, MgBlockElement, MgBlockInput, MgBlockInputRef, MgBlockParams};
pub use nmda::{Nmda, NmdaElement, NmdaParams};
