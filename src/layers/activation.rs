//! Activation functions, element by element, each defined once in the table at the end of this
//! file: its value, its derivative, its derivative from its output (when the output determines
//! it), and its name. From that one entry come the plain function of a scalar ([`relu`],
//! [`tanh`], …), the unit struct that `sequential!` takes as a layer ([`Relu`], [`Tanh`], …,
//! with [`ElementFn`] and [`Derivative`]), the variant of [`Activation`] (what a recurrent cell
//! applies), and the layer's place in `sequential!` ([`IntoLayer`](super::IntoLayer)). Adding an
//! activation is adding an entry.
//!
//! The formulas are JAX's (`jax.nn.*`), which BrainPy uses: `gelu` is the tanh approximation
//! (JAX's default), `softplus` is `log(1 + exp(x))` computed without overflow. Their exponentials
//! and `tanh` are looptime's branch-free [`math`](crate::math) functions (within 1.5 ulp of the
//! exact values, and of the platform's libm to an ulp or two), so a layer's loop over its
//! elements vectorizes: with the platform's `tanh` and `exp`, one call per element, a step of
//! a GRU, an LSTM and a tanh RNN cell (f64, 100 → 20, batch 128, AVX2) took 1.39 times the
//! instructions (`softplus` keeps the platform's `ln_1p`). Derivatives take,
//! at a kink (relu at 0), the value of the branch the function itself takes there, as JAX's
//! rules do.

use crate::{Real, math};

/// A function applied to every element: an [`Activation`], or one of the unit structs
/// ([`Relu`], [`Tanh`], …) that `sequential!` accepts as layers.
pub trait ElementFn {
    /// The function at `x`.
    fn apply<T: Real>(&self, x: T) -> T;

    /// Applies the function to every element of `values`.
    #[inline(always)]
    fn apply_slice<T: Real>(&self, values: &mut [T]) {
        for v in values {
            *v = self.apply(*v);
        }
    }
}

/// The derivative of an element-wise function, for training.
pub trait Derivative: ElementFn {
    /// `f'(x)`.
    fn derivative<T: Real>(&self, x: T) -> T;

    /// Multiplies each `d` by `f'(x)` at the matching `x`.
    #[inline(always)]
    fn scale_by_derivative<T: Real>(&self, d: &mut [T], x: &[T]) {
        for (d, x) in d.iter_mut().zip(x) {
            *d *= self.derivative(*x);
        }
    }

    /// Multiplies each `d` by `f'(x)` where `y = f(x)`, computed from `y` alone, so that a layer
    /// need not keep or recompute `x`; `false` (and `d` untouched) when `y` does not determine
    /// `f'(x)` (gelu, silu, a non-positive slope or alpha).
    #[inline]
    fn scale_by_derivative_from_output<T: Real>(&self, d: &mut [T], y: &[T]) -> bool {
        let _ = (d, y);
        false
    }

    /// Writes `d = (a + b) ⊙ f'(x)` where `y = f(x)`, `f'` from `y` alone, in one pass (`b`
    /// empty: `d = a ⊙ f'(x)`): the gradient that reaches a layer's pre-activation from its
    /// output and its state, without a temporary for the sum or a copy of `a`. The same bits
    /// as `d = a + b` followed by [`scale_by_derivative_from_output`](Self::scale_by_derivative_from_output).
    /// `false` when `y` does not determine `f'(x)`: `d` then holds `a + b` (or `a`), unscaled,
    /// for [`scale_by_derivative`](Self::scale_by_derivative) at the input.
    ///
    /// # Panics
    /// When the slices' lengths differ (`b` may be empty).
    #[inline(always)]
    fn sum_times_derivative_from_output<T: Real>(
        &self,
        d: &mut [T],
        a: &[T],
        b: &[T],
        y: &[T],
    ) -> bool {
        sum_then_scale_from_output(self, d, a, b, y)
    }
}

/// [`Derivative::sum_times_derivative_from_output`] in two passes: the sum, then
/// [`Derivative::scale_by_derivative_from_output`] (what an activation whose output does not
/// give its derivative does).
#[inline(always)]
fn sum_then_scale_from_output<F: Derivative + ?Sized, T: Real>(
    f: &F,
    d: &mut [T],
    a: &[T],
    b: &[T],
    y: &[T],
) -> bool {
    assert_lengths(d, a, b, y);
    sum_into(d, a, b);
    f.scale_by_derivative_from_output(d, y)
}

