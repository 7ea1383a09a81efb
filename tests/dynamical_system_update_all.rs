//! `#[update_all]`: a stateless model's own path over every input of a `no_state` run, in place
//! of stepping; stepping still goes through `#[update]`.

use looptime::nalgebra::SMatrix;
use looptime::prelude::*;

/// y = 2x, with counters of which path ran (plain fields, not state).
#[dynamical_system]
struct Double {
    #[param(default = 2.0)]
    gain: f64,
    steps: usize,
    batches: usize,
}

#[dynamical_system]
impl Double {
    #[update]
    fn step(&mut self, _sh: &Shared, x: SMatrix<f64, 2, 3>) -> SMatrix<f64, 2, 3> {
        self.steps += 1;
        x * self.gain
    }

    #[update_all]
    fn step_all(
        &mut self,
        _sh: &Shared,
        xs: &[SMatrix<f64, 2, 3>],
        out: &mut Vec<SMatrix<f64, 2, 3>>,
    ) {
        self.batches += 1;
        out.extend(xs.iter().map(|x| x * self.gain));
    }
}

fn inputs() -> Vec<SMatrix<f64, 2, 3>> {
    (0..5)
        .map(|k| SMatrix::from_fn(|r, c| (k * 6 + r * 3 + c) as f64 * 0.5))
        .collect()
}

#[test]
fn a_no_state_run_calls_update_all_once_and_stepping_calls_update() {
    let xs = inputs();
    let mut at_once = LoopOverTime::new(Double::new()).no_state(true);
    let batched = at_once.run_inputs(&xs).unwrap();
    assert_eq!((at_once.target().steps, at_once.target().batches), (0, 1));

    let mut stepping = LoopOverTime::new(Double::new());
    let stepped = stepping.run_inputs(&xs).unwrap();
    assert_eq!((stepping.target().steps, stepping.target().batches), (5, 0));

    assert_eq!(batched.outputs, stepped.outputs);
    assert_eq!(batched.outputs[4], xs[4] * 2.0);
    assert!(DynamicalSystem::<()>::is_stateless(&Double::new()));
}

#[test]
fn update_all_works_with_any_shared_args() {
    let mut run = LoopOverTime::new(Double::new()).args(7_u32).no_state(true);
    let h = run.run_inputs(&inputs()).unwrap();
    assert_eq!(h.steps, 5);
    assert_eq!(run.target().batches, 1);
}
