//! Property tests over the run API (issue 14): random sequences of `run_inputs`, `run_duration`,
//! `run_steps`, `reset_state`, `record_every` and `t0`/`i0` changes, with monitors, on LIF, HH
//! and an RNN cell:
//!
//! - never panic, and return `Ok` or the typed error that the arguments call for;
//! - keep the clock: every recorded step has `t = t0 + n * dt` and `i = i0 + n` for its global
//!   step `n`, a refused run leaves the clock where it was, `reset_state` returns it to step 0;
//! - the concatenation of split runs equals one run, bit for bit, whatever the split and stride.
//!
//! `LOOPTIME_PROPTEST_CASES=<n>` runs more cases.

mod proptest_support;

use std::fmt::Debug;

use looptime::layers::RnnCell;
use looptime::nalgebra::SMatrix;
use looptime::neurons::{Hh, Lif};
use looptime::prelude::*;
use looptime::{ClockError, DynamicalSystem, LoopError, ZeroInput};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const DT: f64 = 0.1;

/// One call on the loop.
#[derive(Clone, Debug)]
enum Op {
    Inputs(usize),
    Duration(f64),
    Steps(usize),
    Reset,
    RecordEvery(usize),
    T0(Option<f64>),
    I0(Option<u64>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0_usize..40).prop_map(Op::Inputs),
        2 => prop_oneof![
            Just(0.0),
            Just(-1.0),
            Just(f64::NAN),
            Just(f64::INFINITY),
            0.0_f64..4.0
        ]
        .prop_map(Op::Duration),
        2 => (0_usize..40).prop_map(Op::Steps),
        1 => Just(Op::Reset),
        1 => (0_usize..5).prop_map(Op::RecordEvery),
        1 => prop_oneof![
            Just(None),
            Just(Some(f64::NAN)),
            Just(Some(f64::NEG_INFINITY)),
            (-100.0_f64..100.0).prop_map(Some)
        ]
        .prop_map(Op::T0),
        1 => prop_oneof![
            Just(None),
            Just(Some(u64::MAX)),
            Just(Some(u64::MAX - 30)),
            (0_u64..1000).prop_map(Some)
        ]
        .prop_map(Op::I0),
    ]
}

/// The loop's settings as the test tracks them, to say what each call must give.
#[derive(Clone, Copy, Debug)]
struct Shadow {
    t0: Option<f64>,
    i0: Option<u64>,
    every: usize,
    /// Steps run since the loop was built or reset.
    n: u64,
}

/// Why a call must fail, if it must.
#[derive(Debug, PartialEq)]
enum Refusal {
    RecordEvery,
    T0,
    Duration,
    Index,
    NeedsTime,
}

impl Shadow {
    /// What a run of `steps` steps must give (`None`: it runs), checked in the loop's order.
    fn refusal(&self, steps: Option<usize>, needs_t: bool) -> Option<Refusal> {
        if self.every == 0 {
            return Some(Refusal::RecordEvery);
        }
        if self.t0.is_some_and(|t0| !t0.is_finite()) {
            return Some(Refusal::T0);
        }
        let steps = steps? as u64;
        if let Some(i0) = self.i0
            && steps > 0
            && i0.checked_add(self.n + steps - 1).is_none()
        {
            return Some(Refusal::Index);
        }
        if needs_t && self.t0.is_none() {
            return Some(Refusal::NeedsTime);
        }
        None
    }
}

fn refusal_of<H>(e: &LoopError<H>) -> Option<Refusal> {
    match e {
        LoopError::InvalidRecordEvery => Some(Refusal::RecordEvery),
        LoopError::Clock(ClockError::InvalidT0(_)) => Some(Refusal::T0),
        LoopError::Clock(ClockError::IndexOverflow { .. }) => Some(Refusal::Index),
        LoopError::InvalidDuration(_) => Some(Refusal::Duration),
        LoopError::NeedsTime => Some(Refusal::NeedsTime),
        _ => None,
    }
}