/// The slices of [`Derivative::sum_times_derivative_from_output`]: `a` and `y` as long as `d`,
/// `b` as long or empty.
///
/// # Panics
/// When they are not.
#[inline(always)]
fn assert_lengths<T>(d: &[T], a: &[T], b: &[T], y: &[T]) {
    assert!(
        a.len() == d.len() && y.len() == d.len() && (b.is_empty() || b.len() == d.len()),
        "sum_times_derivative_from_output: slices of different lengths"
    );
}

/// `d = a + b` (`b` empty: `d = a`), lengths checked by [`assert_lengths`].
#[inline(always)]
fn sum_into<T: Real>(d: &mut [T], a: &[T], b: &[T]) {
    if b.is_empty() {
        d.copy_from_slice(a);
    } else {
        for ((d, a), b) in d.iter_mut().zip(a).zip(b) {
            *d = *a + *b;
        }
    }
}

/// The constants of the scaled ELU (Klambauer et al.).
const SELU_ALPHA: f64 = 1.673_263_242_354_377_3;
const SELU_SCALE: f64 = 1.050_700_987_355_480_5;

/// The table's expansion (see the table below for its syntax).
macro_rules! activations {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident $(($param:ident = $default:literal))? => fn $fname:ident($x:ident) {
            value: $value:expr,
            derivative: $derivative:expr,
            $(from_output($y:ident) $(if ($cond:expr))?: $from_output:expr,)?
        }
    )*) => {
        $(
            $(#[doc = $doc])*
            #[inline]
            pub fn $fname<T: Real>($x: T $(, $param: T)?) -> T {
                $value
            }

            activations!(@struct $name $fname $(($param))?);

            impl ElementFn for $name {
                #[inline(always)]
                fn apply<T: Real>(&self, x: T) -> T {
                    let $name $(($param))? = *self;
                    $fname(x $(, T::of($param))?)
                }
            }

            impl Derivative for $name {
                #[inline(always)]
                #[allow(unused_variables)]
                fn derivative<T: Real>(&self, x: T) -> T {
                    let $name $(($param))? = *self;
                    $(let $param = T::of($param);)?
                    let $x = x;
                    $derivative
                }

                #[inline(always)]
                fn scale_by_derivative_from_output<T: Real>(&self, d: &mut [T], y: &[T]) -> bool {
                    activations!(@from_output self d y $name $(($param))? $([$y $(if ($cond))?: $from_output])?)
                }

                #[inline(always)]
                fn sum_times_derivative_from_output<T: Real>(
                    &self,
                    d: &mut [T],
                    a: &[T],
                    b: &[T],
                    y: &[T],
                ) -> bool {
                    activations!(@sum_from_output self d a b y $name $(($param))? $([$y $(if ($cond))?: $from_output])?)
                }
            }

            super::compose::activation_layer!($name);
        )*

        /// Which activation a layer applies (BrainPy's `activation='relu'`, …). Parameterized
        /// ones carry their parameter as `f64`.
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub enum Activation {
            $(
                #[doc = concat!("[`", stringify!($fname), "`].")]
                $name $((activations!(@f64 $param)))?,
            )*
        }

        // The dispatchers and the slice methods are `inline(always)`: inlined, they run in the
        // caller's vector instructions (`simd::vectorized`); an out-of-line copy of a
        // 15-arm match is compiled for the baseline (SSE2), where the training step of the
        // seed's network ran its activations and their derivatives.
        impl Activation {
            /// Every activation, the parameterized ones at BrainPy's defaults.
            pub const ALL: &'static [Activation] = &[$(Activation::$name $(($default))?),*];

            /// The activation at `x`.
            #[inline(always)]
            pub fn apply<T: Real>(self, x: T) -> T {
                match self {
                    $(Activation::$name $(($param))? => $name $(($param))?.apply(x),)*
                }
            }

            /// Applies the activation to every element of `values`, choosing the function once
            /// rather than per element.
            #[inline(always)]
            pub fn apply_slice<T: Real>(self, values: &mut [T]) {
                match self {
                    $(Activation::$name $(($param))? => $name $(($param))?.apply_slice(values),)*
                }
            }
        }

        impl Derivative for Activation {
            #[inline(always)]
            fn derivative<T: Real>(&self, x: T) -> T {
                match *self {
                    $(Activation::$name $(($param))? => $name $(($param))?.derivative(x),)*
                }
            }

            #[inline(always)]
            fn scale_by_derivative<T: Real>(&self, d: &mut [T], x: &[T]) {
                match *self {
                    $(Activation::$name $(($param))? => $name $(($param))?.scale_by_derivative(d, x),)*
                }
            }

            #[inline(always)]
            fn scale_by_derivative_from_output<T: Real>(&self, d: &mut [T], y: &[T]) -> bool {
                match *self {
                    $(Activation::$name $(($param))? => {
                        $name $(($param))?.scale_by_derivative_from_output(d, y)
                    })*
                }
            }

            #[inline(always)]
            fn sum_times_derivative_from_output<T: Real>(
                &self,
                d: &mut [T],
                a: &[T],
                b: &[T],
                y: &[T],
            ) -> bool {
                match *self {
                    $(Activation::$name $(($param))? => {
                        $name $(($param))?.sum_times_derivative_from_output(d, a, b, y)
                    })*
                }
            }
        }
    };

    // The unit struct: a plain one, or one that holds its parameter.
    (@struct $name:ident $fname:ident) => {
        #[doc = concat!("[`", stringify!($fname), "`] as a layer of `sequential!` (`l2: ", stringify!($name), "`).")]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;
    };
    (@struct $name:ident $fname:ident ($param:ident)) => {
        #[doc = concat!("[`", stringify!($fname), "`] with this ", stringify!($param), ", as a layer of `sequential!` (`l2: ", stringify!($name), "(…)`).")]
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub struct $name(pub f64);
    };
    (@f64 $param:ident) => { f64 };

    // The derivative from the output: none, or the entry's formula (under its condition).
    (@from_output $self:ident $d:ident $ys:ident $name:ident $(($param:ident))?) => {{
        let _ = ($self, $d, $ys);
        false
    }};
    // The same, fused with the sum it scales (`d = (a + b) f'`, or `a f'` for an empty `b`).
    (@sum_from_output $self:ident $d:ident $a:ident $b:ident $ys:ident $name:ident $(($param:ident))?) => {
        sum_then_scale_from_output($self, $d, $a, $b, $ys)
    };
    (@sum_from_output $self:ident $d:ident $a:ident $b:ident $ys:ident $name:ident $(($param:ident))?
        [$y:ident $(if ($cond:expr))?: $from_output:expr]) => {{
        assert_lengths($d, $a, $b, $ys);
        let $name $(($param))? = *$self;
        $(if ($cond) == false {
            sum_into($d, $a, $b);
            return false;
        })?
        $(let $param = T::of($param);)?
        if $b.is_empty() {
            for ((d, a), $y) in $d.iter_mut().zip($a).zip($ys) {
                #[allow(unused_variables)]
                let $y = *$y;
                *d = *a * $from_output;
            }
        } else {
            for (((d, a), b), $y) in $d.iter_mut().zip($a).zip($b).zip($ys) {
                #[allow(unused_variables)]
                let $y = *$y;
                *d = (*a + *b) * $from_output;
            }
        }
        true
    }};
    (@from_output $self:ident $d:ident $ys:ident $name:ident $(($param:ident))?
        [$y:ident $(if ($cond:expr))?: $from_output:expr]) => {{
        let $name $(($param))? = *$self;
        $(if ($cond) == false {
            return false;
        })?
        $(let $param = T::of($param);)?
        for (d, $y) in $d.iter_mut().zip($ys) {
            #[allow(unused_variables)]
            let $y = *$y;
            *d *= $from_output;
        }
        true
    }};
}

