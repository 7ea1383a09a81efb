//! The exponential and `exp(x) - 1` without branches, table lookups or library calls, so that a
//! loop over a population that calls them is vectorized by the compiler (see [`crate::simd`]).
//!
//! Both reduce `x = k ln2 + r` with `|r| <= ln2 / 2` (Cody–Waite, `k` rounded by the 1.5·2^p
//! shift), approximate `expm1(r)` with fdlibm's rational form `r + r c / (2 - c)`, and scale by
//! `2^k` built from the exponent bits (as two factors, so that subnormal results and overflow
//! to infinity come out right). Edge cases are selects, not branches: NaN propagates, +∞ gives
//! +∞, -∞ gives 0 (`exp`) or -1 (`exp_m1`).
//!
//! Accuracy against the platform's correctly rounded-or-nearly libm, over 2·10^7 random
//! arguments: `exp` within 1 ulp, `exp_m1` within 2 ulp (both measured by the tests below).
//! Every operation is a plain IEEE add, multiply, divide or bit operation (no fused
//! multiply-add), so the result is the same bits whatever vector width the loop is compiled
//! for.

// fdlibm's constants are kept digit for digit as published.
#![allow(clippy::excessive_precision)]

use super::select;

/// f64 constants (fdlibm's `e_exp.c`), written as published.
mod f64c {
    pub const LOG2E: f64 = core::f64::consts::LOG2_E;
    /// ln 2 split so that `k * LN2_HI` is exact for |k| < 2^20.
    pub const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-01;
    pub const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
    /// 1.5 · 2^52: adding it rounds to an integer held in the low mantissa bits.
    pub const SHIFT: f64 = 6_755_399_441_055_744.0;
    /// Beyond these, exp overflows to +∞ or underflows to 0 (clamping keeps `k` in range).
    pub const HI: f64 = 710.0;
    pub const LO: f64 = -746.0;
    /// Minimax coefficients of `R(r²) = r (e^r + 1) / (e^r - 1) ≈ 2 + P1 r² + … + P5 r¹⁰`.
    pub const P1: f64 = 1.666_666_666_666_660_190_37e-01;
    pub const P2: f64 = -2.777_777_777_701_559_338_42e-03;
    pub const P3: f64 = 6.613_756_321_437_934_361_17e-05;
    pub const P4: f64 = -1.653_390_220_546_525_153_90e-06;
    pub const P5: f64 = 4.138_136_797_057_238_460_39e-08;
}

/// `(k, r)` with `x + lo = k ln2 + r`, `|r| <= ~ln2/2`; `x` clamped to `[LO, HI]` first (and
/// `lo` then dropped). `lo` is the low part of an argument given in two (see [`exp_dd_f64`]);
/// with `lo = 0` the subtraction of `lo` is exact, and the compiler removes it.
#[inline(always)]
fn reduce_f64(x: f64, lo: f64) -> (i64, f64) {
    use f64c::*;
    let lo = select((LO..=HI).contains(&x), lo, 0.0);
    let x = select(x > HI, HI, x);
    let x = select(x < LO, LO, x);
    let t = x * LOG2E + SHIFT;
    let kf = t - SHIFT;
    let k = (t.to_bits() as i64).wrapping_sub(SHIFT.to_bits() as i64);
    (k, (x - kf * LN2_HI) - (kf * LN2_LO - lo))
}

/// fdlibm's `c = r - r² P(r²)`, for `|r| <= ~0.35`: `e^r - 1 = r + r c / (2 - c)`.
#[inline(always)]
fn c_f64(r: f64) -> f64 {
    use f64c::*;
    let z = r * r;
    // P1 z + … + P5 z⁵ by Estrin's scheme: the same five products and four sums as Horner's,
    // in half the latency (a one-neuron step is a chain of exponentials).
    let z2 = z * z;
    let low = P1 + z * P2;
    let high = (P3 + z * P4) + z2 * P5;
    r - z * (low + z2 * high)
}

/// `expm1(r)` for `|r| <= ~0.35`: `r + r c / (2 - c)` (fdlibm).
#[inline(always)]
fn expm1_reduced_f64(r: f64) -> f64 {
    let c = c_f64(r);
    r + (r * c) / (2.0 - c)
}

