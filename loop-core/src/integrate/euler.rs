//! Forward Euler: `x(t + dt) = x + dt * f(x, t)`. Order 1.

use super::OdeState;

/// One forward-Euler step of `dx/dt = f(x, t)` from `x` at time `t`.
#[inline]
pub fn euler<S: OdeState>(x: &S, t: f64, dt: S::Scalar, mut f: impl FnMut(&S, f64) -> S) -> S {
    x.add_scaled(dt, &f(x, t))
}
