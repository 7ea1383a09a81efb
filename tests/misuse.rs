//! Misuse that used to give silent wrong results or a panic (issue 14) is now a typed error or a
//! sound default: a non-finite t0, an index past `u64::MAX`, a `Shared` that pretended t = 0, an
//! inconsistent `BrainPyArray`, and a strided history that lost the step that diverged.

mod common;

use common::Growth;
use looptime::layers::{BrainPyArray, WeightError};
use looptime::nalgebra::{SMatrix, SVector};
use looptime::neurons::Lif;
use looptime::prelude::*;
use looptime::{ClockError, Layout};

type Neuron = Lif<f64, 1>;
type X = SMatrix<f64, 1, 1>;

fn refractory_lif() -> Neuron {
    Neuron::builder().tau_ref(2.0).build().unwrap()
}

#[test]
fn a_t0_that_is_nan_or_infinite_is_refused() {
    // Before: accepted, and LIF's refractory period silently vanished (11 spikes instead of 2).
    let xs = vec![X::from_element(400.0); 40];
    for t0 in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut run = LoopOverTime::new(refractory_lif()).t0(t0);
        for err in [
            run.run_inputs(&xs)
                .map_err(LoopError::without_history)
                .unwrap_err(),
            run.run_steps(0)
                .map_err(LoopError::without_history)
                .unwrap_err(),
            run.run_duration(1.0)
                .map_err(LoopError::without_history)
                .unwrap_err(),
        ] {
            assert!(
                matches!(err, LoopError::Clock(ClockError::InvalidT0(got)) if got.to_bits() == t0.to_bits()),
                "{t0}: {err:?}"
            );
            assert!(err.to_string().contains("t0 must be finite"), "{err}");
        }
        assert_eq!(run.target().v[0], 0.0, "no step ran");
    }
    // A finite t0 runs, with the refractory period in force: 2 spikes in 40 steps (the first at
    // step 5, then 20 refractory steps and 6 more to climb back to threshold).
    let mut run = LoopOverTime::new(refractory_lif()).t0(5.0);
    let h = run
        .run_inputs(&xs)
        .map_err(LoopError::without_history)
        .unwrap();
    let spikes = h.outputs.iter().filter(|s| s[0]).count();
    assert_eq!(spikes, 2);
}

