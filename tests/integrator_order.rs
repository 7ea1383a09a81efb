//! The integrators against analytic solutions: the measured convergence order
//! `log2(err(dt) / err(dt / 2))` is 1, 2 and 4 for euler, rk2 and rk4 on exponential decay, a
//! harmonic oscillator and a time-dependent right-hand side; exponential Euler is exact on linear
//! equations.

use looptime::integrate::{Method, OdeState, euler, exp_euler, exp_euler_scalar, rk2, rk4};
use looptime::nalgebra::{SMatrix, SVector};
use looptime::{DynamicalSystem, LoopOverTime, Needs, Shared};

/// One step of an explicit method, as a plain function pointer so that methods can be listed.
type Step<S> = fn(&S, f64, f64, &dyn Fn(&S, f64) -> S) -> S;

fn by_name<S: OdeState<Scalar = f64>>(method: Method) -> Step<S> {
    match method {
        Method::Euler => |x, t, dt, f| euler(x, t, dt, f),
        Method::Rk2 => |x, t, dt, f| rk2(x, t, dt, f),
        Method::Rk4 => |x, t, dt, f| rk4(x, t, dt, f),
        Method::ExpEuler => unreachable!("exp_euler takes the Jacobian, not f"),
    }
}

/// Integrates from `x0` at t = 0 to `t_end` in steps of `dt` (which must divide `t_end`).
fn integrate<S: OdeState<Scalar = f64>>(
    method: Method,
    x0: S,
    t_end: f64,
    dt: f64,
    f: &dyn Fn(&S, f64) -> S,
) -> S {
    let steps = (t_end / dt).round() as usize;
    assert!((steps as f64 * dt - t_end).abs() < 1e-12);
    let step = by_name::<S>(method);
    let mut x = x0;
    for k in 0..steps {
        x = step(&x, k as f64 * dt, dt, f);
    }
    x
}

/// `log2(err(dt) / err(dt / 2))` for the two halvings starting at `dt`.
fn measured_orders(err: impl Fn(f64) -> f64, dt: f64) -> [f64; 2] {
    let (e1, e2, e3) = (err(dt), err(dt / 2.0), err(dt / 4.0));
    // Errors must stay far above round-off for the ratio to mean anything.
    assert!(e3 > 1e-11, "error {e3} too close to round-off");
    [(e1 / e2).log2(), (e2 / e3).log2()]
}

fn assert_order(name: &str, orders: [f64; 2], expected: f64) {
    for order in orders {
        assert!(
            (order - expected).abs() < 0.15,
            "{name}: measured order {order}, expected {expected} (all: {orders:?})"
        );
    }
}

/// (method, expected order, a dt in the asymptotic range).
const METHODS: [(Method, f64, f64); 3] = [
    (Method::Euler, 1.0, 0.01),
    (Method::Rk2, 2.0, 0.02),
    (Method::Rk4, 4.0, 0.1),
];

#[test]
fn convergence_order_on_exponential_decay() {
    // dx/dt = -x, x(0) = 1: x(1) = e^-1.
    for (method, order, dt) in METHODS {
        let err = |dt: f64| {
            let x = integrate(method, 1.0_f64, 1.0, dt, &|x: &f64, _t| -x);
            (x - (-1.0_f64).exp()).abs()
        };
        assert_order(method.name(), measured_orders(err, dt), order);
    }
}

#[test]
fn convergence_order_on_exponential_decay_of_a_matrix_state() {
    // dX/dt = -L X element by element, with a different rate per element. Faster rates need a
    // smaller dt to be in the asymptotic range: halve it.
    let rates = SMatrix::<f64, 2, 3>::new(0.5, 1.0, 1.5, 2.0, 0.25, 3.0);
    for (method, order, dt) in METHODS.map(|(m, p, dt)| (m, p, dt / 2.0)) {
        let err = |dt: f64| {
            let x0 = SMatrix::<f64, 2, 3>::from_element(1.0);
            let x = integrate(method, x0, 1.0, dt, &|x: &SMatrix<f64, 2, 3>, _t| {
                -rates.component_mul(x)
            });
            let exact = rates.map(|l| (-l).exp());
            (x - exact).norm()
        };
        assert_order(method.name(), measured_orders(err, dt), order);
    }
}

#[test]
fn convergence_order_on_a_harmonic_oscillator_as_a_tuple_state() {
    // x'' = -x as (x, v): x = cos t, v = -sin t. The error is the distance in the phase plane.
    for (method, order, dt) in METHODS {
        let err = |dt: f64| {
            let (x, v) = integrate(
                method,
                (1.0_f64, 0.0_f64),
                10.0,
                dt,
                &|s: &(f64, f64), _t| (s.1, -s.0),
            );
            (x - 10.0_f64.cos()).hypot(v + 10.0_f64.sin())
        };
        assert_order(method.name(), measured_orders(err, dt), order);
    }
}

