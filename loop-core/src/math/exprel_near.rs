//! [`exprel_near`]: `exprel(z) = (e^z - 1) / z` for `|z| <= EXPREL_NEAR` (1), from a rational
//! form without an argument reduction: what exponential Euler's step computes when every
//! element of a block has its argument `dt·∂f/∂x` there (see
//! [`exp_euler_factor`](crate::integrate::exp_euler_factor)). About half the operations of
//! [`exprel`](super::exprel), whose reduction, scaling by `2^k` and clamps a small argument does
//! not need.
//!
//! The form is the Padé approximant of degree `[m/m]` of `e^z`, `P(z) / P(-z)` with
//! `P(z) = Σ c_j z^j`, `c_j = (2m - j)! m! / ((2m)! j! (m - j)!)` (m = 8 in f64, 5 in f32). With
//! `P(z) = E(z²) + z O(z²)` (its even and odd parts),
//!
//! ```text
//! exprel(z) ≈ (P(z) - P(-z)) / (z P(-z)) = 2 O / (E - z O) = 1 + (z O + z² Q) / (E - z O),
//! ```
//!
//! where `Q(w) = Σ_k (2 c_{2k+1} - c_{2k}) w^{k-1}` is `(2 O - E) / z²` (its `k = 0` term,
//! `2 c_1 - c_0`, is 0). The last form keeps the quotient small near 0, so its rounding
//! reaches the result scaled down: measured within 2.5 ulp of the exact value in f64 and 2.4 in
//! f32 over `|z| <= 1` (1 ulp near 0; [`exprel`](super::exprel): 2.2 and 2.0), tested below to
//! 3. The truncation error of the approximant is below 2^-62 (f64) and 2^-33 (f32) there.
//! Below [`Real::EXPREL_SERIES_BELOW`] it is `1 + z/2`, BrainPy's series, as
//! [`exprel`](super::exprel) is. Only `+`, `-`, `*` and one division, no fused multiply-add:
//! the same bits at every vector width.

use super::{Real, horner, select};

/// The largest `|z|` for which [`exprel_near`] is as accurate as stated.
pub const EXPREL_NEAR: f64 = 1.0;

/// f64 (m = 8): `c_0, c_2, …, c_8`.
const EVEN_F64: [f64; 5] = [
    1.0,
    0.116_666_666_666_666_67,
    0.001_602_564_102_564_102_5,
    4.856_254_856_254_856e-6,
    1.927_085_260_418_593_7e-9,
];
/// f64: `c_1, c_3, c_5, c_7`.
const ODD_F64: [f64; 4] = [
    0.5,
    0.016_666_666_666_666_666,
    0.000_106_837_606_837_606_84,
    1.387_501_387_501_387_5e-7,
];
/// f64: `2 c_3 - c_2, 2 c_5 - c_4, 2 c_7 - c_6, -c_8`.
const Q_F64: [f64; 4] = [
    -0.083_333_333_333_333_33,
    -0.001_388_888_888_888_889,
    -4.578_754_578_754_579e-6,
    -1.927_085_260_418_593_7e-9,
];

/// f32 (m = 5): `c_0, c_2, c_4`.
const EVEN_F32: [f32; 3] = [1.0, 0.111_111_11, 0.000_992_063_5];
/// f32: `c_1, c_3, c_5`.
const ODD_F32: [f32; 3] = [0.5, 0.013_888_889, 3.306_878_4e-5];
/// f32: `2 c_3 - c_2, 2 c_5 - c_4`.
const Q_F32: [f32; 2] = [-0.083_333_336, -0.000_925_925_9];

/// `1 + (z O + z² Q) / (E - z O)` from one type's coefficients.
#[inline(always)]
fn pade<T: Real>(z: T, even: &[T], odd: &[T], q: &[T]) -> T {
    let w = z * z;
    let zo = z * horner(odd, w);
    let n = zo + w * horner(q, w);
    T::one() + n / (horner(even, w) - zo)
}