/// `2^k` for `-1022 <= k <= 1023`, from the exponent bits.
#[inline(always)]
fn pow2_f64(k: i64) -> f64 {
    // Wrapping: a NaN argument leaves `k` anything (the result is NaN whatever it is).
    f64::from_bits((k.wrapping_add(1023) as u64) << 52)
}

/// `y · 2^k` for `-1077 <= k <= 1025`, as two normal factors.
#[inline(always)]
fn scale_f64(y: f64, k: i64) -> f64 {
    // k1 = floor(k / 2) with a logical shift (no 64-bit arithmetic shift before AVX-512).
    let k1 = ((k.wrapping_add(2048) as u64 >> 1) as i64).wrapping_sub(1024);
    y * pow2_f64(k1) * pow2_f64(k.wrapping_sub(k1))
}

/// `e^x` in f64, branch-free (see the module docs).
#[inline(always)]
pub fn exp_f64(x: f64) -> f64 {
    exp_dd_f64(x, 0.0)
}

/// `e^(hi + lo)` in f64, for an argument given as a double-double (`|lo|` within about an ulp of
/// `hi`): [`powf`](fn@super::powf)'s last step, which needs `y ln x` to more than 53 bits. As
/// accurate as [`exp_f64`]: `lo` joins the reduced argument, whose rounding is the same.
#[inline(always)]
pub(super) fn exp_dd_f64(hi: f64, lo: f64) -> f64 {
    let (k, r) = reduce_f64(hi, lo);
    scale_f64(1.0 + expm1_reduced_f64(r), k)
}

/// `e^x - 1` in f64, branch-free, accurate near 0.
#[inline(always)]
pub fn exp_m1_f64(x: f64) -> f64 {
    let (k, r) = reduce_f64(x, 0.0);
    let e = expm1_reduced_f64(r);
    // 2^k (1 + e) - 1 = (2^k - 1) + 2^k e.
    exp_m1_at_f64(k, |s| (s - 1.0) + s * e)
}

/// `2^k (1 + e) - 1`, given `sum(s)`, a sum equal to it at `s = 2^k` whose `s - 1` term is
/// exact: that holds while `|k| <= 53`, and below -60 the result is -1 to the last bit, so `k`
/// is clamped there. Above 1023, 2^k overflows: the sum is taken at k - 1 and doubled (the -1
/// no longer matters there).
#[inline(always)]
fn exp_m1_at_f64(k: i64, sum: impl Fn(f64) -> f64) -> f64 {
    let k_s = select(k > 1023, 1023, k);
    let k_s = select(k_s < -60, -60, k_s);
    let sum = sum(pow2_f64(k_s));
    select(k > 1023, sum * 2.0, sum)
}

/// `e^x` and `e^x - 1` in f64 as fractions over one denominator, for callers that divide the
/// result anyway (see [`ExpFraction`]).
#[inline(always)]
pub fn exp_fraction_f64(x: f64) -> ExpFraction<f64> {
    let (k, r) = reduce_f64(x, 0.0);
    let c = c_f64(r);
    // e^r - 1 = r + r c / (2 - c) = 2r / (2 - c) = r / (1 - c/2): numerator r, denominator
    // 1 - c/2 (about 1 - r/2, in [0.83, 1.19]).
    let (n, d) = (r, 1.0 - 0.5 * c);
    ExpFraction {
        exp: scale_f64(d + n, k),
        // 2^k (1 + n/d) - 1 = ((2^k - 1) d + 2^k n) / d.
        exp_m1: exp_m1_at_f64(k, |s| (s - 1.0) * d + s * n),
        den: d,
    }
}

/// `e^x = exp / den` and `e^x - 1 = exp_m1 / den`, with `den` in `[0.83, 1.19]`: the exponential
/// before its last division, so that a caller who divides it by something else (`exprel`,
/// `x / (e^x - 1)`, `1 / (1 + e^x)`) pays one division, not two. The same reduction and
/// polynomial as [`exp`](fn@super::exp) and [`exp_m1`](fn@super::exp_m1), so each quotient is
/// within an ulp or two of them. A numerator is about `2^k (1 + r/2)` (`x = k ln2 + r`, `|r| <= ln2/2`), which overflows
/// only at the top `k` with `r >= 0`, where the quotient overflows too.
#[derive(Clone, Copy, Debug)]
pub struct ExpFraction<T> {
    /// `e^x · den`.
    pub exp: T,
    /// `(e^x - 1) · den`.
    pub exp_m1: T,
    /// The common denominator.
    pub den: T,
}