#[test]
fn an_index_past_u64_max_is_an_error_not_a_panic() {
    // Before: "attempt to add with overflow" in a debug build.
    let mut run = LoopOverTime::new(refractory_lif()).i0(u64::MAX);
    let h = run
        .run_steps(1)
        .map_err(LoopError::without_history)
        .unwrap();
    assert_eq!(h.indices, Some(vec![u64::MAX]));
    let err = run
        .run_steps(1)
        .map_err(LoopError::without_history)
        .unwrap_err();
    assert!(
        matches!(
            err,
            LoopError::Clock(ClockError::IndexOverflow {
                i0: u64::MAX,
                steps: 2
            })
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("u64::MAX"), "{err}");
    // A run of several steps is refused before its first step.
    let mut run = LoopOverTime::new(refractory_lif()).i0(u64::MAX - 2);
    assert!(run.run_steps(4).is_err());
    assert_eq!(run.clock().steps_done(), 0);
    assert!(run.run_steps(3).is_ok());
    // i0 = None is the way to run on without an index.
    let mut run = LoopOverTime::new(refractory_lif()).i0(None);
    assert!(run.run_steps(3).is_ok());
}

#[test]
fn shared_new_has_no_time_rather_than_a_time_that_never_moves() {
    // Before: t = Some(0.0), so a hand loop that never advanced it gave LIF 1 spike instead of 34.
    let sh = Shared::new(0.1, ());
    assert_eq!((sh.t, sh.i), (None, None));
    assert_eq!((Shared::default().t, Shared::default().i), (None, None));
    let sh = Shared::at(2.5, 7, 0.1, ());
    assert_eq!((sh.t, sh.i, sh.dt), (Some(2.5), Some(7), 0.1));

    // Stepped by hand with `Shared::at` and a moving t, LIF spikes as in a loop.
    let xs = vec![X::from_element(400.0); 300];
    let mut by_hand = refractory_lif();
    let mut hand_spikes = 0;
    for (n, x) in xs.iter().enumerate() {
        let sh = Shared::at(n as f64 * 0.1, n as u64, 0.1, ());
        hand_spikes += usize::from(by_hand.update(&sh, *x)[0]);
    }
    let mut run = LoopOverTime::new(refractory_lif());
    let h = run
        .run_inputs(&xs)
        .map_err(LoopError::without_history)
        .unwrap();
    assert_eq!(hand_spikes, h.outputs.iter().filter(|s| s[0]).count());
    assert_eq!(hand_spikes, 11);
}

#[test]
fn a_brainpy_array_cannot_be_built_inconsistent() {
    // The fields are private: `new` is the only way in, and it checks the size.
    let err = BrainPyArray::new("w", vec![2, 3], vec![0.0; 5]).unwrap_err();
    assert!(matches!(err, WeightError::Length { len: 5, .. }), "{err:?}");
    // A shape whose size does not fit in usize: before, an overflow panic.
    let err = BrainPyArray::new("huge", vec![usize::MAX, 2], vec![]).unwrap_err();
    assert!(err.to_string().contains("more than usize::MAX"), "{err}");
    let a = BrainPyArray::new("w", vec![2, 1], vec![1.0, 2.0]).unwrap();
    assert_eq!(
        (a.source(), a.shape(), a.data()),
        ("w", &[2, 1][..], &[1.0, 2.0][..])
    );
}

#[test]
fn a_strided_history_keeps_the_step_that_diverged() {
    // x1 = 1e301 · 10^(k+1) overflows at step 7, which record_every(2) does not record.
    let exploding = Growth::<3>::new(SVector::<f64, 3>::from([1.0, 1e301, 2.0]), 10.0);
    let mut run = LoopOverTime::new(exploding)
        .check_finite(true)
        .record_every(2)
        .monitor("x1", |m: &Growth<3>| m.x[1]);
    let LoopError::Diverged { at, partial } = run.run_steps(20).unwrap_err() else {
        panic!("expected a divergence");
    };
    assert_eq!(at.step, 7);
    assert_eq!(partial.steps, 8);
    assert_eq!(partial.indices, Some(vec![0, 2, 4, 6, 7]));
    let x1 = &partial.monitors.0.values;
    assert_eq!(x1.len(), 5);
    assert!(
        x1[4].is_infinite(),
        "the last record is the diverged state: {x1:?}"
    );
    assert_eq!(partial.layout, Layout::TimeFirst);
}

/// A step that hands the shared values to a helper, which reads the time (issue 14, item 6).
fn elapsed(sh: &Shared) -> f64 {
    sh.time()
}

#[dynamical_system]
struct UsesTheClock {
    #[state(init = 0.0)]
    last: SVector<f64, 1>,
}

#[dynamical_system]
impl UsesTheClock {
    #[update]
    fn step(&mut self, sh: &Shared) -> f64 {
        self.last[0] = elapsed(sh);
        self.last[0]
    }
}

#[test]
fn a_helper_reading_the_time_without_one_is_a_typed_error_not_a_panic() {
    // `sh` handed on whole might be read anywhere: the model says it needs `t` (and `i`).
    let mut run = LoopOverTime::new(UsesTheClock::new()).t0(None);
    assert!(matches!(run.run_steps(3), Err(LoopError::NeedsTime)));
    let mut run = LoopOverTime::new(UsesTheClock::new());
    let history = run.run_steps(3).unwrap();
    assert_eq!(history.outputs.values, [0.0, 0.1, 0.2]);
}
