//! [`Csr`]: which presynaptic neuron connects to which postsynaptic ones, in compressed sparse
//! rows (row = presynaptic neuron, BrainPy's `indptr`/`indices` layout), with `u32` indices.
//! Built from CSR or COO arrays of any integer type (checked entry by entry), row by row
//! ([`CsrBuilder`], what the seeded generators use), or as one-to-one / all-to-all.

use alloc::vec::Vec;

use super::error::{ConnArray, ConnError};

/// An integer a connectivity file or array may hold: `i32`, `i64`, `u32`, `u64`, `usize`.
pub trait ConnIndex: Copy {
    /// The value as `i64` (saturating for `u64`/`usize` values above `i64::MAX`).
    fn to_i64(self) -> i64;
}

macro_rules! conn_index {
    ($($t:ty),*) => {$(
        impl ConnIndex for $t {
            #[inline]
            fn to_i64(self) -> i64 {
                i64::try_from(self).unwrap_or(i64::MAX)
            }
        }
    )*};
}
conn_index!(i32, i64, u32, u64, usize);

/// The largest population `u32` indices address.
const MAX_NEURONS: usize = u32::MAX as usize;

fn check_population(neurons: usize) -> Result<(), ConnError> {
    if neurons > MAX_NEURONS {
        return Err(ConnError::TooManyNeurons { neurons });
    }
    Ok(())
}

/// `value` as a neuron index below `bound`, or the error naming `array` and `entry`.
fn neuron_index(
    array: ConnArray,
    entry: usize,
    value: impl ConnIndex,
    bound: usize,
) -> Result<u32, ConnError> {
    let v = value.to_i64();
    if v < 0 || v as u64 >= bound as u64 {
        return Err(ConnError::IndexOutOfRange {
            array,
            entry,
            value: v,
            bound,
        });
    }
    Ok(v as u32)
}

/// Connectivity from `n_pre` presynaptic to `n_post` postsynaptic neurons in compressed sparse
/// rows: the targets of presynaptic neuron `i` are `indices[indptr[i]..indptr[i + 1]]`, in the
/// order given (delivery follows it). Each synapse costs 4 bytes (its `u32` target), each row 8
/// (its `usize` row pointer); weights live beside it ([`Synapses`](super::Synapses)).
///
/// A `Csr` is always valid: every row pointer is in order and every index is in range, so
/// delivery never checks them again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Csr {
    n_post: usize,
    indptr: Vec<usize>,
    indices: Vec<u32>,
}

impl Csr {
    /// From CSR arrays, checked: `indptr` has `n_pre + 1` entries, starts at 0, never decreases
    /// and ends at `indices.len()`; every index is in `0..n_post`. The first fault found is the
    /// error, naming the array and the entry.
    pub fn from_csr<I: ConnIndex>(
        n_pre: usize,
        n_post: usize,
        indptr: &[I],
        indices: &[I],
    ) -> Result<Self, ConnError> {
        check_population(n_pre)?;
        check_population(n_post)?;
        if indptr.len() != n_pre + 1 {
            return Err(ConnError::Length {
                array: ConnArray::Indptr,
                found: indptr.len(),
                expected: n_pre + 1,
            });
        }
        let first = indptr[0].to_i64();
        if first != 0 {
            return Err(ConnError::IndptrStart { value: first });
        }
        let mut pointers = Vec::with_capacity(indptr.len());
        let mut previous = 0_i64;
        for (entry, &p) in indptr.iter().enumerate() {
            let p = p.to_i64();
            if p < previous {
                return Err(ConnError::IndptrDecreasing {
                    entry,
                    value: p,
                    previous,
                });
            }
            previous = p;
            pointers.push(p as usize);
        }
        if previous as u64 != indices.len() as u64 {
            return Err(ConnError::IndptrEnd {
                entry: n_pre,
                value: previous,
                synapses: indices.len(),
            });
        }
        let targets = indices
            .iter()
            .enumerate()
            .map(|(entry, &j)| neuron_index(ConnArray::Indices, entry, j, n_post))
            .collect::<Result<Vec<u32>, _>>()?;
        Ok(Csr {
            n_post,
            indptr: pointers,
            indices: targets,
        })
    }

    /// From COO arrays (`pre[s] → post[s]`), checked. Rows keep the order of the synapses in the
    /// arrays (a stable counting sort by presynaptic neuron).
    pub fn from_coo<I: ConnIndex>(
        n_pre: usize,
        n_post: usize,
        pre: &[I],
        post: &[I],
    ) -> Result<Self, ConnError> {
        Ok(Self::from_coo_with_order(n_pre, n_post, pre, post)?.0)
    }

    /// [`from_coo`](Self::from_coo), with the COO entry each CSR synapse came from (to carry
    /// per-synapse values along).
    pub(super) fn from_coo_with_order<I: ConnIndex>(
        n_pre: usize,
        n_post: usize,
        pre: &[I],
        post: &[I],
    ) -> Result<(Self, Vec<usize>), ConnError> {
        check_population(n_pre)?;
        check_population(n_post)?;
        if post.len() != pre.len() {
            return Err(ConnError::Length {
                array: ConnArray::Post,
                found: post.len(),
                expected: pre.len(),
            });
        }
        let mut indptr = alloc::vec![0_usize; n_pre + 1];
        let mut rows = Vec::with_capacity(pre.len());
        for (entry, &i) in pre.iter().enumerate() {
            let i = neuron_index(ConnArray::Pre, entry, i, n_pre)?;
            indptr[i as usize + 1] += 1;
            rows.push(i);
        }
        for i in 0..n_pre {
            indptr[i + 1] += indptr[i];
        }
        let mut next = indptr.clone();
        let mut indices = alloc::vec![0_u32; pre.len()];
        let mut order = alloc::vec![0_usize; pre.len()];
        for (entry, (&i, &j)) in rows.iter().zip(post).enumerate() {
            let j = neuron_index(ConnArray::Post, entry, j, n_post)?;
            let slot = &mut next[i as usize];
            indices[*slot] = j;
            order[*slot] = entry;
            *slot += 1;
        }
        Ok((
            Csr {
                n_post,
                indptr,
                indices,
            },
            order,
        ))
    }

