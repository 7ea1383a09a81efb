//! Exponential Euler (BrainPy's `exp_auto`): for each variable with derivative `f` and
//! `A = ∂f/∂x`, both at the old values, `x_new = x + dt * exprel(dt * A) * f`. Exact on linear
//! equations `dx/dt = a x + b`; order 1 otherwise.
//!
//! The factor `exprel(z)`, `z = dt * A`, is [`exp_euler_factor`]: [`exprel_near`]'s rational
//! form where `|z| <=` [`EXPREL_NEAR`] ([`is_near`]), [`exprel`] elsewhere, chosen element by
//! element. A caller that knows every `z` of a loop is near (the element driver, block by block)
//! says so, and the loop computes the near form alone: the same bits, about half the operations.

use super::OdeState;
use crate::Real;
use crate::math::{EXPREL_NEAR, exprel, exprel_near};

/// Whether exponential Euler's argument `z = dt * A` is near 0: `|z| <=` [`EXPREL_NEAR`], where
/// [`exp_euler_factor`] takes [`exprel_near`]'s form. False for NaN.
#[inline(always)]
pub fn is_near<T: Real>(z: T) -> bool {
    z.abs() <= T::of(EXPREL_NEAR)
}

/// Exponential Euler's factor `exprel(z)`: [`exprel_near`] where [`is_near`]`(z)`, else
/// [`exprel`]. `all_near` says that the caller knows `is_near(z)` (then only the near form is
/// computed); either way the result is the same bits.
#[inline(always)]
pub fn exp_euler_factor<T: Real>(z: T, all_near: bool) -> T {
    if all_near || is_near(z) {
        exprel_near(z)
    } else {
        exprel(z)
    }
}

/// One variable of one element, as the first pass of a two-pass step hands it to the second:
/// its derivative `f` and exponential Euler's argument `z = dt * ∂f/∂x` — or, once the element
/// driver has computed it for a whole block (`loop_core::elements::Linear`), the factor
/// `exprel(z)` in place of `z`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ExpEulerPart<T> {
    /// The derivative at the old values.
    pub f: T,
    /// `dt * ∂f/∂x` at the old values, or its factor [`exp_euler_factor`] when `factored`.
    pub z: T,
    /// `z` holds the factor already.
    pub factored: bool,
}

impl<T: Real> ExpEulerPart<T> {
    /// The part of a variable with derivative `f` and linear part `a`, at step `dt`.
    #[inline(always)]
    pub fn new(dt: T, (f, a): (T, T)) -> Self {
        ExpEulerPart {
            f,
            z: dt * a,
            factored: false,
        }
    }

    /// The part with its factor in place of `z` (a branch: for one element at a time).
    #[inline(always)]
    pub fn factor(self) -> Self {
        let z = if is_near(self.z) {
            exp_euler_factor(self.z, true)
        } else {
            exp_euler_factor(self.z, false)
        };
        ExpEulerPart {
            f: self.f,
            z,
            factored: true,
        }
    }

    /// The variable's new value from its old `x`: `x + dt * exprel(z) * f`.
    #[inline(always)]
    pub fn step(self, x: T, dt: T) -> T {
        let factor = if self.factored {
            self.z
        } else {
            exp_euler_factor(self.z, false)
        };
        x + dt * factor * self.f
    }
}

/// One exponential-Euler step of one element: `x + dt * exprel(dt * a) * f`, where `f` is the
/// derivative and `a = ∂f/∂x`, both at the old values.
#[inline]
pub fn exp_euler_scalar<T: Real>(x: T, dt: T, f: T, a: T) -> T {
    ExpEulerPart::new(dt, (f, a)).step(x, dt)
}

/// One exponential-Euler step of a whole state, element by element: `f` holds the derivatives
/// and `a` the diagonal of the Jacobian (`∂f_k/∂x_k`), all evaluated at the old `x`.
#[inline]
pub fn exp_euler<S: OdeState>(x: &S, dt: S::Scalar, f: &S, a: &S) -> S {
    x.zip_zip_map(f, a, |x, f, a| exp_euler_scalar(x, dt, f, a))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Arguments on both sides of the near bound, and the edges.
    const ARGUMENTS: [f64; 12] = [
        -3.0, -1.0000001, -1.0, -0.42, -1e-3, -1e-9, 0.0, 1e-9, 0.3, 1.0, 1.0000001, 4.0,
    ];

    #[test]
    fn the_factor_is_exprel_near_within_the_bound_and_exprel_beyond() {
        for z in ARGUMENTS {
            let expected = if z.abs() <= 1.0 {
                exprel_near(z)
            } else {
                exprel(z)
            };
            assert_eq!(
                exp_euler_factor(z, false).to_bits(),
                expected.to_bits(),
                "{z}"
            );
            if is_near(z) {
                assert_eq!(
                    exp_euler_factor(z, true).to_bits(),
                    expected.to_bits(),
                    "{z}"
                );
            }
        }
        assert!(exp_euler_factor(f64::NAN, false).is_nan());
        assert!(!is_near(f64::NAN));
    }

    #[test]
    fn a_linear_equation_is_solved_exactly() {
        // dx/dt = a x + b from x0: x(dt) = x0 + dt exprel(a dt) (a x0 + b).
        for (a, b) in [(-0.5_f64, 2.0), (-30.0, 1.0), (2.0, -1.0), (-0.02, 3.0)] {
            let (x0, dt) = (1.5, 0.1);
            let exact = (x0 + b / a) * (a * dt).exp() - b / a;
            let step = exp_euler_scalar(x0, dt, a * x0 + b, a);
            assert!(
                (step - exact).abs() <= 1e-12 * exact.abs().max(1.0),
                "{a}: {step} {exact}"
            );
        }
    }
}
