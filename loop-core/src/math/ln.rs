//! The natural logarithm without branches, table lookups or library calls (so that a loop over
//! a population that calls it vectorizes), and the same logarithm in double-double for
//! [`powf`](fn@super::powf).
//!
//! [`ln_f64`] and [`ln_f32`] are fdlibm's `e_log.c` and `e_logf.c`: `x = 2^k m` with
//! `m` in `[√2/2, √2)` read from the exponent bits (subnormals scaled by a power of two first),
//! `s = (m - 1) / (m + 1)`, and `ln m = 2 atanh s` from a minimax polynomial in `s²`, summed so
//! that the largest rounding error is the last one. Edge cases are selects: `ln 0 = -∞`,
//! `ln +∞ = +∞`, negative arguments and NaN give NaN.
//!
//! Accuracy against the platform's libm (glibc's is correctly rounded), measured by the tests
//! below over 4·10^5 arguments spread evenly over the exponents (subnormals included) and
//! around 1: within 1 ulp in f64 and in f32.
//!
//! [`ln_dd_f64`] keeps the relative error below 2^-65 (2^-65.1 measured by the tests against a
//! slow double-double series), which [`powf`](fn@super::powf) needs because the error of `ln x`
//! is multiplied by `y`: at `|y ln x| = 709` it adds at most 0.35 ulp.

// fdlibm's constants are kept digit for digit as published.
#![allow(clippy::excessive_precision)]

use super::dd::{Dd, high26};
use super::select;

/// `(k, m)` with `x = 2^k m` and `m` in `[t, 2t)`, for a positive normal `x`, where `t` is the
/// f64 whose high 32 bits are `t_high` (and the rest zero): fdlibm's trick of adding
/// `1 - t` to the high word, so that the carry into the exponent decides between `m` and
/// `m / 2`. `k` is returned as an f64, built from its bits (no 64-bit integer conversion, which
/// AVX2 lacks). Other arguments give some finite `(k, m)`, for the caller to replace.
#[inline(always)]
fn split_exponent_f64(x: f64, t_high: u64) -> (f64, f64) {
    const TWO52: f64 = 4_503_599_627_370_496.0;
    let ix = x.to_bits().wrapping_add((0x3ff0_0000 - t_high) << 32);
    // The biased exponent (0..=4095 with the sign bit) in the low mantissa bits of 2^52.
    let k = f64::from_bits(0x4330_0000_0000_0000 | (ix >> 52)) - (TWO52 + 1023.0);
    let m = f64::from_bits((ix & 0x000f_ffff_ffff_ffff) + (t_high << 32));
    (k, m)
}

/// `(k, m)` as [`split_exponent_f64`], with subnormal arguments scaled by `2^54` first.
#[inline(always)]
fn split_exponent_any_f64(x: f64, t_high: u64) -> (f64, f64) {
    const TWO54: f64 = 18_014_398_509_481_984.0;
    let subnormal = x < f64::MIN_POSITIVE;
    let (k, m) = split_exponent_f64(select(subnormal, x * TWO54, x), t_high);
    (k - select(subnormal, 54.0, 0.0), m)
}

/// `ln x` given `y`, its value for positive finite `x`: the edge cases as selects.
#[inline(always)]
fn edge_cases_f64(x: f64, y: f64) -> f64 {
    let y = select(x == f64::INFINITY, f64::INFINITY, y);
    let y = select(x == 0.0, f64::NEG_INFINITY, y);
    // Negative or NaN (`!(x >= 0)` is true for NaN).
    select(x >= 0.0, y, f64::NAN)
}

/// f64 constants (fdlibm's `e_log.c`).
mod f64c {
    /// ln 2 split so that `k * LN2_HI` is exact.
    pub const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-01;
    pub const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
    /// High word of √2/2.
    pub const SQRT_HALF_HIGH: u64 = 0x3fe6_a09e;
    /// `R(z) ≈ Lg1 z + … + Lg7 z⁷` with `2 atanh s = 2s + s R(s²)`, `|error| <= 2^-58.45`.
    pub const LG1: f64 = 6.666_666_666_666_735_130e-01;
    pub const LG2: f64 = 3.999_999_999_940_941_908e-01;
    pub const LG3: f64 = 2.857_142_874_366_239_149e-01;
    pub const LG4: f64 = 2.222_219_843_214_978_396e-01;
    pub const LG5: f64 = 1.818_357_216_161_805_012e-01;
    pub const LG6: f64 = 1.531_383_769_920_937_332e-01;
    pub const LG7: f64 = 1.479_819_860_511_658_591e-01;
}

