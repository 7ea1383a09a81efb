//! Unit tests of the network machinery. Expected values come from the definitions (a dense
//! matrix summed by hand, arrays read by eye), with weights and values that are small dyadic
//! fractions wherever sums are compared, so that every order of summation gives the same bits.

use alloc::vec;
use alloc::vec::Vec;

use super::*;

/// A small deterministic generator (64-bit LCG), so these tests need no `rand`.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A random COO (pairs may repeat) and dyadic weights `k / 8`.
fn random_coo(
    rng: &mut Lcg,
    n_pre: usize,
    n_post: usize,
    n: usize,
) -> (Vec<u32>, Vec<u32>, Vec<f64>) {
    let pre = (0..n).map(|_| rng.below(n_pre as u64) as u32).collect();
    let post = (0..n).map(|_| rng.below(n_post as u64) as u32).collect();
    let w = (0..n).map(|_| (rng.below(16) as f64 + 1.0) / 8.0).collect();
    (pre, post, w)
}

/// `out[j] = Σ_s [spike[pre[s]]] w[s]` over the COO triples: the definition.
fn by_definition(pre: &[u32], post: &[u32], w: &[f64], x: &[f64], n_post: usize) -> Vec<f64> {
    let mut out = vec![0.0; n_post];
    for s in 0..pre.len() {
        out[post[s] as usize] += w[s] * x[pre[s] as usize];
    }
    out
}

#[test]
fn csr_from_arrays_keeps_rows_and_order() {
    let csr = Csr::from_csr(3, 4, &[0_i64, 2, 2, 5], &[3_i64, 1, 0, 3, 2]).unwrap();
    assert_eq!((csr.n_pre(), csr.n_post(), csr.n_synapses()), (3, 4, 5));
    assert_eq!(csr.row(0), &[3, 1]);
    assert!(csr.row(1).is_empty());
    assert_eq!(csr.row(2), &[0, 3, 2]);
    // Any integer type gives the same connectivity.
    assert_eq!(
        Csr::from_csr(3, 4, &[0_i32, 2, 2, 5], &[3_i32, 1, 0, 3, 2]).unwrap(),
        csr
    );
    assert_eq!(
        Csr::from_csr(3, 4, &[0_u64, 2, 2, 5], &[3_u64, 1, 0, 3, 2]).unwrap(),
        csr
    );
}

#[test]
fn bad_csr_arrays_name_the_array_and_entry() {
    let err = |indptr: &[i64], indices: &[i64]| Csr::from_csr(3, 4, indptr, indices).unwrap_err();
    assert_eq!(
        err(&[0, 2, 5], &[0, 1, 2, 3, 0]),
        ConnError::Length {
            array: ConnArray::Indptr,
            found: 3,
            expected: 4
        }
    );
    assert_eq!(
        err(&[1, 2, 2, 5], &[0; 5]),
        ConnError::IndptrStart { value: 1 }
    );
    assert_eq!(
        err(&[0, 3, 2, 5], &[0; 5]),
        ConnError::IndptrDecreasing {
            entry: 2,
            value: 2,
            previous: 3
        }
    );
    assert_eq!(
        err(&[0, 2, 2, 4], &[0; 5]),
        ConnError::IndptrEnd {
            entry: 3,
            value: 4,
            synapses: 5
        }
    );
    assert_eq!(
        err(&[0, 2, 2, 5], &[0, 1, 2, 4, 0]),
        ConnError::IndexOutOfRange {
            array: ConnArray::Indices,
            entry: 3,
            value: 4,
            bound: 4
        }
    );
    assert_eq!(
        err(&[0, 2, 2, 5], &[0, -1, 2, 3, 0]),
        ConnError::IndexOutOfRange {
            array: ConnArray::Indices,
            entry: 1,
            value: -1,
            bound: 4
        }
    );
    let message = alloc::format!("{}", err(&[0, 2, 2, 5], &[0, 1, 2, 4, 0]));
    assert_eq!(message, "indices entry 3 is 4, out of range for 4 neurons");
    let message = alloc::format!("{}", err(&[0, 3, 2, 5], &[0; 5]));
    assert!(
        message.contains("indptr entry 2 is 2, below entry 1 (3)"),
        "{message}"
    );
}

