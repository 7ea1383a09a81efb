//! Activation functions, element by element: as plain functions of a scalar ([`relu`],
//! [`tanh`], …), as a value that names one ([`Activation`], what a recurrent cell applies), and as
//! unit structs ([`Relu`], [`Tanh`], …) that `sequential!` turns into stateless layers.
//!
//! The formulas are JAX's (`jax.nn.*`), which BrainPy uses: `gelu` is the tanh approximation
//! (JAX's default), `softplus` is `log(1 + exp(x))` computed without overflow.

use crate::Real;

/// `x`.
#[inline]
pub fn identity<T: Real>(x: T) -> T {
    x
}

/// `max(x, 0)`.
#[inline]
pub fn relu<T: Real>(x: T) -> T {
    if x > T::zero() { x } else { T::zero() }
}

/// `min(max(x, 0), 6)`.
#[inline]
pub fn relu6<T: Real>(x: T) -> T {
    let six = T::of(6.0);
    if x > six { six } else { relu(x) }
}

/// `x` for `x >= 0`, `slope · x` below (BrainPy's default slope is 0.01).
#[inline]
pub fn leaky_relu<T: Real>(x: T, slope: T) -> T {
    if x >= T::zero() { x } else { slope * x }
}

/// `x` for `x > 0`, `alpha · (exp(x) - 1)` otherwise (BrainPy's default alpha is 1).
#[inline]
pub fn elu<T: Real>(x: T, alpha: T) -> T {
    if x > T::zero() { x } else { alpha * x.exp_m1() }
}

/// The scaled ELU of Klambauer et al.: `scale · elu(x, alpha)` with their two constants.
#[inline]
pub fn selu<T: Real>(x: T) -> T {
    const ALPHA: f64 = 1.673_263_242_354_377_3;
    const SCALE: f64 = 1.050_700_987_355_480_5;
    T::of(SCALE) * elu(x, T::of(ALPHA))
}

/// The logistic function `1 / (1 + exp(-x))`.
#[inline]
pub fn sigmoid<T: Real>(x: T) -> T {
    T::one() / (T::one() + (-x).exp())
}

/// The hyperbolic tangent.
#[inline]
pub fn tanh<T: Real>(x: T) -> T {
    x.tanh()
}

/// GELU, tanh approximation (JAX's default): `x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³)))`.
#[inline]
pub fn gelu<T: Real>(x: T) -> T {
    let c = T::of(0.797_884_560_802_865_4); // sqrt(2 / pi)
    let inner = c * (x + T::of(0.044_715) * x * x * x);
    T::of(0.5) * x * (T::one() + inner.tanh())
}

/// `log(1 + exp(x))`, as `max(x, 0) + log(1 + exp(-|x|))` so that it never overflows.
#[inline]
pub fn softplus<T: Real>(x: T) -> T {
    relu(x) + (-x.abs()).exp().ln_1p()
}

/// `x / (1 + |x|)`.
#[inline]
pub fn softsign<T: Real>(x: T) -> T {
    x / (T::one() + x.abs())
}

/// SiLU (swish): `x · sigmoid(x)`.
#[inline]
pub fn silu<T: Real>(x: T) -> T {
    x * sigmoid(x)
}

/// `x` clipped to `[-1, 1]`.
#[inline]
pub fn hard_tanh<T: Real>(x: T) -> T {
    let one = T::one();
    if x > one {
        one
    } else if x < -one {
        -one
    } else {
        x
    }
}

/// `relu6(x + 3) / 6` (JAX's hard sigmoid).
#[inline]
pub fn hard_sigmoid<T: Real>(x: T) -> T {
    relu6(x + T::of(3.0)) / T::of(6.0)
}

/// `log(sigmoid(x)) = -softplus(-x)`.
#[inline]
pub fn log_sigmoid<T: Real>(x: T) -> T {
    -softplus(-x)
}

/// A function applied to every element: an [`Activation`], or one of the unit structs
/// ([`Relu`], [`Tanh`], …) that `sequential!` accepts as layers.
pub trait ElementFn {
    /// The function at `x`.
    fn apply<T: Real>(&self, x: T) -> T;
}