/// `ln x` in f64, branch-free (see the module docs).
#[inline(always)]
pub fn ln_f64(x: f64) -> f64 {
    use f64c::*;
    let (k, m) = split_exponent_any_f64(x, SQRT_HALF_HIGH);
    let f = m - 1.0;
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    // fdlibm's even and odd halves: two independent chains in w = s⁴.
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    let y = s * (hfsq + r) + k * LN2_LO - hfsq + f + k * LN2_HI;
    edge_cases_f64(x, y)
}

/// Constants of [`ln_dd_f64`].
mod ddc {
    use super::Dd;
    /// High word of √3/2: `m` is taken in `[√3/2, √3)`.
    pub const SQRT3_HALF_HIGH: u64 = 0x3feb_b67a;
    /// √(3/2): above it, `m` is divided by 1.5 rather than 1.
    pub const SQRT_THREE_HALVES: f64 = 1.224_744_871_391_589;
    /// ln 1.5 and 2/3 with their high parts on 26 bits (to 2^-80).
    pub const LN_THREE_HALVES: Dd = Dd::new(0.405_465_103_685_855_87, 4.422_308_516_499_498e-9);
    pub const TWO_THIRDS: Dd = Dd::new(0.666_666_656_732_559_2, 9.934_107_462_565_104e-9);
    /// `3 / (2j + 5)` for j = 0..8: `(3/2) 2 atanh s = 3s + s³ + s⁵ Σ c_j s^(2j)` through s¹⁹,
    /// whose first omitted term is below 2^-70 of the sum for `|s| <= 0.101`.
    pub const C: [f64; 8] = [
        3.0 / 5.0,
        3.0 / 7.0,
        3.0 / 9.0,
        3.0 / 11.0,
        3.0 / 13.0,
        3.0 / 15.0,
        3.0 / 17.0,
        3.0 / 19.0,
    ];
}

/// `ln x = hi + lo` with `hi` on 26 bits (so that its product with another 26-bit number is
/// exact) and a relative error below 2^-65, for positive finite `x` (subnormals included); other
/// arguments give something for the caller to replace. Branch-free like [`ln_f64`].
///
/// fdlibm's `e_pow.c` way, in natural logarithms: `x = 2^k m`, `m` in `[√3/2, √3)`, then
/// `m = b (1 + s) / (1 - s)` with `b` 1 or 1.5 (a select), so that `|s| <= 0.101`;
/// `ln x = k ln2 + ln b + (2/3) s (3 + s² + s⁴ Σ c_j s^(2j))`. Each product that must be exact
/// is of two numbers cut to 26 bits, and what the cut leaves is carried beside: `s`, the
/// bracket and their product, times 2/3, plus `k ln2 + ln b` (exact on their few bits). Only
/// the tail `s⁴ Σ…` (below 2^-14 of the bracket) is a plain f64; one division.
#[inline(always)]
pub(super) fn ln_dd_f64(x: f64) -> Dd {
    use ddc::*;
    let (k, m) = split_exponent_any_f64(x, SQRT3_HALF_HIGH);
    let upper = m >= SQRT_THREE_HALVES;
    let b = select(upper, 1.5, 1.0);
    // s = u / v: u exact (m / b is within [0.7, 1.5]); v = v_h + v_l exactly.
    let u = m - b;
    let v = m + b;
    let v_h = high26(v);
    let v_l = m - (v_h - b);
    let v_inv = 1.0 / v;
    let s = u * v_inv;
    let s_h = high26(s);
    let s_l = v_inv * ((u - s_h * v_h) - s_h * v_l);
    // The tail's polynomial by Estrin's scheme.
    let z = s * s;
    let z2 = z * z;
    let p01 = C[0] + z * C[1];
    let p23 = C[2] + z * C[3];
    let p45 = C[4] + z * C[5];
    let p67 = C[6] + z * C[7];
    let p = (p01 + z2 * p23) + (z2 * z2) * (p45 + z2 * p67);
    // t = 3 + s² + tail, with s² = s_h² + s_l (s_h + s).
    let r = z2 * p + s_l * (s_h + s);
    let s_h2 = s_h * s_h;
    let t_h = high26(3.0 + s_h2 + r);
    let t_l = r - ((t_h - 3.0) - s_h2);
    // (3/2) ln(m / b) = s t, then times 2/3.
    let p_h = s_h * t_h;
    let p_l = s_l * t_h + s * t_l;
    let q_h = high26(p_h + p_l);
    let q_l = p_l - (q_h - p_h);
    let z_h = TWO_THIRDS.hi * q_h;
    let z_l = TWO_THIRDS.lo * q_h + (TWO_THIRDS.hi + TWO_THIRDS.lo) * q_l;
    // + k ln2 + ln b: `a` is exact (k LN2_HI on 43 bits, ln b's high part on 26).
    let a = k * f64c::LN2_HI + select(upper, LN_THREE_HALVES.hi, 0.0);
    let lo = z_l + (k * f64c::LN2_LO + select(upper, LN_THREE_HALVES.lo, 0.0));
    let hi = high26((a + z_h) + lo);
    Dd::new(hi, lo - ((hi - a) - z_h))
}