#[test]
fn coo_becomes_rows_in_array_order() {
    let csr = Csr::from_coo(3, 5, &[2_u32, 0, 2, 0, 2], &[4_u32, 1, 0, 3, 4]).unwrap();
    assert_eq!(csr.indptr(), &[0, 2, 2, 5]);
    assert_eq!(csr.row(0), &[1, 3]);
    assert_eq!(csr.row(2), &[4, 0, 4]);
    assert_eq!(
        Csr::from_coo(3, 5, &[0_i64, 3], &[0_i64, 0]).unwrap_err(),
        ConnError::IndexOutOfRange {
            array: ConnArray::Pre,
            entry: 1,
            value: 3,
            bound: 3
        }
    );
    assert_eq!(
        Csr::from_coo(3, 5, &[0_i64, 1], &[0_i64, 5]).unwrap_err(),
        ConnError::IndexOutOfRange {
            array: ConnArray::Post,
            entry: 1,
            value: 5,
            bound: 5
        }
    );
    assert_eq!(
        Csr::from_coo(3, 5, &[0_i64, 1], &[0_i64]).unwrap_err(),
        ConnError::Length {
            array: ConnArray::Post,
            found: 1,
            expected: 2
        }
    );
    // Per-synapse weights follow their synapses into the rows.
    let syn =
        Synapses::from_coo(3, 5, &[2_u32, 0, 2], &[4_u32, 1, 0], &[1.0_f64, 2.0, 3.0]).unwrap();
    assert_eq!(syn.weights(), &Weights::PerSynapse(vec![2.0, 1.0, 3.0]));
}

#[test]
fn one_to_one_and_all_to_all() {
    let one = Csr::one_to_one(3).unwrap();
    assert_eq!((one.row(0), one.row(2)), (&[0_u32][..], &[2_u32][..]));
    let all = Csr::all_to_all(3, 2, false).unwrap();
    assert_eq!(
        (all.row(0), all.row(1), all.row(2)),
        (&[1_u32][..], &[0_u32][..], &[0_u32, 1][..])
    );
    assert_eq!(Csr::all_to_all(2, 3, true).unwrap().n_synapses(), 6);
}

#[test]
fn builder_checks_targets_and_rows() {
    let mut b = CsrBuilder::new(2).unwrap();
    b.push(1).unwrap();
    assert_eq!(
        b.push(2).unwrap_err(),
        ConnError::IndexOutOfRange {
            array: ConnArray::Indices,
            entry: 1,
            value: 2,
            bound: 2
        }
    );
    b.end_row();
    assert!(b.clone().finish(2).is_err());
    assert_eq!(b.finish(1).unwrap().row(0), &[1]);
}

#[test]
fn every_spike_is_found_once_in_order() {
    let mut rng = Lcg(3);
    for len in [
        0, 1, 8, 9, 31, 32, 33, 45, 50, 64, 100, 127, 128, 129, 257, 300,
    ] {
        for percent in [0, 1, 10, 50, 100] {
            let spikes: Vec<bool> = (0..len).map(|_| rng.chance(percent)).collect();
            let mut found = Vec::new();
            for_each_spike(&spikes, |i| found.push(i));
            let expected: Vec<usize> = (0..len).filter(|&i| spikes[i]).collect();
            assert_eq!(found, expected);
            assert_eq!(count_spikes(&spikes), expected.len());
        }
    }
}

