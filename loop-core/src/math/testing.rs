//! What the tests of the math functions share: distances in ulps, deterministic argument
//! spreads, and the check that a function computed in a loop compiled for AVX2 or AVX-512 gives
//! the same bits as the same function called one argument at a time.

use super::Real;
use super::dd::Dd;

/// Distance of `x` from `reference` in units in the last place of `reference` (0 when both are
/// the same value, or both NaN; NaN when only one is, or when the reference is infinite and `x`
/// is not, so that any bound fails).
pub fn ulps_f64(x: f64, reference: f64) -> f64 {
    if x == reference || (x.is_nan() && reference.is_nan()) {
        return 0.0;
    }
    let a = reference.abs();
    let ulp = (f64::from_bits(a.to_bits() + 1) - a).max(f64::from_bits(1));
    (x - reference).abs() / ulp
}

/// As [`ulps_f64`], in f32.
pub fn ulps_f32(x: f32, reference: f32) -> f64 {
    if x == reference || (x.is_nan() && reference.is_nan()) {
        return 0.0;
    }
    let a = reference.abs();
    let ulp = (f32::from_bits(a.to_bits() + 1) - a).max(f32::from_bits(1));
    f64::from((x - reference).abs() / ulp)
}

/// Distance of `x` from the double-double `reference` in units in the last place of its value
/// rounded to f64 (fractional: how far `x` is from the exact value, not from its rounding).
pub fn ulps_dd(x: f64, reference: Dd) -> f64 {
    let r = reference.hi + reference.lo;
    if x == r && reference.lo == 0.0 {
        return 0.0;
    }
    let a = r.abs();
    let ulp = (f64::from_bits(a.to_bits() + 1) - a).max(f64::from_bits(1));
    ((x - reference.hi) - reference.lo).abs() / ulp
}

/// As [`ulps_f32`], against an f64 `reference` (fractional: how far `x` is from it, in ulps of
/// its f32 rounding).
pub fn ulps_f32_of(x: f32, reference: f64) -> f64 {
    if f64::from(x) == reference || (x.is_nan() && reference.is_nan()) {
        return 0.0;
    }
    let a = (reference as f32).abs();
    let ulp = (f32::from_bits(a.to_bits() + 1) - a).max(f32::from_bits(1));
    (f64::from(x) - reference).abs() / f64::from(ulp)
}

/// `e^a` in double-double to about 2^-100 relative, slowly and simply: `a = k ln2 + r` with
/// ln 2 to 107 bits, and the Taylor series of `e^r` (`|r| <= 0.35`) to 28 terms, all in
/// double-double. For `|a| <= 650` (beyond, the low part of a tiny result would be subnormal).
pub fn reference_exp(a: f64) -> Dd {
    const LN2: Dd = Dd::new(core::f64::consts::LN_2, 2.319_046_813_846_299_6e-17);
    let k = (a / LN2.hi).round();
    let p = Dd::product(k, LN2.hi);
    let r = Dd::sum(a, -p.hi).add(Dd::new(-p.lo, -k * LN2.lo));
    let mut term = Dd::new(1.0, 0.0);
    let mut sum = term;
    for n in 1..28 {
        term = term
            .mul(r)
            .mul(Dd::div_f64_by(1.0, Dd::new(f64::from(n), 0.0)));
        sum = sum.add(term);
    }
    // 2^k in two factors (each a normal number).
    let (k1, k2) = (k as i32 / 2, k as i32 - k as i32 / 2);
    sum.mul_f64(2f64.powi(k1)).mul_f64(2f64.powi(k2))
}

/// The largest of `errors` (in ulps, each with its argument), asserted to be within `bound`
/// and printed (`cargo test -- --nocapture` shows it), for the accuracy tests.
pub fn worst_within<X: core::fmt::Debug>(
    what: &str,
    bound: f64,
    errors: impl Iterator<Item = (X, f64)>,
) -> f64 {
    let mut worst = 0.0_f64;
    for (x, e) in errors {
        assert!(e <= bound, "{what}({x:?}): {e} ulp, above {bound}");
        worst = worst.max(e);
    }
    eprintln!("{what}: max {worst} ulp");
    worst
}

/// A deterministic stream of pseudo-random numbers (a 64-bit LCG, top bits), for arguments.
pub struct Spread(u64);

impl Spread {
    /// A stream; each seed gives another.
    pub fn new(seed: u64) -> Self {
        Spread(0x9e37_79b9_7f4a_7c15 ^ seed.wrapping_mul(0xbf58_476d_1ce4_e5b9))
    }