/// f32 constants (fdlibm's `e_logf.c`, as in musl).
mod f32c {
    pub const LN2_HI: f32 = 6.931_381_225_6e-01;
    pub const LN2_LO: f32 = 9.058_000_614_5e-06;
    /// √2/2.
    pub const SQRT_HALF_BITS: u32 = 0x3f35_04f3;
    /// `R(z) ≈ Lg1 z + … + Lg4 z⁴`, as published in hexadecimal (`0xaaaaaa.0p-24`, …).
    pub const LG1: f32 = 0xaa_aaaa as f32 / (1u32 << 24) as f32;
    pub const LG2: f32 = 0xcc_ce13 as f32 / (1u32 << 25) as f32;
    pub const LG3: f32 = 0x91_e9ee as f32 / (1u32 << 25) as f32;
    pub const LG4: f32 = 0xf8_9e26 as f32 / (1u32 << 26) as f32;
}

/// `ln x` in f32, branch-free (see the module docs).
#[inline(always)]
pub fn ln_f32(x: f32) -> f32 {
    use f32c::*;
    const TWO23: f32 = 8_388_608.0;
    const TWO25: f32 = 33_554_432.0;
    let subnormal = x < f32::MIN_POSITIVE;
    let xs = select(subnormal, x * TWO25, x);
    let ix = xs.to_bits().wrapping_add(0x3f80_0000 - SQRT_HALF_BITS);
    let k =
        f32::from_bits(0x4b00_0000 | (ix >> 23)) - (TWO23 + 127.0) - select(subnormal, 25.0, 0.0);
    let m = f32::from_bits((ix & 0x007f_ffff) + SQRT_HALF_BITS);
    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * LG4);
    let t2 = z * (LG1 + w * LG3);
    let r = t2 + t1;
    let hfsq = 0.5 * f * f;
    let y = s * (hfsq + r) + k * LN2_LO - hfsq + f + k * LN2_HI;
    let y = select(x == f32::INFINITY, f32::INFINITY, y);
    let y = select(x == 0.0, f32::NEG_INFINITY, y);
    select(x >= 0.0, y, f32::NAN)
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::super::testing::{Spread, ulps_f32, ulps_f64, worst_within};
    use super::*;

    /// Positive f64 arguments: evenly over the bit patterns from the smallest subnormal to the
    /// largest finite (so evenly over the exponents), and around 1, where `ln` is small.
    fn arguments() -> impl Iterator<Item = f64> {
        let mut spread = Spread::new(7);
        let wide =
            (0..200_000).map(move |_| f64::from_bits(spread.bits_between(1, f64::MAX.to_bits())));
        let mut spread = Spread::new(8);
        let near_one = (0..200_000).map(move |_| 1.0 + spread.signed() * spread.scale(1e-16, 0.3));
        wide.chain(near_one)
    }

    #[test]
    fn f64_within_one_ulp_of_the_platform() {
        let errors = arguments().map(|x| (x, ulps_f64(ln_f64(x), x.ln())));
        worst_within("ln f64", 1.0, errors);
    }

    #[test]
    fn f32_within_one_ulp_of_the_platform() {
        let mut spread = Spread::new(9);
        let wide = (0..200_000)
            .map(|_| f32::from_bits(spread.bits_between(1, f32::MAX.to_bits().into()) as u32));
        let near_one = arguments().skip(200_000).map(|x| x as f32);
        let errors = wide
            .chain(near_one)
            .map(|x| (x, ulps_f32(ln_f32(x), x.ln())));
        worst_within("ln f32", 1.0, errors);
    }

    /// `ln x` in double-double by another route, slow and simple: `x = 2^e m` with `m` in
    /// `[√2/2, √2)`, `ln m = 2 atanh s` with `s = (m - 1) / (m + 1) <= 0.18`, and the whole series
    /// summed in double-double to 2^-110; ln 2 the same way (`2 atanh(1/3)`), not from a
    /// constant.
    fn reference_ln(x: f64) -> Dd {
        fn two_atanh(s: Dd) -> Dd {
            let s2 = s.mul(s);
            let mut power = s;
            let mut sum = Dd::new(0.0, 0.0);
            for j in 0..40 {
                let inv = Dd::div_f64_by(2.0, Dd::new((2 * j + 1) as f64, 0.0));
                sum = sum.add(power.mul(inv));
                power = power.mul(s2);
            }
            sum
        }
        let ln2 = two_atanh(Dd::div_f64_by(1.0, Dd::new(3.0, 0.0)));
        let (x, mut e) = if x < f64::MIN_POSITIVE {
            (x * 2f64.powi(64), -64)
        } else {
            (x, 0)
        };
        e += (x.to_bits() >> 52) as i32 - 1023;
        let mut m = f64::from_bits((x.to_bits() & ((1 << 52) - 1)) | 0x3ff0_0000_0000_0000);
        // m in [√2/2, √2): no cancellation between e ln 2 and ln m around x = 1.
        if m > core::f64::consts::SQRT_2 {
            m /= 2.0;
            e += 1;
        }
        let ln_m = two_atanh(Dd::div_f64_by(m - 1.0, Dd::sum(m, 1.0)));
        ln2.mul_f64(f64::from(e)).add(ln_m)
    }

    #[test]
    fn double_double_within_2_pow_minus_65_of_a_slow_reference() {
        let mut spread = Spread::new(11);
        let wide = (0..30_000).map(|_| f64::from_bits(spread.bits_between(1, f64::MAX.to_bits())));
        let mut spread = Spread::new(12);
        let near_one = (0..30_000).map(move |_| 1.0 + spread.signed() * spread.scale(1e-16, 0.8));
        // Around the two points where the reduction switches (m = √(3/2), and √3 between two
        // binades).
        let mut spread = Spread::new(13);
        let switches = (0..10_000).map(move |i| {
            let around = if i % 2 == 0 {
                1.224_744_871_391_589
            } else {
                1.732_050_807_568_877
            };
            around * (1.0 + spread.signed() * 1e-6) * 2f64.powi(i % 7 - 3)
        });
        let mut worst = 0.0_f64;
        for x in wide.chain(near_one).chain(switches) {
            let (y, r) = (ln_dd_f64(x), reference_ln(x));
            let err = ((y.hi - r.hi) + (y.lo - r.lo)).abs() / r.hi.abs().max(f64::MIN_POSITIVE);
            assert!(err < 2f64.powi(-65), "ln_dd({x:e}): relative error {err:e}");
            worst = worst.max(err);
            assert!(ulps_f64(y.hi + y.lo, x.ln()) <= 1.0, "ln_dd({x:e}) rounded");
        }
        eprintln!(
            "ln_dd: max relative error {worst:e} (2^{:.1})",
            worst.log2()
        );
    }

    #[test]
    fn edge_cases() {
        for (x, y) in [
            (0.0, f64::NEG_INFINITY),
            (-0.0, f64::NEG_INFINITY),
            (f64::INFINITY, f64::INFINITY),
            (1.0, 0.0),
        ] {
            assert_eq!(ln_f64(x), y, "ln({x:e})");
            assert_eq!(ln_f32(x as f32), y as f32, "lnf({x:e})");
        }
        for x in [
            f64::MIN_POSITIVE,
            f64::from_bits(1),
            f64::MAX,
            core::f64::consts::E,
        ] {
            assert!(ulps_f64(ln_f64(x), x.ln()) <= 1.0, "ln({x:e})");
        }
        for x in [
            f32::MIN_POSITIVE,
            f32::from_bits(1),
            f32::MAX,
            core::f32::consts::E,
        ] {
            assert!(ulps_f32(ln_f32(x), x.ln()) <= 1.0, "lnf({x:e})");
        }
        for x in [
            -1.0,
            -0.5,
            -f64::MIN_POSITIVE,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
        ] {
            assert!(ln_f64(x).is_nan(), "ln({x})");
        }
        for x in [
            -1.0,
            -0.5,
            -f32::MIN_POSITIVE,
            f32::NEG_INFINITY,
            f32::NAN,
            -f32::NAN,
        ] {
            assert!(ln_f32(x).is_nan(), "lnf({x})");
        }
    }
}