    /// Neuron `i` to neuron `i`, for two populations of `n` neurons.
    pub fn one_to_one(n: usize) -> Result<Self, ConnError> {
        check_population(n)?;
        Ok(Csr {
            n_post: n,
            indptr: (0..=n).collect(),
            indices: (0..n as u32).collect(),
        })
    }

    /// Every presynaptic neuron to every postsynaptic one; without `include_self`, not neuron `i`
    /// to neuron `i` (BrainPy's `AllToAll(include_self=False)`). For a small population, the
    /// dense [`AllToAll`](super::AllToAll) delivers faster.
    pub fn all_to_all(n_pre: usize, n_post: usize, include_self: bool) -> Result<Self, ConnError> {
        let mut b = CsrBuilder::new(n_post)?;
        for i in 0..n_pre {
            for j in 0..n_post {
                if include_self || i != j {
                    b.push(j)?;
                }
            }
            b.end_row();
        }
        b.finish(n_pre)
    }

    /// Presynaptic neurons (rows).
    pub fn n_pre(&self) -> usize {
        self.indptr.len() - 1
    }

    /// Postsynaptic neurons.
    pub fn n_post(&self) -> usize {
        self.n_post
    }

    /// Synapses.
    pub fn n_synapses(&self) -> usize {
        self.indices.len()
    }

    /// The targets of presynaptic neuron `i`.
    #[inline]
    pub fn row(&self, i: usize) -> &[u32] {
        &self.indices[self.indptr[i]..self.indptr[i + 1]]
    }

    /// The synapses of presynaptic neuron `i`: positions in [`indices`](Self::indices) and in
    /// per-synapse arrays.
    #[inline]
    pub fn row_range(&self, i: usize) -> core::ops::Range<usize> {
        self.indptr[i]..self.indptr[i + 1]
    }

    /// The row pointers (`n_pre + 1` entries).
    pub fn indptr(&self) -> &[usize] {
        &self.indptr
    }

    /// The target of every synapse, row after row.
    pub fn indices(&self) -> &[u32] {
        &self.indices
    }

    /// Heap bytes of the targets: 4 per synapse, counted by capacity.
    pub fn indices_heap_bytes(&self) -> usize {
        self.indices.capacity() * size_of::<u32>()
    }

    /// Heap bytes of the row pointers: one `usize` per presynaptic neuron and one more.
    pub fn indptr_heap_bytes(&self) -> usize {
        self.indptr.capacity() * size_of::<usize>()
    }
}

/// Builds a [`Csr`] row by row: [`push`](Self::push) the targets of presynaptic neuron 0, then
/// [`end_row`](Self::end_row), and so on; [`finish`](Self::finish) checks the row count.
#[derive(Clone, Debug)]
pub struct CsrBuilder {
    n_post: usize,
    indptr: Vec<usize>,
    indices: Vec<u32>,
}

impl CsrBuilder {
    /// An empty connectivity onto `n_post` neurons.
    pub fn new(n_post: usize) -> Result<Self, ConnError> {
        check_population(n_post)?;
        Ok(CsrBuilder {
            n_post,
            indptr: alloc::vec![0],
            indices: Vec::new(),
        })
    }

    /// Reserves room for `synapses` more synapses and `rows` more rows.
    pub fn reserve(&mut self, rows: usize, synapses: usize) {
        self.indptr.reserve(rows);
        self.indices.reserve(synapses);
    }

    /// Adds a synapse from the current row to postsynaptic neuron `j`.
    pub fn push(&mut self, j: usize) -> Result<(), ConnError> {
        let entry = self.indices.len();
        let j = neuron_index(ConnArray::Indices, entry, j, self.n_post)?;
        self.indices.push(j);
        Ok(())
    }

    /// Adds synapses from the current row to every neuron of `targets`.
    pub fn extend(&mut self, targets: &[u32]) -> Result<(), ConnError> {
        for &j in targets {
            self.push(j as usize)?;
        }
        Ok(())
    }

    /// Ends the current row (the next synapse starts the next presynaptic neuron's).
    pub fn end_row(&mut self) {
        self.indptr.push(self.indices.len());
    }

    /// Rows ended so far.
    pub fn rows(&self) -> usize {
        self.indptr.len() - 1
    }

    /// The connectivity, once exactly `n_pre` rows have been ended.
    pub fn finish(mut self, n_pre: usize) -> Result<Csr, ConnError> {
        check_population(n_pre)?;
        if self.rows() != n_pre {
            return Err(ConnError::Length {
                array: ConnArray::Indptr,
                found: self.indptr.len(),
                expected: n_pre + 1,
            });
        }
        self.indptr.shrink_to_fit();
        self.indices.shrink_to_fit();
        Ok(Csr {
            n_post: self.n_post,
            indptr: self.indptr,
            indices: self.indices,
        })
    }
}
