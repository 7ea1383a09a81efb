//! Networks of populations, synapses and projections, each a `#[dynamical_system]` struct whose
//! children are the zoo's neurons ([`crate::neurons`]), synapse models ([`crate::synapses`]) and
//! projections ([`crate::network::Projection`]), and whose `#[update]` runs BrainPy's order: the
//! projections deliver the spikes of the previous step into conductances, then each population's
//! conductances decay, its synaptic currents are formed from V before the update, and its
//! neurons step.
//!
//! The benchmarks of Brette et al. (2007), with BrainPy's parameters: [`CobaNet`] (benchmark 1).
//! Sizes are type parameters; [`EiConnectivity`] draws or loads their connectivity.

mod coba;
mod currents;
mod ei;

pub use coba::{CobaNet, HomogeneousProjection};
pub use ei::{EiConnectivity, EiSetup, normal_v0};