#[test]
fn delay_line_returns_what_was_pushed_delay_steps_ago() {
    let mut now = DelayLine::new(2, 0, 0_i32);
    assert_eq!(now.push(&[7, 8]), &[7, 8]);
    let mut line = DelayLine::new(2, 3, -1_i32);
    let mut seen = Vec::new();
    for k in 0..7 {
        seen.push(line.push(&[k, 10 * k]).to_vec());
    }
    let expected: Vec<Vec<i32>> = vec![
        vec![-1, -1],
        vec![-1, -1],
        vec![-1, -1],
        vec![0, 0],
        vec![1, 10],
        vec![2, 20],
        vec![3, 30],
    ];
    assert_eq!(seen, expected);
    line.reset();
    assert_eq!(line.push(&[9, 9]), &[-1, -1]);
}

#[test]
fn delay_steps_round_up_as_brainpy() {
    assert_eq!(delay_steps(0.3, 0.1), 3); // 0.3 / 0.1 = 2.9999999999999996
    assert_eq!(delay_steps(1.0, 0.1), 10);
    assert_eq!(delay_steps(0.25, 0.1), 3);
    assert_eq!(brainpy_delay_steps(None, 0.1), 0);
    assert_eq!(brainpy_delay_steps(Some(0.2), 0.1), 0);
    assert_eq!(brainpy_delay_steps(Some(0.5), 0.1), 3);
}

#[test]
fn sparse_delivery_is_the_matrix_product() {
    let mut rng = Lcg(11);
    let (n_pre, n_post) = (70, 45);
    let (pre, post, w) = random_coo(&mut rng, n_pre, n_post, 600);
    let per_synapse = Synapses::from_coo(n_pre, n_post, &pre, &post, &w).unwrap();
    let homogeneous =
        Synapses::homogeneous(Csr::from_coo(n_pre, n_post, &pre, &post).unwrap(), 0.375);
    let f32_weights: Vec<f32> = w.iter().map(|&w| w as f32).collect();
    let narrow = Synapses::from_coo(n_pre, n_post, &pre, &post, &f32_weights).unwrap();
    for _ in 0..20 {
        let spikes: Vec<bool> = (0..n_pre).map(|_| rng.chance(15)).collect();
        let x: Vec<f64> = spikes.iter().map(|&s| f64::from(u8::from(s))).collect();
        let values: Vec<f64> = (0..n_pre).map(|_| rng.below(9) as f64 / 4.0).collect();
        let start: Vec<f64> = (0..n_post).map(|j| j as f64).collect();
        let added = |f: &dyn Fn(&mut [f64])| {
            let mut out = start.clone();
            f(&mut out);
            out.iter()
                .zip(&start)
                .map(|(o, s)| o - s)
                .collect::<Vec<f64>>()
        };
        let events = by_definition(&pre, &post, &w, &x, n_post);
        assert_eq!(added(&|o| per_synapse.add_events(&spikes, o)), events);
        assert_eq!(added(&|o| narrow.add_events(&spikes, o)), events);
        let homog = by_definition(&pre, &post, &vec![0.375; w.len()], &x, n_post);
        assert_eq!(added(&|o| homogeneous.add_events(&spikes, o)), homog);
        let product = by_definition(&pre, &post, &w, &values, n_post);
        assert_eq!(added(&|o| per_synapse.add_values(&values, o)), product);
    }
}

