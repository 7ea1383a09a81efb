//! COBA against BrainPy, exactly: an independent plain-Rust COBA (docs/MODELS.md's rules, in
//! `network_support/coba_plain.rs`) on BrainPy's own connectivity — read by the `.npy` loader and
//! delivered by `AlignPost` — and initial potentials fires exactly BrainPy's spikes, every step,
//! every neuron, for 1000 steps in f64 (tests/reference/coba_seed1, see its README.txt). This
//! proves the loader and the delivery order; a COBA on `#[dynamical_system]` reuses the reference.
#![cfg(feature = "npy")]

mod network_support;

use looptime::LoopOverTime;
use looptime::export::{save_spike_csv, spike_csv_string};
use looptime::network::{SpikeEvents, SpikeMonitor};
use network_support::coba_plain::Coba;
use network_support::coba_reference::{CobaReference, INPUT, NE, NI, STEPS};

fn plain(reference: &CobaReference) -> Coba {
    let csrs = [
        reference.e2e.clone(),
        reference.e2i.clone(),
        reference.i2e.clone(),
        reference.i2i.clone(),
    ];
    Coba::new(&reference.e_v0, &reference.i_v0, csrs, INPUT)
}

#[test]
fn the_reference_connectivity_is_brainpys_fixed_prob() {
    let reference = CobaReference::load();
    // FixedProb(0.02): round(0.02 * n_post) targets in every row, as the README describes.
    for (csr, n_pre, per_row) in [
        (&reference.e2e, NE, 64),
        (&reference.e2i, NE, 16),
        (&reference.i2e, NI, 64),
        (&reference.i2i, NI, 16),
    ] {
        assert_eq!(csr.n_pre(), n_pre);
        assert_eq!(csr.n_synapses(), n_pre * per_row);
        assert!((0..n_pre).all(|i| csr.row(i).len() == per_row));
    }
}

#[test]
fn plain_coba_fires_brainpys_spikes_at_every_step() {
    let reference = CobaReference::load();
    let mut net = plain(&reference);
    let (mut e_spikes, mut i_spikes) = (0, 0);
    for k in 0..STEPS {
        net.step();
        if let Err(m) = reference.check_step(k, &net.e.spike, &net.i.spike) {
            panic!("first difference from BrainPy: {m:?}");
        }
        e_spikes += net.e.spike.iter().filter(|&&s| s).count();
        i_spikes += net.i.spike.iter().filter(|&&s| s).count();
    }
    // info.json: 6429 E and 1709 I spikes.
    assert_eq!((e_spikes, i_spikes), (6429, 1709));
}

#[test]
fn plain_coba_follows_brainpys_v() {
    let reference = CobaReference::load();
    let mut net = plain(&reference);
    let mut worst: f64 = 0.0;
    for k in 0..STEPS {
        net.step();
        for (ours, theirs) in net.e.v.iter().zip(reference.e_v(k)) {
            worst = worst.max((ours - theirs).abs());
        }
    }
    // docs/MODELS.md: a correct implementation agrees with BrainPy to about 1e-10.
    assert!(
        worst <= 1e-10,
        "V of E neurons 0..10 differs from BrainPy's by up to {worst} mV"
    );
}

#[test]
fn spike_events_of_the_run_are_the_reference_raster_and_its_csv() {
    let reference = CobaReference::load();
    let mut net = plain(&reference);
    let (mut e, mut i) = (SpikeEvents::new(), SpikeEvents::new());
    for k in 0..STEPS {
        net.step();
        e.record(k as u64, &net.e.spike);
        i.record(k as u64, &net.i.spike);
    }
    let e_ref = SpikeEvents::from_raster((0..STEPS).map(|k| reference.e_spikes(k)));
    let i_ref = SpikeEvents::from_raster((0..STEPS).map(|k| reference.i_spikes(k)));
    assert_eq!((e.len(), i.len()), (6429, 1709));
    assert_eq!(e, e_ref);
    assert_eq!(i, i_ref);

    let csv = spike_csv_string(&[("E", &e), ("I", &i)]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "step,population,neuron");
    assert_eq!(lines.len(), 1 + 6429 + 1709);
    // Rows by step, then E before I, then neuron: the raster read in that order.
    let mut expected = vec!["step,population,neuron".to_string()];
    for k in 0..STEPS {
        for (name, spikes) in [("E", reference.e_spikes(k)), ("I", reference.i_spikes(k))] {
            for (n, _) in spikes.iter().enumerate().filter(|(_, s)| **s) {
                expected.push(format!("{k},{name},{n}"));
            }
        }
    }
    assert_eq!(lines, expected);
}

#[test]
fn a_spike_monitor_on_the_loop_records_brainpys_spikes_and_saves_them() {
    let reference = CobaReference::load();
    let e = SpikeMonitor::new(|net: &Coba| net.e.spike.as_slice());
    let i = SpikeMonitor::new(|net: &Coba| net.i.spike.as_slice());
    let mut run = LoopOverTime::new(plain(&reference)).observe(e).observe(i);
    run.run_duration(STEPS as f64 * 0.1).unwrap();
    let (e, i) = run.observers();
    let e_ref = SpikeEvents::from_raster((0..STEPS).map(|k| reference.e_spikes(k)));
    let i_ref = SpikeEvents::from_raster((0..STEPS).map(|k| reference.i_spikes(k)));
    assert_eq!(e.events(), &e_ref);
    assert_eq!(i.events(), &i_ref);

    let path =
        std::env::temp_dir().join(format!("looptime_coba_spikes_{}.csv", std::process::id()));
    save_spike_csv(&path, &[("E", e.events()), ("I", i.events())]).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(text, spike_csv_string(&[("E", &e_ref), ("I", &i_ref)]));
}
