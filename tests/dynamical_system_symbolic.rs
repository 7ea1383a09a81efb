//! The ∂f/∂x that `#[dynamical_system(method = exp_euler)]` derives symbolically at compile time
//! agrees with a central finite difference of the user's own equation, over many kinds of
//! expressions, at many points.

use looptime::math::exprel;
use looptime::nalgebra::SVector;
use looptime::prelude::*;

/// One state per kind of expression; each equation reads its own state and a few others.
#[dynamical_system(inputs(i))]
struct Zoo {
    #[param(default = 0.7)]
    a: f64,
    #[param(default = 1.3)]
    p: f64,
    #[state(init = 1.0)]
    x1: SVector<f64, 1>,
    #[state(init = 1.0)]
    x2: SVector<f64, 1>,
    #[state(init = 1.0)]
    x3: SVector<f64, 1>,
    #[state(init = 1.0)]
    x4: SVector<f64, 1>,
    #[state(init = 1.0)]
    x5: SVector<f64, 1>,
    #[state(init = 1.0)]
    x6: SVector<f64, 1>,
    #[state(init = 1.0)]
    x7: SVector<f64, 1>,
    #[state(init = 1.0)]
    x8: SVector<f64, 1>,
    #[state(init = 1.0)]
    x9: SVector<f64, 1>,
    #[state(init = 1.0)]
    x10: SVector<f64, 1>,
    #[state(init = 1.0)]
    x11: SVector<f64, 1>,
    #[state(init = 1.0)]
    x12: SVector<f64, 1>,
    #[state(init = 1.0)]
    x13: SVector<f64, 1>,
    #[state(init = 1.0)]
    x14: SVector<f64, 1>,
}

#[dynamical_system(method = exp_euler)]
impl Zoo {
    /// Each element after its equations: nothing more.
    #[update]
    fn step(&self, _sh: &Shared, _new: &mut ZooElement) {}

    /// Izhikevich's polynomial.
    #[ode(x1)]
    fn d1(&self, x1: f64, x2: f64, i: f64) -> f64 {
        0.04 * x1 * x1 + 5.0 * x1 + 140.0 - x2 + i
    }

    /// A quotient with the variable above and below.
    #[ode(x2)]
    fn d2(&self, x2: f64) -> f64 {
        (self.a - x2) / (1.0 + x2 * x2)
    }

    /// exp of an expression of the variable.
    #[ode(x3)]
    fn d3(&self, x3: f64) -> f64 {
        -x3 * (-(x3 + 4.0) / 10.0).exp()
    }

    /// An HH gate: the rates depend on another state (a constant here), so ∂/∂x = -(α + β).
    #[ode(x4)]
    fn d4(&self, x4: f64, x1: f64) -> f64 {
        let alpha = 1.0 / exprel(-(x1 + 40.0) / 10.0);
        let beta = 4.0 * (-(x1 + 65.0) / 18.0).exp();
        alpha * (1.0 - x4) - beta * x4
    }

    /// exprel of the variable itself.
    #[ode(x5)]
    fn d5(&self, x5: f64) -> f64 {
        0.1 * exprel(-(x5 + 0.5) / 2.0) - x5
    }

    /// Integer powers.
    #[ode(x6)]
    fn d6(&self, x6: f64) -> f64 {
        -x6.powi(3) + x6.powi(2) * 2.0
    }

    /// Real powers, including a power that depends on the variable.
    #[ode(x7)]
    fn d7(&self, x7: f64) -> f64 {
        x7.powf(1.5) - x7.powf(self.p) + x7.powf(0.5 * x7)
    }

    /// A logarithm times the variable.
    #[ode(x8)]
    fn d8(&self, x8: f64) -> f64 {
        (x8 + 2.0).ln() * x8
    }

    /// A square root.
    #[ode(x9)]
    fn d9(&self, x9: f64) -> f64 {
        (x9 * x9 + 1.0).sqrt() - x9
    }

    /// tanh, as in rate models.
    #[ode(x10)]
    fn d10(&self, x10: f64, i: f64) -> f64 {
        (2.0 * x10 + i).tanh() - 0.5 * x10
    }

    /// `let` bindings, one of them shadowing another.
    #[ode(x11)]
    fn d11(&self, x11: f64) -> f64 {
        let y = x11 * 2.0;
        let y = y * y + x11;
        let z = self.a * 3.0;
        y / (z + x11 * x11)
    }

    /// Trigonometry and a reciprocal.
    #[ode(x12)]
    fn d12(&self, x12: f64) -> f64 {
        x12.sin() * x12.cos() + (x12 + 3.0).recip()
    }