#[test]
fn event_delivery_adds_each_targets_sum_and_leaves_the_scratch_zero() {
    // Few and many neurons firing (more than the 128 the first scan remembers), per-synapse and
    // homogeneous weights, against the definition: g + Σ w over the spikes, the scratch zero.
    let mut rng = Lcg(29);
    let (n_pre, n_post) = (400, 90);
    let (pre, post, w) = random_coo(&mut rng, n_pre, n_post, 3000);
    let per_synapse = Synapses::from_coo(n_pre, n_post, &pre, &post, &w).unwrap();
    let homogeneous =
        Synapses::homogeneous(Csr::from_coo(n_pre, n_post, &pre, &post).unwrap(), 0.5);
    for percent in [2, 20, 60] {
        let spikes: Vec<bool> = (0..n_pre).map(|_| rng.chance(percent)).collect();
        let x: Vec<f64> = spikes.iter().map(|&s| f64::from(u8::from(s))).collect();
        for (comm, weights) in [
            (&per_synapse, w.clone()),
            (&homogeneous, vec![0.5; w.len()]),
        ] {
            let mut g: Vec<f64> = (0..n_post).map(|j| j as f64 / 4.0).collect();
            let expected: Vec<f64> = by_definition(&pre, &post, &weights, &x, n_post)
                .iter()
                .zip(&g)
                .map(|(sum, g)| g + sum)
                .collect();
            let mut scratch = vec![0.0; n_post];
            comm.deliver_events(&spikes, &mut scratch, &mut g);
            assert_eq!(g, expected, "{percent}% firing");
            assert!(scratch.iter().all(|&s| s == 0.0));
        }
        // The default (dense comms): the same.
        let dense = Dense::from_fn(n_pre, n_post, |i, j| ((i + 2 * j) % 5) as f64 / 4.0);
        let mut g = vec![1.0; n_post];
        let mut by_events = g.clone();
        dense.add_events(&spikes, &mut by_events);
        let mut scratch = vec![0.0; n_post];
        dense.deliver_events(&spikes, &mut scratch, &mut g);
        assert_eq!(g, by_events);
        assert!(scratch.iter().all(|&s| s == 0.0));
    }
}

#[test]
fn event_delivery_touches_only_the_targets_of_the_neurons_that_fired() {
    // Every conductance starts at -0.0: adding anything to it, even a zero sum, gives +0.0 or a
    // weight, so a target whose sign bit is still set was never written. Only the rows of the
    // neurons that fired may be written; a pass over every target (or every row) would clear
    // the sign of all of them.
    let mut rng = Lcg(41);
    let (n_pre, n_post) = (300, 500);
    let (pre, post, w) = random_coo(&mut rng, n_pre, n_post, 900);
    let comm = Synapses::from_coo(n_pre, n_post, &pre, &post, &w).unwrap();
    // 8 neurons fire, or 150 (more than the 128 the first scan of the spikes remembers).
    for every in [37, 2] {
        let spikes: Vec<bool> = (0..n_pre).map(|i| i % every == 1).collect();
        let reached: Vec<bool> = (0..n_post)
            .map(|j| (0..pre.len()).any(|s| spikes[pre[s] as usize] && post[s] as usize == j))
            .collect();
        assert!(reached.iter().any(|&r| r) && reached.iter().any(|&r| !r));
        let mut g = vec![-0.0_f64; n_post];
        let mut scratch = vec![0.0; n_post];
        comm.deliver_events(&spikes, &mut scratch, &mut g);
        for j in 0..n_post {
            assert_eq!(g[j].is_sign_negative(), !reached[j], "target {j}");
        }
    }
}

#[test]
fn dense_paths_deliver_what_the_sparse_all_to_all_delivers() {
    let mut rng = Lcg(5);
    let (n_pre, n_post) = (30, 20);
    for include_self in [true, false] {
        let csr = Csr::all_to_all(n_pre, n_post, include_self).unwrap();
        let sparse = Synapses::homogeneous(csr.clone(), 0.25_f64);
        let all = AllToAll::new(n_pre, n_post, 0.25_f64, include_self);
        let dense = Dense::from_fn(n_pre, n_post, |i, j| {
            if include_self || i != j {
                0.25_f64
            } else {
                0.0
            }
        });
        for _ in 0..10 {
            let spikes: Vec<bool> = (0..n_pre).map(|_| rng.chance(30)).collect();
            let x: Vec<f64> = (0..n_pre).map(|_| rng.below(5) as f64 / 2.0).collect();
            let run = |c: &dyn Comm<f64>| {
                let (mut a, mut b) = (vec![1.0; n_post], vec![1.0; n_post]);
                c.add_events(&spikes, &mut a);
                c.add_values(&x, &mut b);
                (a, b)
            };
            assert_eq!(run(&all), run(&sparse));
            assert_eq!(run(&dense), run(&sparse));
        }
    }
}

