//! Connectivity generators, seeded, as BrainPy's `bp.conn` builds them: [`FixedProb`],
//! [`FixedPreNum`], [`FixedPostNum`], [`OneToOne`], [`AllToAll`] — each a [`Connector`] that builds
//! a [`Csr`] for two population sizes — and, with the `npy` feature, BrainPy's `.npy` layout
//! ([`load_brainpy_csr`]).
//!
//! The storage and delivery they feed are in [`network`](crate::network) (loop-core, without
//! `rand`). A seed gives the same connectivity on every platform (ChaCha8), not BrainPy's: its
//! numbers come from NumPy's and numba's generators. What is BrainPy's is the rule: how many
//! targets each neuron gets, and which self-connections are dropped.

mod fixed;
mod fixed_num;
mod fixed_prob;
#[cfg(feature = "npy")]
mod npy;
mod regular;
mod sample;

pub use crate::network::{ConnError, Csr};
pub use fixed::Fixed;
pub use fixed_num::{FixedPostNum, FixedPreNum, Num, PostNum, PreNum};
pub use fixed_prob::{FixedProb, Prob};
#[cfg(feature = "npy")]
pub use npy::{ConnFileError, load_brainpy_csr, read_index_npy};
pub use regular::{AllToAll, OneToOne};

/// Builds the connectivity from `n_pre` to `n_post` neurons.
pub trait Connector {
    /// The connectivity (row = presynaptic neuron), or why these sizes do not fit.
    fn build(&self, n_pre: usize, n_post: usize) -> Result<Csr, ConnError>;
}