    /// Casts, unary minus, nested parentheses and a constant call.
    #[ode(x13)]
    #[allow(clippy::unnecessary_cast)]
    fn d13(&self, x13: f64) -> f64 {
        -((x13 as f64) * (-(x13 - 1.0))) + f64::max(self.a, 0.2)
    }

    /// exp_m1 and division by a dependent expression.
    #[ode(x14)]
    fn d14(&self, x14: f64) -> f64 {
        x14.exp_m1() / (x14 + 3.0) - 1.0 / (x14 + 4.0)
    }
}

/// Central difference of `f` at `x`.
fn central(f: impl Fn(f64) -> f64, x: f64) -> f64 {
    let h = 1e-6 * x.abs().max(1.0);
    (f(x + h) - f(x - h)) / (2.0 * h)
}

fn agree(name: &str, x: f64, (value, derivative): (f64, f64), f: impl Fn(f64) -> f64) {
    assert!(
        (value - f(x)).abs() <= 1e-14 * (1.0 + value.abs()),
        "{name}: the linearized value {value} is not the equation's {}",
        f(x)
    );
    let fd = central(&f, x);
    assert!(
        (derivative - fd).abs() <= 1e-6 * (1.0 + fd.abs()),
        "{name} at x = {x}: symbolic ∂f/∂x = {derivative}, finite difference = {fd}"
    );
}

const POINTS: [f64; 6] = [0.3, 0.55, 1.0, 1.7, 2.4, 3.1];

#[test]
fn polynomial_quotient_and_exp() {
    let m = Zoo::new();
    for x in POINTS {
        agree("x1", x, m.linearize_x1(x, 0.4, 7.0), |x| m.d1(x, 0.4, 7.0));
        agree("x2", x, m.linearize_x2(x), |x| m.d2(x));
        agree("x3", x, m.linearize_x3(x), |x| m.d3(x));
    }
}

#[test]
fn hh_gate_rates_are_constants_of_the_gate() {
    let m = Zoo::new();
    for (x, v) in [(0.05, -65.0), (0.3, -40.0), (0.9, 10.0)] {
        let (_, a) = m.linearize_x4(x, v);
        let alpha = 1.0 / exprel(-(v + 40.0) / 10.0);
        let beta = 4.0 * (-(v + 65.0) / 18.0).exp();
        assert!(
            (a + alpha + beta).abs() < 1e-12,
            "∂/∂m = {a}, expected {}",
            -(alpha + beta)
        );
        agree("x4", x, m.linearize_x4(x, v), |x| m.d4(x, v));
    }
}

#[test]
fn exprel_powers_and_logarithms() {
    let m = Zoo::new();
    for x in POINTS {
        agree("x5", x, m.linearize_x5(x), |x| m.d5(x));
        agree("x6", x, m.linearize_x6(x), |x| m.d6(x));
        agree("x7", x, m.linearize_x7(x), |x| m.d7(x));
        agree("x8", x, m.linearize_x8(x), |x| m.d8(x));
    }
    // exprel's argument passes through 0 at x5 = -0.5, where the series takes over.
    for x in [-0.5, -0.5 + 1e-9, -0.45] {
        agree("x5 near exprel(0)", x, m.linearize_x5(x), |x| m.d5(x));
    }
}

#[test]
fn roots_tanh_lets_trigonometry_casts_and_quotients() {
    let m = Zoo::new();
    for x in POINTS.iter().map(|x| x - 1.0) {
        agree("x9", x, m.linearize_x9(x), |x| m.d9(x));
        agree("x10", x, m.linearize_x10(x, 0.2), |x| m.d10(x, 0.2));
        agree("x11", x, m.linearize_x11(x), |x| m.d11(x));
        agree("x12", x, m.linearize_x12(x), |x| m.d12(x));
        agree("x13", x, m.linearize_x13(x), |x| m.d13(x));
        agree("x14", x, m.linearize_x14(x), |x| m.d14(x));
    }
}

#[test]
fn exp_euler_uses_the_derived_linear_part() {
    // One integrate() step of x2 is x + dt·exprel(dt·A)·f with the (f, A) above.
    let mut m = Zoo::new();
    let x = m.x2[0];
    let (f, a) = m.linearize_x2(x);
    let dt = 0.1;
    let zero = SVector::<f64, 1>::zeros();
    m.integrate(dt, &zero);
    assert_eq!(m.x2[0], x + dt * exprel(dt * a) * f);
}
