//! `loop_over_time!` gives LoopOverTime's numbers bit for bit, for every option (duration, steps,
//! inputs, dt, t0, i0, fit, args, monitors by name and by child path, both layouts) and for
//! `unroll` of full, 1, 4 and 8; its outputs are boxed arrays whose length is in the type; a
//! monitored trace of 8 MB does not touch the stack.

use looptime::nalgebra::{SMatrix, SVector};
use looptime::prelude::*;
use looptime::steps_for_duration;

/// A leaky population whose update reads t, i, fit and the args, so every option shows.
#[dynamical_system(inputs(i))]
struct Leaky<const N: usize, const B: usize> {
    #[param(default = 10.0, check = positive)]
    tau: f64,
    #[state(init = 0.5)]
    v: SMatrix<f64, N, B>,
    #[state(init = 0.0)]
    clock: SVector<f64, 2>,
}

#[dynamical_system(method = exp_euler)]
impl<const N: usize, const B: usize> Leaky<N, B> {
    #[ode(v)]
    fn dv(&self, v: f64, i: f64) -> f64 {
        (-v + i) / self.tau
    }

    #[update]
    fn step(&mut self, sh: &Shared, i: SMatrix<f64, N, B>) -> SMatrix<f64, N, B> {
        self.integrate(sh.dt, &i);
        let fit = if sh.fit { 1.0 } else { 0.0 };
        self.clock =
            SVector::<f64, 2>::new(sh.t.unwrap_or(-1.0) + fit, sh.i.map_or(-1.0, |i| i as f64));
        self.v
    }
}

/// A parent with a child, to monitor `l1.v`.
#[dynamical_system]
struct Net {
    #[child]
    l1: Leaky<3, 2>,
    #[state(init = 0.0)]
    total: SVector<f64, 1>,
}

#[dynamical_system]
impl Net {
    #[update]
    fn step(&mut self, sh: &Shared, i: SMatrix<f64, 3, 2>) -> f64 {
        let v = self.l1.update(sh, i);
        self.total[0] += v.sum();
        self.total[0]
    }
}

type X = SMatrix<f64, 3, 2>;

fn inputs<const T: usize>() -> [X; T] {
    core::array::from_fn(|k| X::from_fn(|r, c| 1.0 + r as f64 + 0.5 * c as f64 + 0.01 * k as f64))
}

/// The runtime loop's outputs and (v, clock) monitors.
fn reference(
    run: LoopOverTime<Leaky<3, 2>>,
    inputs: Option<&[X]>,
    steps: usize,
) -> (Vec<X>, Vec<X>, Vec<SVector<f64, 2>>) {
    let mut run = run.monitor("v", |m| m.v).monitor("clock", |m| m.clock);
    let h = match inputs {
        Some(xs) => run.run_inputs(xs),
        None => run.run_steps(steps),
    }
    .map_err(LoopError::without_history)
    .unwrap();
    let (out, (v, clock)) = h.into_parts();
    (out, v.values, clock.values)
}

#[test]
fn duration_and_dt_give_the_runtime_loops_numbers_for_every_unroll() {
    let (out, v, clock) = reference(LoopOverTime::new(Leaky::new()).dt(0.25), None, 40);
    macro_rules! check {
        ($($unroll:tt)*) => {{
            let mut m = Leaky::<3, 2>::new();
            let (o, (mv, mc)): (Box<[X; 40]>, (Box<[X; 40]>, Box<[SVector<f64, 2>; 40]>)) =
                loop_over_time!(m, duration = 10.0, dt = 0.25, monitor = [v, clock] $($unroll)*);
            assert_eq!(&o[..], &out[..]);
            assert_eq!(&mv[..], &v[..]);
            assert_eq!(&mc[..], &clock[..]);
            assert_eq!(m.v, out[39], "the model is left in its final state");
        }};
    }
    check!();
    check!(, unroll = full);
    check!(, unroll = 1);
    check!(, unroll = 4);
    check!(, unroll = 8);
    check!(, unroll = 7);
}

#[test]
fn the_step_count_of_a_duration_follows_the_runtime_rule() {
    let mut m = Leaky::<3, 2>::new();
    let out = loop_over_time!(m, duration = 100.0, dt = 0.1);
    assert_eq!(out.len(), steps_for_duration(100.0, 0.1));
    let out = loop_over_time!(m, duration = 1.0, dt = 0.3);
    assert_eq!(out.len(), 4);
    let out = loop_over_time!(m, duration = 0.3);
    assert_eq!(out.len(), steps_for_duration(0.3, 0.1));
    let out = loop_over_time!(m, duration = 2, dt = 0.5);
    assert_eq!(out.len(), 4);
}

