//! [`Chunked`]: a large population as many copies ("chunks") of a fixed-size model on the heap,
//! stepped by reference, and split across cores with the `parallel` feature.
//!
//! Why: a model's states are nalgebra matrices stored inline, and a step takes its input and
//! returns its output by value. That is free for the sizes a step is made for (up to a few
//! thousand neurons: everything stays in registers and cache), but 100 000 f64 neurons are 800 KB
//! per state — a few copies of that overflow a 2 MB thread stack. A `Chunked` keeps each chunk
//! small (say `Hh<f64, 1000>`: 33 KB, built on the stack and moved to the heap), holds the chunks
//! in one boxed slice, takes the inputs as a slice (`&[M::Input]`, one per chunk) and writes the
//! outputs into a slice: nothing large is ever on the stack, and a step allocates nothing.
//!
//! The chunks are independent (a population of unconnected neurons, or a batch split in parts),
//! so they can be stepped in any order: with the `parallel` feature, a population of at least
//! [`PARALLEL_MIN_BYTES`] of models (about 8000 HH neurons) is stepped by rayon, a share of the
//! chunks per core; a smaller one stays on the calling thread, where a fork-join would cost more
//! than the step. Each chunk runs its own vectorized step (see `loop_core::simd`), so the results
//! are the same bits whichever thread steps it; under rayon each chunk stays on its core
//! (`parallel::serial`: a model that would split its own step, like a 1000-neuron HH, does not).
//!
//! ```
//! use looptime::Chunked;
//! use looptime::nalgebra::SMatrix;
//! use looptime::neurons::Hh;
//! use looptime::prelude::*;
//!
//! // 100 000 HH neurons: 100 chunks of 1000.
//! let mut population = Chunked::from_fn(100, |_| Hh::<f64, 1000>::new());
//! let inputs = vec![SMatrix::<f64, 1000, 1>::from_element(10.0); 100];
//! let mut spikes = vec![SMatrix::<bool, 1000, 1>::from_element(false); 100];
//! let sh = Shared::new(0.1, ());
//! population.step(&sh, &inputs, &mut spikes);
//! assert_eq!(population.len(), 100);
//! assert_eq!(population.chunks()[7].v, population.chunks()[0].v);
//! ```

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::{DynamicalSystem, Shared};

/// From this many bytes of models on, `step` splits the chunks across cores (with the `parallel`
/// feature). 256 KB is about 8000 HH neurons in f64 (~80 µs of work per step on one core), well
/// above the few microseconds a fork-join costs; below it, threads would slow the step down.
pub const PARALLEL_MIN_BYTES: usize = 256 * 1024;

/// Many copies of a fixed-size model, stepped independently (see the module docs).
#[derive(Clone, Debug)]
pub struct Chunked<M> {
    chunks: Box<[M]>,
    parallel_min_bytes: usize,
}

impl<M> Chunked<M> {
    /// `count` chunks, chunk `c` being `make(c)`. Each chunk is built on the stack and moved to
    /// the heap one at a time, so only one chunk's size needs to fit on the stack.
    pub fn from_fn(count: usize, make: impl FnMut(usize) -> M) -> Self {
        Chunked {
            chunks: (0..count).map(make).collect::<Vec<M>>().into_boxed_slice(),
            parallel_min_bytes: PARALLEL_MIN_BYTES,
        }
    }

    /// The number of chunks.
    pub fn len(&self) -> usize {
        self.chunks.len()
    }

    /// Whether there are no chunks.
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    /// The chunks, to read their states.
    pub fn chunks(&self) -> &[M] {
        &self.chunks
    }

    /// The chunks, to change their parameters or states.
    pub fn chunks_mut(&mut self) -> &mut [M] {
        &mut self.chunks
    }

    /// Steps on several cores from `bytes` bytes of models on (default [`PARALLEL_MIN_BYTES`];
    /// `usize::MAX` never, 0 always). Without the `parallel` feature every step is sequential.
    #[must_use]
    pub fn parallel_from_bytes(mut self, bytes: usize) -> Self {
        self.parallel_min_bytes = bytes;
        self
    }

    /// Whether `step` runs on several cores: the `parallel` feature, at least two chunks, and at
    /// least the threshold's bytes of models.
    pub fn is_parallel(&self) -> bool {
        cfg!(feature = "parallel")
            && self.chunks.len() >= 2
            && self.chunks.len().saturating_mul(size_of::<M>()) >= self.parallel_min_bytes
    }

    /// Puts every chunk back to its initial state.
    pub fn reset_state<A>(&mut self)
    where
        M: DynamicalSystem<A>,
    {
        self.chunks
            .iter_mut()
            .for_each(DynamicalSystem::reset_state);
    }
}

#[cfg(not(feature = "parallel"))]
impl<M> Chunked<M> {
    /// One step of every chunk: chunk `c` takes `inputs[c]` (lent: `update_ref`) and
    /// writes its output into `outputs[c]`. Allocates nothing.
    ///
    /// # Panics
    ///
    /// If `inputs` or `outputs` does not have one item per chunk.
    pub fn step<A>(&mut self, sh: &Shared<A>, inputs: &[M::Input], outputs: &mut [M::Output])
    where
        M: DynamicalSystem<A>,
        M::Input: Clone,
    {
        self.check_lengths(inputs.len(), outputs.len());
        for ((chunk, x), y) in self.chunks.iter_mut().zip(inputs).zip(outputs) {
            *y = chunk.update_ref(sh, x);
        }
    }
}

#[cfg(feature = "parallel")]
impl<M> Chunked<M> {
    /// One step of every chunk: chunk `c` takes `inputs[c]` (lent: `update_ref`) and
    /// writes its output into `outputs[c]`; on several cores when [`is_parallel`](Self::is_parallel).
    /// Sequentially it allocates nothing; in parallel, rayon may allocate for its job queues now
    /// and then (not per chunk).
    ///
    /// # Panics
    ///
    /// If `inputs` or `outputs` does not have one item per chunk.
    pub fn step<A>(&mut self, sh: &Shared<A>, inputs: &[M::Input], outputs: &mut [M::Output])
    where
        M: DynamicalSystem<A> + Send,
        M::Input: Clone + Sync,
        M::Output: Send,
        A: Sync,
    {
        use rayon::prelude::*;

        self.check_lengths(inputs.len(), outputs.len());
        if self.is_parallel() {
            self.chunks
                .par_iter_mut()
                .zip(inputs.par_iter())
                .zip(outputs.par_iter_mut())
                // Each chunk on one core: the chunks already fill them (a model that would split
                // its own step across two cores, like a 1000-neuron HH, does not here).
                .for_each(|((chunk, x), y)| {
                    *y = crate::parallel::serial(|| chunk.update_ref(sh, x))
                });
        } else {
            for ((chunk, x), y) in self.chunks.iter_mut().zip(inputs).zip(outputs) {
                *y = chunk.update_ref(sh, x);
            }
        }
    }
}

impl<M> Chunked<M> {
    fn check_lengths(&self, inputs: usize, outputs: usize) {
        let n = self.chunks.len();
        assert!(
            inputs == n && outputs == n,
            "Chunked::step: {n} chunks, but {inputs} inputs and {outputs} outputs"
        );
    }
}
