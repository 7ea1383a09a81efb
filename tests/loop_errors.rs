//! Every way a loop can refuse to run, or stop, returns its typed [`LoopError`] with a message
//! that says what to do: bad dt, t0, i0 or duration, unequal inputs, a model that needs `t`/`i`
//! the loop does not generate, and divergence (with the partial history).

mod common;

use common::{Composite, Growth, Leaky, Recorder, SqrtOfCountdown, Sum2};
use looptime::nalgebra::SVector;
use looptime::{ClockError, Layout, LoopError, LoopOverTime, Needs};

fn recorder() -> Recorder<()> {
    Recorder::new()
}

const BAD_NUMBERS: [f64; 6] = [0.0, -0.0, -0.1, f64::NAN, f64::INFINITY, f64::NEG_INFINITY];

fn same(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

#[test]
fn a_dt_that_is_not_positive_and_finite_is_refused_by_every_run() {
    for dt in BAD_NUMBERS {
        let mut run = LoopOverTime::new(recorder()).dt(dt);
        for err in [
            run.run_duration(1.0).unwrap_err(),
            run.run_steps(3).unwrap_err(),
            run.run_inputs(&[1.0, 2.0][..]).unwrap_err(),
            // Even a run of no step: its dt is still wrong.
            run.run_steps(0).unwrap_err(),
        ] {
            assert!(
                matches!(err, LoopError::Clock(ClockError::InvalidDt(got)) if same(got, dt)),
                "{dt}: {err:?}"
            );
        }
        let err = run.run_inputs_batch_first(&[[1.0, 2.0]]).unwrap_err();
        assert!(
            matches!(err, LoopError::Clock(ClockError::InvalidDt(got)) if same(got, dt)),
            "{dt}: {err:?}"
        );
        assert_eq!(run.target().calls, 0, "nothing ran");
        assert_eq!(run.clock().steps_done(), 0);
    }
    let message = LoopError::<()>::from(ClockError::InvalidDt(-0.1)).to_string();
    assert_eq!(message, "dt must be positive and finite, got -0.1");
}

#[test]
fn a_duration_that_is_negative_or_not_finite_is_refused() {
    for duration in [-0.1, -1e300, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut run = LoopOverTime::new(recorder());
        let err = run.run_duration(duration).unwrap_err();
        assert!(
            matches!(err, LoopError::InvalidDuration(got) if same(got, duration)),
            "{duration}: {err:?}"
        );
        assert!(err.to_string().contains("finite and not negative"));
        assert_eq!(run.target().calls, 0);
        assert_eq!(run.current_i0(), Some(0));
    }
}

#[test]
fn zero_steps_return_an_empty_history_and_leave_the_clock_where_it_was() {
    // docs/MODELS.md: an empty input sequence, a duration of 0 or `run_steps(0)` is not an error (as
    // JAX's `scan` and BrainPy's `for_loop` over no inputs): an empty history, the clock kept.
    let mut run = LoopOverTime::new(recorder()).monitor("calls", |m: &Recorder<()>| m.calls);
    run.run_steps(3)
        .map_err(LoopError::without_history)
        .unwrap();
    let (t, i) = (run.current_t0(), run.current_i0());
    assert_eq!((t, i), (Some(0.1 * 3.0), Some(3)));
    let empty: Vec<f64> = Vec::new();
    let no_array: [f64; 0] = [];
    let histories = [
        run.run_inputs(&empty[..]),
        run.run_inputs(&empty),
        run.run_inputs(&no_array),
        run.run_steps(0),
        run.run_duration(0.0),
        run.run_duration(-0.0),
    ];
    for h in histories {
        let h = h.map_err(LoopError::without_history).unwrap();
        assert_eq!(h.steps, 0);
        assert_eq!(h.times, Some(Vec::new()));
        assert_eq!(h.indices, Some(Vec::new()));
        assert!(h.outputs.is_empty() && h.monitors.0.is_empty());
        assert_eq!(h.layout, Layout::TimeFirst);
    }
    assert_eq!(run.target().calls, 3, "no step ran");
    assert_eq!((run.current_t0(), run.current_i0()), (t, i));
    // And the timeline goes on from there.
    let h = run
        .run_steps(1)
        .map_err(LoopError::without_history)
        .unwrap();
    assert_eq!(h.indices, Some(vec![3]));

    let mut batch_first = LoopOverTime::new(recorder()).t0(1.0);
    let zero_length: [Vec<f64>; 1] = [Vec::new()];
    let h = batch_first
        .run_inputs_batch_first(&zero_length)
        .map_err(LoopError::without_history)
        .unwrap();
    assert_eq!((h.steps, h.outputs.values.len()), (0, 1));
    assert!(h.outputs.values[0].is_empty());
    assert_eq!(batch_first.target().calls, 0);
    assert_eq!(batch_first.current_t0(), Some(1.0));
}

#[test]
fn empty_tuple_inputs_run_no_step() {
    let mut run = LoopOverTime::new(Sum2::default());
    let a: [f64; 0] = [];
    let b: [SVector<f64, 2>; 0] = [];
    let h = run
        .run_inputs((&a, &b))
        .map_err(LoopError::without_history)
        .unwrap();
    assert_eq!(h.steps, 0);
}

#[test]
fn batch_first_inputs_with_no_sequences_are_a_batch_mismatch() {
    let mut run = LoopOverTime::new(recorder());
    let no_sequences: [Vec<f64>; 0] = [];
    assert!(matches!(
        run.run_inputs_batch_first(&no_sequences),
        Err(LoopError::BatchMismatch {
            expected: 1,
            found: 0
        })
    ));
    assert_eq!(run.target().calls, 0);
}

#[test]
fn tuple_inputs_of_unequal_lengths_are_refused() {
    let mut run = LoopOverTime::new(Sum2::default());
    let a = [1.0, 2.0, 3.0];
    let b = [SVector::<f64, 2>::new(1.0, 1.0); 2];
    let err = run.run_inputs((&a, &b)).unwrap_err();
    assert!(
        matches!(
            err,
            LoopError::UnequalLengths {
                expected: 3,
                index: 1,
                found: 2
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the inputs have unequal lengths: input 1 has 2 steps, input 0 has 3"
    );
    assert_eq!(run.target().total, 0.0, "nothing ran");
    // Equal lengths run side by side.
    let b = [SVector::<f64, 2>::new(1.0, 0.5); 3];
    assert_eq!(
        run.run_inputs((&a, &b)).unwrap().outputs.values,
        vec![2.5, 6.0, 10.5]
    );
}

#[test]
fn batch_first_sequences_of_unequal_lengths_are_refused() {
    let mut run = LoopOverTime::new(recorder());
    let seqs = [vec![1.0, 2.0]];
    assert!(run.run_inputs_batch_first(&seqs).is_ok());
    // A batch of one cannot have unequal sequences; use a wider system.
    let mut run = LoopOverTime::new(common::BatchLeaky::<1, 3>::new());
    let s = |n: usize| vec![SVector::<f64, 1>::new(1.0); n];
    let err = run.run_inputs_batch_first(&[s(4), s(4), s(5)]).unwrap_err();
    assert!(
        matches!(
            err,
            LoopError::UnequalLengths {
                expected: 4,
                index: 2,
                found: 5
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_model_that_needs_t_cannot_run_without_t0() {
    let mut run = LoopOverTime::new(Recorder::<()>::needing(Needs::T)).t0(None);
    assert!(matches!(run.run_duration(1.0), Err(LoopError::NeedsTime)));
    assert!(matches!(run.run_steps(2), Err(LoopError::NeedsTime)));
    assert!(matches!(
        run.run_inputs(&[1.0][..]),
        Err(LoopError::NeedsTime)
    ));
    assert!(matches!(
        run.run_inputs_batch_first(&[[1.0]]),
        Err(LoopError::NeedsTime)
    ));
    assert_eq!(run.target().calls, 0, "nothing ran");
    let message = LoopError::<()>::NeedsTime.to_string();
    assert!(message.contains("set t0"), "{message}");
    // It runs with t0, even when i0 is None.
    let mut run = LoopOverTime::new(Recorder::<()>::needing(Needs::T)).i0(None);
    assert_eq!(run.run_steps(2).unwrap().steps, 2);
}

#[test]
fn a_model_that_needs_i_cannot_run_without_i0() {
    let mut run = LoopOverTime::new(Recorder::<()>::needing(Needs::I)).i0(None);
    assert!(matches!(run.run_duration(1.0), Err(LoopError::NeedsIndex)));
    assert!(matches!(run.run_steps(2), Err(LoopError::NeedsIndex)));
    assert!(matches!(
        run.run_inputs(&[1.0][..]),
        Err(LoopError::NeedsIndex)
    ));
    assert!(matches!(
        run.run_inputs_batch_first(&[[1.0]]),
        Err(LoopError::NeedsIndex)
    ));
    assert!(LoopError::<()>::NeedsIndex.to_string().contains("set i0"));
    let mut run = LoopOverTime::new(Recorder::<()>::needing(Needs::I)).t0(None);
    assert_eq!(run.run_steps(2).unwrap().steps, 2);
}

#[test]
fn needs_of_a_nested_child_are_checked() {
    let both = Needs::T.union(Needs::I);
    assert_eq!(both, Needs { t: true, i: true });
    let model = Composite::<Recorder<()>>::new(Recorder::needing(both));
    let mut run = LoopOverTime::new(model).t0(None).i0(None);
    assert!(matches!(run.run_steps(1), Err(LoopError::NeedsTime)));
    let model = Composite::<Recorder<()>>::new(Recorder::needing(both));
    let mut run = LoopOverTime::new(model).i0(None);
    assert!(matches!(run.run_steps(1), Err(LoopError::NeedsIndex)));
    assert!(run.target().child.seen.is_empty());
}

/// `x[1]` starts at 1e300 and is multiplied by 10 each step: 1e(301 + k) after step k, which
/// overflows to +inf at step 8 (f64::MAX is 1.8e308).
fn exploding() -> Growth<3> {
    Growth::new(SVector::<f64, 3>::new(1.0, 1e300, 2.0), 10.0)
}

const DIVERGED_STEP: usize = 8;

#[test]
fn divergence_names_the_variable_element_step_and_time_and_keeps_the_history() {
    let dt = 0.1;
    let mut run = LoopOverTime::new(exploding())
        .dt(dt)
        .check_finite(true)
        .monitor("x", |m| m.x);
    let err = run.run_steps(100).unwrap_err();
    let LoopError::Diverged { at, partial } = err else {
        panic!("expected Diverged, got {err:?}");
    };
    assert_eq!(at.variable, "x");
    assert_eq!(at.element, 1);
    assert_eq!(at.value, f64::INFINITY);
    assert_eq!(at.step, DIVERGED_STEP);
    assert_eq!(at.t, Some(0.0 + DIVERGED_STEP as f64 * dt));
    assert_eq!(at.i, Some(DIVERGED_STEP as u64));

    // The partial history holds every step up to and including the bad one.
    assert_eq!(partial.steps, DIVERGED_STEP + 1);
    assert_eq!(partial.outputs.len(), DIVERGED_STEP + 1);
    assert_eq!(partial.times.as_ref().unwrap().len(), DIVERGED_STEP + 1);
    assert_eq!(partial.indices.as_ref().unwrap().len(), DIVERGED_STEP + 1);
    let (x,) = &partial.monitors;
    assert_eq!(x.len(), DIVERGED_STEP + 1);
    assert_eq!(x[DIVERGED_STEP][1], f64::INFINITY);
    assert!(x[DIVERGED_STEP - 1][1].is_finite());
    assert_eq!(x[DIVERGED_STEP][0], 1e9, "other elements are recorded too");

    // The timeline moved on by the steps that ran, and the system stopped there.
    assert_eq!(
        run.current_t0(),
        Some(0.0 + (DIVERGED_STEP + 1) as f64 * dt)
    );
    assert_eq!(run.current_i0(), Some(DIVERGED_STEP as u64 + 1));
    assert_eq!(run.target().x[0], 1e9);
}

#[test]
fn divergence_message_says_where_when_and_what_to_do() {
    let err = LoopOverTime::new(exploding())
        .check_finite(true)
        .run_steps(20)
        .unwrap_err();
    let message = err.to_string();
    assert_eq!(
        message,
        "state `x` diverged: element 1 is inf after step 8 (t = 0.8); try a smaller dt or check the parameters"
    );
    // Debug shows the place, not the (possibly huge) history.
    let debug = format!("{err:?}");
    assert!(
        debug.starts_with("Diverged") && debug.contains("step: 8"),
        "{debug}"
    );
    assert!(!debug.contains("outputs"), "{debug}");
}

#[test]
fn divergence_in_a_child_names_the_child_path() {
    let model = Composite::<Growth<3>>::new(exploding());
    let err = LoopOverTime::new(model)
        .check_finite(true)
        .run_steps(50)
        .unwrap_err();
    let LoopError::Diverged { at, partial } = err else {
        panic!("expected Diverged");
    };
    assert_eq!(at.variable, "child.x");
    assert_eq!((at.element, at.step), (1, DIVERGED_STEP));
    assert_eq!(partial.steps, DIVERGED_STEP + 1);

    let model = Composite::<Composite<Growth<3>>>::new(Composite::new(exploding()));
    let err = LoopOverTime::new(model)
        .check_finite(true)
        .run_steps(50)
        .unwrap_err();
    let at = match err {
        LoopError::Diverged { at, .. } => at,
        other => panic!("expected Diverged, got {other:?}"),
    };
    assert_eq!(at.variable, "child.child.x");
    assert!(at.to_string().contains("`child.child.x`"));
}

#[test]
fn divergence_to_nan_is_caught_and_flags_are_never_bad() {
    // y = 2.5 - (k + 1) after step k: negative at k = 2, where z = sqrt(y) is NaN.
    let model = SqrtOfCountdown {
        y: 2.5,
        z: 0.0,
        flag: false,
    };
    let err = LoopOverTime::new(model)
        .t0(None)
        .check_finite(true)
        .run_steps(10)
        .unwrap_err();
    let LoopError::Diverged { at, partial } = err else {
        panic!("expected Diverged");
    };
    assert_eq!((at.variable.as_str(), at.element, at.step), ("z", 0, 2));
    assert!(at.value.is_nan());
    assert_eq!(at.t, None);
    assert_eq!(at.i, Some(2));
    assert_eq!(partial.times, None);
    assert!(!at.to_string().contains("t ="), "no time without t0");
}

#[test]
fn without_the_check_a_diverging_run_completes() {
    let mut run = LoopOverTime::new(exploding()).monitor("x", |m| m.x);
    let h = run.run_steps(20).unwrap();
    assert_eq!(h.steps, 20);
    assert_eq!(h.monitors.0[19][1], f64::INFINITY);
}

#[test]
fn a_finite_run_with_the_check_on_is_unchanged() {
    let xs = [1.0, 2.0, 3.0, -4.0];
    let checked = LoopOverTime::new(Leaky::new(0.5, 2.0))
        .check_finite(true)
        .run_inputs(&xs)
        .unwrap();
    let unchecked = LoopOverTime::new(Leaky::new(0.5, 2.0))
        .run_inputs(&xs)
        .unwrap();
    assert_eq!(checked, unchecked);
}

#[test]
fn divergence_in_a_batch_first_run_keeps_a_batch_first_history() {
    let err = LoopOverTime::new(exploding())
        .check_finite(true)
        .monitor("x", |m| m.x)
        .run_inputs_batch_first(&[vec![0.0; 30]])
        .unwrap_err();
    let LoopError::Diverged { at, partial } = err else {
        panic!("expected Diverged");
    };
    assert_eq!(at.step, DIVERGED_STEP);
    assert_eq!(partial.layout, Layout::BatchFirst);
    assert_eq!(partial.outputs.values.len(), 1);
    assert_eq!(partial.outputs.values[0].len(), DIVERGED_STEP + 1);
    assert_eq!(partial.monitors.0.values[0].len(), DIVERGED_STEP + 1);
}

/// What a user's function does: drop the history and let `?` box the error.
fn steps_until_divergence() -> Result<usize, Box<dyn std::error::Error>> {
    let history = LoopOverTime::new(exploding())
        .check_finite(true)
        .run_steps(20)
        .map_err(LoopError::without_history)?;
    Ok(history.steps)
}

#[test]
fn the_partial_history_can_be_dropped_or_mapped() {
    let err = LoopOverTime::new(exploding())
        .check_finite(true)
        .run_steps(20)
        .unwrap_err();
    let steps = err.map_partial(|h| h.steps);
    assert!(matches!(&steps, LoopError::Diverged { partial, .. } if **partial == 9));
    let bare: LoopError = steps.without_history();
    assert!(matches!(&bare, LoopError::Diverged { at, .. } if at.step == DIVERGED_STEP));
    // A bare error is a std error, so `?` works into Box<dyn Error>.
    let boxed = steps_until_divergence().unwrap_err();
    assert_eq!(boxed.to_string(), bare.to_string());
    let other = LoopError::<Vec<f64>>::UnequalLengths {
        expected: 3,
        index: 1,
        found: 2,
    }
    .without_history();
    assert!(matches!(
        other,
        LoopError::UnequalLengths {
            expected: 3,
            index: 1,
            found: 2
        }
    ));
}

#[test]
fn the_timeline_continues_after_a_divergence_and_reset_restores_it() {
    let mut run = LoopOverTime::new(exploding()).check_finite(true).t0(2.0);
    assert!(run.run_steps(100).is_err());
    assert_eq!(run.current_t0(), Some(2.0 + 9.0 * 0.1));
    run.reset_state();
    assert_eq!(run.current_t0(), Some(2.0));
    assert_eq!(run.target().x, exploding().x);
    // Resetting gives the same divergence again.
    let LoopError::Diverged { at, .. } = run.run_steps(100).unwrap_err() else {
        panic!("expected Diverged");
    };
    assert_eq!((at.step, at.t), (DIVERGED_STEP, Some(2.0 + 8.0 * 0.1)));
}

#[test]
fn a_run_too_long_to_record_is_refused_instead_of_aborting() {
    let mut run = LoopOverTime::new(Leaky::new(1.0, 10.0)).monitor("x", |m: &Leaky| m.x);
    // 1e300 ms at dt 0.1 is more steps than memory can record.
    let err = run
        .run_duration(1e300)
        .map_err(LoopError::without_history)
        .unwrap_err();
    assert!(matches!(err, LoopError::TooLong { .. }), "{err:?}");
    assert!(err.to_string().contains("shorter pieces"), "{err}");
    let err = run
        .run_steps(usize::MAX)
        .map_err(LoopError::without_history)
        .unwrap_err();
    assert!(
        matches!(err, LoopError::TooLong { steps: usize::MAX }),
        "{err:?}"
    );
    // Nothing ran: the timeline did not move, and a normal run still works.
    assert_eq!(run.current_t0(), Some(0.0));
    assert_eq!(
        run.run_steps(3)
            .map_err(LoopError::without_history)
            .unwrap()
            .steps,
        3
    );
}