#[test]
fn convergence_order_on_a_harmonic_oscillator_as_a_vector_state() {
    for (method, order, dt) in METHODS {
        let err = |dt: f64| {
            let s0 = SVector::<f64, 2>::new(1.0, 0.0);
            let s = integrate(method, s0, 10.0, dt, &|s: &SVector<f64, 2>, _t| {
                SVector::<f64, 2>::new(s[1], -s[0])
            });
            (s - SVector::<f64, 2>::new(10.0_f64.cos(), -10.0_f64.sin())).norm()
        };
        assert_order(method.name(), measured_orders(err, dt), order);
    }
}

#[test]
fn convergence_order_on_a_time_dependent_right_hand_side() {
    // dx/dt = cos t, x(0) = 0: x(2) = sin 2. Getting the stage times wrong drops the order.
    for (method, order, dt) in METHODS {
        let err = |dt: f64| {
            let x = integrate(method, 0.0_f64, 2.0, dt, &|_x: &f64, t| t.cos());
            (x - 2.0_f64.sin()).abs()
        };
        assert_order(method.name(), measured_orders(err, dt), order);
    }
}

#[test]
fn stages_are_evaluated_at_the_right_times() {
    use std::cell::RefCell;
    let (t, dt) = (1.25, 0.5);
    let calls = RefCell::new(Vec::new());
    let f = |x: &f64, t: f64| {
        calls.borrow_mut().push(t);
        *x
    };
    euler(&1.0, t, dt, f);
    assert_eq!(calls.take(), vec![1.25]);
    rk2(&1.0, t, dt, f);
    assert_eq!(calls.take(), vec![1.25, 1.75]);
    rk4(&1.0, t, dt, f);
    assert_eq!(calls.take(), vec![1.25, 1.5, 1.5, 1.75]);
}

#[test]
fn one_step_of_each_method_matches_its_formula() {
    // dx/dt = x at x = 1: the Taylor polynomial of e^dt of the method's order.
    let dt: f64 = 0.5;
    let f = |x: &f64, _t: f64| *x;
    assert_eq!(euler(&1.0, 0.0, dt, f), 1.0 + dt);
    assert_eq!(rk2(&1.0, 0.0, dt, f), 1.0 + dt + dt * dt / 2.0);
    let taylor4 = 1.0 + dt + dt.powi(2) / 2.0 + dt.powi(3) / 6.0 + dt.powi(4) / 24.0;
    assert!((rk4(&1.0, 0.0, dt, f) - taylor4).abs() < 1e-15);
}

#[test]
fn the_integrators_work_in_single_precision() {
    let dt = 0.1_f32;
    let mut x = SVector::<f32, 3>::new(1.0, 2.0, -1.0);
    for k in 0..10 {
        x = rk4(&x, k as f64 * 0.1, dt, |x: &SVector<f32, 3>, _t| -x);
    }
    let exact = SVector::<f32, 3>::new(1.0, 2.0, -1.0) * (-1.0_f32).exp();
    assert!((x - exact).norm() < 1e-6, "{x} vs {exact}");
}

/// Integrates `dx/dt = cos t` with rk4, reading `t` from the loop.
struct Sine {
    x: f64,
}

impl DynamicalSystem for Sine {
    type Input = ();
    type Output = f64;

    fn update(&mut self, sh: &Shared, _: ()) -> f64 {
        self.x = rk4(&self.x, sh.time(), sh.dt, |_x: &f64, t| t.cos());
        self.x
    }

    fn reset_state(&mut self) {
        self.x = 0.0;
    }

    fn needs(&self) -> Needs {
        Needs::T
    }
}

#[test]
fn the_loop_time_drives_a_non_autonomous_system() {
    // Each row holds x((k + 1) dt) = sin((k + 1) dt); rk4 here is Simpson's rule, error ~ dt^4.
    let dt = 0.05;
    let h = LoopOverTime::new(Sine { x: 0.0 })
        .dt(dt)
        .run_duration(3.0)
        .unwrap();
    assert_eq!(h.steps, 60);
    for (k, x) in h.outputs.iter().enumerate() {
        let t = (k + 1) as f64 * dt;
        assert!((x - t.sin()).abs() < 1e-8, "step {k}: {x} vs {}", t.sin());
    }
    // Starting the clock elsewhere shifts the solution: x(t) = sin(t) - sin(t0).
    let t0 = 1.0;
    let h = LoopOverTime::new(Sine { x: 0.0 })
        .dt(dt)
        .t0(t0)
        .run_steps(40)
        .unwrap();
    let t = t0 + 40.0 * dt;
    assert!((h.outputs[39] - (t.sin() - t0.sin())).abs() < 1e-8);
}

