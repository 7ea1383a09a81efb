//! Long runs with bounded memory: `record_every(n)` keeps steps 0, n, 2n, … of the outputs,
//! monitors and times (the model still takes every step), and observers see every step without
//! recording anything.

mod common;

use common::{Affine, BatchLeaky, Growth, Leaky};
use looptime::nalgebra::{SMatrix, SVector};
use looptime::{LoopError, LoopOverTime, Observer, ObserverError, Step};

fn full_and_strided(every: usize, steps: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let inputs: Vec<f64> = (0..steps).map(|k| (k % 7) as f64).collect();
    let mut full = LoopOverTime::new(Leaky::new(1.0, 5.0)).monitor("x", |m: &Leaky| m.x);
    let f = full
        .run_inputs(&inputs)
        .map_err(LoopError::without_history)
        .unwrap();
    let mut strided = LoopOverTime::new(Leaky::new(1.0, 5.0))
        .monitor("x", |m: &Leaky| m.x)
        .record_every(every);
    let s = strided
        .run_inputs(&inputs)
        .map_err(LoopError::without_history)
        .unwrap();
    assert_eq!(s.steps, steps, "every step is taken");
    assert_eq!(s.record_every, every);
    assert_eq!(
        strided.target().x,
        full.target().x,
        "the model ends in the same state"
    );
    let expected: Vec<f64> = f.outputs.iter().step_by(every).copied().collect();
    let expected_times: Vec<f64> = f.times.unwrap().into_iter().step_by(every).collect();
    let times = s.times.clone().unwrap();
    assert_eq!(
        s.monitors.0.values, expected,
        "monitors are strided like the outputs"
    );
    (s.outputs.values, expected, times, expected_times)
}

#[test]
fn record_every_keeps_steps_zero_n_two_n() {
    let (got, expected, times, expected_times) = full_and_strided(10, 100);
    assert_eq!(got.len(), 10);
    assert_eq!(got, expected);
    assert_eq!(times, expected_times);
    assert_eq!(times[1], 10.0 * 0.1);
}

#[test]
fn record_every_keeps_the_first_step_of_an_unfinished_stride() {
    // Steps 0, 3, 6, 9 of 10.
    let (got, expected, times, _) = full_and_strided(3, 10);
    assert_eq!(got.len(), 4);
    assert_eq!(got, expected);
    assert_eq!(times.len(), 4);
    let (got, _, _, _) = full_and_strided(1, 10);
    assert_eq!(got.len(), 10);
    let (got, _, _, _) = full_and_strided(50, 10);
    assert_eq!(got.len(), 1, "a stride longer than the run keeps step 0");
}

#[test]
fn record_every_zero_is_refused() {
    let mut run = LoopOverTime::new(Leaky::new(1.0, 5.0)).record_every(0);
    let err = run
        .run_steps(5)
        .map_err(LoopError::without_history)
        .unwrap_err();
    assert!(matches!(err, LoopError::InvalidRecordEvery), "{err:?}");
    assert!(err.to_string().contains("at least 1"));
}

#[test]
fn record_every_strides_batch_first_runs() {
    let sequences: Vec<Vec<SVector<f64, 2>>> = (0..3)
        .map(|b| {
            (0..9)
                .map(|k| SVector::<f64, 2>::new(b as f64, k as f64))
                .collect()
        })
        .collect();
    let mut full =
        LoopOverTime::new(BatchLeaky::<2, 3>::new()).monitor("x", |m: &BatchLeaky<2, 3>| m.x);
    let f = full
        .run_inputs_batch_first(&sequences)
        .map_err(LoopError::without_history)
        .unwrap();
    let mut strided = LoopOverTime::new(BatchLeaky::<2, 3>::new())
        .monitor("x", |m: &BatchLeaky<2, 3>| m.x)
        .record_every(4);
    let s = strided
        .run_inputs_batch_first(&sequences)
        .map_err(LoopError::without_history)
        .unwrap();
    for b in 0..3 {
        let expected: Vec<_> = f.outputs.values[b].iter().step_by(4).copied().collect();
        assert_eq!(s.outputs.values[b], expected);
        let expected: Vec<_> = f.monitors.0.values[b].iter().step_by(4).copied().collect();
        assert_eq!(s.monitors.0.values[b], expected);
    }
    assert_eq!(s.outputs.values[0].len(), 3);
}

