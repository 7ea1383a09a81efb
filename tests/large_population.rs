//! A population of 100 000 HH neurons is built and stepped on a test thread (2 MB of stack)
//! without overflowing it: `Chunked` keeps 100 chunks of 1000 neurons on the heap and steps them
//! by reference. Every chunk steps exactly as one 1000-neuron model stepped on its own, and with
//! the `parallel` feature the chunks run across cores with the same results. Every vector level
//! gives the same bits, and a neuron in a population the same bits as stepped alone, whichever
//! form its block's exponential-Euler factors took.

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

/// Exponential Euler's factors take their near form alone in a block whose arguments are all
/// near 0, and both forms elsewhere (`loop_core::elements::Linear`): a neuron's bits must not
/// depend on which block it is in. 200 HH neurons, some driven to spike (their V's argument
/// beyond 1 during a spike) and some at rest, against each stepped alone, at every level.
#[test]
fn a_neuron_steps_the_same_bits_alone_and_in_a_population() {
    const N: usize = 200;
    // Blocks of 64: the first at rest, the second with spikers among resting neurons, the third
    // all spiking, a partial last block of 8 mixed.
    let current = |k: usize| match k {
        0..64 => 0.0,
        64..128 => {
            if k.is_multiple_of(7) {
                12.0
            } else {
                0.5
            }
        }
        128..192 => 8.0 + (k % 5) as f64,
        _ => (k % 2) as f64 * 10.0,
    };
    let sh = Shared::new(0.1, ());
    let steps = 300;
    for level in simd::Level::ALL
        .into_iter()
        .filter(|l| *l <= simd::detected())
    {
        simd::set_cap(Some(level));
        let mut population = Box::new(Hh::<f64, N>::new());
        let i = SMatrix::<f64, N, 1>::from_fn(|r, _| current(r));
        let mut fired = 0;
        for _ in 0..steps {
            fired += population.update(&sh, i).iter().filter(|s| **s).count();
        }
        for k in 0..N {
            let mut alone = Hh::<f64, 1>::new();
            let x = SMatrix::<f64, 1, 1>::from_element(current(k));
            for _ in 0..steps {
                alone.update(&sh, x);
            }
            let got = (
                population.v[k],
                population.m[k],
                population.h[k],
                population.n[k],
            );
            let expected = (alone.v[0], alone.m[0], alone.h[0], alone.n[0]);
            assert_eq!(
                got.0.to_bits(),
                expected.0.to_bits(),
                "{level:?}, neuron {k}: {got:?} against {expected:?}"
            );
            assert_eq!((got.1, got.2, got.3), (expected.1, expected.2, expected.3));
        }
        simd::set_cap(None);
        assert!(fired > 0, "{level:?}: some neurons fire");
    }
}