#[test]
fn one_to_one_weights_each_pair() {
    let comm = OneToOne::new(3, Weights::PerSynapse(vec![1.0_f64, 2.0, 4.0])).unwrap();
    let mut out = vec![0.5; 3];
    comm.add_events(&[true, false, true], &mut out);
    assert_eq!(out, [1.5, 0.5, 4.5]);
    comm.add_values(&[1.0, 1.0, 0.5], &mut out);
    assert_eq!(out, [2.5, 2.5, 6.5]);
    assert!(OneToOne::new(3, Weights::PerSynapse(vec![1.0_f64])).is_err());
}

#[test]
#[should_panic(expected = "presynaptic slice")]
fn a_spike_vector_of_the_wrong_length_panics() {
    let syn = Synapses::homogeneous(Csr::one_to_one(3).unwrap(), 1.0_f64);
    syn.add_events(&[true; 4], &mut [0.0; 3]);
}

#[test]
fn align_post_adds_a_current_formed_from_zero() {
    // BrainPy's kernel zeroes the current, adds the weights, then `g += current`. Near 1e16 the
    // spacing of f64 is 2: adding 1 twice to g would leave it unchanged; adding 2 once does not.
    let syn = Synapses::homogeneous(Csr::from_csr(2, 1, &[0, 1, 2], &[0, 0]).unwrap(), 1.0_f64);
    let mut proj = AlignPost::new(syn, 0);
    let mut g = [1e16];
    proj.deliver(&[true, true], &mut g);
    assert_eq!(g[0], 1e16 + 2.0);
    assert_eq!(proj.receive(&[true, true]), &[2.0]);
    // After a `receive`, `deliver` starts again from zero.
    proj.deliver(&[true, true], &mut g);
    assert_eq!(g[0], 1e16 + 4.0);
}

#[test]
fn align_post_delays_spikes_by_whole_steps() {
    let syn = Synapses::homogeneous(Csr::one_to_one(1).unwrap(), 1.0_f64);
    for delay in [0, 1, 4] {
        let mut proj = AlignPost::new(syn.clone(), delay);
        let mut arrivals = Vec::new();
        for k in 0..12 {
            let mut g = [0.0];
            proj.deliver(&[k == 3], &mut g);
            if g[0] > 0.0 {
                arrivals.push(k);
            }
        }
        assert_eq!(arrivals, [3 + delay]);
    }
}

#[test]
fn synaptic_delays_equal_to_one_projection_delay_deliver_the_same_bits() {
    let mut rng = Lcg(21);
    let (n_pre, n_post) = (50, 40);
    let (pre, post, _) = random_coo(&mut rng, n_pre, n_post, 400);
    // Weights that round, so that the order of the sums shows.
    let w: Vec<f64> = (0..pre.len())
        .map(|_| 0.1 + rng.below(1000) as f64 / 3.0e3)
        .collect();
    let syn = Synapses::from_coo(n_pre, n_post, &pre, &post, &w).unwrap();
    for d in [0_u16, 2, 5] {
        let mut uniform = AlignPost::new(syn.clone(), usize::from(d));
        let n = syn.csr().n_synapses();
        let mut per_synapse = SynapticDelays::new(syn.clone(), vec![d; n]).unwrap();
        let (mut g1, mut g2) = (vec![0.0; n_post], vec![0.0; n_post]);
        for _ in 0..40 {
            let spikes: Vec<bool> = (0..n_pre).map(|_| rng.chance(20)).collect();
            uniform.deliver(&spikes, &mut g1);
            per_synapse.deliver(&spikes, &mut g2);
            assert_eq!(g1, g2);
            for g in g1.iter_mut().chain(&mut g2) {
                *g *= 0.9;
            }
        }
    }
}

