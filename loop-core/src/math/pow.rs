//! `x^y` without branches, table lookups or library calls: `e^(y ln x)` with `ln x` and the
//! product in double-double, so that the error of the logarithm, multiplied by `y`, stays below
//! an ulp of the result; every special case of C's `pow` (IEEE 754 `pow`) is a select.
//!
//! In f64: `ln |x|` from [`ln_dd_f64`] (below 2^-65 relative, its high part on 26 bits), times
//! `y` cut the same way (the product of the high parts is exact, the rest is carried beside),
//! and `e^(hi + lo)` from [`exp_dd_f64`], whose reduction takes the low part. In f32: the same
//! route in plain f64 ([`ln_f64`], [`exp_f64`]), whose error, below 2^-44 relative for any f32
//! result, vanishes in the rounding to f32.
//!
//! Accuracy against the platform's libm (glibc's `pow` and `powf` are correctly rounded in
//! practice), measured by the tests below: f64 within 1 ulp over 3·10^5 arguments with
//! `|y ln x|` up to 760 (results from subnormal to overflow, bases from subnormal to huge and
//! near 1, `y` from 10^-300 to 10^15) and as many negative bases with integer exponents; f32
//! within 1 ulp, and the same bits as the platform's in all but 174 of 4·10^5 arguments.
//!
//! Cost: in a loop vectorized for AVX2, f64 `powf` took about 5 times as long as
//! [`exp`](fn@super::exp) (about as long as the platform's scalar `pow`).

use super::dd::{Dd, high26};
use super::exp::{exp_dd_f64, exp_f64};
use super::ln::{ln_dd_f64, ln_f64};
use super::select;

/// Beyond this `|y|`, `|y ln x|` is above 2000 for every `x` that is not 1 (`|ln x| >= 2^-53`),
/// so `x^y` is 0 or ∞ whatever `y`: clamping `y` there keeps the double-double product finite
/// and turns `y = ±∞` into an ordinary argument.
const Y_CLAMP: f64 = 18_446_744_073_709_551_616.0; // 2^64

/// `x^y` in f64, branch-free (see the module docs).
#[inline(always)]
pub fn powf_f64(x: f64, y: f64) -> f64 {
    let (ax, y_clamped) = magnitude_arguments(x, y);
    // y ln|x| = p_h + p_l, p_h exact as the product of two 26-bit numbers.
    let ln = ln_dd_f64(ax);
    let y_h = high26(y_clamped);
    let p_h = y_h * ln.hi;
    let p_l = (y_clamped - y_h) * ln.hi + y_clamped * ln.lo;
    let z = Dd::fast_sum(p_h, p_l);
    special_cases(x, y, exp_dd_f64(z.hi, z.lo))
}

/// `x^y` in f32, branch-free, computed in f64 (see the module docs).
#[inline(always)]
pub fn powf_f32(x: f32, y: f32) -> f32 {
    let (x, y) = (f64::from(x), f64::from(y));
    let (ax, y_clamped) = magnitude_arguments(x, y);
    special_cases(x, y, exp_f64(y_clamped * ln_f64(ax))) as f32
}

/// `(|x|, y')` where `y'` is `y` clamped to `±2^64`: the magnitude `|x|^y'` is the result for a
/// positive finite `|x|`, up to sign, once `y` is finite (see [`special_cases`]).
#[inline(always)]
fn magnitude_arguments(x: f64, y: f64) -> (f64, f64) {
    let ax = f64::from_bits(x.to_bits() & !(1 << 63));
    let y_clamped = select(y > Y_CLAMP, Y_CLAMP, select(y < -Y_CLAMP, -Y_CLAMP, y));
    (ax, y_clamped)
}

