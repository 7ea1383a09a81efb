//! A network step allocates nothing: every comm (sparse with homogeneous, `f32` and `f64`
//! weights, dense, all-to-all, one-to-one), every projection (align-post with and without delay,
//! align-pre, a delay per synapse), a whole COBA step on BrainPy's connectivity, and recording
//! spikes into events with room reserved. Counted by the counting allocator
//! (`tests/common/counting_alloc.rs`); this file is its own test binary.

mod common;
mod network_support;

use common::counting_alloc::{Counting, allocations_in};
use looptime::connect::{Connector, FixedProb};
use looptime::network::{
    AlignPost, AlignPre, AllToAll, Comm, Dense, OneToOne, SpikeEvents, Synapses, SynapticDelays,
    Weights,
};

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Spike vectors of `n` neurons for `steps` steps, about `percent`% set, from a fixed LCG.
fn spike_trains(n: usize, steps: usize, percent: u64) -> Vec<Vec<bool>> {
    let mut x = 0x2545_f491_4f6c_dd1d_u64;
    (0..steps)
        .map(|_| {
            (0..n)
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    (x >> 33) % 100 < percent
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_counter_sees_allocations() {
    let (n, v) = allocations_in(|| std::hint::black_box(vec![0_u8; 16]));
    assert_eq!(n, 1);
    drop(v);
}

#[test]
fn delivering_through_every_comm_and_projection_allocates_nothing() {
    let (n_pre, n_post, steps) = (400, 300, 50);
    let csr = FixedProb::new(0.05).seed(5).build(n_pre, n_post).unwrap();
    let syn = csr.n_synapses();
    let homogeneous = Synapses::homogeneous(csr.clone(), 0.5_f64);
    let narrow = Synapses::per_synapse(csr.clone(), vec![0.25_f32; syn]).unwrap();
    let wide = Synapses::per_synapse(csr.clone(), vec![0.25_f64; syn]).unwrap();
    let dense = Dense::from_fn(n_pre, n_post, |i, j| ((i + j) % 3) as f64);
    let all = AllToAll::new(n_pre, n_post, 0.1_f64, false);
    let one = OneToOne::new(n_post, Weights::Homogeneous(2.0_f64)).unwrap();

    let mut now = AlignPost::new(homogeneous.clone(), 0);
    let mut late = AlignPost::new(narrow.clone(), 3);
    let mut pre = AlignPre::new(wide.clone(), 2);
    let mut per_synapse = SynapticDelays::from_fn(narrow, |s, _, _| s % 7).unwrap();
    let mut events = SpikeEvents::with_capacity(n_pre * steps);

    let trains = spike_trains(n_pre, steps, 5);
    let post_trains = spike_trains(n_post, steps, 5);
    let values: Vec<f64> = (0..n_pre).map(|i| i as f64 * 1e-3).collect();
    let mut g = vec![0.0_f64; n_post];
    let (count, ()) = allocations_in(|| {
        for (k, (spikes, post_spikes)) in trains.iter().zip(&post_trains).enumerate() {
            for comm in [&homogeneous as &dyn Comm<f64>, &wide, &dense, &all] {
                comm.add_events(spikes, &mut g);
                comm.add_values(&values, &mut g);
            }
            Comm::<f64>::add_events(&one, post_spikes, &mut g);
            now.deliver(spikes, &mut g);
            late.deliver(spikes, &mut g);
            let conductance = pre.deliver(&values);
            g[0] += conductance[0];
            per_synapse.deliver(spikes, &mut g);
            events.record(k as u64, spikes);
        }
    });
    assert_eq!(count, 0);
    assert!(g.iter().all(|g| g.is_finite() && *g > 0.0));
    assert!(!events.is_empty());
}

#[cfg(feature = "npy")]
#[test]
fn a_coba_step_on_brainpys_connectivity_allocates_nothing() {
    use network_support::coba_plain::Coba;
    use network_support::coba_reference::{CobaReference, INPUT};

    let reference = CobaReference::load();
    let csrs = [reference.e2e, reference.e2i, reference.i2e, reference.i2i];
    let mut net = Coba::new(&reference.e_v0, &reference.i_v0, csrs, INPUT);
    net.step();
    let (count, ()) = allocations_in(|| {
        for _ in 0..200 {
            net.step();
        }
    });
    assert_eq!(count, 0);
    assert!(net.e.spike.iter().any(|&s| s) || net.e.t_last_spike.iter().any(|&t| t > 0.0));
}

#[test]
fn a_step_of_each_benchmark_network_allocates_nothing() {
    use looptime::networks::{CobaHhNet, CobaNet, CubaNet, EiConnectivity};
    use looptime::{DynamicalSystem, Shared};
    use network_support::on_large_stack;

    /// Steps `net` 300 times (the first 100 outside the count), at scale 0.25.
    fn count<M: DynamicalSystem<Input = (), Output = ()>>(mut net: Box<M>) -> usize {
        let at = |k: usize| Shared::at(k as f64 * 0.1, k as u64, 0.1, ());
        (0..100).for_each(|k| net.update(&at(k), ()));
        allocations_in(|| (100..300).for_each(|k| net.update(&at(k), ()))).0
    }
    on_large_stack(|| {
        let conn = || EiConnectivity::fixed_prob(0.02, 3, 800, 200).unwrap();
        let coba = Box::new(CobaNet::<f64, 800, 200>::benchmark(conn(), 1).unwrap());
        let cuba = Box::new(CubaNet::<f32, 800, 200>::benchmark(conn(), 1).unwrap());
        let cobahh = Box::new(CobaHhNet::<f64, 800, 200>::benchmark(conn(), 1).unwrap());
        assert_eq!(count(coba), 0, "COBA");
        assert_eq!(count(cuba), 0, "CUBA");
        assert_eq!(count(cobahh), 0, "COBAHH");
    });
}
