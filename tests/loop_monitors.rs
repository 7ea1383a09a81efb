//! Monitors: none, one, several (a tuple, in the order they were added, with their names),
//! fields of nested children, prebuilt selectors; every recorded value is the state after its step.

mod common;

use common::{BatchLeaky, Composite, Leaky, Recorder};
use looptime::nalgebra::SMatrix;
use looptime::{DynamicalSystem, LoopOverTime, Select, Shared, Trace};

/// Inputs that change from step to step, so that every row of a trace is different.
fn ramp(steps: usize) -> Vec<f64> {
    (0..steps).map(|k| (k as f64 * 0.7).sin() * 3.0).collect()
}

#[test]
fn without_monitors_only_outputs_are_recorded() {
    let mut run = LoopOverTime::new(Leaky::new(0.0, 3.0));
    let h = run.run_inputs(&ramp(10)).unwrap();
    let () = h.monitors;
    assert_eq!(h.outputs.name, "output");
    assert_eq!(h.outputs.len(), 10);
    // The output of Leaky is its state after the step.
    let mut m = Leaky::new(0.0, 3.0);
    for (k, x) in ramp(10).into_iter().enumerate() {
        assert_eq!(
            h.outputs[k],
            DynamicalSystem::<()>::update(&mut m, &Shared::default(), x)
        );
    }
}

#[test]
fn one_monitor_records_the_state_after_each_step() {
    let (x0, tau, input, dt) = (2.0, 1.5, -1.0, 0.1);
    let mut run = LoopOverTime::new(Leaky::new(x0, tau)).monitor("x", |m| m.x);
    let h = run.run_inputs(&[input; 30]).unwrap();
    let (x,) = &h.monitors;
    assert_eq!(x.name, "x");
    assert_eq!(x.len(), 30);
    for k in 0..30 {
        let exact = Leaky::exact(x0, tau, input, (k + 1) as f64 * dt);
        assert!((x[k] - exact).abs() < 1e-12, "step {k}");
    }
    assert_eq!(x[29], run.target().x, "the last row is the final state");
}

#[test]
fn several_monitors_come_back_as_a_tuple_in_the_order_added() {
    let mut run = LoopOverTime::new(BatchLeaky::<3, 2>::new())
        .monitor("peak", |m| m.peak)
        .monitor("x", |m| m.x)
        .monitor("x_sum", |m| m.x.sum());
    let inputs: Vec<SMatrix<f64, 3, 2>> = (0..12)
        .map(|k| SMatrix::from_fn(|r, c| ((k + r) as f64 * 0.9 + c as f64).cos() * 4.0))
        .collect();
    let h = run.run_inputs(&inputs).unwrap();
    let (peak, x, x_sum) = &h.monitors;
    assert_eq!([peak.name, x.name, x_sum.name], ["peak", "x", "x_sum"]);

    // Step a copy by hand and compare each row with the state after that step.
    let mut m = BatchLeaky::<3, 2>::new();
    let sh = Shared::default();
    for (k, input) in inputs.iter().enumerate() {
        let y = DynamicalSystem::<()>::update(&mut m, &sh, *input);
        assert_eq!(h.outputs[k], y);
        assert_eq!(x[k], m.x, "step {k}");
        assert_eq!(peak[k], m.peak, "step {k}");
        assert_eq!(x_sum[k], m.x.sum(), "step {k}");
    }
}

#[test]
fn monitors_select_fields_of_nested_children() {
    let (tau, input, dt) = (2.0, 1.0, 0.1);
    let model = Composite::<Composite<Leaky>>::new(Composite::new(Leaky::new(0.0, tau)));
    let mut run = LoopOverTime::new(model)
        .monitor("child.child.x", |m| m.child.child.x)
        .monitor("child.acc", |m| m.child.acc)
        .monitor("acc", |m| m.acc);
    let h = run.run_inputs(&[input; 8]).unwrap();
    let (x, inner_acc, outer_acc) = &h.monitors;
    assert_eq!(x.name, "child.child.x");
    // Inner acc sums the leaky states; the outer one sums the inner sums.
    let mut inner = 0.0;
    let mut outer = 0.0;
    for k in 0..8 {
        let exact = Leaky::exact(0.0, tau, input, (k + 1) as f64 * dt);
        assert!((x[k] - exact).abs() < 1e-12);
        inner += x[k];
        outer += inner;
        assert_eq!(inner_acc[k], inner);
        assert_eq!(outer_acc[k], outer);
    }
}

