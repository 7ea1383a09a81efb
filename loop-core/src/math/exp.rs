//! The exponential and `exp(x) - 1` without branches, table lookups, library calls or
//! divisions, so that a loop over a population that calls them is vectorized by the compiler
//! (see [`crate::simd`]) and does not wait on the divider (a vector division issues once every
//! 8 to 16 cycles, a multiplication or an addition up to twice a cycle); and, for callers who
//! divide the result anyway, fdlibm's rational form before its division ([`ExpFraction`]).
//!
//! [`exp_f64`] and [`exp_m1_f64`] (and their f32 twins) reduce `x = k ln2 + r` with
//! `|r| <= ln2 / 2` (Cody–Waite: `k` rounded by the 1.5·2^p shift, `r = hi - lo` with
//! `hi = x - k ln2_hi` exact and `lo = k ln2_lo` small), approximate `e^r - 1 = r + r² Q(r)`
//! with a minimax polynomial `Q` evaluated by Estrin's scheme, add the parts as
//! `hi + (r² Q(r) - lo)` (so that the rounding of `r` itself does not reach the result), and
//! scale by `2^k`, two factors whose exponent fields are read from the bits of the shifted sum
//! that rounded `k` (so that subnormal results and overflow to infinity come out right). `e^r`
//! is approximated to degree 11 in f64 (`Q` of degree 9, 10 coefficients; within 2^-56.8 of
//! `e^r`, relatively) and to degree 6 in f32 (`Q` of degree 4, 5 coefficients; within
//! 2^-27.9), computed in f32 throughout. The coefficients are Remez's minimax for the relative
//! error of `e^r` on `|r| <= 0.3466`, each then rounded to the format (the bounds above are
//! those of the rounded polynomials). `exp_m1` sums `((2^k - 1) + 2^k hi) + 2^k (r² Q(r) - lo)`,
//! which is `hi + …` itself for `k = 0`, so keeps its relative accuracy near 0. Edge cases are
//! selects, not branches: NaN propagates, +∞ gives +∞, -∞ gives 0 (`exp`) or -1 (`exp_m1`).
//!
//! Accuracy, measured by the tests below (4·10^5 arguments each: uniform over the domain and
//! over `[-1, 1]`, log-uniform in magnitude down to 10^-300, next to the odd multiples of
//! `ln2 / 2`): against the exact value (a double-double reference), `exp` within 0.89 ulp in
//! f64 and 0.86 in f32 (asserted: 0.95), `exp_m1` within 1.14 and 1.22 ulp (asserted: 1.3);
//! against the platform's libm (glibc's `exp` is correctly rounded in practice), `exp` within
//! 1 ulp (asserted over 2·10^6 arguments, subnormal results and overflow included) and
//! `exp_m1` within 2 (1 measured). Over 4·10^6 arguments: 0.90 and 1.24 ulp of the exact value
//! in f64, 0.90 and 1.26 in f32, where fdlibm's rational form, used before, gave 0.99 and 2.07,
//! 0.96 and 1.73.
//!
//! [`exp_fraction_f64`] and [`exp_fraction_f32`] are fdlibm's (musl's in f32): the same
//! reduction, `e^r - 1 = r / (1 - c/2)` with `c = r - r² P(r²)`, a degree-10 (degree-4)
//! rational form, handed back as numerator and denominator; for a caller who divides the result
//! by something else anyway it costs fewer operations than the polynomial.
//!
//! Every operation is a plain IEEE add, multiply or bit operation (and the callers' divisions;
//! no fused multiply-add), so the result is the same bits whatever vector width the loop is
//! compiled for.

// fdlibm's constants are kept digit for digit as published.
#![allow(clippy::excessive_precision)]

use super::select;

