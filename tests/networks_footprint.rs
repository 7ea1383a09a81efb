//! The benchmark networks' connectivity takes 4 bytes per synapse (a `u32` target; homogeneous
//! weights) plus 8 per presynaptic neuron (row pointers); with one weight per synapse stored as
//! `f32` (exact in an `f64` model), 8 bytes — `f64` weights would take 12. BrainPy's
//! `FixedProb(0.02)` gives 320 000 synapses at scale 1 (64 and 16 targets per row), 100 times
//! as many at scale 10 (32 million, 128 MB).

mod network_support;

use looptime::network::{Footprint, Synapses};
use looptime::networks::{CobaNet, EiConnectivity};
use network_support::on_large_stack;

#[test]
fn a_benchmark_network_holds_4_bytes_per_synapse() {
    let footprint = on_large_stack(|| {
        let connectivity = EiConnectivity::fixed_prob(0.02, 0, 3200, 800).unwrap();
        assert_eq!(
            connectivity.synapses(),
            3200 * 64 + 3200 * 16 + 800 * 64 + 800 * 16
        );
        CobaNet::<f64, 3200, 800>::benchmark(connectivity, 0)
            .unwrap()
            .footprint()
    });
    assert_eq!(
        footprint,
        Footprint {
            synapses: 320_000,
            per_synapse_bytes: 4 * 320_000,
            per_row_bytes: 8 * (3200 + 1 + 3200 + 1 + 800 + 1 + 800 + 1),
        }
    );
    assert_eq!(footprint.bytes_per_synapse(), 4.0);
}

#[test]
fn per_synapse_weights_take_8_bytes_as_f32_and_12_as_f64() {
    let csr = EiConnectivity::fixed_prob(0.02, 0, 800, 200).unwrap().e2e;
    let n = csr.n_synapses();
    let narrow = Synapses::per_synapse(csr.clone(), vec![0.6_f32; n]).unwrap();
    let wide = Synapses::per_synapse(csr, vec![0.6_f64; n]).unwrap();
    assert_eq!(narrow.footprint().bytes_per_synapse(), 8.0);
    assert_eq!(wide.footprint().bytes_per_synapse(), 12.0);
}
