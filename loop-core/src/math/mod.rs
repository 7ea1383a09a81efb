//! Scalar math shared by integrators and models: the [`Real`] bound (f32 or f64); [`exp`],
//! [`exp_m1`], [`ln`], [`powf`], [`powi`], [`sqrt`], [`tanh`] and [`sigmoid`], branch-free so
//! that loops over populations vectorize; and [`exprel`], the relative error exponential used
//! by exponential Euler and HH's rate functions, with [`exprel_near`], its cheaper form for
//! `|z| <= 1`.
//!
//! Models should call these rather than `x.exp()`, `x.ln()`, …: the platform's are library
//! calls, which keep a loop over neurons scalar; these are inlined into the loop and computed a
//! vector of neurons at a time, within an ulp or two of the platform's (each function's docs
//! give its measured error; [`powi`] is the platform's own method, bit for bit). None uses
//! fused multiply-add, so a result is the same bits whatever vector width the loop is compiled
//! for. [`sqrt`] without `std` is `libm`'s: the same bits, but a library call.

mod dd;
mod exp;
mod exprel_near;
mod ln;
mod pow;
mod powi;
mod sigmoid;
mod sqrt;
mod tanh;
#[cfg(all(test, feature = "std"))]
mod testing;

pub use exp::ExpFraction;
pub use exprel_near::{EXPREL_NEAR, exprel_near};
pub use powi::powi;
pub use sigmoid::sigmoid;

use nalgebra::RealField;

/// `a` where `c`, else `b`: written so that the compiler emits a select (a blend in vector code).
#[inline(always)]
fn select<T>(c: bool, a: T, b: T) -> T {
    if c { a } else { b }
}

/// `c[0] + w c[1] + w² c[2] + …`, by Horner's scheme (from the last coefficient down).
#[inline(always)]
fn horner<T: Real>(c: &[T], w: T) -> T {
    let (last, rest) = c.split_last().expect("a coefficient");
    rest.iter().rev().fold(*last, |acc, &k| k + w * acc)
}

/// The scalar of a model: `f32` or `f64` (any nalgebra [`RealField`] that is `Copy`), which the
/// element driver can hold in blocks ([`Lane`](crate::elements::Lane)) and hand to another core.
pub trait Real:
    RealField
    + Copy
    + Default
    + Send
    + Sync
    + crate::StateElement
    + crate::ParamValue
    + crate::ZeroState
    + crate::elements::Lane
{
    /// Converts an `f64` constant (a literal of an equation, a time) to this scalar.
    fn of(x: f64) -> Self;
    /// Converts to `f64` (for histories and export).
    fn to_f64(self) -> f64;
    /// Below this `|z|`, [`exprel`] uses its Taylor series instead of `expm1(z) / z`
    /// (BrainPy's thresholds: 1e-8 in float64, 1e-5 in float32).
    const EXPREL_SERIES_BELOW: Self;
    /// `e^self`, branch-free (use [`exp`]).
    fn exp_branch_free(self) -> Self;
    /// `e^self - 1`, branch-free (use [`exp_m1`]).
    fn exp_m1_branch_free(self) -> Self;
    /// `e^self` and `e^self - 1` over one denominator (use [`exp_fraction`]).
    fn exp_fraction_branch_free(self) -> ExpFraction<Self>;
    /// `ln self`, branch-free (use [`ln`]).
    fn ln_branch_free(self) -> Self;
    /// `self^y`, branch-free (use [`powf`]).
    fn powf_branch_free(self, y: Self) -> Self;
    /// `√self`, inlined (use [`sqrt`]).
    fn sqrt_branch_free(self) -> Self;
    /// `tanh self`, branch-free (use [`tanh`]).
    fn tanh_branch_free(self) -> Self;
}

/// The `*_branch_free` methods of [`Real`], forwarded to one type's functions.
macro_rules! branch_free_methods {
    ($exp:path, $exp_m1:path, $exp_fraction:path, $ln:path, $powf:path, $sqrt:path, $tanh:path) => {
        #[inline(always)]
        fn exp_branch_free(self) -> Self {
            $exp(self)
        }
        #[inline(always)]
        fn exp_m1_branch_free(self) -> Self {
            $exp_m1(self)
        }
        #[inline(always)]
        fn exp_fraction_branch_free(self) -> ExpFraction<Self> {
            $exp_fraction(self)
        }
        #[inline(always)]
        fn ln_branch_free(self) -> Self {
            $ln(self)
        }
        #[inline(always)]
        fn powf_branch_free(self, y: Self) -> Self {
            $powf(self, y)
        }
        #[inline(always)]
        fn sqrt_branch_free(self) -> Self {
            $sqrt(self)
        }
        #[inline(always)]
        fn tanh_branch_free(self) -> Self {
            $tanh(self)
        }
    };
}

