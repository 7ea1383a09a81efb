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
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum InvalidConn {
    /// One-to-one needs two populations of the same size.
    #[error("one-to-one needs populations of one size, not {n_pre} and {n_post}")]
    NotSquare {
        /// Presynaptic neurons.
        n_pre: usize,
        /// Postsynaptic neurons.
        n_post: usize,
    },
    /// More distinct partners asked for than the population has.
    #[error("{num} distinct partners asked for, from {available} neurons")]
    TooManyPartners {
        /// Partners asked for.
        num: usize,
        /// Neurons in the population they are drawn from.
        available: usize,
    },
    /// A probability outside `[0, 1]` (or NaN).
    #[error("probability {0} is not in [0, 1]")]
    Probability(f64),
    /// A projection's connectivity does not join the populations it is declared between.
    #[error(
        "a connectivity from {n_pre} to {n_post} neurons cannot join populations of {pre} and {post}"
    )]
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
    #[error("a delay of {steps} steps is longer than {max}")]
    DelayTooLong {
        /// The delay asked for, in steps.
        steps: usize,
        /// The longest possible.
        max: usize,
    },
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

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn invalid_connectivities_say_what_does_not_fit() {
        let cases = [
            (
                InvalidConn::NotSquare {
                    n_pre: 3,
                    n_post: 4,
                },
                "one-to-one needs populations of one size, not 3 and 4",
            ),
            (
                InvalidConn::TooManyPartners {
                    num: 9,
                    available: 5,
                },
                "9 distinct partners asked for, from 5 neurons",
            ),
            (
                InvalidConn::Probability(1.5),
                "probability 1.5 is not in [0, 1]",
            ),
            (
                InvalidConn::Sizes {
                    n_pre: 2,
                    n_post: 3,
                    pre: 4,
                    post: 5,
                },
                "a connectivity from 2 to 3 neurons cannot join populations of 4 and 5",
            ),
            (
                InvalidConn::DelayTooLong {
                    steps: 70_000,
                    max: 65_535,
                },
                "a delay of 70000 steps is longer than 65535",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
            assert_eq!(ConnError::Invalid(error).to_string(), message);
        }
    }
}