// The table: for each activation, its unit struct (`name(parameter = BrainPy's default)` when it
// takes one), its function, and three formulas in `x` (and the parameter, as `T`): its value, its
// derivative, and — where the output `y` determines the derivative — the derivative from `y`
// (only under the condition on the parameter, as `f64`, when there is one).
activations! {
    /// `x`.
    Identity => fn identity(x) {
        value: x,
        derivative: T::one(),
        from_output(y): T::one(),
    }
    /// `max(x, 0)`.
    Relu => fn relu(x) {
        value: if x > T::zero() { x } else { T::zero() },
        derivative: if x > T::zero() { T::one() } else { T::zero() },
        from_output(y): if y > T::zero() { T::one() } else { T::zero() },
    }
    /// `min(max(x, 0), 6)`.
    Relu6 => fn relu6(x) {
        value: if x > T::of(6.0) { T::of(6.0) } else { relu(x) },
        derivative: if x > T::of(6.0) { T::zero() } else { Relu.derivative(x) },
        from_output(y): if y > T::zero() && y < T::of(6.0) { T::one() } else { T::zero() },
    }
    /// `x` for `x >= 0`, `slope · x` below (BrainPy's default slope is 0.01).
    LeakyRelu(slope = 0.01) => fn leaky_relu(x) {
        value: if x >= T::zero() { x } else { slope * x },
        derivative: if x >= T::zero() { T::one() } else { slope },
        from_output(y) if (slope > 0.0): if y >= T::zero() { T::one() } else { slope },
    }
    /// `x` for `x > 0`, `alpha · (exp(x) - 1)` otherwise (BrainPy's default alpha is 1).
    Elu(alpha = 1.0) => fn elu(x) {
        value: if x > T::zero() { x } else { alpha * math::exp_m1(x) },
        derivative: if x > T::zero() { T::one() } else { alpha * math::exp(x) },
        // y = alpha (e^x - 1) below zero: f'(x) = alpha e^x = y + alpha.
        from_output(y) if (alpha > 0.0): if y > T::zero() { T::one() } else { y + alpha },
    }
    /// The scaled ELU of Klambauer et al.: `scale · elu(x, alpha)` with their two constants.
    Selu => fn selu(x) {
        value: T::of(SELU_SCALE) * elu(x, T::of(SELU_ALPHA)),
        derivative: T::of(SELU_SCALE) * Elu(SELU_ALPHA).derivative(x),
        from_output(y): if y > T::zero() {
            T::of(SELU_SCALE)
        } else {
            y + T::of(SELU_SCALE) * T::of(SELU_ALPHA)
        },
    }
    /// GELU, tanh approximation (JAX's default): `x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³)))`.
    Gelu => fn gelu(x) {
        value: {
            let c = T::of(0.797_884_560_802_865_4); // sqrt(2 / pi)
            let inner = c * (x + T::of(0.044_715) * x * x * x);
            T::of(0.5) * x * (T::one() + math::tanh(inner))
        },
        derivative: {
            let (c, k, half) = (T::of(0.797_884_560_802_865_4), T::of(0.044_715), T::of(0.5));
            let t = math::tanh(c * (x + k * x * x * x));
            half * (T::one() + t)
                + half * x * (T::one() - t * t) * c * (T::one() + T::of(3.0) * k * x * x)
        },
    }
    /// `log(1 + exp(x))`, as `max(x, 0) + log(1 + exp(-|x|))` so that it never overflows.
    Softplus => fn softplus(x) {
        value: relu(x) + math::exp(-x.abs()).ln_1p(),
        derivative: sigmoid(x),
        // y = log(1 + e^x): f'(x) = sigmoid(x) = 1 - e^(-y).
        from_output(y): -math::exp_m1(-y),
    }
    /// `x / (1 + |x|)`.
    Softsign => fn softsign(x) {
        value: x / (T::one() + x.abs()),
        derivative: {
            let d = T::one() + x.abs();
            T::one() / (d * d)
        },
        // |y| = |x| / (1 + |x|): f'(x) = (1 - |y|)².
        from_output(y): (T::one() - y.abs()) * (T::one() - y.abs()),
    }
    /// SiLU (swish): `x · sigmoid(x)`.
    Silu => fn silu(x) {
        value: x * sigmoid(x),
        derivative: {
            let s = sigmoid(x);
            s * (T::one() + x * (T::one() - s))
        },
    }
    /// The logistic function `1 / (1 + exp(-x))`.
    Sigmoid => fn sigmoid(x) {
        value: T::one() / (T::one() + math::exp(-x)),
        derivative: {
            let s = sigmoid(x);
            s * (T::one() - s)
        },
        from_output(y): y * (T::one() - y),
    }
    /// The hyperbolic tangent.
    Tanh => fn tanh(x) {
        value: math::tanh(x),
        derivative: {
            let t = math::tanh(x);
            T::one() - t * t
        },
        from_output(y): T::one() - y * y,
    }
    /// `x` clipped to `[-1, 1]`.
    HardTanh => fn hard_tanh(x) {
        value: if x > T::one() {
            T::one()
        } else if x < -T::one() {
            -T::one()
        } else {
            x
        },
        derivative: if x > T::one() || x < -T::one() { T::zero() } else { T::one() },
        from_output(y): if y.abs() < T::one() { T::one() } else { T::zero() },
    }
    /// `relu6(x + 3) / 6` (JAX's hard sigmoid).
    HardSigmoid => fn hard_sigmoid(x) {
        value: relu6(x + T::of(3.0)) / T::of(6.0),
        derivative: Relu6.derivative(x + T::of(3.0)) / T::of(6.0),
        from_output(y): if y > T::zero() && y < T::one() { T::of(1.0 / 6.0) } else { T::zero() },
    }
    /// `log(sigmoid(x)) = -softplus(-x)`.
    LogSigmoid => fn log_sigmoid(x) {
        value: -softplus(-x),
        derivative: sigmoid(-x),
        // y = log(sigmoid(x)): f'(x) = 1 - sigmoid(x) = 1 - e^y.
        from_output(y): -math::exp_m1(y),
    }
}

