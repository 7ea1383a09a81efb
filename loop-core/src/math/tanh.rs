//! The hyperbolic tangent without branches, table lookups or library calls: two forms, both
//! computed and one selected (with one division between them), and the sign put back from
//! `x`'s bits.
//!
//! - `|x| < 0.55`: `tanh a = a / (1 + w)` with `w = a coth a - 1 = a² Q(a²)`, `Q` a polynomial
//!   (a Chebyshev fit, 8 terms in f64 and 4 in f32, below 2^-56 and 2^-28 of `Q`), returned as
//!   `a - a w / (1 + w)`: `w <= 0.1`, so the rounding errors before the last subtraction count
//!   a tenth.
//! - beyond: `1 - 2 / (t + 2)` with `t = e^(2a) - 1` from the branch-free
//!   [`exp_m1`](fn@super::exp_m1); `2 / (t + 2) <= 1/2`.
//!
//! Saturates without NaN: `t` overflows to +∞ from `|x| > 355` (f64) or `44` (f32), and
//! `1 - 2/∞ = 1`. `tanh(±0) = ±0`, tiny and subnormal `x` give `x`, `tanh(±∞) = ±1`, NaN gives
//! NaN.
//!
//! Accuracy, measured by the tests below over 4·10^5 arguments spread over the exponents from
//! 10^-300 (10^-40 in f32) to 10^3, both signs, against the exact value (a double-double
//! reference built on a slow Taylor series of `exp`): within 1.5 ulp, 1.40 measured in f64 and
//! 1.45 in f32, the largest just above `|x| = 0.55` (below, within 0.51 ulp); and within 2 ulp of
//! the platform's `tanh` (glibc's, itself up to 2 ulp off).

use super::{Real, exp_m1, select};

/// `tanh a` for `a = |x|`, from `q = Q(a²)` and `t = e^(2a) - 1` (see the module docs).
#[inline(always)]
fn tanh_of_abs<T: Real>(a: T, q: T, t: T) -> T {
    let small = a < T::of(SMALL);
    let w = a * a * q;
    let num = select(small, a * w, T::of(2.0));
    let den = select(small, T::one() + w, t + T::of(2.0));
    let ratio = num / den;
    select(small, a - ratio, T::one() - ratio)
}

/// Below this `|x|`, the polynomial form.
const SMALL: f64 = 0.55;

/// `Q(s) ≈ (√s coth √s - 1) / s` on `[0, 0.55²]`, lowest degree first (f64).
const Q64: [f64; 8] = [
    0.333_333_333_333_333_3,
    -0.022_222_222_222_220_415,
    0.002_116_402_116_276_612_3,
    -0.000_211_640_208_313_223_44,
    2.137_775_577_598_944_5e-5,
    -2.164_096_335_176_928_4e-6,
    2.180_423_553_857_868e-7,
    -1.967_873_331_047_715_5e-8,
];

/// As [`Q64`], for f32.
const Q32: [f32; 4] = [
    0.333_333_34,
    -0.022_222_083,
    0.002_114_086_4,
    -0.000_199_232_22,
];

/// `tanh x` in f64, branch-free (see the module docs).
#[inline(always)]
pub fn tanh_f64(x: f64) -> f64 {
    const SIGN: u64 = 1 << 63;
    let a = f64::from_bits(x.to_bits() & !SIGN);
    let s = a * a;
    let (s2, c) = (s * s, &Q64);
    let q = ((c[0] + s * c[1]) + s2 * (c[2] + s * c[3]))
        + (s2 * s2) * ((c[4] + s * c[5]) + s2 * (c[6] + s * c[7]));
    let r = tanh_of_abs(a, q, exp_m1(2.0 * a));
    f64::from_bits(r.to_bits() | (x.to_bits() & SIGN))
}