/// f64 constants.
mod f64c {
    pub const LOG2E: f64 = core::f64::consts::LOG2_E;
    /// ln 2 split so that `k * LN2_HI` is exact for |k| < 2^20 (fdlibm's `e_exp.c`).
    pub const LN2_HI: f64 = 6.931_471_803_691_238_164_90e-01;
    pub const LN2_LO: f64 = 1.908_214_929_270_587_700_02e-10;
    /// 1.5 · 2^52 + 2046: adding it rounds to an integer (ties to even, as without the 2046),
    /// and leaves `k + 2046` in the low mantissa bits, where [`scale_f64`](super::scale_f64)
    /// reads the exponents of `2^k` from.
    pub const SHIFT: f64 = 6_755_399_441_057_790.0;
    /// 1.5 · 2^52 + 1023: likewise, `k + 1023` in the low bits, the exponent field of `2^k`.
    pub const SHIFT_1023: f64 = 6_755_399_441_056_767.0;
    /// Beyond these, exp overflows to +∞ or underflows to 0 (clamping keeps `k` in range).
    pub const HI: f64 = 710.0;
    pub const LO: f64 = -746.0;
    /// `Q(r) ≈ (e^r - 1 - r) / r²` on `|r| <= 0.3466`, lowest degree first: Remez's minimax
    /// for the relative error of `e^r = 1 + r + r² Q(r)`, then each coefficient rounded to
    /// f64; `1 + r + r² Q(r)` is within 2^-56.8 of `e^r` (2^-56.85 before the rounding).
    pub const Q: [f64; 10] = [
        0.500_000_000_000_001,
        0.166_666_666_666_666_7,
        0.041_666_666_666_523_8,
        0.008_333_333_333_323_966,
        0.001_388_888_894_736_503_9,
        0.000_198_412_698_821_900_9,
        2.480_148_777_844_432_6e-5,
        2.755_724_668_435_17e-6,
        2.763_250_095_082_238e-7,
        2.510_856_778_889_913e-8,
    ];
    /// fdlibm's minimax coefficients of `R(r²) = r (e^r + 1) / (e^r - 1) ≈ 2 + P1 r² + … +
    /// P5 r¹⁰`, for [`exp_fraction_f64`](super::exp_fraction_f64), as published.
    pub const P1: f64 = 1.666_666_666_666_660_190_37e-01;
    pub const P2: f64 = -2.777_777_777_701_559_338_42e-03;
    pub const P3: f64 = 6.613_756_321_437_934_361_17e-05;
    pub const P4: f64 = -1.653_390_220_546_525_153_90e-06;
    pub const P5: f64 = 4.138_136_797_057_238_460_39e-08;
}

/// The reduced argument `r = hi - lo`, `x + lo_in = k ln2 + r`, `|r| <= ~ln2/2`.
#[derive(Clone, Copy)]
struct Reduced<U, F> {
    /// The bits of `k + SHIFT` (see [`f64c::SHIFT`]; the same in f32).
    t: U,
    /// `k`, as a float.
    kf: F,
    /// `x - k ln2_hi`, exact.
    hi: F,
    /// `k ln2_lo - lo_in`, at most about 2^-22 in f64 (2^-12 in f32).
    lo: F,
}

/// `x + lo = k ln2 + (hi - lo')`; `x` clamped to `[LO, HI]` first (and `lo` then dropped). `lo`
/// is the low part of an argument given in two (see [`exp_dd_f64`]); with `lo = 0` its
/// subtraction is exact, and the compiler removes it.
#[inline(always)]
fn reduce_f64(x: f64, lo: f64) -> Reduced<u64, f64> {
    use f64c::*;
    let lo = select((LO..=HI).contains(&x), lo, 0.0);
    let x = select(x > HI, HI, x);
    let x = select(x < LO, LO, x);
    let t = x * LOG2E + SHIFT;
    let kf = t - SHIFT;
    Reduced {
        t: t.to_bits(),
        kf,
        hi: x - kf * LN2_HI,
        lo: kf * LN2_LO - lo,
    }
}