    /// The next 64 bits (the state's top bits are the good ones; two steps make 64).
    pub fn bits(&mut self) -> u64 {
        let mut step = || {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            self.0 >> 32
        };
        (step() << 32) | step()
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.bits() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[-1, 1)`.
    pub fn signed(&mut self) -> f64 {
        2.0 * self.unit() - 1.0
    }

    /// Uniform among the integers of `[lo, hi]` (the bit patterns of positive floats between
    /// two values are spread evenly over their exponents).
    pub fn bits_between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.bits() % (hi - lo + 1)
    }

    /// Log-uniform in `[lo, hi]` (both positive).
    pub fn scale(&mut self, lo: f64, hi: f64) -> f64 {
        lo * (hi / lo).powf(self.unit())
    }
}

/// `f` over `x` in a loop compiled for AVX2 and for AVX-512 (with FMA available to the
/// compiler, which must not use it) where this CPU has them, and for the baseline, against `f`
/// called one argument at a time with the loop kept scalar: all must be the same bits (any NaN
/// counts as any other). Returns the results. The loops are vectorized only in an optimized
/// build: run `cargo test --release` to compare vector code with scalar code.
pub fn same_bits_vectorized<X: Copy, Y: Real>(x: &[X], f: impl Fn(X) -> Y + Copy) -> Vec<Y> {
    #[inline(always)]
    fn fill<X: Copy, Y>(y: &mut [Y], x: &[X], f: impl Fn(X) -> Y) {
        for (y, &x) in y.iter_mut().zip(x) {
            *y = f(x);
        }
    }
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
    fn avx512<X: Copy, Y>(y: &mut [Y], x: &[X], f: impl Fn(X) -> Y) {
        fill(y, x, f)
    }
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    fn avx2<X: Copy, Y>(y: &mut [Y], x: &[X], f: impl Fn(X) -> Y) {
        fill(y, x, f)
    }
    let scalar: Vec<Y> = x
        .iter()
        .map(|&x| core::hint::black_box(f(core::hint::black_box(x))))
        .collect();
    let mut vector = vec![Y::default(); x.len()];
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            // SAFETY: the CPU has the features `avx2` is compiled for.
            unsafe { avx2(&mut vector, x, f) };
            assert_same_bits(&vector, &scalar, "avx2");
        }
        if std::is_x86_feature_detected!("avx512f")
            && std::is_x86_feature_detected!("avx512dq")
            && std::is_x86_feature_detected!("avx512vl")
            && std::is_x86_feature_detected!("avx512bw")
        {
            // SAFETY: as above.
            unsafe { avx512(&mut vector, x, f) };
            assert_same_bits(&vector, &scalar, "avx512");
        }
    }
    fill(&mut vector, x, f);
    assert_same_bits(&vector, &scalar, "baseline");
    vector
}

fn assert_same_bits<Y: Real>(vector: &[Y], scalar: &[Y], level: &str) {
    for (i, (v, s)) in vector.iter().zip(scalar).enumerate() {
        let (v, s) = (v.to_f64(), s.to_f64());
        assert!(
            v.to_bits() == s.to_bits() || (v.is_nan() && s.is_nan()),
            "{level}: element {i}: {v:e} in the loop, {s:e} alone"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::{exp, exp_m1, ln, powf, powi, sigmoid, sqrt, tanh};
    use super::*;

    /// Special values, then arguments of every magnitude and both signs.
    fn arguments() -> Vec<f64> {
        let mut x = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            2.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
            f64::from_bits(1),
            -f64::from_bits(1),
            f64::MAX,
            -f64::MAX,
            1e-310,
            700.0,
            -745.0,
            89.0,
            -104.0,
        ];
        let mut s = Spread::new(71);
        x.extend((0..4_000).map(|i| {
            let a = match i % 3 {
                0 => s.scale(1e-300, 1e300),
                1 => s.scale(1e-3, 1e3),
                _ => 1.0 + s.signed() * 0.5,
            };
            if s.unit() < 0.3 { -a } else { a }
        }));
        x
    }

    #[test]
    fn the_reference_exponential_agrees_with_the_platform_and_with_itself() {
        let mut s = Spread::new(72);
        for _ in 0..10_000 {
            let a = s.signed() * 650.0;
            let e = reference_exp(a);
            assert!(ulps_dd(a.exp(), e) < 1.0, "e^{a}");
            // e^a e^-a = 1 to 2^-95.
            let one = e.mul(reference_exp(-a));
            assert!(
                ((one.hi - 1.0) + one.lo).abs() < 2f64.powi(-95),
                "e^{a} e^-{a}"
            );
        }
    }

    /// Every function over `x` (and `x` with exponents `y`, or integer exponents `n`) in a
    /// vectorized loop and one at a time.
    fn all_functions<T: Real>(x: &[T], y: &[T], n: &[i32]) {
        let xy: Vec<(T, T)> = x.iter().copied().zip(y.iter().copied()).collect();
        let xn: Vec<(T, i32)> = x.iter().copied().zip(n.iter().copied()).collect();
        same_bits_vectorized(x, exp::<T>);
        same_bits_vectorized(x, exp_m1::<T>);
        same_bits_vectorized(x, ln::<T>);
        same_bits_vectorized(x, sqrt::<T>);
        same_bits_vectorized(x, tanh::<T>);
        same_bits_vectorized(x, sigmoid::<T>);
        same_bits_vectorized(&xy, |(x, y)| powf(x, y));
        same_bits_vectorized(&xn, |(x, n)| powi(x, n));
        // Integer exponents on negative bases, and a constant n (the selects fold).
        let xi: Vec<(T, T)> = xn.iter().map(|&(x, n)| (x, T::of(f64::from(n)))).collect();
        same_bits_vectorized(&xi, |(x, y)| powf(x, y));
        same_bits_vectorized(x, |x| powi(x, 3));
    }

    #[test]
    fn every_function_gives_the_same_bits_in_a_vectorized_loop() {
        let x = arguments();
        let y: Vec<f64> = x.iter().rev().map(|&y| y * 1e-2).collect();
        let n: Vec<i32> = (0..x.len() as i32).map(|i| i % 41 - 20).collect();
        all_functions(&x, &y, &n);
        let narrow = |v: &[f64]| v.iter().map(|&v| v as f32).collect::<Vec<f32>>();
        all_functions(&narrow(&x), &narrow(&y), &n);
    }
}
