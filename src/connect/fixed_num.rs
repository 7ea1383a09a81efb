//! [`FixedPostNum`] and [`FixedPreNum`]: every presynaptic neuron gets a fixed number of distinct
//! targets, or every postsynaptic neuron a fixed number of distinct sources (BrainPy's
//! `bp.conn.FixedPostNum` / `FixedPreNum`, without `allow_multi_conn`).

use alloc::vec::Vec;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::Connector;
use super::fixed::Fixed;
use super::sample::Distinct;
use crate::network::{ConnError, Csr, CsrBuilder, InvalidConn};

/// How many partners: a count, or a fraction of the population they are drawn from (BrainPy's
/// `int(n * fraction)`, rounded down).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Num {
    /// Exactly this many.
    Count(usize),
    /// This fraction of the population, rounded down.
    Fraction(f64),
}

impl Num {
    /// The count out of `available` neurons, checked.
    fn of(self, available: usize) -> Result<usize, ConnError> {
        let num = match self {
            Num::Count(num) => num,
            Num::Fraction(f) if (0.0..=1.0).contains(&f) => (available as f64 * f) as usize,
            Num::Fraction(f) => return Err(ConnError::Invalid(InvalidConn::Probability(f))),
        };
        if num > available {
            return Err(ConnError::Invalid(InvalidConn::TooManyPartners {
                num,
                available,
            }));
        }
        Ok(num)
    }
}

/// The rule of [`FixedPostNum`]: this many targets per presynaptic neuron.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PostNum(pub Num);

/// The rule of [`FixedPreNum`]: this many sources per postsynaptic neuron.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PreNum(pub Num);

/// Each presynaptic neuron reaches `num` distinct postsynaptic neurons drawn uniformly; without
/// self-connections (which needs populations of one size, as in BrainPy), neuron `i` is then
/// dropped from row `i` if drawn, so that row has one fewer. Rows are sorted.
pub type FixedPostNum = Fixed<PostNum>;

/// Each postsynaptic neuron is reached by `num` distinct presynaptic neurons drawn uniformly;
/// without self-connections, neuron `j` is dropped from the sources of `j` if drawn. Rows (by
/// presynaptic neuron) list their targets in increasing order.
pub type FixedPreNum = Fixed<PreNum>;

impl FixedPostNum {
    /// `num` targets per presynaptic neuron.
    pub fn new(num: Num) -> Self {
        Fixed::with_rule(PostNum(num))
    }
}

impl FixedPreNum {
    /// `num` sources per postsynaptic neuron.
    pub fn new(num: Num) -> Self {
        Fixed::with_rule(PreNum(num))
    }
}

/// Without self-connections, both populations must be one (BrainPy's check).
fn check_self(include_self: bool, n_pre: usize, n_post: usize) -> Result<(), ConnError> {
    if !include_self && n_pre != n_post {
        return Err(ConnError::Invalid(InvalidConn::NotSquare { n_pre, n_post }));
    }
    Ok(())
}

/// `k` distinct targets per row out of `n_post`, neuron `i` dropped from row `i` unless
/// `include_self`: the rule of [`FixedPostNum`] and [`FixedProb`](super::FixedProb).
pub(super) fn rows_of(
    n_pre: usize,
    n_post: usize,
    k: usize,
    include_self: bool,
    seed: u64,
) -> Result<Csr, ConnError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draw = Distinct::new(n_post, k);
    let mut b = CsrBuilder::new(n_post)?;
    b.reserve(n_pre, n_pre * k);
    for i in 0..n_pre {
        for &j in draw.draw(&mut rng) {
            if include_self || j as usize != i {
                b.push(j as usize)?;
            }
        }
        b.end_row();
    }
    b.finish(n_pre)
}

impl Connector for FixedPostNum {
    fn build(&self, n_pre: usize, n_post: usize) -> Result<Csr, ConnError> {
        check_self(self.include_self, n_pre, n_post)?;
        let k = self.rule.0.of(n_post)?;
        rows_of(n_pre, n_post, k, self.include_self, self.seed)
    }
}

impl Connector for FixedPreNum {
    fn build(&self, n_pre: usize, n_post: usize) -> Result<Csr, ConnError> {
        check_self(self.include_self, n_pre, n_post)?;
        let k = self.rule.0.of(n_pre)?;
        // The draws by postsynaptic neuron are the rows of the transposed connectivity.
        let columns = rows_of(n_post, n_pre, k, self.include_self, self.seed)?;
        let mut pre = Vec::with_capacity(columns.n_synapses());
        let mut post = Vec::with_capacity(columns.n_synapses());
        for j in 0..n_post {
            for &i in columns.row(j) {
                pre.push(i);
                post.push(j as u32);
            }
        }
        drop(columns);
        Csr::from_coo(n_pre, n_post, &pre, &post)
    }
}