#[test]
fn inputs_t0_i0_fit_and_args_match_the_runtime_loop() {
    let xs = inputs::<13>();
    #[derive(Clone)]
    struct Args;
    let (out, v, clock) = reference(
        LoopOverTime::new(Leaky::new())
            .dt(0.05)
            .t0(2.5)
            .i0(7)
            .fit(true),
        Some(&xs),
        0,
    );
    for unroll in 0..4 {
        let mut m = Leaky::<3, 2>::new();
        let (o, (mv, mc)) = match unroll {
            0 => loop_over_time!(
                m,
                inputs = xs,
                dt = 0.05,
                t0 = 2.5,
                i0 = 7,
                fit = true,
                monitor = [v, clock],
                args = Args
            ),
            1 => loop_over_time!(
                m,
                inputs = xs,
                dt = 0.05,
                t0 = 2.5,
                i0 = 7,
                fit = true,
                monitor = [v, clock],
                unroll = full
            ),
            2 => loop_over_time!(
                m,
                inputs = xs,
                dt = 0.05,
                t0 = 2.5,
                i0 = 7,
                fit = true,
                monitor = [v, clock],
                unroll = 4
            ),
            _ => loop_over_time!(
                m,
                inputs = xs,
                dt = 0.05,
                t0 = 2.5,
                i0 = 7,
                fit = true,
                monitor = [v, clock],
                unroll = 8
            ),
        };
        let o: Box<[X; 13]> = o;
        assert_eq!(&o[..], &out[..], "unroll case {unroll}");
        assert_eq!(&mv[..], &v[..]);
        assert_eq!(&mc[..], &clock[..]);
    }
}

#[test]
fn t0_and_i0_none_are_not_generated() {
    let (out, _, clock) = reference(LoopOverTime::new(Leaky::new()).t0(None).i0(None), None, 5);
    let mut m = Leaky::<3, 2>::new();
    let (o, (c,)) = loop_over_time!(m, steps = 5, t0 = None, i0 = None, monitor = [clock]);
    assert_eq!(&o[..], &out[..]);
    assert_eq!(&c[..], &clock[..]);
    assert_eq!(c[0], SVector::<f64, 2>::new(-1.0, -1.0));
}

#[test]
fn steps_may_be_a_const_expression() {
    const STEPS: usize = 6;
    let (out, _, _) = reference(LoopOverTime::new(Leaky::new()), None, STEPS);
    let mut m = Leaky::<3, 2>::new();
    let o: Box<[X; STEPS]> = loop_over_time!(m, steps = STEPS, unroll = 4);
    assert_eq!(&o[..], &out[..]);
}

#[test]
fn child_states_are_monitored_by_path() {
    let xs = inputs::<9>();
    let mut run = LoopOverTime::new(Net::new()).monitor("l1.v", |m| m.l1.v);
    let h = run
        .run_inputs(&xs)
        .map_err(LoopError::without_history)
        .unwrap();
    let mut net = Net::new();
    let (o, (l1_v,)) = loop_over_time!(net, inputs = xs, monitor = [l1.v], unroll = full);
    assert_eq!(&o[..], &h.outputs[..]);
    assert_eq!(&l1_v[..], &h.monitors.0[..]);
}

#[test]
fn batch_first_equals_the_runtime_batch_first_loop() {
    // Two samples of five steps each: sequences[b][k] is a column of 3.
    let sequences: [[SVector<f64, 3>; 5]; 2] = core::array::from_fn(|b| {
        core::array::from_fn(|k| SVector::from_fn(|r, _| (r + 2 * b) as f64 + 0.1 * k as f64))
    });
    let mut run = LoopOverTime::new(Leaky::<3, 2>::new()).monitor("v", |m| m.v);
    let h = run
        .run_inputs_batch_first(&sequences)
        .map_err(LoopError::without_history)
        .unwrap();
    for unroll in 0..2 {
        let mut m = Leaky::<3, 2>::new();
        let (o, (v,)) = if unroll == 0 {
            loop_over_time!(m, inputs = sequences, layout = batch_first, monitor = [v])
        } else {
            loop_over_time!(
                m,
                inputs = sequences,
                layout = batch_first,
                monitor = [v],
                unroll = 4
            )
        };
        let o: Box<[[SVector<f64, 3>; 5]; 2]> = o;
        for b in 0..2 {
            assert_eq!(&o[b][..], &h.outputs.values[b][..]);
            assert_eq!(&v[b][..], &h.monitors.0.values[b][..]);
        }
    }
}

/// LIF-like: 1000 neurons, so that monitoring V over 1000 steps is 8 MB of static-shaped history.
#[dynamical_system(inputs(i))]
struct Population {
    #[state(init = -65.0)]
    v: SVector<f64, 1000>,
}

#[dynamical_system(method = exp_euler)]
impl Population {
    #[ode(v)]
    fn dv(&self, v: f64, i: f64) -> f64 {
        (-65.0 - v + i) / 10.0
    }

    #[update]
    fn step(&mut self, sh: &Shared, i: SVector<f64, 1000>) -> bool {
        self.integrate(sh.dt, &i);
        self.v[0] > -60.0
    }
}

#[test]
fn an_eight_megabyte_static_history_does_not_touch_the_stack() {
    // Test threads have 2 MB stacks: an 8 MB array on the stack would overflow.
    let mut population = Box::new(Population::new());
    let (spikes, (v,)) = loop_over_time!(*population, steps = 1000, monitor = [v], unroll = 8);
    let v: Box<[SVector<f64, 1000>; 1000]> = v;
    assert_eq!(size_of_val(&*v), 8_000_000);
    assert_eq!(spikes.len(), 1000);
    // No input: v stays at rest exactly.
    assert!(v.iter().all(|column| column.iter().all(|&x| x == -65.0)));
}
