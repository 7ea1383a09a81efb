//! Step counts of runs over a duration, and the time `t` and index `i` of every step: exact
//! (`t0 + k * dt`), continued across calls, rewound by `reset_state`, absent when `t0`/`i0` are
//! `None`.

mod common;

use common::{Composite, Leaky, Recorder};
use looptime::{DEFAULT_DT, LoopOverTime, Needs, Shared, steps_for_duration};

fn recorder() -> Recorder<()> {
    Recorder::new()
}

#[test]
fn duration_step_counts_follow_ceil_with_integer_tolerance() {
    // (duration, dt, steps): quotients within 1e-9 of an integer are that integer, others round up.
    let cases = [
        (100.0, 0.1, 1000), // 1000.0000000000001 in floating point
        (1.0, 0.3, 4),      // 3.33… -> 4
        (0.3, 0.1, 3),      // 2.9999999999999996
        (0.7, 0.1, 7),      // 6.999999999999999
        (1.05, 0.1, 11),    // 10.5 -> 11
        (0.05, 0.1, 1),     // 0.5 -> 1
        (1.0, 0.25, 4),
        (10.0, 0.01, 1000),
        (2.5, 1.0, 3),
        (3.0, 1.0, 3),
    ];
    for (duration, dt, steps) in cases {
        assert_eq!(steps_for_duration(duration, dt), steps, "{duration} / {dt}");
        let mut run = LoopOverTime::new(recorder()).dt(dt);
        let h = run.run_duration(duration).unwrap();
        assert_eq!(h.steps, steps, "{duration} / {dt}");
        assert_eq!(h.outputs.len(), steps);
        assert_eq!(h.times.as_ref().unwrap().len(), steps);
        assert_eq!(h.indices.as_ref().unwrap().len(), steps);
        assert_eq!(run.target().calls, steps as u64);
    }
}

#[test]
fn a_positive_duration_far_below_dt_still_runs_one_step() {
    // ceil(D / dt) is at least 1 for any D > 0; a quotient near 0 is not "an integer" to snap to.
    assert_eq!(steps_for_duration(1e-12, 0.1), 1);
    assert_eq!(steps_for_duration(1e-300, 1.0), 1);
    let mut run = LoopOverTime::new(recorder());
    assert_eq!(run.run_duration(1e-12).unwrap().steps, 1);
}

#[test]
fn run_steps_runs_exactly_that_many_steps() {
    for n in [1, 2, 17, 1000] {
        let mut run = LoopOverTime::new(recorder());
        let h = run.run_steps(n).unwrap();
        assert_eq!(h.steps, n);
        assert_eq!(run.target().calls, n as u64);
    }
}

#[test]
fn duration_runs_feed_zero_input() {
    let mut run = LoopOverTime::new(recorder());
    let h = run.run_duration(2.0).unwrap();
    assert_eq!(run.target().inputs, vec![0.0; 20]);
    assert!(h.outputs.iter().all(|&y| y == 0.0));
}

#[test]
fn every_step_sees_t0_plus_k_dt_and_i0_plus_k() {
    let dt = 0.1;
    let mut run = LoopOverTime::new(recorder()).dt(dt);
    let h = run.run_duration(100.0).unwrap();
    let times = h.times.as_ref().unwrap();
    let indices = h.indices.as_ref().unwrap();
    let seen = &run.target().seen;
    assert_eq!(seen.len(), 1000);
    for k in 0..1000 {
        let t = 0.0 + k as f64 * dt;
        assert_eq!(times[k], t, "step {k}");
        assert_eq!(seen[k].t, Some(t), "step {k}");
        assert_eq!(indices[k], k as u64);
        assert_eq!(seen[k].i, Some(k as u64));
        assert_eq!(seen[k].dt, dt);
    }
    // The check above can tell the exact formula from an accumulated `t += dt`.
    let mut accumulated = 0.0;
    let mut differs = false;
    for (k, &t) in times.iter().enumerate() {
        differs |= accumulated != t;
        assert_eq!(t, k as f64 * dt);
        accumulated += dt;
    }
    assert!(differs, "accumulating t would have given the same times");
}