/// Runs `ops` on a loop over `model` monitoring `monitor`, checking each result against the
/// shadow settings; `input(k)` is the input of step `k` of a run over inputs.
fn check_ops<M, X, V>(
    model: M,
    monitor: fn(&M) -> V,
    input: impl Fn(usize) -> X,
    ops: &[Op],
) -> Result<(), TestCaseError>
where
    M: DynamicalSystem<Input = X>,
    X: Clone + ZeroInput,
{
    let needs_t = model.needs().t;
    let mut run = LoopOverTime::new(model).dt(DT).monitor("m", monitor);
    let mut shadow = Shadow {
        t0: Some(0.0),
        i0: Some(0),
        every: 1,
        n: 0,
    };
    for op in ops {
        let (result, steps, duration_ok) = match op {
            Op::Reset => {
                run.reset_state();
                shadow.n = 0;
                continue;
            }
            Op::RecordEvery(n) => {
                run = run.record_every(*n);
                shadow.every = *n;
                continue;
            }
            Op::T0(t0) => {
                run = run.t0(*t0);
                shadow.t0 = *t0;
                continue;
            }
            Op::I0(i0) => {
                run = run.i0(*i0);
                shadow.i0 = *i0;
                continue;
            }
            Op::Inputs(len) => {
                let xs: Vec<X> = (0..*len).map(&input).collect();
                (run.run_inputs(&xs), Some(*len), true)
            }
            Op::Steps(len) => (run.run_steps(*len), Some(*len), true),
            Op::Duration(d) => {
                let ok = d.is_finite() && *d >= 0.0;
                let steps = ok.then(|| looptime::steps_for_duration(*d, DT));
                (run.run_duration(*d), steps, ok)
            }
        };
        let mut expected = shadow.refusal(steps, needs_t);
        if !duration_ok && !matches!(expected, Some(Refusal::RecordEvery | Refusal::T0)) {
            expected = Some(Refusal::Duration);
        }
        match (result, expected) {
            (Ok(h), None) => {
                let steps = steps.unwrap_or(0);
                prop_assert_eq!(h.steps, steps);
                let recorded: Vec<u64> = (0..steps as u64)
                    .map(|k| shadow.n + k)
                    .filter(|n| n % shadow.every as u64 == 0)
                    .collect();
                prop_assert_eq!(h.monitors.0.len(), recorded.len());
                prop_assert_eq!(h.outputs.len(), recorded.len());
                let times = recorded
                    .iter()
                    .map(|&n| shadow.t0.map(|t0| t0 + n as f64 * DT));
                let times: Option<Vec<f64>> = times.collect();
                prop_assert_eq!(&h.times, &times.filter(|_| shadow.t0.is_some()));
                let indices: Option<Vec<u64>> = shadow
                    .i0
                    .map(|i0| recorded.iter().map(|n| i0 + n).collect());
                prop_assert_eq!(&h.indices, &indices);
                shadow.n += steps as u64;
            }
            (Err(e), Some(why)) => {
                prop_assert_eq!(refusal_of(&e), Some(why), "{:?}", op);
            }
            (Ok(_), Some(why)) => prop_assert!(false, "{:?} ran; expected {:?}", op, why),
            (Err(e), None) => prop_assert!(false, "{:?} failed: {}", op, e),
        }
        prop_assert_eq!(run.clock().steps_done(), shadow.n, "after {:?}", op);
    }
    Ok(())
}

/// What a call of the split is: inputs, zero-input steps, or a duration of that many steps.
#[derive(Clone, Copy, Debug)]
enum Piece {
    Inputs(usize),
    Steps(usize),
    Duration(usize),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        (0_usize..30).prop_map(Piece::Inputs),
        (0_usize..30).prop_map(Piece::Steps),
        (0_usize..30).prop_map(Piece::Duration),
    ]
}

/// The history of one run, as text (Debug prints every float exactly, so equal text is equal
/// bits up to NaN payloads).
fn text<T: Debug>(x: &T) -> String {
    format!("{x:?}")
}

