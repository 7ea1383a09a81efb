//! [`Surrogate`]: the derivative a spiking neuron's Heaviside step pretends to have in the
//! backward pass (BrainPy's `bm.surrogate`, from braintools). Forward, a spike is still
//! `x >= 0`; backward, `∂spike/∂x` is the surrogate's smooth bump around 0.

use crate::{InitFrom, Real};

/// A surrogate gradient for the spike function `H(x) = [x >= 0]`, with its sharpness `alpha`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Surrogate {
    /// `1 / (alpha |x| + 1)²` (BrainPy's `InvSquareGrad`, the default of its LIF in training
    /// mode, with alpha = 100).
    InvSquare(f64),
    /// `alpha σ(alpha x) (1 − σ(alpha x))` (BrainPy's `Sigmoid`, alpha = 4 by default).
    Sigmoid(f64),
    /// `alpha / (2 (1 + (π/2 · alpha x)²))` (BrainPy's `Arctan`, alpha = 1 by default).
    Arctan(f64),
}

impl Default for Surrogate {
    /// BrainPy's LIF default: `InvSquare(100.0)`.
    fn default() -> Self {
        Surrogate::InvSquare(100.0)
    }
}

impl Surrogate {
    /// The spike itself: `1` when `x >= 0`, else `0`.
    #[inline]
    pub fn spike<T: Real>(self, x: T) -> T {
        if x >= T::zero() { T::one() } else { T::zero() }
    }

    /// The surrogate derivative at `x`.
    #[inline]
    pub fn grad<T: Real>(self, x: T) -> T {
        let one = T::one();
        match self {
            Surrogate::InvSquare(alpha) => {
                let d = T::of(alpha) * x.abs() + one;
                one / (d * d)
            }
            Surrogate::Sigmoid(alpha) => {
                let alpha = T::of(alpha);
                let s = crate::layers::sigmoid(alpha * x);
                alpha * s * (one - s)
            }
            Surrogate::Arctan(alpha) => {
                let alpha = T::of(alpha);
                let u = T::of(core::f64::consts::FRAC_PI_2) * alpha * x;
                alpha * T::of(0.5) / (one + u * u)
            }
        }
    }
}

/// A surrogate is a parameter value of itself (`#[param(default = Surrogate::InvSquare(100.0))]`).
impl InitFrom<Surrogate> for Surrogate {
    fn init_from(source: Surrogate) -> Surrogate {
        source
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each surrogate is the derivative of BrainPy's smooth forward function.
    #[test]
    fn surrogates_are_derivatives_of_their_smooth_functions() {
        let smooth = |s: Surrogate, x: f64| match s {
            Surrogate::InvSquare(a) => {
                if x >= 0.0 {
                    1.0 - 1.0 / (a * x + 1.0) / a
                } else {
                    1.0 / (a * -x + 1.0) / a
                }
            }
            Surrogate::Sigmoid(a) => 1.0 / (1.0 + (-a * x).exp()),
            Surrogate::Arctan(a) => {
                (core::f64::consts::FRAC_PI_2 * a * x).atan() / core::f64::consts::PI + 0.5
            }
        };
        for s in [
            Surrogate::InvSquare(100.0),
            Surrogate::Sigmoid(4.0),
            Surrogate::Arctan(1.0),
        ] {
            for x in [-0.7, -0.05, 0.02, 0.3, 1.5] {
                let h = 1e-7;
                let fd = (smooth(s, x + h) - smooth(s, x - h)) / (2.0 * h);
                assert!(
                    (s.grad(x) - fd).abs() < 1e-6 * (1.0 + fd.abs()),
                    "{s:?} at {x}"
                );
            }
        }
        assert_eq!(Surrogate::default().grad(0.0_f64), 1.0);
        assert_eq!(Surrogate::default().spike(0.0_f64), 1.0);
        assert_eq!(Surrogate::default().spike(-1e-12_f64), 0.0);
    }
}
