//! Exponential Euler (BrainPy's `exp_auto`): for each variable with derivative `f` and
//! `A = ∂f/∂x`, both at the old values, `x_new = x + dt * exprel(dt * A) * f`. Exact on linear
//! equations `dx/dt = a x + b`; order 1 otherwise.

use super::OdeState;
use crate::Real;
use crate::math::exprel;

/// One exponential-Euler step of one element: `x + dt * exprel(dt * a) * f`, where `f` is the
/// derivative and `a = ∂f/∂x`, both at the old values.
#[inline]
pub fn exp_euler_scalar<T: Real>(x: T, dt: T, f: T, a: T) -> T {
    x + dt * exprel(dt * a) * f
}

/// One exponential-Euler step of a whole state, element by element: `f` holds the derivatives
/// and `a` the diagonal of the Jacobian (`∂f_k/∂x_k`), all evaluated at the old `x`.
#[inline]
pub fn exp_euler<S: OdeState>(x: &S, dt: S::Scalar, f: &S, a: &S) -> S {
    x.zip_zip_map(f, a, |x, f, a| exp_euler_scalar(x, dt, f, a))
}
