//! Networks: connectivity, projections and spike events — the machinery that couples neuron
//! populations through synapses, as BrainPy's `bp.dyn` projections do, without `rand` (the
//! seeded generators `FixedProb`, `FixedPreNum`, `FixedPostNum` are in the facade's `connect`).
//!
//! - Connectivity: [`Csr`] (`u32` targets, row = presynaptic neuron; from CSR or COO arrays of
//!   any integer type, checked, or one-to-one / all-to-all) and [`Weights`] (homogeneous or per
//!   synapse, `f32` or `f64`), together [`Synapses`]; bad arrays are a [`ConnError`].
//! - Comms ([`Comm`]): [`Synapses`] (sparse, event-driven), [`Dense`] and [`AllToAll`] (the dense
//!   paths for small all-to-all), [`OneToOne`].
//! - Projections: [`AlignPost`] (one conductance per target, BrainPy's `ProjAlignPostMg2`),
//!   [`AlignPre`] (per-source state, `ProjAlignPreMg2`), [`SynapticDelays`] (a delay per
//!   synapse); delays in whole steps through a [`DelayLine`]. A step allocates nothing.
//!   [`Projection`] is an align-post projection typed by its populations' sizes, a child of a
//!   `#[dynamical_system]` network.
//! - Spikes as events: [`SpikeEvents`], recorded during a run by the observer [`SpikeMonitor`].
//!
//! A model plugs in through slices: a population hands its spike vector (`&[bool]`, one per
//! neuron) to the projections leaving it; an align-post projection adds into the conductance
//! state of the synapse model on its targets (`&mut [T]`); an align-pre projection reads the
//! per-source synapse state (`&[T]`) and hands back the postsynaptic conductance for the output
//! (COBA, CUBA, MgBlock) to turn into a current.
//!
//! ```
//! use loop_core::network::{AlignPost, Csr, Synapses};
//!
//! // Neuron 0 reaches neurons 1 and 2, neuron 1 reaches neuron 2; weight 0.6 (BrainPy's CSR).
//! let csr = Csr::from_csr(2, 3, &[0_i64, 2, 3], &[1_i64, 2, 2]).unwrap();
//! let mut e2e = AlignPost::new(Synapses::homogeneous(csr, 0.6), 0);
//! let mut g_e = vec![0.0_f64; 3]; // the conductance state of the targets' synapse model
//! // Each step, before the populations update: the spikes of the previous step.
//! e2e.deliver(&[true, true], &mut g_e);
//! assert_eq!(g_e, [0.0, 0.6, 1.2]);
//! ```

mod align_post;
mod align_pre;
mod all_to_all;
mod comm;
mod csr;
mod delay;
mod dense;
mod error;
mod events;
mod one_to_one;
mod projection;
mod spike_monitor;
mod spikes;
mod synapses;
mod synaptic_delays;
#[cfg(test)]
mod tests;
mod weights;

pub use align_post::AlignPost;
pub use align_pre::AlignPre;
pub use all_to_all::AllToAll;
pub use comm::Comm;
pub use csr::{ConnIndex, Csr, CsrBuilder};
pub use delay::{DelayLine, brainpy_delay_steps, delay_steps};
pub use dense::Dense;
pub use error::{ConnArray, ConnError, InvalidConn};
pub use events::SpikeEvents;
pub use one_to_one::OneToOne;
pub use projection::Projection;
pub use spike_monitor::SpikeMonitor;
pub use spikes::{count_spikes, for_each_spike};
pub use synapses::{Footprint, Synapses, WeightsMut};
pub use synaptic_delays::SynapticDelays;
pub use weights::{Weight, Weights};