/// Which activation a layer applies (BrainPy's `activation='relu'`, …). Parameterized ones carry
/// their parameter as `f64`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    /// [`identity`].
    Identity,
    /// [`relu`].
    Relu,
    /// [`relu6`].
    Relu6,
    /// [`leaky_relu`] with this slope.
    LeakyRelu(f64),
    /// [`elu`] with this alpha.
    Elu(f64),
    /// [`selu`].
    Selu,
    /// [`gelu`].
    Gelu,
    /// [`softplus`].
    Softplus,
    /// [`softsign`].
    Softsign,
    /// [`silu`].
    Silu,
    /// [`sigmoid`].
    Sigmoid,
    /// [`tanh`].
    Tanh,
    /// [`hard_tanh`].
    HardTanh,
    /// [`hard_sigmoid`].
    HardSigmoid,
    /// [`log_sigmoid`].
    LogSigmoid,
}

impl Activation {
    /// The activation at `x`.
    #[inline]
    pub fn apply<T: Real>(self, x: T) -> T {
        match self {
            Activation::Identity => identity(x),
            Activation::Relu => relu(x),
            Activation::Relu6 => relu6(x),
            Activation::LeakyRelu(slope) => leaky_relu(x, T::of(slope)),
            Activation::Elu(alpha) => elu(x, T::of(alpha)),
            Activation::Selu => selu(x),
            Activation::Gelu => gelu(x),
            Activation::Softplus => softplus(x),
            Activation::Softsign => softsign(x),
            Activation::Silu => silu(x),
            Activation::Sigmoid => sigmoid(x),
            Activation::Tanh => tanh(x),
            Activation::HardTanh => hard_tanh(x),
            Activation::HardSigmoid => hard_sigmoid(x),
            Activation::LogSigmoid => log_sigmoid(x),
        }
    }

    /// Applies the activation to every element of `values`, choosing the function once rather
    /// than per element.
    pub fn apply_slice<T: Real>(self, values: &mut [T]) {
        fn each<T: Real>(values: &mut [T], f: impl Fn(T) -> T) {
            for v in values {
                *v = f(*v);
            }
        }
        match self {
            Activation::Identity => {}
            Activation::Relu => each(values, relu),
            Activation::Relu6 => each(values, relu6),
            Activation::LeakyRelu(slope) => {
                let slope = T::of(slope);
                each(values, |x| leaky_relu(x, slope))
            }
            Activation::Elu(alpha) => {
                let alpha = T::of(alpha);
                each(values, |x| elu(x, alpha))
            }
            Activation::Selu => each(values, selu),
            Activation::Gelu => each(values, gelu),
            Activation::Softplus => each(values, softplus),
            Activation::Softsign => each(values, softsign),
            Activation::Silu => each(values, silu),
            Activation::Sigmoid => each(values, sigmoid),
            Activation::Tanh => each(values, tanh),
            Activation::HardTanh => each(values, hard_tanh),
            Activation::HardSigmoid => each(values, hard_sigmoid),
            Activation::LogSigmoid => each(values, log_sigmoid),
        }
    }
}

impl ElementFn for Activation {
    #[inline]
    fn apply<T: Real>(&self, x: T) -> T {
        Activation::apply(*self, x)
    }
}

/// An activation is a parameter value of itself (for `#[param(default = Activation::Relu)]`).
impl crate::InitFrom<Activation> for Activation {
    fn init_from(source: Activation) -> Activation {
        source
    }
}

macro_rules! unit_activations {
    ($($name:ident => $f:ident),* $(,)?) => {$(
        #[doc = concat!("[`", stringify!($f), "`] as a layer of `sequential!` (`l2: ", stringify!($name), "`).")]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;

        impl ElementFn for $name {
            #[inline]
            fn apply<T: Real>(&self, x: T) -> T {
                $f(x)
            }
        }
    )*};
}

unit_activations! {
    Identity => identity,
    Relu => relu,
    Relu6 => relu6,
    Selu => selu,
    Gelu => gelu,
    Softplus => softplus,
    Softsign => softsign,
    Silu => silu,
    Sigmoid => sigmoid,
    Tanh => tanh,
    HardTanh => hard_tanh,
    HardSigmoid => hard_sigmoid,
    LogSigmoid => log_sigmoid,
}

/// [`leaky_relu`] with this slope, as a layer of `sequential!` (`l2: LeakyRelu(0.01)`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LeakyRelu(pub f64);

impl ElementFn for LeakyRelu {
    #[inline]
    fn apply<T: Real>(&self, x: T) -> T {
        leaky_relu(x, T::of(self.0))
    }
}

/// [`elu`] with this alpha, as a layer of `sequential!` (`l2: Elu(1.0)`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Elu(pub f64);

impl ElementFn for Elu {
    #[inline]
    fn apply<T: Real>(&self, x: T) -> T {
        elu(x, T::of(self.0))
    }
}
