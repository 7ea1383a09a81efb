//! A population of 100 000 HH neurons is built and stepped on a test thread (2 MB of stack)
//! without overflowing it: `Chunked` keeps 100 chunks of 1000 neurons on the heap and steps them
//! by reference. Every chunk steps exactly as one 1000-neuron model stepped on its own, and with
//! the `parallel` feature the chunks run across cores with the same results.

use looptime::nalgebra::SMatrix;
use looptime::neurons::Hh;
use looptime::prelude::*;
use looptime::{Chunked, simd};

const CHUNK: usize = 1000;
const CHUNKS: usize = 100;

#[test]
fn one_hundred_thousand_hh_neurons_step_on_a_test_thread() {
    // Different currents per chunk, so that the chunks do different things.
    let current = |c: usize| SMatrix::<f64, CHUNK, 1>::from_element(2.0 + 0.1 * c as f64);
    let mut population = Chunked::from_fn(CHUNKS, |_| Hh::<f64, CHUNK>::new());
    assert_eq!(population.len() * CHUNK, 100_000);
    let inputs: Vec<_> = (0..CHUNKS).map(current).collect();
    let mut spikes = vec![SMatrix::<bool, CHUNK, 1>::from_element(false); CHUNKS];
    // The same steps for one chunk alone, boxed, for comparison.
    let mut alone = Box::new(Hh::<f64, CHUNK>::new());
    let sh = Shared::new(0.1, ());
    let mut fired = 0;
    for _ in 0..30 {
        population.step(&sh, &inputs, &mut spikes);
        let spiked = alone.update(&sh, inputs[CHUNKS - 1]);
        assert_eq!(spikes[CHUNKS - 1], spiked);
        fired += spikes.iter().flat_map(|s| s.iter()).filter(|s| **s).count();
    }
    let last = &population.chunks()[CHUNKS - 1];
    assert_eq!(
        (last.v, last.m, last.h, last.n),
        (alone.v, alone.m, alone.h, alone.n)
    );
    assert!(
        population.chunks()[0].v != last.v,
        "chunks with different inputs differ"
    );
    assert!(fired > 0, "the strongly driven chunks fire within 3 ms");
    assert!(
        population
            .chunks()
            .iter()
            .all(|c| c.v.iter().all(|v| v.is_finite()))
    );
}

#[test]
fn parallel_and_sequential_steps_give_the_same_bits() {
    let inputs: Vec<_> = (0..16)
        .map(|c| SMatrix::<f64, 500, 1>::from_element(5.0 + c as f64))
        .collect();
    let run = |parallel_from: usize| {
        let mut population =
            Chunked::from_fn(16, |_| Hh::<f64, 500>::new()).parallel_from_bytes(parallel_from);
        let mut spikes = vec![SMatrix::<bool, 500, 1>::from_element(false); 16];
        let sh = Shared::new(0.1, ());
        for _ in 0..50 {
            population.step(&sh, &inputs, &mut spikes);
        }
        (
            population.is_parallel(),
            population.chunks().iter().map(|c| c.v).collect::<Vec<_>>(),
        )
    };
    let (sequential, a) = run(usize::MAX);
    let (parallel, b) = run(0);
    assert!(!sequential);
    assert_eq!(
        parallel,
        cfg!(feature = "parallel") || looptime::parallel::available()
    );
    assert_eq!(a, b);
}

#[test]
fn every_vector_level_gives_the_same_bits() {
    let run = || {
        let mut hh = Box::new(Hh::<f64, 37>::new());
        let i = SMatrix::<f64, 37, 1>::from_fn(|r, _| 3.0 + 0.5 * r as f64);
        let sh = Shared::new(0.1, ());
        for _ in 0..200 {
            hh.update(&sh, i);
        }
        (hh.v, hh.m, hh.h, hh.n)
    };
    let widest = run();
    for level in simd::Level::ALL
        .into_iter()
        .filter(|l| *l <= simd::detected())
    {
        simd::set_cap(Some(level));
        let at_level = run();
        simd::set_cap(None);
        assert_eq!(at_level, widest, "{level:?}");
    }
}
