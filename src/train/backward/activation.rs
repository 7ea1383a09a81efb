//! [`Derivative`]: the derivative of each activation, from its input, and — for the activations
//! whose output determines it (relu, tanh, sigmoid, …) — from its output alone, so that a
//! recurrent cell needs to keep no pre-activation.

use crate::Real;
use crate::layers::{
    Activation, ElementFn, Elu, Gelu, HardSigmoid, HardTanh, Identity, LeakyRelu, LogSigmoid, Relu,
    Relu6, Selu, Sigmoid, Silu, Softplus, Softsign, Tanh, sigmoid,
};

/// The derivative of an element-wise function. At a kink (relu at 0) it takes the value of the
/// branch the function itself takes there, as JAX's rules do.
pub trait Derivative: ElementFn {
    /// `f'(x)`.
    fn derivative<T: Real>(&self, x: T) -> T;
}

const SELU_ALPHA: f64 = 1.673_263_242_354_377_3;
const SELU_SCALE: f64 = 1.050_700_987_355_480_5;

#[inline(always)]
fn d_relu<T: Real>(x: T) -> T {
    if x > T::zero() { T::one() } else { T::zero() }
}

#[inline(always)]
fn d_relu6<T: Real>(x: T) -> T {
    if x > T::of(6.0) { T::zero() } else { d_relu(x) }
}

#[inline(always)]
fn d_leaky_relu<T: Real>(x: T, slope: T) -> T {
    if x >= T::zero() { T::one() } else { slope }
}

#[inline(always)]
fn d_elu<T: Real>(x: T, alpha: T) -> T {
    if x > T::zero() {
        T::one()
    } else {
        alpha * x.exp()
    }
}

#[inline(always)]
fn d_sigmoid<T: Real>(x: T) -> T {
    let s = sigmoid(x);
    s * (T::one() - s)
}

#[inline(always)]
fn d_tanh<T: Real>(x: T) -> T {
    let t = x.tanh();
    T::one() - t * t
}

#[inline(always)]
fn d_gelu<T: Real>(x: T) -> T {
    let c = T::of(0.797_884_560_802_865_4);
    let k = T::of(0.044_715);
    let half = T::of(0.5);
    let t = (c * (x + k * x * x * x)).tanh();
    half * (T::one() + t) + half * x * (T::one() - t * t) * c * (T::one() + T::of(3.0) * k * x * x)
}

#[inline(always)]
fn d_softsign<T: Real>(x: T) -> T {
    let d = T::one() + x.abs();
    T::one() / (d * d)
}

#[inline(always)]
fn d_silu<T: Real>(x: T) -> T {
    let s = sigmoid(x);
    s * (T::one() + x * (T::one() - s))
}

#[inline(always)]
fn d_hard_tanh<T: Real>(x: T) -> T {
    if x > T::one() || x < -T::one() {
        T::zero()
    } else {
        T::one()
    }
}

#[inline(always)]
fn d_hard_sigmoid<T: Real>(x: T) -> T {
    d_relu6(x + T::of(3.0)) / T::of(6.0)
}

impl Derivative for Activation {
    #[inline(always)]
    fn derivative<T: Real>(&self, x: T) -> T {
        match *self {
            Activation::Identity => T::one(),
            Activation::Relu => d_relu(x),
            Activation::Relu6 => d_relu6(x),
            Activation::LeakyRelu(slope) => d_leaky_relu(x, T::of(slope)),
            Activation::Elu(alpha) => d_elu(x, T::of(alpha)),
            Activation::Selu => T::of(SELU_SCALE) * d_elu(x, T::of(SELU_ALPHA)),
            Activation::Gelu => d_gelu(x),
            Activation::Softplus => sigmoid(x),
            Activation::Softsign => d_softsign(x),
            Activation::Silu => d_silu(x),
            Activation::Sigmoid => d_sigmoid(x),
            Activation::Tanh => d_tanh(x),
            Activation::HardTanh => d_hard_tanh(x),
            Activation::HardSigmoid => d_hard_sigmoid(x),
            Activation::LogSigmoid => sigmoid(-x),
        }
    }
}

macro_rules! unit_derivatives {
    ($($name:ident => $variant:expr),* $(,)?) => {$(
        impl Derivative for $name {
            #[inline(always)]
            fn derivative<T: Real>(&self, x: T) -> T {
                $variant.derivative(x)
            }
        }
    )*};
}

unit_derivatives! {
    Identity => Activation::Identity,
    Relu => Activation::Relu,
    Relu6 => Activation::Relu6,
    Selu => Activation::Selu,
    Gelu => Activation::Gelu,
    Softplus => Activation::Softplus,
    Softsign => Activation::Softsign,
    Silu => Activation::Silu,
    Sigmoid => Activation::Sigmoid,
    Tanh => Activation::Tanh,
    HardTanh => Activation::HardTanh,
    HardSigmoid => Activation::HardSigmoid,
    LogSigmoid => Activation::LogSigmoid,
}

