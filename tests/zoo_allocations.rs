//! A zoo model's step allocates nothing: a population of 1000 HH neurons (and 4000 LIF neurons,
//! and the seed's RNN) stepped directly makes no allocation at all, a run through `LoopOverTime`
//! allocates its history before the loop only (the count does not depend on the number of
//! steps), and a `Chunked` population steps without allocating.
//!
//! This file is its own test binary, so its counting allocator affects no other test.

mod common;

use common::counting_alloc::{Counting, allocations_in};
use looptime::layers::{Relu, RnnCell};
use looptime::nalgebra::SMatrix;
use looptime::neurons::{Hh, Lif};
use looptime::prelude::*;
use looptime::{Chunked, sequential};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn stepping_hh_lif_and_the_rnn_directly_allocates_nothing() {
    let mut hh = Box::new(Hh::<f64, 1000>::new());
    let mut lif = Box::new(Lif::<f32, 4000>::new());
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut rnn = Box::new(sequential! {
        l1: RnnCell::<f64, 100, 20, 128>::new(&mut rng),
        l2: Relu,
        l3: RnnCell::<f64, 20, 2, 128>::new(&mut rng),
    });
    let i_hh = Box::new(SMatrix::<f64, 1000, 1>::from_element(10.0));
    let i_lif = Box::new(SMatrix::<f32, 4000, 1>::from_element(25.0));
    let x_rnn = Box::new(SMatrix::<f64, 100, 128>::from_element(0.5));
    let mut sh = Shared::new(0.1, ());
    // The helper thread that splits a step of 1000 HH neurons is spawned once per process.
    looptime::parallel::start();
    let (n, fired) = allocations_in(|| {
        let mut fired = 0;
        for k in 0..200 {
            sh.t = Some(k as f64 * 0.1);
            fired += hh.update(&sh, *i_hh).iter().filter(|s| **s).count();
            fired += lif.update(&sh, *i_lif).iter().filter(|s| **s).count();
            rnn.update(&sh, *x_rnn);
        }
        fired
    });
    assert_eq!(n, 0, "allocations in 200 steps of HH, LIF and the RNN");
    assert!(fired > 0, "the neurons fired");
}

#[test]
fn a_run_allocates_its_history_before_the_loop_whatever_the_step_count() {
    // The helper thread that splits a step of 1000 HH neurons is spawned once per process.
    looptime::parallel::start();
    let count = |steps: usize| {
        let mut run = LoopOverTime::new(Box::new(Hh::<f64, 1000>::new()))
            .monitor("spike", |m| m.spike)
            .monitor("v", |m| m.v[0]);
        let inputs = vec![SMatrix::<f64, 1000, 1>::from_element(10.0); steps];
        let (n, history) = allocations_in(|| run.run_inputs(&inputs).unwrap());
        assert_eq!(history.steps, steps);
        n
    };
    let (short, long) = (count(10), count(400));
    assert_eq!(short, long, "allocations of a run of 10 and of 400 steps");
}

#[test]
fn a_sequential_chunked_population_steps_without_allocating() {
    let mut population =
        Chunked::from_fn(8, |_| Hh::<f64, 500>::new()).parallel_from_bytes(usize::MAX);
    let inputs = vec![SMatrix::<f64, 500, 1>::from_element(10.0); 8];
    let mut spikes = vec![SMatrix::<bool, 500, 1>::from_element(false); 8];
    let sh = Shared::new(0.1, ());
    let (n, ()) = allocations_in(|| {
        for _ in 0..100 {
            population.step(&sh, &inputs, &mut spikes);
        }
    });
    assert_eq!(n, 0, "allocations in 100 steps of a Chunked population");
}
