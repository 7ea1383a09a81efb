//! Heun's method (BrainPy's `rk2`, the explicit trapezoid): `k1 = f(x, t)`,
//! `k2 = f(x + dt k1, t + dt)`, `x(t + dt) = x + dt/2 (k1 + k2)`. Order 2.

use super::OdeState;
use crate::Real;

/// One Heun step of `dx/dt = f(x, t)` from `x` at time `t`.
#[inline]
pub fn rk2<S: OdeState>(x: &S, t: f64, dt: S::Scalar, mut f: impl FnMut(&S, f64) -> S) -> S {
    let dt64 = dt.to_f64();
    let k1 = f(x, t);
    let k2 = f(&x.add_scaled(dt, &k1), t + dt64);
    let half_dt = dt * S::Scalar::of(0.5);
    x.zip_zip_map(&k1, &k2, |x, k1, k2| x + half_dt * (k1 + k2))
}