#[test]
fn each_synapse_delivers_after_its_own_delay() {
    // Neuron 0 reaches neurons 0, 1, 2 with delays 0, 3, 1.
    let syn = Synapses::per_synapse(
        Csr::from_csr(1, 3, &[0, 3], &[0, 1, 2]).unwrap(),
        vec![1.0_f64, 2.0, 4.0],
    )
    .unwrap();
    let mut proj = SynapticDelays::from_fn(syn, |s, _, _| [0, 3, 1][s]).unwrap();
    assert_eq!(proj.delays(), &[0, 3, 1]);
    let mut g = vec![0.0; 3];
    let mut trace = Vec::new();
    for k in 0..6 {
        proj.deliver(&[k == 1], &mut g);
        trace.push(g.clone());
    }
    assert_eq!(trace[0], [0.0, 0.0, 0.0]);
    assert_eq!(trace[1], [1.0, 0.0, 0.0]);
    assert_eq!(trace[2], [1.0, 0.0, 4.0]);
    assert_eq!(trace[3], [1.0, 0.0, 4.0]);
    assert_eq!(trace[4], [1.0, 2.0, 4.0]);
    assert_eq!(trace[5], [1.0, 2.0, 4.0]);
    let too_long = Synapses::homogeneous(Csr::one_to_one(1).unwrap(), 1.0_f64);
    assert!(SynapticDelays::<f64, f64>::from_fn(too_long, |_, _, _| 70_000).is_err());
}

#[test]
fn align_pre_carries_per_source_values_late() {
    // Sources 0 and 1 reach target 0 with weights 1 and 2; source 1 reaches target 1 with 2.
    let syn = Synapses::per_synapse(
        Csr::from_csr(2, 2, &[0, 1, 3], &[0, 0, 1]).unwrap(),
        vec![1.0_f64, 2.0, 2.0],
    )
    .unwrap();
    let mut proj = AlignPre::new(syn, 1);
    assert_eq!(proj.deliver(&[1.0, 0.5]), &[0.0, 0.0]);
    assert_eq!(proj.deliver(&[4.0, 4.0]), &[2.0, 1.0]);
    assert_eq!(proj.conductance(), &[2.0, 1.0]);
    assert_eq!(proj.deliver(&[0.0, 0.0]), &[12.0, 8.0]);
}

#[test]
fn footprint_counts_bytes_per_synapse_and_per_row() {
    let csr = Csr::all_to_all(100, 80, true).unwrap();
    let n = csr.n_synapses();
    let homogeneous = Synapses::homogeneous(csr.clone(), 0.5_f64).footprint();
    assert_eq!(homogeneous.per_synapse_bytes, 4 * n);
    assert_eq!(homogeneous.per_row_bytes, size_of::<usize>() * 101);
    let f32s = Synapses::per_synapse(csr.clone(), vec![0.5_f32; n])
        .unwrap()
        .footprint();
    assert_eq!(f32s.per_synapse_bytes, 8 * n);
    assert_eq!(f32s.bytes_per_synapse(), 8.0);
    let f64s = Synapses::per_synapse(csr.clone(), vec![0.5_f64; n]).unwrap();
    assert_eq!(f64s.footprint().per_synapse_bytes, 12 * n);
    let delayed = SynapticDelays::<f32, f64>::new(
        Synapses::per_synapse(csr, vec![0.5_f32; n]).unwrap(),
        vec![1; n],
    )
    .unwrap();
    assert_eq!(delayed.footprint().per_synapse_bytes, 10 * n);
}

#[test]
fn spike_events_from_steps_and_from_a_raster() {
    let raster = [
        vec![false, true, false],
        vec![false, false, false],
        vec![true, false, true],
    ];
    let events = SpikeEvents::from_raster(raster.iter().map(Vec::as_slice));
    assert_eq!(events.iter().collect::<Vec<_>>(), [(0, 1), (2, 0), (2, 2)]);
    assert_eq!(events.counts(3), [1, 1, 1]);
    let mut recorded = SpikeEvents::with_capacity(4);
    for (k, row) in raster.iter().enumerate() {
        recorded.record(k as u64, row);
    }
    assert_eq!(recorded, events);
    // 3 spikes of 3 neurons over 3 steps of 0.1 ms: 1 spike per neuron in 0.3 ms.
    assert!((events.rate_hz(3, 3, 0.1) - 1.0 / 0.3e-3).abs() < 1e-9);
}