#[test]
fn a_second_call_continues_the_timeline() {
    let dt = 0.1;
    let mut run = LoopOverTime::new(recorder()).dt(dt);
    run.run_steps(10).unwrap();
    // The clock counts steps (docs/MODELS.md): global step n is at t0 + n * dt, not at a t0 that
    // was moved on by the first call's duration.
    assert_eq!(run.current_t0(), Some(10.0 * dt));
    assert_eq!(run.current_i0(), Some(10));

    let h = run.run_steps(5).unwrap();
    for k in 0..5 {
        let n = 10 + k;
        assert_eq!(h.times.as_ref().unwrap()[k], n as f64 * dt);
        assert_eq!(h.indices.as_ref().unwrap()[k], n as u64);
        assert_eq!(run.target().seen[n].t, Some(n as f64 * dt));
        assert_eq!(run.target().seen[n].i, Some(n as u64));
    }
    assert_eq!(run.current_t0(), Some(15.0 * dt));
    assert_eq!(run.current_i0(), Some(15));
}

#[test]
fn the_timeline_continues_across_duration_and_input_runs() {
    let dt = 0.25;
    let mut run = LoopOverTime::new(recorder()).dt(dt).t0(1.0).i0(3);
    run.run_duration(1.0).unwrap(); // 4 steps
    let t1 = 1.0 + 4.0 * dt;
    let h = run.run_inputs(&[7.0, 8.0, 9.0][..]).unwrap();
    assert_eq!(h.times.unwrap(), vec![t1, t1 + dt, t1 + 2.0 * dt]);
    assert_eq!(h.indices.unwrap(), vec![7, 8, 9]);
    let t2 = t1 + 3.0 * dt;
    let h = run.run_steps(2).unwrap();
    assert_eq!(h.times.unwrap(), vec![t2, t2 + dt]);
    assert_eq!(h.indices.unwrap(), vec![10, 11]);
}

#[test]
fn reset_state_rewinds_t_and_i_and_resets_the_target() {
    let dt = 0.1;
    let mut run = LoopOverTime::new(Leaky::new(-2.0, 5.0))
        .dt(dt)
        .t0(3.0)
        .i0(40);
    let inputs = [1.0, 4.0, -3.0, 0.5, 2.0];
    let first = run.run_inputs(&inputs).unwrap();
    assert_ne!(run.target().x, -2.0);
    assert_eq!(run.current_t0(), Some(3.0 + 5.0 * dt));
    assert_eq!(run.current_i0(), Some(45));

    run.reset_state();
    assert_eq!(
        run.target().x,
        -2.0,
        "reset_state must reset the target's state"
    );
    assert_eq!(run.current_t0(), Some(3.0));
    assert_eq!(run.current_i0(), Some(40));

    let again = run.run_inputs(&inputs).unwrap();
    assert_eq!(again.times, first.times);
    assert_eq!(again.indices, first.indices);
    assert_eq!(
        again.outputs, first.outputs,
        "a reset run repeats the first run exactly"
    );
    for k in 0..5 {
        assert_eq!(again.times.as_ref().unwrap()[k], 3.0 + k as f64 * dt);
    }
}

#[test]
fn reset_state_resets_children_too() {
    let mut run = LoopOverTime::new(Composite::<Leaky>::new(Leaky::new(1.0, 2.0)));
    run.run_inputs(&[3.0, 3.0, 3.0][..]).unwrap();
    assert_ne!(run.target().acc, 0.0);
    assert_ne!(run.target().child.x, 1.0);
    run.reset_state();
    assert_eq!(run.target().acc, 0.0);
    assert_eq!(run.target().child.x, 1.0);
    assert_eq!(run.current_t0(), Some(0.0));
}

#[test]
fn reset_state_after_several_calls_returns_to_the_very_start() {
    let mut run = LoopOverTime::new(recorder()).dt(0.5).t0(-1.0).i0(7);
    run.run_steps(3).unwrap();
    run.run_steps(4).unwrap();
    assert_eq!(run.target().calls, 7);
    run.reset_state();
    assert_eq!(run.target().calls, 0);
    let h = run.run_steps(2).unwrap();
    assert_eq!(h.times.unwrap(), vec![-1.0, -1.0 + 0.5]);
    assert_eq!(h.indices.unwrap(), vec![7, 8]);
}