/// `r² Q(r) ≈ e^r - 1 - r` for `|r| <= 0.3466`, by Estrin's scheme: the ten coefficients in
/// pairs `Q[2j] + r Q[2j+1]`, joined by `r²` and `r⁴` (a chain of 8 dependent operations
/// instead of Horner's 19, for one operation more: 12 multiplications and 9 additions).
#[inline(always)]
fn tail_f64(r: f64) -> f64 {
    let c = &f64c::Q;
    let r2 = r * r;
    let r4 = r2 * r2;
    let p01 = (c[0] + r * c[1]) + r2 * (c[2] + r * c[3]);
    let p23 = (c[4] + r * c[5]) + r2 * (c[6] + r * c[7]);
    let p4 = c[8] + r * c[9];
    r2 * (p01 + r4 * (p23 + r4 * p4))
}

/// `e^r - 1` for the reduced argument, `hi + (r² Q(r) - lo)`.
#[inline(always)]
fn expm1_reduced_f64(a: Reduced<u64, f64>) -> f64 {
    a.hi + (tail_f64(a.hi - a.lo) - a.lo)
}

/// `y · 2^k` for `-1077 <= k <= 1025`, as two normal factors `2^floor(k/2)` and `2^ceil(k/2)`,
/// from `t`, whose low 12 bits are `k + 2046` (in `[969, 3071]`; the bit above is 0): the
/// exponent field of the first factor is `(k + 2046) >> 1`, that of the second the rest.
/// (Shifts and one subtraction; any bits of a NaN's `t` give a NaN `y` times something.)
#[inline(always)]
fn scale_f64(y: f64, t: u64) -> f64 {
    let first = (t >> 1) << 52;
    let second = (t << 52).wrapping_sub(first);
    y * f64::from_bits(first) * f64::from_bits(second)
}

/// `e^x` in f64, branch-free and division-free (see the module docs).
#[inline(always)]
pub fn exp_f64(x: f64) -> f64 {
    exp_dd_f64(x, 0.0)
}

/// `e^(hi + lo)` in f64, for an argument given as a double-double (`|lo|` within about an ulp of
/// `hi`): [`powf`](fn@super::powf)'s last step, which needs `y ln x` to more than 53 bits. As
/// accurate as [`exp_f64`]: `lo` joins the low part of the reduced argument.
#[inline(always)]
pub(super) fn exp_dd_f64(hi: f64, lo: f64) -> f64 {
    let a = reduce_f64(hi, lo);
    scale_f64(1.0 + expm1_reduced_f64(a), a.t)
}

/// `e^x - 1` in f64, branch-free and division-free, accurate near 0.
#[inline(always)]
pub fn exp_m1_f64(x: f64) -> f64 {
    let a = reduce_f64(x, 0.0);
    let tail = tail_f64(a.hi - a.lo) - a.lo;
    // 2^k (1 + hi + tail) - 1 = ((2^k - 1) + 2^k hi) + 2^k tail: for k = 0 the sum of
    // expm1_reduced_f64, and for k = 1 with hi < -1/4 the first sum is exact.
    exp_m1_at_f64(a.kf, |s| ((s - 1.0) + s * a.hi) + s * tail)
}

/// `2^k (1 + e) - 1`, given `sum(s)`, a sum equal to it at `s = 2^k` whose `s - 1` term is
/// exact: that holds while `|k| <= 53`, and below -60 the result is -1 to the last bit, so `k`
/// is clamped there. Above 1023, 2^k overflows: the sum is taken at k - 1 and doubled (the -1
/// no longer matters there). `k` is given as a float, clamped as one, and turned into `2^k` by
/// the shift of [`f64c::SHIFT_1023`].
#[inline(always)]
fn exp_m1_at_f64(k: f64, sum: impl Fn(f64) -> f64) -> f64 {
    let k_s = select(k > 1023.0, 1023.0, k);
    let k_s = select(k_s < -60.0, -60.0, k_s);
    let s = f64::from_bits((k_s + f64c::SHIFT_1023).to_bits() << 52);
    let sum = sum(s);
    select(k > 1023.0, sum * 2.0, sum)
}