/// `exprel(z) = (e^z - 1) / z` for `|z| <=` [`EXPREL_NEAR`], branch-free (see the module docs);
/// `1 + z/2` below [`Real::EXPREL_SERIES_BELOW`]. Further from 0 it loses accuracy: use
/// [`exprel`](super::exprel) there.
#[inline(always)]
pub fn exprel_near<T: Real>(z: T) -> T {
    let series = T::one() + z * T::of(0.5);
    let rational = if size_of::<T>() == size_of::<f64>() {
        pade(
            z,
            &EVEN_F64.map(T::of),
            &ODD_F64.map(T::of),
            &Q_F64.map(T::of),
        )
    } else {
        let of = |c: f32| T::of(f64::from(c));
        pade(z, &EVEN_F32.map(of), &ODD_F32.map(of), &Q_F32.map(of))
    };
    select(z.abs() <= T::EXPREL_SERIES_BELOW, series, rational)
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::super::dd::Dd;
    use super::super::testing::{same_bits_vectorized, ulps_dd, ulps_f32_of};
    use super::*;

    /// `c_j` of the `[m/m]` Padé approximant of `e^z`, exactly (as a fraction).
    fn coefficient(m: u64, j: u64) -> (u128, u128) {
        let f = |n: u64| (1..=u128::from(n)).product::<u128>();
        (f(2 * m - j) * f(m), f(2 * m) * f(j) * f(m - j))
    }

    fn rounded(m: u64, j: u64) -> f64 {
        let (n, d) = coefficient(m, j);
        // Each factorial rounds to f64, and so does the quotient: within a few ulps.
        n as f64 / d as f64
    }

    #[test]
    fn the_coefficients_are_the_pade_approximants() {
        let close = |a: f64, b: f64| ((a - b) / b).abs() <= 4.0 * f64::EPSILON;
        for (k, c) in EVEN_F64.iter().enumerate() {
            assert!(close(*c, rounded(8, 2 * k as u64)), "c_{}", 2 * k);
        }
        for (k, c) in ODD_F64.iter().enumerate() {
            assert!(close(*c, rounded(8, 2 * k as u64 + 1)), "c_{}", 2 * k + 1);
        }
        for (k, c) in Q_F64.iter().enumerate() {
            let k = k as u64 + 1;
            let odd = if 2 * k < 8 {
                rounded(8, 2 * k + 1)
            } else {
                0.0
            };
            assert!(close(*c, 2.0 * odd - rounded(8, 2 * k)), "q_{k}");
        }
        let close32 =
            |a: f32, b: f64| ((f64::from(a) - b) / b).abs() <= 2.0 * f64::from(f32::EPSILON);
        for (k, c) in EVEN_F32.iter().enumerate() {
            assert!(close32(*c, rounded(5, 2 * k as u64)));
        }
        for (k, c) in ODD_F32.iter().enumerate() {
            assert!(close32(*c, rounded(5, 2 * k as u64 + 1)));
        }
        assert!(close32(Q_F32[0], 2.0 * rounded(5, 3) - rounded(5, 2)));
        assert!(close32(Q_F32[1], 2.0 * rounded(5, 5) - rounded(5, 4)));
    }

    /// `(e^z - 1) / z` in double-double, by its Taylor series `Σ z^k / (k+1)!` (|z| <= 1: 30
    /// terms reach 2^-100).
    fn exact(z: f64) -> Dd {
        let mut term = Dd::new(1.0, 0.0);
        let mut sum = term;
        for k in 1..30 {
            term = term
                .mul_f64(z)
                .mul(Dd::div_f64_by(1.0, Dd::new((k + 1) as f64, 0.0)));
            sum = sum.add(term);
        }
        sum
    }

    /// Every 1/50 000 of [-1, 1], its ends, and points near 0 and the series threshold.
    fn arguments() -> impl Iterator<Item = f64> {
        (0..=100_000)
            .map(|k| -1.0 + k as f64 * 2e-5)
            .chain([1e-3, -1e-3, 1e-6, 2e-8, -2e-8, 1.1e-5, -1.1e-5, 5e-5])
    }

    #[test]
    fn f64_within_3_ulp_of_the_exact_value() {
        let worst = arguments()
            .filter(|z| *z != 0.0)
            .map(|z| ulps_dd(exprel_near(z), exact(z)))
            .fold(0.0, f64::max);
        eprintln!("worst {worst} ulp");
        assert!(worst <= 3.0, "worst {worst} ulp");
    }

    #[test]
    fn f32_within_3_ulp_of_the_exact_value() {
        let worst = arguments()
            .map(|z| z as f32)
            .filter(|z| *z != 0.0)
            .map(|z| {
                let exact = exact(f64::from(z));
                ulps_f32_of(exprel_near(z), exact.hi + exact.lo)
            })
            .fold(0.0, f64::max);
        eprintln!("worst {worst} ulp");
        assert!(worst <= 3.0, "worst {worst} ulp");
    }

    #[test]
    fn a_vectorized_loop_gives_the_same_bits() {
        let z: Vec<f64> = arguments().collect();
        same_bits_vectorized(&z, exprel_near::<f64>);
        let z32: Vec<f32> = z.iter().map(|z| *z as f32).collect();
        same_bits_vectorized(&z32, exprel_near::<f32>);
    }

    #[test]
    fn near_zero_it_is_the_series_and_at_zero_one() {
        assert_eq!(exprel_near(0.0_f64), 1.0);
        assert_eq!(exprel_near(-0.0_f32), 1.0);
        assert_eq!(exprel_near(5e-9_f64), 1.0 + 5e-9 * 0.5);
        assert_eq!(exprel_near(-5e-6_f32), 1.0 - 5e-6 * 0.5);
    }

    #[test]
    fn nan_propagates() {
        assert!(exprel_near(f64::NAN).is_nan());
        assert!(exprel_near(f32::NAN).is_nan());
    }
}