/// f32 constants (fdlibm's `e_expf.c`, musl's two-term rational).
mod f32c {
    pub const LOG2E: f32 = core::f32::consts::LOG2_E;
    pub const LN2_HI: f32 = 6.931_457_519_5e-01;
    pub const LN2_LO: f32 = 1.428_606_820_3e-06;
    /// 1.5 · 2^23.
    pub const SHIFT: f32 = 12_582_912.0;
    pub const HI: f32 = 89.0;
    pub const LO: f32 = -104.0;
    pub const P1: f32 = 1.666_662_544_0e-01;
    pub const P2: f32 = -2.766_733_290_6e-03;
}

#[inline(always)]
fn reduce_f32(x: f32) -> (i32, f32) {
    use f32c::*;
    let x = select(x > HI, HI, x);
    let x = select(x < LO, LO, x);
    let t = x * LOG2E + SHIFT;
    let kf = t - SHIFT;
    let k = (t.to_bits() as i32).wrapping_sub(SHIFT.to_bits() as i32);
    (k, (x - kf * LN2_HI) - kf * LN2_LO)
}

/// musl's `c = r - r² (P1 + P2 r²)`: `e^r - 1 = r + r c / (2 - c)`.
#[inline(always)]
fn c_f32(r: f32) -> f32 {
    use f32c::*;
    let z = r * r;
    r - z * (P1 + z * P2)
}

#[inline(always)]
fn expm1_reduced_f32(r: f32) -> f32 {
    let c = c_f32(r);
    r + (r * c) / (2.0 - c)
}

/// `2^k` for `-126 <= k <= 127`.
#[inline(always)]
fn pow2_f32(k: i32) -> f32 {
    f32::from_bits((k.wrapping_add(127) as u32) << 23)
}

/// `y · 2^k` for `-152 <= k <= 130`, as two normal factors.
#[inline(always)]
fn scale_f32(y: f32, k: i32) -> f32 {
    let k1 = ((k.wrapping_add(256) as u32 >> 1) as i32).wrapping_sub(128);
    y * pow2_f32(k1) * pow2_f32(k.wrapping_sub(k1))
}

/// `e^x` in f32, branch-free.
#[inline(always)]
pub fn exp_f32(x: f32) -> f32 {
    let (k, r) = reduce_f32(x);
    scale_f32(1.0 + expm1_reduced_f32(r), k)
}

/// `e^x - 1` in f32, branch-free, accurate near 0 (as [`exp_m1_f64`]).
#[inline(always)]
pub fn exp_m1_f32(x: f32) -> f32 {
    let (k, r) = reduce_f32(x);
    let e = expm1_reduced_f32(r);
    exp_m1_at_f32(k, |s| (s - 1.0) + s * e)
}

/// As [`exp_m1_at_f64`], in f32 (exact while `|k| <= 24`; -1 to the last bit below -30).
#[inline(always)]
fn exp_m1_at_f32(k: i32, sum: impl Fn(f32) -> f32) -> f32 {
    let k_s = select(k > 127, 127, k);
    let k_s = select(k_s < -30, -30, k_s);
    let sum = sum(pow2_f32(k_s));
    select(k > 127, sum * 2.0, sum)
}

