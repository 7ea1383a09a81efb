//! [`Chunked`]: a large population as many copies ("chunks") of a fixed-size model on the heap,
//! stepped by reference, and split across cores.
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
//! so they can be stepped in any order: [`Chunked::step`] splits a population of at least
//! [`PARALLEL_MIN_BYTES`] of models (about 8000 HH neurons) across cores — through rayon, a share
//! of the chunks per core, with the `parallel` feature; else through `looptime::parallel` (with
//! `std`), which splits only when it pays and a CPU is free. A smaller population stays on the
//! calling thread, where a fork-join would cost more than the step. Each chunk runs its own
//! vectorized step (see `loop_core::simd`), so the results are the same bits whichever thread
//! steps it; each chunk stays on its core (`parallel::serial`: a model that would split its own
//! step, like a 1000-neuron HH, does not).
//!
//! The API is the same with and without the `parallel` feature (features only add): `step`
//! needs the model to be `Send` (and its inputs and shared arguments `Sync`) in every build;
//! [`Chunked::step_sequential`] steps any model, on the calling thread.
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
    /// `usize::MAX` never, 0 whenever the cores are there).
    #[must_use]
    pub fn parallel_from_bytes(mut self, bytes: usize) -> Self {
        self.parallel_min_bytes = bytes;
        self
    }

    /// Whether `step` may run on several cores: the `parallel` feature (rayon) or
    /// `looptime::parallel` [available](crate::parallel::available), at least two chunks, and at
    /// least the threshold's bytes of models.
    pub fn is_parallel(&self) -> bool {
        (cfg!(feature = "parallel") || crate::parallel::available())
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

impl<M> Chunked<M> {
    /// One step of every chunk, on the calling thread: chunk `c` takes `inputs[c]` (lent:
    /// `update_ref`) and writes its output into `outputs[c]`. Any model; allocates nothing.
    ///
    /// # Panics
    ///
    /// If `inputs` or `outputs` does not have one item per chunk.
    pub fn step_sequential<A>(
        &mut self,
        sh: &Shared<A>,
        inputs: &[M::Input],
        outputs: &mut [M::Output],
    ) where
        M: DynamicalSystem<A>,
        M::Input: Clone,
    {
        self.check_lengths(inputs.len(), outputs.len());
        step_all(&mut self.chunks, sh, inputs, outputs);
    }

    /// One step of every chunk: chunk `c` takes `inputs[c]` (lent: `update_ref`) and writes its
    /// output into `outputs[c]`; on several cores when [`is_parallel`](Self::is_parallel) (see
    /// the module docs), else as [`step_sequential`](Self::step_sequential). The same bounds in
    /// every build. Sequentially it allocates nothing; under rayon, rayon may allocate for its
    /// job queues now and then (not per chunk).
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
        self.check_lengths(inputs.len(), outputs.len());
        if !self.is_parallel() {
            return step_all(&mut self.chunks, sh, inputs, outputs);
        }
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;

            self.chunks
                .par_iter_mut()
                .zip(inputs.par_iter())
                .zip(outputs.par_iter_mut())
                // Each chunk on one core: the chunks already fill them.
                .for_each(|((chunk, x), y)| {
                    *y = crate::parallel::serial(|| chunk.update_ref(sh, x));
                });
        }
        #[cfg(not(feature = "parallel"))]
        crate::parallel::for_each_piece(
            (&mut self.chunks[..], inputs, outputs),
            1,
            |_, (chunks, inputs, outputs)| {
                // Each chunk on one core: the pieces already fill them.
                crate::parallel::serial(|| step_all(chunks, sh, inputs, outputs));
            },
        );
    }
}

/// Steps `chunks[c]` with `inputs[c]` into `outputs[c]`, in order, here.
fn step_all<M, A>(chunks: &mut [M], sh: &Shared<A>, inputs: &[M::Input], outputs: &mut [M::Output])
where
    M: DynamicalSystem<A>,
    M::Input: Clone,
{
    for ((chunk, x), y) in chunks.iter_mut().zip(inputs).zip(outputs) {
        *y = chunk.update_ref(sh, x);
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

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::rc::Rc;
    use core::cell::Cell;

    /// A model that is not `Send`: it counts its steps in a shared cell.
    struct Counter(Rc<Cell<u32>>);

    impl DynamicalSystem for Counter {
        type Input = u32;
        type Output = u32;

        fn update(&mut self, _: &Shared<()>, x: u32) -> u32 {
            self.0.set(self.0.get() + x);
            self.0.get()
        }

        fn reset_state(&mut self) {}
    }

    /// A model that is `Send`.
    struct Sum(u32);

    impl DynamicalSystem for Sum {
        type Input = u32;
        type Output = u32;

        fn update(&mut self, _: &Shared<()>, x: u32) -> u32 {
            self.0 += x;
            self.0
        }

        fn reset_state(&mut self) {
            self.0 = 0;
        }
    }

    /// Compiles in every build, with and without `parallel`: the bounds of `step` do not depend
    /// on the features, and `step_sequential` takes any model.
    #[test]
    fn the_api_is_the_same_in_every_build() {
        let cell = Rc::new(Cell::new(0));
        let mut counters = Chunked::from_fn(3, |_| Counter(Rc::clone(&cell)));
        let mut out = [0; 3];
        counters.step_sequential(&Shared::new(0.1, ()), &[1, 2, 3], &mut out);
        assert_eq!(out, [1, 3, 6]);

        let mut sums = Chunked::from_fn(64, |k| Sum(k as u32)).parallel_from_bytes(0);
        let mut out = [0; 64];
        let inputs: Vec<u32> = (0..64).collect();
        for _ in 0..100 {
            sums.step(&Shared::new(0.1, ()), &inputs, &mut out);
        }
        assert!(out.iter().enumerate().all(|(k, y)| *y as usize == 101 * k));
    }
}