/// fdlibm's `c = r - r² P(r²)`, for `|r| <= ~0.35`: `e^r - 1 = r + r c / (2 - c) = r / (1 - c/2)`.
#[inline(always)]
fn c_f64(r: f64) -> f64 {
    use f64c::*;
    let z = r * r;
    // P1 z + … + P5 z⁵ by Estrin's scheme: the same five products and four sums as Horner's,
    // in half the latency.
    let z2 = z * z;
    let low = P1 + z * P2;
    let high = (P3 + z * P4) + z2 * P5;
    r - z * (low + z2 * high)
}

/// `e^x` and `e^x - 1` in f64 as fractions over one denominator, for callers that divide the
/// result anyway (see [`ExpFraction`]).
#[inline(always)]
pub fn exp_fraction_f64(x: f64) -> ExpFraction<f64> {
    let a = reduce_f64(x, 0.0);
    let r = a.hi - a.lo;
    let c = c_f64(r);
    // e^r - 1 = r / (1 - c/2): numerator r, denominator 1 - c/2 (about 1 - r/2, in
    // [0.83, 1.19]).
    let (n, d) = (r, 1.0 - 0.5 * c);
    ExpFraction {
        exp: scale_f64(d + n, a.t),
        // 2^k (1 + n/d) - 1 = ((2^k - 1) d + 2^k n) / d.
        exp_m1: exp_m1_at_f64(a.kf, |s| (s - 1.0) * d + s * n),
        den: d,
    }
}

/// `e^x = exp / den` and `e^x - 1 = exp_m1 / den`, with `den` in `[0.83, 1.19]`: fdlibm's
/// rational form of the exponential before its division, so that a caller who divides it by
/// something else (`exprel`, `x / (e^x - 1)`, `1 / (1 + e^x)`) pays one division in all. For
/// such a caller this is cheaper than [`exp`](fn@super::exp) (a degree-10 rational in place of
/// a degree-11 polynomial, and the division is the caller's own); a caller who would divide
/// only to undo `den` should call [`exp`](fn@super::exp) or [`exp_m1`](fn@super::exp_m1),
/// which have no division. The same reduction as they, so each quotient is within an ulp or
/// two of them. A numerator is about `2^k (1 + r/2)` (`x = k ln2 + r`, `|r| <= ln2/2`), which
/// overflows only at the top `k` with `r >= 0`, where the quotient overflows too.
#[derive(Clone, Copy, Debug)]
pub struct ExpFraction<T> {
    /// `e^x · den`.
    pub exp: T,
    /// `(e^x - 1) · den`.
    pub exp_m1: T,
    /// The common denominator.
    pub den: T,
}

/// f32 constants.
mod f32c {
    pub const LOG2E: f32 = core::f32::consts::LOG2_E;
    /// ln 2 split so that `k * LN2_HI` is exact for |k| < 2^9 (fdlibm's `e_expf.c`).
    pub const LN2_HI: f32 = 6.931_457_519_5e-01;
    pub const LN2_LO: f32 = 1.428_606_820_3e-06;
    /// 1.5 · 2^23 + 254: `k + 254` in the low bits (as [`f64c::SHIFT`](super::f64c::SHIFT)).
    pub const SHIFT: f32 = 12_583_166.0;
    /// 1.5 · 2^23 + 127: `k + 127`, the exponent field of `2^k`.
    pub const SHIFT_127: f32 = 12_583_039.0;
    pub const HI: f32 = 89.0;
    pub const LO: f32 = -104.0;
    /// As [`f64c::Q`](super::f64c::Q), degree 4, rounded to f32: within 2^-27.9 of `e^r`.
    pub const Q: [f32; 5] = [
        0.499_999_94,
        0.166_665_21,
        0.041_668_385,
        0.008_368_68,
        0.001_381_467_6,
    ];
    /// musl's two-term rational for [`exp_fraction_f32`](super::exp_fraction_f32).
    pub const P1: f32 = 1.666_662_544_0e-01;
    pub const P2: f32 = -2.766_733_290_6e-03;
}

