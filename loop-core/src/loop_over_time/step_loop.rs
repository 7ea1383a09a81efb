//! The inner loop of [`LoopOverTime`](super::LoopOverTime): stamps each step's `t` and `i` from
//! the clock, steps the target, records the steps of the stride (and the step that diverged),
//! shows every step to the observers and stops at the first divergence or failed observer.

use crate::divergence::FiniteCheck;
use crate::observer::{Observer, ObserverError, Step};
use crate::{Clock, Divergence, DynamicalSystem, Shared};

/// Why a run stopped before its last step, or failed at its end.
pub(super) enum Stop {
    /// A state became NaN or infinite after this step.
    Diverged(Divergence),
    /// An observer failed after step `step` (`step == steps` when it failed finishing the run).
    Observer { step: usize, error: ObserverError },
}

impl Stop {
    /// The steps the target took before the run stopped.
    pub(super) fn steps_taken(&self, steps: usize) -> usize {
        match self {
            Stop::Diverged(at) => at.step + 1,
            Stop::Observer { step, .. } => (*step + 1).min(steps),
        }
    }
}

/// Whether global step `n` is recorded with stride `every`: steps 0, every, 2·every, … of the
/// clock, so a strided history is the same however the runs are split.
#[inline(always)]
pub(super) fn is_recorded(n: u64, every: usize) -> bool {
    // Every step without a division (a 64-bit one per step is a tenth of one HH neuron's step).
    every == 1 || n.is_multiple_of(every as u64)
}

/// How many of `steps` steps from global step `n0` are recorded with stride `every` (≥ 1).
pub(super) fn recorded_count(n0: u64, steps: usize, every: usize) -> usize {
    let every_u = every as u64;
    // The first recorded step of the run, counted from its start.
    let first = (every_u - n0 % every_u) % every_u;
    let steps_u = steps as u64;
    if steps_u > first {
        ((steps_u - first - 1) / every_u + 1) as usize
    } else {
        0
    }
}

/// What the loop needs besides the target and its closures.
pub(super) struct LoopSettings {
    pub(super) steps: usize,
    pub(super) every: usize,
    pub(super) check_finite: bool,
}

/// The loop itself: `step_at(target, shared, k, output)` steps on input `k` and leaves the
/// step's output in `output` (`update_into` the one there, when `record` left one: a run that
/// does not keep its outputs writes every step's into the same one, neither made anew nor
/// copied; otherwise `update` or `update_ref`); `record` gets the output of every recorded step
/// (and of the step that diverged), and takes it to keep it; the observers see every step. The
/// clock is read, not moved: the caller advances it by the steps taken.
pub(super) fn step_loop<M, A>(
    target: &mut M,
    shared: &mut Shared<A>,
    clock: &Clock,
    observers: &mut impl Observer<M>,
    settings: LoopSettings,
    mut step_at: impl FnMut(&mut M, &Shared<A>, usize, &mut Option<M::Output>),
    mut record: impl FnMut(&M, &mut Option<M::Output>, Option<f64>, Option<u64>),
) -> Result<(), Stop>
where
    M: DynamicalSystem<A>,
{
    let LoopSettings {
        steps,
        every,
        check_finite,
    } = settings;
    let n0 = clock.steps_done();
    let mut check = FiniteCheck::new();
    observers.start(steps);
    let mut outcome = Ok(());
    let mut y = None;
    for k in 0..steps {
        let n = n0 + k as u64;
        clock.stamp(shared, k as u64);
        step_at(target, shared, k, &mut y);
        let diverged = if check_finite {
            target.visit_states(&mut check);
            check.take()
        } else {
            None
        };
        if is_recorded(n, every) || diverged.is_some() {
            record(target, &mut y, shared.t, shared.i);
        }
        let step = Step {
            k,
            steps,
            n,
            t: shared.t,
            i: shared.i,
        };
        let observed = observers.observe(target, &step);
        if let Some((variable, element, value)) = diverged {
            outcome = Err(Stop::Diverged(Divergence {
                variable,
                element,
                value,
                step: k,
                i: shared.i,
                t: shared.t,
            }));
            break;
        }
        if let Err(error) = observed {
            outcome = Err(Stop::Observer { step: k, error });
            break;
        }
    }
    let finished = observers.finish();
    match (outcome, finished) {
        (Ok(()), Err(error)) => Err(Stop::Observer { step: steps, error }),
        (outcome, _) => outcome,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The recorded steps of a run, counted one by one.
    fn counted(n0: u64, steps: usize, every: usize) -> usize {
        (0..steps as u64)
            .filter(|k| is_recorded(n0 + k, every))
            .count()
    }

    #[test]
    fn the_recorded_count_matches_the_stride() {
        for n0 in 0..12 {
            for steps in 0..20 {
                for every in 1..6 {
                    assert_eq!(
                        recorded_count(n0, steps, every),
                        counted(n0, steps, every),
                        "n0 {n0}, steps {steps}, every {every}"
                    );
                }
            }
        }
    }
}