impl Derivative for LeakyRelu {
    fn derivative<T: Real>(&self, x: T) -> T {
        Activation::LeakyRelu(self.0).derivative(x)
    }
}

impl Derivative for Elu {
    fn derivative<T: Real>(&self, x: T) -> T {
        Activation::Elu(self.0).derivative(x)
    }
}

/// Multiplies each `d` by `f'(x)` where `y = f(x)`, computed from `y` alone; `false` (and `d`
/// untouched) when `y` does not determine `f'(x)` (gelu, silu, a non-positive slope or alpha).
#[inline(always)]
pub(crate) fn scale_by_derivative_from_output<T: Real>(
    f: Activation,
    d: &mut [T],
    y: &[T],
) -> bool {
    #[inline(always)]
    fn each<T: Real>(d: &mut [T], y: &[T], f: impl Fn(T) -> T) -> bool {
        for (d, y) in d.iter_mut().zip(y) {
            *d *= f(*y);
        }
        true
    }
    let (zero, one) = (T::zero(), T::one());
    match f {
        Activation::Identity => true,
        Activation::Relu => each(d, y, |y| if y > zero { one } else { zero }),
        Activation::Relu6 => each(d, y, |y| {
            if y > zero && y < T::of(6.0) {
                one
            } else {
                zero
            }
        }),
        Activation::LeakyRelu(slope) if slope > 0.0 => {
            let slope = T::of(slope);
            each(d, y, |y| if y >= zero { one } else { slope })
        }
        Activation::Elu(alpha) if alpha > 0.0 => {
            let alpha = T::of(alpha);
            each(d, y, |y| if y > zero { one } else { y + alpha })
        }
        Activation::Selu => {
            let (scale, alpha) = (T::of(SELU_SCALE), T::of(SELU_ALPHA));
            each(d, y, |y| if y > zero { scale } else { y + scale * alpha })
        }
        // y = log(1 + e^x): f'(x) = sigmoid(x) = 1 - e^(-y).
        Activation::Softplus => each(d, y, |y| -(-y).exp_m1()),
        // |y| = |x| / (1 + |x|): f'(x) = (1 - |y|)².
        Activation::Softsign => each(d, y, |y| (one - y.abs()) * (one - y.abs())),
        Activation::Sigmoid => each(d, y, |y| y * (one - y)),
        Activation::Tanh => each(d, y, |y| one - y * y),
        Activation::HardTanh => each(d, y, |y| if y.abs() < one { one } else { zero }),
        Activation::HardSigmoid => {
            let sixth = T::of(1.0 / 6.0);
            each(d, y, |y| if y > zero && y < one { sixth } else { zero })
        }
        // y = log(sigmoid(x)): f'(x) = 1 - sigmoid(x) = 1 - e^y.
        Activation::LogSigmoid => each(d, y, |y| -y.exp_m1()),
        Activation::LeakyRelu(_) | Activation::Elu(_) | Activation::Gelu | Activation::Silu => {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Activation; 15] = [
        Activation::Identity,
        Activation::Relu,
        Activation::Relu6,
        Activation::LeakyRelu(0.01),
        Activation::Elu(1.0),
        Activation::Selu,
        Activation::Gelu,
        Activation::Softplus,
        Activation::Softsign,
        Activation::Silu,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::HardTanh,
        Activation::HardSigmoid,
        Activation::LogSigmoid,
    ];

    /// Points away from every kink (0, ±1, ±3, 6).
    const XS: [f64; 10] = [-7.3, -3.4, -2.2, -0.7, -0.13, 0.21, 0.9, 2.5, 4.1, 6.6];

    #[test]
    fn derivatives_match_central_differences() {
        let h = 1e-6;
        for f in ALL {
            for x in XS {
                let fd = (f.apply(x + h) - f.apply(x - h)) / (2.0 * h);
                let d = f.derivative(x);
                assert!(
                    (d - fd).abs() <= 1e-8 * (1.0 + fd.abs()),
                    "{f:?} at {x}: {d} vs {fd}"
                );
            }
        }
    }

    #[test]
    fn derivatives_from_outputs_match_those_from_inputs() {
        for f in ALL {
            let ys: Vec<f64> = XS.iter().map(|&x| f.apply(x)).collect();
            let mut d = [1.0; XS.len()];
            if scale_by_derivative_from_output(f, &mut d, &ys) {
                for (x, d) in XS.iter().zip(d) {
                    let expected = f.derivative(*x);
                    assert!(
                        (d - expected).abs() <= 1e-12 * (1.0 + expected.abs()),
                        "{f:?} at {x}: {d} vs {expected}"
                    );
                }
            } else {
                assert!(matches!(f, Activation::Gelu | Activation::Silu), "{f:?}");
            }
        }
    }
}