#[test]
fn the_same_variable_can_be_monitored_twice_and_transformed() {
    let mut run = LoopOverTime::new(Leaky::new(1.0, 1.0))
        .monitor("x", |m| m.x)
        .monitor("x_again", |m| m.x)
        .monitor("x_squared", |m| m.x * m.x);
    let h = run.run_duration(1.0).unwrap();
    let (a, b, sq) = &h.monitors;
    assert_eq!(a.values, b.values);
    for k in 0..h.steps {
        assert_eq!(sq[k], a[k] * a[k]);
    }
}

/// A prebuilt selector, as the macros generate.
struct XOfLeaky;

impl Select<Leaky> for XOfLeaky {
    type Value = f64;
    fn name(&self) -> &'static str {
        "x"
    }
    fn select(&self, model: &Leaky) -> f64 {
        model.x
    }
}

#[test]
fn prebuilt_selectors_mix_with_closures() {
    let mut run = LoopOverTime::new(Leaky::new(0.0, 5.0))
        .select(XOfLeaky)
        .monitor("tau", |m| m.tau);
    let h = run.run_inputs(&[2.0; 4]).unwrap();
    let (x, tau) = &h.monitors;
    assert_eq!((x.name, tau.name), ("x", "tau"));
    assert_eq!(x.values, h.outputs.values);
    assert_eq!(tau.values, vec![5.0; 4]);
}

#[test]
fn nine_monitors_are_supported() {
    let mut run = LoopOverTime::new(Leaky::new(1.0, 1.0))
        .monitor("m0", |m| m.x)
        .monitor("m1", |m| m.x + 1.0)
        .monitor("m2", |m| m.x + 2.0)
        .monitor("m3", |m| m.x + 3.0)
        .monitor("m4", |m| m.x + 4.0)
        .monitor("m5", |m| m.x + 5.0)
        .monitor("m6", |m| m.x + 6.0)
        .monitor("m7", |m| m.x + 7.0)
        .monitor("m8", |m| m.x + 8.0);
    let h = run.run_steps(3).unwrap();
    let (m0, m1, m2, m3, m4, m5, m6, m7, m8) = &h.monitors;
    let traces: [&Trace<f64>; 9] = [m0, m1, m2, m3, m4, m5, m6, m7, m8];
    for (j, trace) in traces.iter().enumerate() {
        assert_eq!(
            trace.name,
            ["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"][j]
        );
        for k in 0..3 {
            assert_eq!(trace[k], m0[k] + j as f64);
        }
    }
}

#[test]
fn each_run_records_only_its_own_steps() {
    let mut run = LoopOverTime::new(Recorder::<()>::new()).monitor("calls", |m| m.calls);
    let first = run.run_steps(3).unwrap();
    let second = run.run_steps(2).unwrap();
    assert_eq!(first.monitors.0.values, vec![1, 2, 3]);
    assert_eq!(second.monitors.0.values, vec![4, 5]);
    run.reset_state();
    let third = run.run_steps(2).unwrap();
    assert_eq!(third.monitors.0.values, vec![1, 2]);
}

#[test]
fn into_parts_gives_outputs_and_monitors() {
    let mut run = LoopOverTime::new(Composite::<Leaky>::new(Leaky::new(0.0, 1.0)))
        .monitor("acc", |m| m.acc)
        .monitor("child.x", |m| m.child.x);
    let h = run.run_inputs(&[1.0, 1.0, 1.0][..]).unwrap();
    let (out, (acc, x)) = h.into_parts();
    assert_eq!(out, acc.values, "the composite's output is its acc");
    assert_eq!(x.into_values().len(), 3);
}
