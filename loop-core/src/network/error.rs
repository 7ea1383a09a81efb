//! [`ConnError`]: what is wrong with a connectivity, naming the array and the entry, so that a
//! loader can add the file it came from.

use core::fmt;

/// The arrays a connectivity is built from, for error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnArray {
    /// CSR row pointers (BrainPy's `indptr`): `n_pre + 1` entries.
    Indptr,
    /// CSR column indices (BrainPy's `indices`): the postsynaptic neuron of each synapse.
    Indices,
    /// COO presynaptic neurons.
    Pre,
    /// COO postsynaptic neurons.
    Post,
    /// Per-synapse (or per-pair) weights.
    Weights,
    /// Per-synapse delays.
    Delays,
}

impl fmt::Display for ConnArray {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConnArray::Indptr => "indptr",
            ConnArray::Indices => "indices",
            ConnArray::Pre => "pre",
            ConnArray::Post => "post",
            ConnArray::Weights => "weights",
            ConnArray::Delays => "delays",
        })
    }
}

/// A connectivity that cannot be built as asked. Every variant names the array (and, where
/// there is one, the entry) at fault.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ConnError {
    /// An array has the wrong number of entries.
    #[error("{array} has {found} entries, expected {expected}")]
    Length {
        /// The array.
        array: ConnArray,
        /// Its number of entries.
        found: usize,
        /// What it should have.
        expected: usize,
    },
    /// `indptr[0]` is not 0.
    #[error("indptr entry 0 is {value}, expected 0")]
    IndptrStart {
        /// The value found.
        value: i64,
    },
    /// `indptr` decreases: row `entry - 1` would have a negative length.
    #[error("indptr entry {entry} is {value}, below entry {} ({previous}): row pointers must not decrease", entry - 1)]
    IndptrDecreasing {
        /// The entry that is smaller than the one before.
        entry: usize,
        /// Its value.
        value: i64,
        /// The value before it.
        previous: i64,
    },
    /// The last row pointer is not the number of synapses: the rows do not add up.
    #[error(
        "indptr entry {entry} is {value}, but there are {synapses} indices: the rows do not add up"
    )]
    IndptrEnd {
        /// The last entry (`n_pre`).
        entry: usize,
        /// Its value.
        value: i64,
        /// The number of indices.
        synapses: usize,
    },
    /// A neuron index is outside its population.
    #[error("{array} entry {entry} is {value}, out of range for {bound} neurons")]
    IndexOutOfRange {
        /// The array holding the index.
        array: ConnArray,
        /// The entry.
        entry: usize,
        /// The index found (negative values of a signed file are reported as they are).
        value: i64,
        /// The population size (valid indices are `0..bound`).
        bound: usize,
    },
    /// A population is larger than `u32` indices can address.
    #[error("{neurons} neurons cannot be addressed by u32 indices")]
    TooManyNeurons {
        /// The population size asked for.
        neurons: usize,
    },
    /// A connector cannot be built with these sizes or parameters.
    #[error("{0}")]
    Invalid(InvalidConn),
}

/// Why a connector's parameters do not fit the populations.
#[derive(Clone, Debug, PartialEq)]
pub enum InvalidConn {
    /// One-to-one needs two populations of the same size.
    NotSquare {
        /// Presynaptic neurons.
        n_pre: usize,
        /// Postsynaptic neurons.
        n_post: usize,
    },
    /// More distinct partners asked for than the population has.
    TooManyPartners {
        /// Partners asked for.
        num: usize,
        /// Neurons in the population they are drawn from.
        available: usize,
    },
    /// A probability outside `[0, 1]` (or NaN).
    Probability(f64),
    /// A projection's connectivity does not join the populations it is declared between.
    Sizes {
        /// Presynaptic neurons of the connectivity.
        n_pre: usize,
        /// Postsynaptic neurons of the connectivity.
        n_post: usize,
        /// Neurons of the presynaptic population.
        pre: usize,
        /// Neurons of the postsynaptic population.
        post: usize,
    },
    /// A delay longer than a per-synapse delay can hold.
    DelayTooLong {
        /// The delay asked for, in steps.
        steps: usize,
        /// The longest possible.
        max: usize,
    },
}

impl fmt::Display for InvalidConn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidConn::NotSquare { n_pre, n_post } => write!(
                f,
                "one-to-one needs populations of one size, not {n_pre} and {n_post}"
            ),
            InvalidConn::TooManyPartners { num, available } => write!(
                f,
                "{num} distinct partners asked for, from {available} neurons"
            ),
            InvalidConn::Probability(p) => write!(f, "probability {p} is not in [0, 1]"),
            InvalidConn::Sizes {
                n_pre,
                n_post,
                pre,
                post,
            } => write!(
                f,
                "a connectivity from {n_pre} to {n_post} neurons cannot join populations of {pre} and {post}"
            ),
            InvalidConn::DelayTooLong { steps, max } => {
                write!(f, "a delay of {steps} steps is longer than {max}")
            }
        }
    }
}

impl ConnError {
    /// The array at fault, if the error is about one.
    pub fn array(&self) -> Option<ConnArray> {
        match self {
            ConnError::Length { array, .. } | ConnError::IndexOutOfRange { array, .. } => {
                Some(*array)
            }
            ConnError::IndptrStart { .. }
            | ConnError::IndptrDecreasing { .. }
            | ConnError::IndptrEnd { .. } => Some(ConnArray::Indptr),
            ConnError::TooManyNeurons { .. } | ConnError::Invalid(_) => None,
        }
    }
}