impl ElementFn for Activation {
    #[inline]
    fn apply<T: Real>(&self, x: T) -> T {
        Activation::apply(*self, x)
    }

    #[inline]
    fn apply_slice<T: Real>(&self, values: &mut [T]) {
        Activation::apply_slice(*self, values);
    }
}

super::compose::activation_layer!(Activation);

/// An activation is a parameter value of itself (for `#[param(default = Activation::Relu)]`).
impl crate::InitFrom<Activation> for Activation {
    fn init_from(source: Activation) -> Activation {
        source
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Points away from every kink (0, ±1, ±3, 6).
    const XS: [f64; 10] = [-7.3, -3.4, -2.2, -0.7, -0.13, 0.21, 0.9, 2.5, 4.1, 6.6];

    #[test]
    fn derivatives_match_central_differences() {
        let h = 1e-6;
        for f in Activation::ALL {
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
        assert_eq!(Activation::ALL.len(), 15);
        for f in Activation::ALL {
            let ys: Vec<f64> = XS.iter().map(|&x| f.apply(x)).collect();
            let mut d = [1.0; XS.len()];
            if f.scale_by_derivative_from_output(&mut d, &ys) {
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
        // A slope or alpha that is not positive: the output does not tell the branch.
        for f in [Activation::LeakyRelu(-0.5), Activation::Elu(0.0)] {
            let mut d = [1.0; 2];
            assert!(!f.scale_by_derivative_from_output(&mut d, &[0.5, -0.5]));
            assert_eq!(d, [1.0; 2], "{f:?}");
        }
    }

    /// The fused `d = (a + b) ⊙ f'` against the sum and then the scaling, bit for bit: for every
    /// activation, with and without `b`, and for a parameter whose output does not tell `f'`
    /// (then `d` is the unscaled sum).
    #[test]
    fn the_fused_sum_and_scaling_gives_the_bits_of_the_two_steps() {
        let a: Vec<f64> = XS.iter().map(|x| (x * 1.7).sin() - 0.3).collect();
        let b: Vec<f64> = XS.iter().map(|x| (x * 0.9).cos() * 2.1).collect();
        let fs = Activation::ALL
            .iter()
            .copied()
            .chain([Activation::LeakyRelu(-0.5), Activation::Elu(0.0)]);
        for f in fs {
            let ys: Vec<f64> = XS.iter().map(|&x| f.apply(x)).collect();
            for b in [&b[..], &[]] {
                let mut expected: Vec<f64> = if b.is_empty() {
                    a.clone()
                } else {
                    a.iter().zip(b).map(|(a, b)| a + b).collect()
                };
                let sum = expected.clone();
                let scaled = f.scale_by_derivative_from_output(&mut expected, &ys);
                let mut d = vec![f64::NAN; XS.len()];
                let fused = f.sum_times_derivative_from_output(&mut d, &a, b, &ys);
                assert_eq!(fused, scaled, "{f:?}");
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                let want = if scaled { &expected } else { &sum };
                assert_eq!(bits(&d), bits(want), "{f:?}, b empty: {}", b.is_empty());
            }
        }
    }

    #[test]
    #[should_panic(expected = "slices of different lengths")]
    fn the_fused_sum_refuses_slices_of_different_lengths() {
        let mut d = [0.0_f64; 3];
        Relu.sum_times_derivative_from_output(&mut d, &[1.0; 3], &[1.0; 2], &[1.0; 3]);
    }

    #[test]
    fn slices_and_unit_structs_give_the_values_of_the_enum() {
        for f in Activation::ALL {
            let mut values = XS;
            f.apply_slice(&mut values);
            let mut d = [2.0; XS.len()];
            f.scale_by_derivative(&mut d, &XS);
            for (k, x) in XS.iter().enumerate() {
                assert_eq!(values[k], f.apply(*x), "{f:?}");
                assert_eq!(d[k], 2.0 * f.derivative(*x), "{f:?}");
            }
        }
        assert_eq!(LeakyRelu(0.2).derivative(-1.0), 0.2);
        assert_eq!(Elu(0.5).apply(-1.0_f32), elu(-1.0_f32, 0.5));
    }
}