/// `x^y` from `mag`, `|x|^y'` as computed from [`magnitude_arguments`] (what it is for `|x|`
/// 0, ∞ or NaN does not matter): the sign and the special cases of IEEE 754 `pow` as selects.
/// Those are, in the order applied:
/// - `|x|` 0 or ∞: 0 or +∞ as `|x|^y` tends to (+∞ for `|x| = 0, y < 0` or `|x| = ∞, y > 0`);
/// - `x` with its sign bit set (-0 and -∞ included) and `y` an odd integer: the result negated;
/// - `x < 0` finite and `y` finite and not an integer: NaN;
/// - `x` or `y` NaN: NaN;
/// - `y = ±0` or `x = 1`: 1, even for NaN.
///
/// `y = ±∞` needs nothing of its own: clamped, it gives 0 or ∞ as `|x|` is below or above 1, and
/// 1 for `|x| = 1`, as IEEE 754 says.
#[inline(always)]
fn special_cases(x: f64, y: f64, mag: f64) -> f64 {
    const TWO52: f64 = 4_503_599_627_370_496.0;
    const TWO53: f64 = 9_007_199_254_740_992.0;
    let ax = f64::from_bits(x.to_bits() & !(1 << 63));
    let zero_or_inf = (ax == 0.0) | (ax == f64::INFINITY);
    let mag = select(
        zero_or_inf,
        select((ax > 1.0) == (y > 0.0), f64::INFINITY, 0.0),
        mag,
    );
    // Below 2^52, adding 2^52 rounds |y| to an integer held in the low mantissa bits: |y| is an
    // integer when that changes nothing, odd when the last bit is set. From 2^52 on every f64
    // is an integer, odd only below 2^53 with its last bit set.
    let ay = f64::from_bits(y.to_bits() & !(1 << 63));
    let below_2_52 = ay < TWO52;
    let shifted = ay + TWO52;
    let integer = !below_2_52 | (shifted - TWO52 == ay);
    let last_bit = select(below_2_52, shifted.to_bits(), ay.to_bits()) & 1;
    let odd = integer & (last_bit == 1) & (ay < TWO53);
    let r = select(x.is_sign_negative() & odd, -mag, mag);
    let negative_base = (x < 0.0) & (x > f64::NEG_INFINITY);
    let r = select(negative_base & !integer, f64::NAN, r);
    let r = select(x.is_nan() | y.is_nan(), x + y, r);
    select((y == 0.0) | (x == 1.0), 1.0, r)
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::super::testing::{Spread, ulps_f32, ulps_f64, worst_within};
    use super::*;

    /// `(x, y)` with `|y ln x|` spread over the whole range where `x^y` is neither 0 nor ∞
    /// (and a little beyond), over bases from subnormal to huge and over small exponents.
    fn arguments(seed: u64, count: usize) -> impl Iterator<Item = (f64, f64)> {
        let mut s = Spread::new(seed);
        (0..count).map(move |i| {
            let x = match i % 3 {
                0 => f64::from_bits(s.bits_between(1, f64::MAX.to_bits())),
                1 => s.scale(0.01, 100.0),
                _ => 1.0 + s.signed() * s.scale(1e-15, 0.1),
            };
            let y = match i % 4 {
                // |y ln x| anywhere in (0, 760), either sign.
                0 | 1 => s.signed() * s.scale(1e-3, 760.0) / x.ln(),
                // Plain exponents, small to large.
                2 => s.signed() * s.scale(1e-300, 1e15),
                _ => s.signed() * 8.0,
            };
            (x, y)
        })
    }

    #[test]
    fn f64_within_one_ulp_of_the_platform() {
        let errors = arguments(21, 300_000).flat_map(|(x, y)| {
            // And a negative base with an integer exponent.
            let n = y.round();
            [
                ((x, y), ulps_f64(powf_f64(x, y), x.powf(y))),
                ((-x, n), ulps_f64(powf_f64(-x, n), (-x).powf(n))),
            ]
        });
        worst_within("powf f64", 1.0, errors);
    }

    #[test]
    fn f32_within_one_ulp_of_the_platform() {
        let mut s = Spread::new(22);
        let wide = (0..100_000).map(|_| {
            let x = f32::from_bits(s.bits_between(1, f32::MAX.to_bits().into()) as u32);
            let y = s.signed() * s.scale(1e-3, 110.0) / f64::from(x).ln();
            (x, y as f32)
        });
        let rest = arguments(23, 300_000).map(|(x, y)| (x as f32, y as f32));
        let mut differ = 0;
        let errors = wide.chain(rest).map(|(x, y)| {
            let e = ulps_f32(powf_f32(x, y), x.powf(y));
            differ += usize::from(e > 0.0);
            ((x, y), e)
        });
        worst_within("powf f32", 1.0, errors);
        eprintln!("powf f32: {differ} of 400000 differ from the platform's");
    }

    /// The same bits where the platform gives 0, ±1, ±∞ or NaN; within 1 ulp otherwise.
    fn agrees(p: f64, r: f64, ulps: f64) -> bool {
        if r.is_nan() {
            p.is_nan()
        } else if r == 0.0 || r.is_infinite() || r.abs() == 1.0 {
            p.to_bits() == r.to_bits()
        } else {
            ulps <= 1.0 && p.is_sign_negative() == r.is_sign_negative()
        }
    }

    #[test]
    fn special_cases_as_ieee_754() {
        let inf = f64::INFINITY;
        let nan = f64::NAN;
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            -0.5,
            2.0,
            -2.0,
            3.0,
            -3.0,
            2.5,
            -2.5,
            1e-310,
            -1e-310,
            inf,
            -inf,
            nan,
            1e300,
            -1e300,
            9007199254740993.0,
            -9007199254740993.0,
            4503599627370497.0,
            -4503599627370497.0,
            1.0 + f64::EPSILON,
        ];
        for &x in &values {
            for &y in &values {
                let (p, r) = (powf_f64(x, y), x.powf(y));
                assert!(
                    agrees(p, r, ulps_f64(p, r)),
                    "pow({x:e}, {y:e}) = {p:e}, not {r:e}"
                );
                let (x, y) = (x as f32, y as f32);
                let (p, r) = (powf_f32(x, y), x.powf(y));
                let e = ulps_f32(p, r);
                assert!(
                    agrees(p.into(), r.into(), e),
                    "powf({x:e}, {y:e}) = {p:e}, not {r:e}"
                );
            }
        }
    }
}
