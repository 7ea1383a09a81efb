//! Shared values reach every node: `fit`, typed `args` and `dt`, in the target and in its nested
//! children, for every kind of run, and they can be changed between runs.

mod common;

use common::{Composite, Leaky, Recorder};
use looptime::{DynamicalSystem, LoopOverTime, Shared};

/// Typed shared arguments, as a user would define them.
#[derive(Clone, Debug, PartialEq)]
struct Args {
    gain: f64,
    phase: &'static str,
}

fn args(gain: f64, phase: &'static str) -> Args {
    Args { gain, phase }
}

/// `y = gain * x`, and `gain = 0` while fitting: the numbers depend on `fit` and `args`.
struct Gain;

impl DynamicalSystem<Args> for Gain {
    type Input = f64;
    type Output = f64;

    fn update(&mut self, sh: &Shared<Args>, x: f64) -> f64 {
        if sh.fit { 0.0 } else { sh.args.gain * x }
    }

    fn reset_state(&mut self) {}
}

#[test]
fn fit_is_false_by_default_and_reaches_the_model_when_set() {
    let mut run = LoopOverTime::new(Recorder::<()>::new());
    run.run_steps(3).unwrap();
    assert!(run.target().seen.iter().all(|sh| !sh.fit));

    let mut run = LoopOverTime::new(Recorder::<()>::new()).fit(true);
    run.run_steps(3).unwrap();
    assert_eq!(run.target().seen.len(), 3);
    assert!(run.target().seen.iter().all(|sh| sh.fit));
}

#[test]
fn typed_args_reach_the_model_at_every_step() {
    let mut run = LoopOverTime::new(Recorder::<Args>::new()).args(args(2.5, "train"));
    run.run_inputs(&[1.0, 2.0, 3.0][..]).unwrap();
    let seen = &run.target().seen;
    assert_eq!(seen.len(), 3);
    for (k, sh) in seen.iter().enumerate() {
        assert_eq!(sh.args, args(2.5, "train"));
        assert_eq!(sh.t, Some(k as f64 * 0.1));
        assert_eq!(sh.i, Some(k as u64));
    }
}

#[test]
fn fit_and_args_reach_a_nested_child() {
    let model = Composite::<Recorder<Args>, Args>::new(Recorder::new());
    let mut run = LoopOverTime::new(model)
        .dt(0.2)
        .fit(true)
        .args(args(-1.0, "nested"));
    run.run_steps(4).unwrap();
    let parent = &run.target().seen;
    let child = &run.target().child.seen;
    assert_eq!(parent.len(), 4);
    assert_eq!(parent, child, "the child sees exactly what its parent sees");
    for (k, sh) in child.iter().enumerate() {
        let expected = Shared {
            t: Some(k as f64 * 0.2),
            i: Some(k as u64),
            dt: 0.2,
            fit: true,
            args: args(-1.0, "nested"),
        };
        assert_eq!(*sh, expected);
    }
}

#[test]
fn args_keeps_the_options_set_before_it() {
    let mut run = LoopOverTime::new(Recorder::<Args>::new())
        .dt(0.5)
        .t0(2.0)
        .i0(9)
        .fit(true)
        .args(args(1.0, "late"));
    assert_eq!(run.current_dt(), 0.5);
    assert_eq!(run.current_t0(), Some(2.0));
    assert_eq!(run.current_i0(), Some(9));
    run.run_steps(2).unwrap();
    let sh = &run.target().seen[1];
    assert_eq!(
        (sh.t, sh.i, sh.dt, sh.fit),
        (Some(2.5), Some(10), 0.5, true)
    );
    // reset_state still returns to the t0/i0 set before `args`.
    run.reset_state();
    assert_eq!((run.current_t0(), run.current_i0()), (Some(2.0), Some(9)));
}

#[test]
fn set_fit_changes_fit_between_runs() {
    let mut run = LoopOverTime::new(Composite::<Recorder<()>>::new(Recorder::new())).fit(true);
    run.run_steps(2).unwrap();
    run.set_fit(false);
    run.run_steps(3).unwrap();
    run.set_fit(true);
    run.run_steps(1).unwrap();
    let fits: Vec<bool> = run.target().child.seen.iter().map(|sh| sh.fit).collect();
    assert_eq!(fits, vec![true, true, false, false, false, true]);
}

#[test]
fn args_mut_changes_args_between_runs() {
    let model = Composite::<Recorder<Args>, Args>::new(Recorder::new());
    let mut run = LoopOverTime::new(model).args(args(1.0, "a"));
    run.run_steps(2).unwrap();
    run.args_mut().gain = 3.0;
    run.args_mut().phase = "b";
    run.run_steps(2).unwrap();
    let seen: Vec<Args> = run
        .target()
        .child
        .seen
        .iter()
        .map(|sh| sh.args.clone())
        .collect();
    assert_eq!(
        seen,
        vec![
            args(1.0, "a"),
            args(1.0, "a"),
            args(3.0, "b"),
            args(3.0, "b")
        ]
    );
    // The timeline is not disturbed by changing args.
    assert_eq!(run.target().child.seen[2].i, Some(2));
}

#[test]
fn fit_and_args_change_the_numbers() {
    let xs = [1.0, -2.0, 4.0];
    let mut run = LoopOverTime::new(Gain).args(args(1.5, "x"));
    assert_eq!(
        run.run_inputs(&xs).unwrap().outputs.values,
        vec![1.5, -3.0, 6.0]
    );
    run.args_mut().gain = -2.0;
    assert_eq!(
        run.run_inputs(&xs).unwrap().outputs.values,
        vec![-2.0, 4.0, -8.0]
    );
    run.set_fit(true);
    assert_eq!(run.run_inputs(&xs).unwrap().outputs.values, vec![0.0; 3]);
}

#[test]
fn args_reach_the_model_in_batch_first_runs() {
    // A scalar-input system is a batch of one: one sequence.
    let mut run = LoopOverTime::new(Recorder::<Args>::new())
        .fit(true)
        .args(args(4.0, "batch"));
    let h = run.run_inputs_batch_first(&[vec![1.0, 2.0, 3.0]]).unwrap();
    assert_eq!(h.outputs.values, vec![vec![1.0, 2.0, 3.0]]);
    assert_eq!(run.target().inputs, vec![1.0, 2.0, 3.0]);
    for sh in &run.target().seen {
        assert!(sh.fit);
        assert_eq!(sh.args, args(4.0, "batch"));
    }
}

#[test]
fn dt_reaches_a_nested_child_and_changes_its_numbers() {
    let dt = 0.3;
    let mut run = LoopOverTime::new(Composite::<Leaky>::new(Leaky::new(0.0, 2.0)))
        .dt(dt)
        .monitor("child.x", |m| m.child.x);
    let h = run.run_inputs(&[1.0; 5]).unwrap();
    let (x,) = &h.monitors;
    for k in 0..5 {
        let exact = Leaky::exact(0.0, 2.0, 1.0, (k + 1) as f64 * dt);
        assert!((x[k] - exact).abs() < 1e-12);
    }
}
