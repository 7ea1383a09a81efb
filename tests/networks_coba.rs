//! COBA written with the DSL (`looptime::networks::CobaNet`: the zoo's `Lif`, `Expon`
//! conductances, `Coba` outputs and typed projections, composed by a `#[dynamical_system]`
//! network) against BrainPy: on BrainPy's connectivity and initial potentials
//! (`tests/reference/coba_seed1`), it fires BrainPy's spikes at every step and neuron for 1000
//! steps in f64, and its V follows BrainPy's.
#![cfg(feature = "npy")]

mod network_support;

use looptime::nalgebra::SVector;
use looptime::network::{SpikeEvents, SpikeMonitor};
use looptime::networks::{CobaNet, EiConnectivity};
use looptime::{DynamicalSystem, LoopOverTime, Shared};
use network_support::coba_reference::{CobaReference, DT, INPUT, NE, NI, STEPS};
use network_support::on_large_stack;

type Net = CobaNet<f64, NE, NI>;
/// The network as the loop holds it.
type Boxed = Box<Net>;

/// The DSL COBA on BrainPy's connectivity and V0.
fn dsl_coba(reference: &CobaReference) -> Boxed {
    let mut net = Box::new(
        Net::benchmark(
            EiConnectivity {
                e2e: reference.e2e.clone(),
                e2i: reference.e2i.clone(),
                i2e: reference.i2e.clone(),
                i2i: reference.i2i.clone(),
            },
            0,
        )
        .unwrap(),
    );
    net.set_v(&reference.e_v0, &reference.i_v0);
    assert_eq!(net.input(), INPUT);
    net
}

#[test]
fn the_dsl_coba_fires_brainpys_spikes_at_every_step() {
    on_large_stack(dsl_coba_fires_brainpys_spikes);
}

fn dsl_coba_fires_brainpys_spikes() {
    let reference = CobaReference::load();
    let mut net = dsl_coba(&reference);
    let (mut e_spikes, mut i_spikes) = (0, 0);
    for k in 0..STEPS {
        net.update(&Shared::at(k as f64 * DT, k as u64, DT, ()), ());
        if let Err(m) = reference.check_step(k, net.e.spike.as_slice(), net.i.spike.as_slice()) {
            panic!("first difference from BrainPy: {m:?}");
        }
        e_spikes += net.e.spike.iter().filter(|&&s| s).count();
        i_spikes += net.i.spike.iter().filter(|&&s| s).count();
    }
    // info.json: 6429 E and 1709 I spikes.
    assert_eq!((e_spikes, i_spikes), (6429, 1709));
}

#[test]
fn in_the_loop_monitors_reach_v_and_spike_events_are_brainpys() {
    on_large_stack(monitors_reach_v_and_spike_events_are_brainpys);
}

fn monitors_reach_v_and_spike_events_are_brainpys() {
    let reference = CobaReference::load();
    let e = SpikeMonitor::new(|net: &Boxed| net.e.spike.as_slice());
    let i = SpikeMonitor::new(|net: &Boxed| net.i.spike.as_slice());
    let mut run = LoopOverTime::new(dsl_coba(&reference))
        .monitor("E.V[0..10]", |net| {
            SVector::<f64, 10>::from_column_slice(&net.e.v.as_slice()[..10])
        })
        .observe(e)
        .observe(i);
    let history = run.run_duration(STEPS as f64 * DT).unwrap();
    let (v,) = &history.monitors;
    let mut worst: f64 = 0.0;
    for k in 0..STEPS {
        for (ours, theirs) in v[k].iter().zip(reference.e_v(k)) {
            worst = worst.max((ours - theirs).abs());
        }
    }
    // MODELS.md: an implementation of these rules agrees with BrainPy to about 1e-10.
    assert!(
        worst <= 1e-10,
        "V of E 0..10 differs from BrainPy's by {worst} mV"
    );
    let (e, i) = run.observers();
    assert_eq!(
        e.events(),
        &SpikeEvents::from_raster((0..STEPS).map(|k| reference.e_spikes(k)))
    );
    assert_eq!(
        i.events(),
        &SpikeEvents::from_raster((0..STEPS).map(|k| reference.i_spikes(k)))
    );
}