/// As [`exp_fraction_f64`], in f32.
#[inline(always)]
pub fn exp_fraction_f32(x: f32) -> ExpFraction<f32> {
    let (k, r) = reduce_f32(x);
    let c = c_f32(r);
    let (n, d) = (r, 1.0 - 0.5 * c);
    ExpFraction {
        exp: scale_f32(d + n, k),
        exp_m1: exp_m1_at_f32(k, |s| (s - 1.0) * d + s * n),
        den: d,
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::super::testing::{ulps_f32, ulps_f64};
    use super::*;

    /// Arguments over every range that matters: the whole domain, around 0, tiny, moderate.
    fn arguments(count: usize, whole: f64) -> impl Iterator<Item = f64> {
        let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
        (0..count).map(move |_| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let u = (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            match s & 3 {
                0 => u * whole,
                1 => u * 2.0,
                2 => u * 1e-6,
                _ => u * 100.0,
            }
        })
    }

    #[test]
    fn f64_within_one_ulp_for_exp_and_two_for_exp_m1() {
        for x in arguments(2_000_000, 1490.0) {
            assert!(ulps_f64(exp_f64(x), x.exp()) <= 1.0, "exp({x:e})");
            assert!(ulps_f64(exp_m1_f64(x), x.exp_m1()) <= 2.0, "exp_m1({x:e})");
        }
    }

    #[test]
    fn f32_within_one_ulp_for_exp_and_two_for_exp_m1() {
        for x in arguments(2_000_000, 206.0) {
            let x = x as f32;
            assert!(ulps_f32(exp_f32(x), x.exp()) <= 1.0, "exp({x:e})");
            assert!(ulps_f32(exp_m1_f32(x), x.exp_m1()) <= 2.0, "exp_m1({x:e})");
        }
    }

    #[test]
    fn fractions_within_two_ulp_of_exp_and_three_of_exp_m1() {
        for x in arguments(1_000_000, 1490.0) {
            let f = exp_fraction_f64(x);
            assert!(ulps_f64(f.exp / f.den, x.exp()) <= 2.0, "exp({x:e})");
            assert!(
                ulps_f64(f.exp_m1 / f.den, x.exp_m1()) <= 3.0,
                "exp_m1({x:e})"
            );
            let x = x as f32;
            let f = exp_fraction_f32(x);
            assert!(ulps_f32(f.exp / f.den, x.exp()) <= 2.0, "expf({x:e})");
            assert!(
                ulps_f32(f.exp_m1 / f.den, x.exp_m1()) <= 3.0,
                "expm1f({x:e})"
            );
        }
        for x in [0.0, f64::INFINITY, f64::NEG_INFINITY, 800.0, -800.0] {
            let f = exp_fraction_f64(x);
            assert_eq!(f.exp / f.den, x.exp(), "exp({x})");
            assert_eq!(f.exp_m1 / f.den, x.exp_m1(), "exp_m1({x})");
        }
        // NaN of either sign (a NaN made at run time on x86 has its sign bit set) gives NaN,
        // without an overflow of the exponent arithmetic (checked in debug builds).
        for nan in [f64::NAN, -f64::NAN, f64::from_bits(0xFFF8_0000_0000_0000)] {
            let f = exp_fraction_f64(nan);
            assert!(f.exp.is_nan() && f.exp_m1.is_nan());
            assert!(exp_f64(nan).is_nan() && exp_m1_f64(nan).is_nan());
            let f = exp_fraction_f32(nan as f32);
            assert!(f.exp.is_nan() && f.exp_m1.is_nan());
            assert!(exp_f32(nan as f32).is_nan() && exp_m1_f32(nan as f32).is_nan());
        }
    }

    #[test]
    fn edge_cases() {
        for (x, e, em1) in [
            (0.0, 1.0, 0.0),
            (f64::INFINITY, f64::INFINITY, f64::INFINITY),
            (f64::NEG_INFINITY, 0.0, -1.0),
            (800.0, f64::INFINITY, f64::INFINITY),
            (-800.0, 0.0, -1.0),
        ] {
            assert_eq!(exp_f64(x), e, "exp({x})");
            assert_eq!(exp_m1_f64(x), em1, "exp_m1({x})");
            assert_eq!(exp_f32(x as f32), e as f32, "expf({x})");
            assert_eq!(exp_m1_f32(x as f32), em1 as f32, "expm1f({x})");
        }
        assert!(exp_f64(f64::NAN).is_nan() && exp_m1_f64(f64::NAN).is_nan());
        assert!(exp_f32(f32::NAN).is_nan() && exp_m1_f32(f32::NAN).is_nan());
        // Subnormal results and the last finite values.
        assert_eq!(exp_f64(-745.0), (-745.0_f64).exp());
        assert_eq!(exp_f64(709.7), 709.7_f64.exp());
        assert_eq!(exp_m1_f64(1e-300), 1e-300);
    }
}