/// The pieces as separate calls and as one call over the same inputs (zero where a piece runs
/// zero input) give the same times, indices, outputs and monitors.
fn check_split<M, X, V>(
    make: impl Fn() -> M,
    monitor: fn(&M) -> V,
    input: impl Fn(usize) -> X,
    pieces: &[Piece],
    every: usize,
    (t0, i0): (f64, u64),
) -> Result<(), TestCaseError>
where
    M: DynamicalSystem<Input = X>,
    M::Output: Debug,
    V: Debug,
    X: Clone + ZeroInput,
{
    let mut all: Vec<X> = Vec::new();
    let mut split = LoopOverTime::new(make())
        .dt(DT)
        .t0(t0)
        .i0(i0)
        .record_every(every)
        .monitor("m", monitor);
    let (mut times, mut indices, mut outputs, mut monitors) = (vec![], vec![], vec![], vec![]);
    for &p in pieces {
        let h = match p {
            Piece::Inputs(len) => {
                let xs: Vec<X> = (all.len()..all.len() + len).map(&input).collect();
                all.extend(xs.iter().cloned());
                split.run_inputs(&xs)
            }
            Piece::Steps(len) => {
                all.extend((0..len).map(|_| X::zero_input()));
                split.run_steps(len)
            }
            Piece::Duration(len) => {
                all.extend((0..len).map(|_| X::zero_input()));
                split.run_duration(len as f64 * DT)
            }
        };
        let h = h.map_err(LoopError::without_history).unwrap();
        times.extend(h.times.unwrap());
        indices.extend(h.indices.unwrap());
        outputs.extend(h.outputs.values);
        monitors.extend(h.monitors.0.values);
    }
    let mut whole = LoopOverTime::new(make())
        .dt(DT)
        .t0(t0)
        .i0(i0)
        .record_every(every)
        .monitor("m", monitor);
    let h = whole
        .run_inputs(&all)
        .map_err(LoopError::without_history)
        .unwrap();
    prop_assert_eq!(text(&times), text(h.times.as_ref().unwrap()));
    prop_assert_eq!(text(&indices), text(h.indices.as_ref().unwrap()));
    prop_assert_eq!(text(&outputs), text(&h.outputs.values));
    prop_assert_eq!(text(&monitors), text(&h.monitors.0.values));
    prop_assert_eq!(split.clock().steps_done(), whole.clock().steps_done());
    Ok(())
}

type L = Lif<f64, 2>;
type H = Hh<f64, 2>;
type R = RnnCell<f64, 3, 4, 2>;

fn lif() -> L {
    L::builder().tau_ref(2.0).build().unwrap()
}

fn lif_input(k: usize) -> SMatrix<f64, 2, 1> {
    SMatrix::from_fn(|r, _| 300.0 + 50.0 * r as f64 + (k % 7) as f64)
}

fn hh_input(k: usize) -> SMatrix<f64, 2, 1> {
    SMatrix::from_fn(|r, _| 5.0 + r as f64 + (k % 5) as f64)
}

fn rnn() -> R {
    R::new(&mut ChaCha8Rng::seed_from_u64(7))
}

fn rnn_input(k: usize) -> SMatrix<f64, 3, 2> {
    SMatrix::from_fn(|r, c| ((k + 3 * r + 5 * c) % 11) as f64 / 11.0 - 0.4)
}

proptest! {
    #![proptest_config(proptest_support::config(64))]

    #[test]
    fn random_calls_on_lif_are_ok_or_the_error_they_call_for(ops in prop::collection::vec(op(), 1..14)) {
        check_ops(lif(), |m: &L| m.v, lif_input, &ops)?;
    }

    #[test]
    fn random_calls_on_hh_are_ok_or_the_error_they_call_for(ops in prop::collection::vec(op(), 1..14)) {
        check_ops(H::new(), |m: &H| m.v, hh_input, &ops)?;
    }

    #[test]
    fn random_calls_on_an_rnn_are_ok_or_the_error_they_call_for(ops in prop::collection::vec(op(), 1..14)) {
        check_ops(rnn(), |m: &R| m.state, rnn_input, &ops)?;
    }

    #[test]
    fn split_lif_runs_equal_one_run(
        pieces in prop::collection::vec(piece(), 1..8),
        every in 1_usize..5,
        t0 in -50.0_f64..50.0,
        i0 in 0_u64..1_000_000,
    ) {
        check_split(lif, |m: &L| m.v, lif_input, &pieces, every, (t0, i0))?;
    }

    #[test]
    fn split_hh_runs_equal_one_run(
        pieces in prop::collection::vec(piece(), 1..8),
        every in 1_usize..5,
        t0 in -50.0_f64..50.0,
    ) {
        check_split(H::new, |m: &H| m.v, hh_input, &pieces, every, (t0, 3))?;
    }

    #[test]
    fn split_rnn_runs_equal_one_run(
        pieces in prop::collection::vec(piece(), 1..8),
        every in 1_usize..5,
    ) {
        check_split(rnn, |m: &R| m.state, rnn_input, &pieces, every, (0.0, 0))?;
    }
}