/// The exact solution of dx/dt = a x + b after `t`, written independently of `exprel`.
fn linear_exact(x0: f64, a: f64, b: f64, t: f64) -> f64 {
    if a == 0.0 {
        x0 + b * t
    } else {
        x0 * (a * t).exp() + b * (a * t).exp_m1() / a
    }
}

fn assert_close(got: f64, exact: f64, what: &str) {
    let err = (got - exact).abs() / exact.abs().max(1.0);
    assert!(
        err < 1e-12,
        "{what}: {got} vs {exact} (relative error {err:e})"
    );
}

const RATES: [f64; 7] = [-50.0, -3.0, -0.5, 0.0, 0.2, 1.0, 1.5];
const DRIVES: [f64; 3] = [0.0, 2.0, -1.25];
const DTS: [f64; 4] = [0.01, 0.1, 0.5, 1.0];

#[test]
fn exp_euler_is_exact_on_linear_equations_in_one_step() {
    for a in RATES {
        for b in DRIVES {
            for dt in DTS {
                let x0 = 0.75;
                let got = exp_euler_scalar(x0, dt, a * x0 + b, a);
                assert_close(
                    got,
                    linear_exact(x0, a, b, dt),
                    &format!("a={a} b={b} dt={dt}"),
                );
            }
        }
    }
}

#[test]
fn exp_euler_stays_exact_over_many_steps() {
    for a in RATES {
        for b in DRIVES {
            for dt in [0.01_f64, 0.1, 0.25] {
                let (x0, t_end) = (-0.4, 3.0);
                let steps = (t_end / dt).round() as usize;
                let mut x = x0;
                for _ in 0..steps {
                    x = exp_euler_scalar(x, dt, a * x + b, a);
                }
                let t = steps as f64 * dt;
                assert_close(
                    x,
                    linear_exact(x0, a, b, t),
                    &format!("a={a} b={b} dt={dt}"),
                );
            }
        }
    }
}

#[test]
fn exp_euler_is_exact_where_euler_is_unstable() {
    // a dt = -50: forward Euler multiplies x by -49 each step; exponential Euler decays exactly.
    let (a, dt, x0) = (-50.0, 1.0, 1.0);
    let x = exp_euler_scalar(x0, dt, a * x0, a);
    assert_close(x, (-50.0_f64).exp(), "stiff decay");
    assert_eq!(euler(&x0, 0.0, dt, |x: &f64, _| a * x), -49.0);
}

#[test]
fn exp_euler_is_exact_element_by_element_on_a_matrix() {
    // Each element has its own rate and drive; the Jacobian's diagonal is the rates.
    let a = SMatrix::<f64, 2, 3>::new(-3.0, -0.5, 0.0, 0.2, 1.5, -50.0);
    let b = SMatrix::<f64, 2, 3>::new(1.0, -2.0, 0.5, 0.0, 3.0, -1.0);
    let x0 = SMatrix::<f64, 2, 3>::new(0.1, 0.2, -0.3, 0.4, -0.5, 0.6);
    for dt in DTS {
        let mut x = x0;
        for _ in 0..10 {
            let f = a.component_mul(&x) + b;
            x = exp_euler(&x, dt, &f, &a);
        }
        for r in 0..2 {
            for c in 0..3 {
                let exact = linear_exact(x0[(r, c)], a[(r, c)], b[(r, c)], 10.0 * dt);
                assert_close(x[(r, c)], exact, &format!("element ({r}, {c}), dt={dt}"));
            }
        }
    }
}

#[test]
fn exp_euler_is_exact_on_a_tuple_state() {
    // Two decoupled linear variables integrated together: x' = -2x + 1, v' = 0.5 v - 3 (v a vector).
    let (ax, bx) = (-2.0, 1.0);
    let (av, bv) = (0.5, -3.0);
    let dt = 0.2;
    let mut state = (1.5_f64, SVector::<f64, 2>::new(-1.0, 4.0));
    let jacobian = (ax, SVector::<f64, 2>::from_element(av));
    for _ in 0..25 {
        let f = (ax * state.0 + bx, state.1.map(|v| av * v + bv));
        state = exp_euler(&state, dt, &f, &jacobian);
    }
    let t = 25.0 * dt;
    assert_close(state.0, linear_exact(1.5, ax, bx, t), "x");
    assert_close(state.1[0], linear_exact(-1.0, av, bv, t), "v[0]");
    assert_close(state.1[1], linear_exact(4.0, av, bv, t), "v[1]");
}

#[test]
fn methods_have_stable_names() {
    let names: Vec<&str> = Method::ALL.iter().map(|m| m.name()).collect();
    assert_eq!(names, ["euler", "rk2", "rk4", "exp_euler"]);
    for m in Method::ALL {
        assert_eq!(Method::from_name(m.name()), Some(m));
    }
    assert_eq!(Method::from_name("exp_auto"), None);
}