#[inline(always)]
fn reduce_f32(x: f32) -> Reduced<u32, f32> {
    use f32c::*;
    let x = select(x > HI, HI, x);
    let x = select(x < LO, LO, x);
    let t = x * LOG2E + SHIFT;
    let kf = t - SHIFT;
    Reduced {
        t: t.to_bits(),
        kf,
        hi: x - kf * LN2_HI,
        lo: kf * LN2_LO,
    }
}

/// `r² Q(r) ≈ e^r - 1 - r` for `|r| <= 0.3466` (f32), by Estrin's scheme (6 multiplications,
/// 4 additions).
#[inline(always)]
fn tail_f32(r: f32) -> f32 {
    let c = &f32c::Q;
    let r2 = r * r;
    r2 * (((c[0] + r * c[1]) + r2 * (c[2] + r * c[3])) + (r2 * r2) * c[4])
}

#[inline(always)]
fn expm1_reduced_f32(a: Reduced<u32, f32>) -> f32 {
    a.hi + (tail_f32(a.hi - a.lo) - a.lo)
}

/// `y · 2^k` for `-152 <= k <= 130`, as [`scale_f64`], from `t` whose low 9 bits are `k + 254`.
#[inline(always)]
fn scale_f32(y: f32, t: u32) -> f32 {
    let first = (t >> 1) << 23;
    let second = (t << 23).wrapping_sub(first);
    y * f32::from_bits(first) * f32::from_bits(second)
}

/// `e^x` in f32, branch-free and division-free.
#[inline(always)]
pub fn exp_f32(x: f32) -> f32 {
    let a = reduce_f32(x);
    scale_f32(1.0 + expm1_reduced_f32(a), a.t)
}

/// `e^x - 1` in f32, branch-free and division-free, accurate near 0 (as [`exp_m1_f64`]).
#[inline(always)]
pub fn exp_m1_f32(x: f32) -> f32 {
    let a = reduce_f32(x);
    let tail = tail_f32(a.hi - a.lo) - a.lo;
    exp_m1_at_f32(a.kf, |s| ((s - 1.0) + s * a.hi) + s * tail)
}

/// As [`exp_m1_at_f64`], in f32 (exact while `|k| <= 24`; -1 to the last bit below -30).
#[inline(always)]
fn exp_m1_at_f32(k: f32, sum: impl Fn(f32) -> f32) -> f32 {
    let k_s = select(k > 127.0, 127.0, k);
    let k_s = select(k_s < -30.0, -30.0, k_s);
    let s = f32::from_bits((k_s + f32c::SHIFT_127).to_bits() << 23);
    let sum = sum(s);
    select(k > 127.0, sum * 2.0, sum)
}

/// musl's `c = r - r² (P1 + P2 r²)`: `e^r - 1 = r / (1 - c/2)`.
#[inline(always)]
fn c_f32(r: f32) -> f32 {
    use f32c::*;
    let z = r * r;
    r - z * (P1 + z * P2)
}