#[test]
fn t0_none_generates_no_time() {
    let mut run = LoopOverTime::new(recorder()).t0(None);
    let h = run.run_steps(4).unwrap();
    assert_eq!(h.times, None);
    assert_eq!(h.indices, Some(vec![0, 1, 2, 3]));
    assert!(run.target().seen.iter().all(|sh| sh.t.is_none()));
    assert_eq!(run.current_t0(), None);
    assert_eq!(run.current_i0(), Some(4));
    // And it stays None across calls and resets.
    run.reset_state();
    assert_eq!(run.run_steps(1).unwrap().times, None);
}

#[test]
fn i0_none_generates_no_index() {
    let mut run = LoopOverTime::new(recorder()).i0(None);
    let h = run.run_steps(3).unwrap();
    assert_eq!(h.indices, None);
    assert_eq!(h.times, Some(vec![0.0, 0.1, 0.2]));
    assert!(run.target().seen.iter().all(|sh| sh.i.is_none()));
    assert_eq!(run.current_i0(), None);
    assert_eq!(run.current_t0(), Some(3.0 * 0.1));
}

#[test]
fn t0_and_i0_none_together() {
    let mut run = LoopOverTime::new(recorder()).t0(None).i0(None);
    let h = run.run_inputs(&[1.0, 2.0][..]).unwrap();
    assert_eq!((h.times, h.indices), (None, None));
    assert_eq!(h.outputs.values, vec![1.0, 2.0]);
    for sh in &run.target().seen {
        assert_eq!((sh.t, sh.i), (None, None));
        assert_eq!(sh.dt, DEFAULT_DT);
    }
}

#[test]
fn a_model_that_needs_nothing_runs_without_t_and_i() {
    let mut run = LoopOverTime::new(Recorder::<()>::needing(Needs::NOTHING))
        .t0(None)
        .i0(None);
    assert_eq!(run.run_steps(2).unwrap().steps, 2);
}

#[test]
fn dt_defaults_to_a_tenth_of_a_millisecond() {
    assert_eq!(DEFAULT_DT, 0.1);
    assert_eq!(Shared::default().dt, 0.1);
    let mut run = LoopOverTime::new(recorder());
    assert_eq!(run.current_dt(), 0.1);
    assert_eq!(run.current_t0(), Some(0.0));
    assert_eq!(run.current_i0(), Some(0));
    let h = run.run_duration(1.0).unwrap();
    assert_eq!(h.steps, 10);
    assert!(run.target().seen.iter().all(|sh| sh.dt == 0.1 && !sh.fit));
}

#[test]
fn custom_t0_and_i0_start_the_timeline() {
    let dt = 0.05;
    let mut run = LoopOverTime::new(recorder()).dt(dt).t0(12.5).i0(1_000_000);
    let h = run.run_steps(100).unwrap();
    let times = h.times.as_ref().unwrap();
    let indices = h.indices.as_ref().unwrap();
    for k in 0..100 {
        assert_eq!(times[k], 12.5 + k as f64 * dt);
        assert_eq!(indices[k], 1_000_000 + k as u64);
    }
    assert_eq!(run.current_t0(), Some(12.5 + 100.0 * dt));
}

#[test]
fn a_trace_row_holds_the_time_of_the_step_and_the_state_after_it() {
    // dx/dt = (-x + I) / tau with exponential Euler is exact: after step k the state is the exact
    // solution at (k + 1) dt, while the row's time is t0 + k dt.
    let (x0, tau, input, dt) = (0.5, 4.0, 3.0, 0.2);
    let mut run = LoopOverTime::new(Leaky::new(x0, tau))
        .dt(dt)
        .monitor("x", |m| m.x);
    let h = run.run_inputs(&vec![input; 50]).unwrap();
    let (x,) = &h.monitors;
    for k in 0..50 {
        assert_eq!(h.times.as_ref().unwrap()[k], k as f64 * dt);
        let exact = Leaky::exact(x0, tau, input, (k + 1) as f64 * dt);
        assert!(
            (x[k] - exact).abs() < 1e-12,
            "step {k}: {} vs {exact}",
            x[k]
        );
    }
}
