//! The classic fourth-order Runge–Kutta method. Order 4.

use super::OdeState;
use crate::Real;

/// One classic RK4 step of `dx/dt = f(x, t)` from `x` at time `t`:
/// `x + dt/6 (k1 + 2 k2 + 2 k3 + k4)`.
#[inline]
pub fn rk4<S: OdeState>(x: &S, t: f64, dt: S::Scalar, mut f: impl FnMut(&S, f64) -> S) -> S {
    let dt64 = dt.to_f64();
    let half = S::Scalar::of(0.5);
    let two = S::Scalar::of(2.0);
    let k1 = f(x, t);
    let k2 = f(&x.add_scaled(dt * half, &k1), t + dt64 * 0.5);
    let k3 = f(&x.add_scaled(dt * half, &k2), t + dt64 * 0.5);
    let k4 = f(&x.add_scaled(dt, &k3), t + dt64);
    let k12 = k1.zip_map(&k2, |a, b| a + two * b);
    let k34 = k3.zip_map(&k4, |a, b| two * a + b);
    let sixth_dt = dt / S::Scalar::of(6.0);
    x.zip_zip_map(&k12, &k34, |x, a, b| x + sixth_dt * (a + b))
}