impl Real for f64 {
    fn of(x: f64) -> Self {
        x
    }
    fn to_f64(self) -> f64 {
        self
    }
    const EXPREL_SERIES_BELOW: Self = 1e-8;
    branch_free_methods!(
        exp::exp_f64,
        exp::exp_m1_f64,
        exp::exp_fraction_f64,
        ln::ln_f64,
        pow::powf_f64,
        sqrt::sqrt_f64,
        tanh::tanh_f64
    );
}

impl Real for f32 {
    fn of(x: f64) -> Self {
        x as f32
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    const EXPREL_SERIES_BELOW: Self = 1e-5;
    branch_free_methods!(
        exp::exp_f32,
        exp::exp_m1_f32,
        exp::exp_fraction_f32,
        ln::ln_f32,
        pow::powf_f32,
        sqrt::sqrt_f32,
        tanh::tanh_f32
    );
}

/// `e^x`, within 1 ulp of the platform's `exp` (0.9 ulp of the exact value), without branches,
/// library calls or divisions: inlined into a loop over neurons, it is computed for a whole
/// vector of them at once, a polynomial of degree 11 (f64) or 6 (f32) after the usual reduction
/// (see `exp.rs`). NaN propagates, overflow gives +∞ and underflow 0 (subnormals included).
#[inline(always)]
pub fn exp<T: Real>(x: T) -> T {
    x.exp_branch_free()
}

/// `e^x - 1`, accurate near 0 (within 2 ulp of the platform's `expm1`, 1.3 of the exact value),
/// branch-free and division-free like [`exp`].
#[inline(always)]
pub fn exp_m1<T: Real>(x: T) -> T {
    x.exp_m1_branch_free()
}

/// `ln x`, within 1 ulp of the platform's `ln` (f64 and f32), without branches or library
/// calls, like [`exp`]. `ln 0 = -∞` (either zero), `ln +∞ = +∞`; negative `x` and NaN give
/// NaN; subnormal `x` included (see `ln.rs`).
#[inline(always)]
pub fn ln<T: Real>(x: T) -> T {
    x.ln_branch_free()
}

/// `x^y`, within 1 ulp of the platform's `powf` (f64 and f32), without branches or library
/// calls, like [`exp`].
///
/// Domain: every `(x, y)`, with IEEE 754's special cases: `x^±0 = 1` and `1^y = 1` (NaN
/// included); a negative `x` gives `±|x|^y` for an integer `y` (the sign of an odd one) and NaN
/// for another finite `y`; `±0` and `±∞` give 0 or ∞ as the limit, signed for an odd integer `y`;
/// `y = ±∞` gives 0, 1 or +∞ as `|x|` is below, at or above 1. Results overflow to ∞ and
/// underflow through the subnormals to 0.
///
/// Accuracy: `e^(y ln x)` would multiply the error of `ln x` by `y`; here `ln x` and `y ln x`
/// are carried in double-double (f64; f32 goes through f64), so the error stays within 1 ulp
/// for all `|y ln x|` up to overflow (tested for `|y ln x|` up to 760, `|y|` up to 10^15, see
/// `pow.rs`). In f64 it costs about 5 [`exp`]s.
#[inline(always)]
pub fn powf<T: Real>(x: T, y: T) -> T {
    x.powf_branch_free(y)
}

/// `√x`, correctly rounded (0 ulp). With `std`, the platform's `sqrt`, which compiles to the
/// processor's instruction (`vsqrtpd` in a vectorized loop); without `std`, `libm`'s `sqrt`: the
/// same bits (both are correctly rounded), but a library call that keeps a loop scalar.
/// `√-0 = -0`, `√+∞ = +∞`, negative `x` and NaN give NaN.
#[inline(always)]
pub fn sqrt<T: Real>(x: T) -> T {
    x.sqrt_branch_free()
}

/// `tanh x`, within 1.5 ulp of the exact value and 2 ulp of the platform's `tanh` (f64 and
/// f32), without branches or library calls, like [`exp`]; saturates to ±1 without NaN, keeps
/// the sign of zero (see `tanh.rs`).
#[inline(always)]
pub fn tanh<T: Real>(x: T) -> T {
    x.tanh_branch_free()
}

/// `e^x` and `e^x - 1` over a common denominator (see [`ExpFraction`]), branch-free like
/// [`exp`]: fdlibm's rational form before its division, for a caller that divides them by
/// something else anyway (its division does the exponential's, and the rational form costs
/// fewer operations than [`exp`]'s polynomial).
#[inline(always)]
pub fn exp_fraction<T: Real>(x: T) -> ExpFraction<T> {
    x.exp_fraction_branch_free()
}

/// `exprel(z) = (exp(z) - 1) / z`, with `exprel(0) = 1`.
///
/// Computed as `e^z - 1` over `z` (from [`exp_fraction`]: one division), which keeps full
/// precision near 0; below
/// [`Real::EXPREL_SERIES_BELOW`] (BrainPy's thresholds) its series is used, as BrainPy does.
/// BrainPy sums `1 + z/2 + z²/6 + z³/24`; below the threshold every term after `z/2` is under
/// half an ulp of 1 (`z²/6 < 2e-17` in f64, `< 2e-11` in f32), so `1 + z/2` is the same number
/// for two operations fewer. Both forms are computed and one is selected, so that the function
/// has no branch (and vectorizes).
#[inline(always)]
pub fn exprel<T: Real>(z: T) -> T {
    let series = T::one() + z * T::of(0.5);
    let f = exp_fraction(z);
    let direct = f.exp_m1 / (f.den * z);
    if z.abs() <= T::EXPREL_SERIES_BELOW {
        series
    } else {
        direct
    }
}

/// Below this `|z|`, [`exprel_prime`] sums its Taylor series: the closed form loses digits to
/// cancellation near 0.
const EXPREL_PRIME_SERIES_BELOW: f64 = 0.1;

/// `k / (k+1)!` for k = 1..=12: the Taylor coefficients of [`exprel_prime`].
const EXPREL_PRIME_SERIES: [f64; 12] = {
    let mut c = [0.0; 12];
    let mut factorial = 2.0; // (k+1)! for k = 1
    let mut k = 1;
    while k <= 12 {
        c[k - 1] = k as f64 / factorial;
        factorial *= (k + 2) as f64;
        k += 1;
    }
    c
};

/// The derivative of [`exprel`]: `exprel'(z) = (z e^z - e^z + 1) / z²`, with `exprel'(0) = 1/2`.
/// Used by exponential Euler when an equation's linear part goes through `exprel`. Like
/// [`exprel`], both forms are computed and one selected (no branch).
#[inline(always)]
pub fn exprel_prime<T: Real>(z: T) -> T {
    // exprel'(z) = sum_{k>=1} k z^(k-1) / (k+1)!, by Horner from k = 12 down.
    let series = horner(&EXPREL_PRIME_SERIES.map(T::of), z);
    let em1 = exp_m1(z);
    let closed = (z * em1 + z - em1) / (z * z);
    if z.abs() < T::of(EXPREL_PRIME_SERIES_BELOW) {
        series
    } else {
        closed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exprel_is_one_at_zero_and_continuous_across_the_series_threshold() {
        assert_eq!(exprel(0.0_f64), 1.0);
        assert_eq!(exprel(0.0_f32), 1.0);
        // exprel(z) = 1 + z/2 + z^2/6 + ...; both branches must agree near the switch.
        for z in [9e-9_f64, 1.1e-8, -9e-9, -1.1e-8] {
            let series = 1.0 + z / 2.0 + z * z / 6.0;
            assert!((exprel(z) - series).abs() < 1e-15, "z = {z}");
        }
    }

    #[test]
    fn exprel_prime_matches_central_differences_on_both_branches() {
        for z in [-3.0_f64, -0.5, -0.09, -1e-4, 0.0, 1e-6, 0.05, 0.11, 2.0] {
            let h = 1e-5;
            let fd = (exprel(z + h) - exprel(z - h)) / (2.0 * h);
            assert!(
                (exprel_prime(z) - fd).abs() < 1e-9,
                "z = {z}: {} vs {fd}",
                exprel_prime(z)
            );
        }
        assert_eq!(exprel_prime(0.0_f64), 0.5);
    }

    #[test]
    fn exprel_matches_its_definition_away_from_zero() {
        for z in [-30.0_f64, -2.5, -0.1, 0.3, 1.0, 7.0] {
            let direct = (z.exp() - 1.0) / z;
            assert!(((exprel(z) - direct) / direct).abs() < 1e-14, "z = {z}");
        }
    }
}
