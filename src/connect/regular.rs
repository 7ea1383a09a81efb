//! [`OneToOne`] and [`AllToAll`] as connectors (no draws): the sparse forms of BrainPy's
//! `bp.conn.One2One` / `All2All`. For delivery, the dense comms
//! [`network::OneToOne`](crate::network::OneToOne) and
//! [`network::AllToAll`](crate::network::AllToAll) skip the indices altogether.

use super::Connector;
use crate::network::{ConnError, Csr, InvalidConn};

/// Neuron `i` to neuron `i`; both populations must have one size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OneToOne;

impl Connector for OneToOne {
    fn build(&self, n_pre: usize, n_post: usize) -> Result<Csr, ConnError> {
        if n_pre != n_post {
            return Err(ConnError::Invalid(InvalidConn::NotSquare { n_pre, n_post }));
        }
        Csr::one_to_one(n_pre)
    }
}

/// Every presynaptic neuron to every postsynaptic one; without `include_self`, not `i` to `i`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllToAll {
    /// Whether neuron `i` reaches neuron `i` (BrainPy's default: yes).
    pub include_self: bool,
}

impl Default for AllToAll {
    fn default() -> Self {
        AllToAll { include_self: true }
    }
}

impl Connector for AllToAll {
    fn build(&self, n_pre: usize, n_post: usize) -> Result<Csr, ConnError> {
        Csr::all_to_all(n_pre, n_post, self.include_self)
    }
}