#[test]
fn record_every_strides_no_state_runs() {
    let layer = Affine::<2, 1, 1>::new(
        SMatrix::<f64, 1, 2>::new(1.0, -2.0),
        SVector::<f64, 1>::new(0.5),
    );
    let xs: Vec<SMatrix<f64, 2, 1>> = (0..7)
        .map(|k| SMatrix::<f64, 2, 1>::new(k as f64, 1.0))
        .collect();
    let mut run = LoopOverTime::new(layer).no_state(true).record_every(2);
    let h = run
        .run_inputs(&xs)
        .map_err(LoopError::without_history)
        .unwrap();
    let expected: Vec<f64> = [0, 2, 4, 6].iter().map(|&k| k as f64 - 2.0 + 0.5).collect();
    let got: Vec<f64> = h.outputs.iter().map(|y| y[0]).collect();
    assert_eq!(got, expected);
    assert_eq!(h.times.unwrap(), vec![0.0, 0.2, 0.4, 0.6000000000000001]);
    assert_eq!(
        run.current_t0(),
        Some(7.0 * 0.1),
        "the timeline moves by every step"
    );
}

/// Remembers what it was shown.
#[derive(Default)]
struct Log {
    started: Vec<usize>,
    seen: Vec<(usize, Option<f64>, f64)>,
    finished: usize,
}

impl Observer<Leaky> for Log {
    fn start(&mut self, steps: usize) {
        self.started.push(steps);
    }
    fn observe(&mut self, model: &Leaky, step: &Step) -> Result<(), ObserverError> {
        assert_eq!(step.steps, *self.started.last().unwrap());
        self.seen.push((step.k, step.t, model.x));
        Ok(())
    }
    fn finish(&mut self) -> Result<(), ObserverError> {
        self.finished += 1;
        Ok(())
    }
}

#[test]
fn observers_see_every_step_even_when_recording_is_strided() {
    let mut run = LoopOverTime::new(Leaky::new(1.0, 5.0))
        .t0(2.0)
        .record_every(5)
        .observe(Log::default());
    let h = run
        .run_inputs(&[3.0; 12])
        .map_err(LoopError::without_history)
        .unwrap();
    let (log,) = run.observers();
    assert_eq!(log.started, [12]);
    assert_eq!(log.finished, 1);
    assert_eq!(log.seen.len(), 12);
    for (k, (step, t, x)) in log.seen.iter().enumerate() {
        assert_eq!(*step, k);
        assert_eq!(*t, Some(2.0 + k as f64 * 0.1));
        let exact = Leaky::exact(1.0, 5.0, 3.0, (k + 1) as f64 * 0.1);
        assert!((x - exact).abs() < 1e-12, "step {k}: {x} vs {exact}");
    }
    // What was recorded is what the observer saw at steps 0, 5, 10.
    let seen: Vec<f64> = log.seen.iter().step_by(5).map(|s| s.2).collect();
    assert_eq!(h.outputs.values, seen);
}

#[test]
fn closure_observers_run_in_order_and_after_a_divergence_finish_is_still_called() {
    let mut order = Vec::new();
    {
        let mut run = LoopOverTime::new(Leaky::new(1.0, 5.0))
            .observe_with(|_: &Leaky, s: &Step| order.push(("first", s.k)))
            .observe_with(|_: &Leaky, _: &Step| {});
        run.run_steps(2)
            .map_err(LoopError::without_history)
            .unwrap();
    }
    assert_eq!(order, [("first", 0), ("first", 1)]);

    struct Finishes(usize, usize);
    impl<const N: usize> Observer<Growth<N>> for Finishes {
        fn observe(&mut self, _: &Growth<N>, _: &Step) -> Result<(), ObserverError> {
            self.0 += 1;
            Ok(())
        }
        fn finish(&mut self) -> Result<(), ObserverError> {
            self.1 += 1;
            Ok(())
        }
    }
    let mut run = LoopOverTime::new(Growth::<3>::new(SVector::from_element(1.0), 1e80))
        .check_finite(true)
        .observe(Finishes(0, 0));
    let err = run
        .run_steps(50)
        .map_err(LoopError::without_history)
        .unwrap_err();
    let LoopError::Diverged { at, .. } = err else {
        panic!("expected a divergence")
    };
    let (obs,) = run.observers();
    assert_eq!(
        obs.0,
        at.step + 1,
        "observers saw every step up to the divergence"
    );
    assert_eq!(obs.1, 1, "finish runs after a divergence too");
}

#[cfg(feature = "progress")]
#[test]
fn a_progress_bar_follows_the_steps_without_changing_the_run() {
    use looptime::progress::Progress;
    let mut plain = LoopOverTime::new(Leaky::new(1.0, 5.0));
    let expected = plain
        .run_steps(1000)
        .map_err(LoopError::without_history)
        .unwrap();
    // Hidden: tests never draw a bar.
    let mut run = LoopOverTime::new(Leaky::new(1.0, 5.0)).observe(Progress::hidden("test"));
    let h = run
        .run_steps(1000)
        .map_err(LoopError::without_history)
        .unwrap();
    assert_eq!(h.outputs.values, expected.outputs.values);
    assert_eq!(run.observers().0.position(), 1000);
}