/// As [`exp_fraction_f64`], in f32.
#[inline(always)]
pub fn exp_fraction_f32(x: f32) -> ExpFraction<f32> {
    let a = reduce_f32(x);
    let r = a.hi - a.lo;
    let c = c_f32(r);
    let (n, d) = (r, 1.0 - 0.5 * c);
    ExpFraction {
        exp: scale_f32(d + n, a.t),
        exp_m1: exp_m1_at_f32(a.kf, |s| (s - 1.0) * d + s * n),
        den: d,
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::super::dd::Dd;
    use super::super::testing::{
        Spread, reference_exp, ulps_dd, ulps_f32, ulps_f32_of, ulps_f64, worst_within,
    };
    use super::*;

    /// `e^a - 1` in double-double (about 2^-100 relative): for `|a| < 1/2` its own Taylor
    /// series (no cancellation near 0), else the slow reference exponential minus 1.
    fn reference_exp_m1(a: f64) -> Dd {
        if a.abs() >= 0.5 {
            return reference_exp(a).add(Dd::new(-1.0, 0.0));
        }
        let mut term = Dd::new(a, 0.0);
        let mut sum = term;
        for n in 2..30 {
            term = term
                .mul_f64(a)
                .mul(Dd::div_f64_by(1.0, Dd::new(f64::from(n), 0.0)));
            sum = sum.add(term);
        }
        sum
    }

    /// Arguments for the comparisons with the exact value, `|x| <= 650` (where the reference
    /// is exact and the results normal): uniform over the range and over `[-1, 1]`,
    /// log-uniform in magnitude down to 10^-300, and next to the odd multiples of `ln2 / 2`,
    /// where `k` changes and `|r|` is largest.
    fn exact_arguments(seed: u64) -> impl Iterator<Item = f64> {
        let mut s = Spread::new(seed);
        (0..400_000).map(move |i| match i % 4 {
            0 => s.signed() * 650.0,
            1 => s.signed(),
            2 => s.signed().signum() * s.scale(1e-300, 1.0),
            _ => {
                let j = (s.signed() * 930.0).round();
                (j + 0.5) * core::f64::consts::LN_2 + s.signed() * 1e-9
            }
        })
    }

    /// f32 arguments: uniform over the domain of normal results and over `[-1, 1]`, log-uniform
    /// in magnitude down to the subnormals.
    fn f32_arguments(seed: u64) -> impl Iterator<Item = f32> {
        let mut s = Spread::new(seed);
        (0..400_000).map(move |i| match i % 3 {
            0 => (-87.0 + (s.unit() * 175.7)) as f32,
            1 => s.signed() as f32,
            _ => (s.signed().signum() * s.scale(1e-45, 1.0)) as f32,
        })
    }

    #[test]
    fn f64_exp_within_0_95_ulp_of_the_exact_value() {
        let errors = exact_arguments(81).map(|x| (x, ulps_dd(exp_f64(x), reference_exp(x))));
        worst_within("exp f64 (exact)", 0.95, errors);
    }

    #[test]
    fn f64_exp_m1_within_1_3_ulp_of_the_exact_value() {
        let errors = exact_arguments(82).map(|x| (x, ulps_dd(exp_m1_f64(x), reference_exp_m1(x))));
        worst_within("exp_m1 f64 (exact)", 1.3, errors);
    }

    #[test]
    fn f32_within_0_95_ulp_for_exp_and_1_3_for_exp_m1_of_the_exact_value() {
        // The platform's f64 functions are within 2^-52 of the exact value: far below an f32
        // ulp (2^-23 relative).
        let errors = f32_arguments(83).map(|x| (x, ulps_f32_of(exp_f32(x), f64::from(x).exp())));
        worst_within("exp f32 (exact)", 0.95, errors);
        let errors =
            f32_arguments(84).map(|x| (x, ulps_f32_of(exp_m1_f32(x), f64::from(x).exp_m1())));
        worst_within("exp_m1 f32 (exact)", 1.3, errors);
    }

    #[test]
    fn subnormal_results_and_overflow_as_the_platform() {
        let mut s = Spread::new(85);
        // e^x is subnormal below -708.4 and overflows above 709.78.
        let errors = (0..200_000).map(|i| {
            let x = if i % 2 == 0 {
                -745.2 + s.unit() * 37.0
            } else {
                709.0 + s.unit() * 1.5
            };
            (x, ulps_f64(exp_f64(x), x.exp()))
        });
        worst_within("exp f64 (subnormal and overflow)", 1.0, errors);
        let errors = (0..200_000).map(|i| {
            let x = if i % 2 == 0 {
                -104.0 + s.unit() * 17.0
            } else {
                88.0 + s.unit() * 1.0
            } as f32;
            (x, ulps_f32(exp_f32(x), x.exp()))
        });
        worst_within("exp f32 (subnormal and overflow)", 1.0, errors);
    }

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