/// `tanh x` in f32, branch-free (see the module docs).
#[inline(always)]
pub fn tanh_f32(x: f32) -> f32 {
    const SIGN: u32 = 1 << 31;
    let a = f32::from_bits(x.to_bits() & !SIGN);
    let s = a * a;
    let c = &Q32;
    let q = (c[0] + s * c[1]) + (s * s) * (c[2] + s * c[3]);
    let r = tanh_of_abs(a, q, exp_m1(2.0 * a));
    f32::from_bits(r.to_bits() | (x.to_bits() & SIGN))
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::super::dd::Dd;
    use super::super::testing::{
        Spread, reference_exp, ulps_dd, ulps_f32_of, ulps_f64, worst_within,
    };
    use super::*;

    /// `±|x|` with `|x|` log-uniform over `[tiny, 10^3]` or over `[10^-3, 25]`, where tanh
    /// moves from `x` to 1.
    fn arguments(seed: u64, tiny: f64) -> impl Iterator<Item = f64> {
        let mut s = Spread::new(seed);
        (0..400_000).map(move |i| {
            let a = if i % 2 == 0 {
                s.scale(tiny, 1e3)
            } else {
                s.scale(1e-3, 25.0)
            };
            if s.unit() < 0.5 { -a } else { a }
        })
    }

    /// `tanh x` in double-double (about 2^-100): `(E - 1) / (E + 1)` with `E = e^(2|x|)` from
    /// the slow reference exponential, or `a - a³/3` for `a < 10^-9`, and 1 from 300 on.
    fn reference(x: f64) -> Dd {
        let a = x.abs();
        let r = if a < 1e-9 {
            Dd::new(a, -a * a * a / 3.0)
        } else if a > 300.0 {
            Dd::new(1.0, 0.0)
        } else {
            let e = reference_exp(2.0 * a);
            let minus = e.add(Dd::new(-1.0, 0.0));
            let plus = e.add(Dd::new(1.0, 0.0));
            minus.mul(Dd::div_f64_by(1.0, plus))
        };
        if x < 0.0 { Dd::new(-r.hi, -r.lo) } else { r }
    }

    #[test]
    fn f64_within_one_and_a_half_ulp_and_two_of_the_platform() {
        let errors = arguments(51, 1e-300).map(|x| (x, ulps_dd(tanh_f64(x), reference(x))));
        worst_within("tanh f64", 1.5, errors);
        let errors = arguments(51, 1e-300).map(|x| (x, ulps_f64(tanh_f64(x), x.tanh())));
        worst_within("tanh f64 (against the platform's)", 2.0, errors);
    }

    #[test]
    fn f32_within_one_and_a_half_ulp() {
        let errors = arguments(52, 1e-40).map(|x| {
            let (x, r) = (x as f32, reference(f64::from(x as f32)));
            (x, ulps_f32_of(tanh_f32(x), r.hi + r.lo))
        });
        worst_within("tanh f32", 1.5, errors);
    }

    #[test]
    fn saturates_and_keeps_the_sign() {
        for x in [
            20.0,
            40.0,
            355.0,
            356.0,
            1e10,
            1e300,
            f64::MAX,
            f64::INFINITY,
        ] {
            assert_eq!(tanh_f64(x), 1.0, "tanh({x:e})");
            assert_eq!(tanh_f64(-x), -1.0, "tanh({:e})", -x);
            let x = x as f32;
            assert_eq!(tanh_f32(x), 1.0, "tanhf({x:e})");
            assert_eq!(tanh_f32(-x), -1.0, "tanhf({:e})", -x);
        }
        assert_eq!(tanh_f64(0.0).to_bits(), 0.0_f64.to_bits());
        assert_eq!(tanh_f64(-0.0).to_bits(), (-0.0_f64).to_bits());
        assert_eq!(tanh_f32(-0.0).to_bits(), (-0.0_f32).to_bits());
        assert_eq!(tanh_f64(1e-310), 1e-310);
        assert_eq!(tanh_f32(-1e-40), -1e-40);
        assert!(tanh_f64(f64::NAN).is_nan() && tanh_f32(f32::NAN).is_nan());
    }
}
