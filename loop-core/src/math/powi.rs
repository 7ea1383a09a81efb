//! `x^n` for an integer `n` without branches: binary exponentiation over all 32 bits of `|n|`,
//! each product kept or not by a select, so that a loop over neurons with different `n`
//! vectorizes; with `n` known where it is inlined (`powi(v, 3)`), the selects fold away and
//! only the few multiplications `n` needs remain.
//!
//! The products are the ones of compiler-rt's `__powidf2` and `__powisf2` (what `f64::powi` and
//! `f32::powi` call, and the order LLVM expands a constant `powi` in): the result of the current
//! square times the accumulated one from the lowest bit up, and `1 / x^|n|` for `n < 0`. So it is
//! the same bits as the platform's `powi`, which the tests check for `n` over the whole `i32`
//! range. The error of that method grows with `|n|` (each squaring doubles the relative error of
//! the square): measured by the tests below against the platform's `powf` (correctly rounded)
//! over 10^5 arguments per row, f64 and f32 alike, with normal results:
//!
//! | `|n|` up to | 2 | 4 | 8 | 16 | 64 | 256 |
//! | --- | --- | --- | --- | --- | --- | --- |
//! | max error (ulp) | 1 | 3 | 6 | 12 | 42 | 171 |
//!
//! For large `|n|` where that matters, [`powf`](fn@super::powf) is within 1 ulp. `n = 0` gives 1
//! for every `x`, NaN included. For `n < 0` the reciprocal is taken last, so where `x^|n|`
//! overflows the result is 0 even if `x^n` would be a subnormal (as the platform's).

use super::{Real, select};

/// `x^n` for an integer `n`, branch-free: the same bits as the platform's `powi` (see the
/// module docs for its error, which grows with `|n|`).
#[inline(always)]
pub fn powi<T: Real>(x: T, n: i32) -> T {
    let mut bits = n.unsigned_abs();
    let mut square = x;
    let mut acc = T::one();
    for _ in 0..u32::BITS {
        acc = select(bits & 1 == 1, acc * square, acc);
        square = square * square;
        bits >>= 1;
    }
    select(n < 0, T::one() / acc, acc)
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::super::testing::{Spread, ulps_f32, ulps_f64};
    use super::*;

    #[test]
    fn same_bits_as_the_platform_for_every_n() {
        let mut s = Spread::new(31);
        for i in 0..200_000 {
            let x = match i % 3 {
                0 => s.signed() * s.scale(1e-3, 1e3),
                1 => s.signed() * (1.0 + s.scale(1e-12, 1e-2)),
                _ => f64::from_bits(s.bits()),
            };
            let n = match i % 4 {
                0 => (s.bits() % 41) as i32 - 20,
                1 => (s.bits() % 2001) as i32 - 1000,
                _ => s.bits() as i32,
            };
            let n = core::hint::black_box(n);
            let (p, r) = (powi(x, n), x.powi(n));
            assert!(
                p.to_bits() == r.to_bits() || (p.is_nan() && r.is_nan()),
                "powi({x:e}, {n}) = {p:e}, the platform's {r:e}"
            );
            let x = x as f32;
            let (p, r) = (powi(x, n), x.powi(n));
            assert!(
                p.to_bits() == r.to_bits() || (p.is_nan() && r.is_nan()),
                "powi({x:e}, {n}) = {p:e} (f32), the platform's {r:e}"
            );
        }
    }

    #[test]
    fn accuracy_grows_with_n_as_documented() {
        let mut s = Spread::new(32);
        for (max_n, bound) in [
            (2, 1.0),
            (4, 3.0),
            (8, 6.0),
            (16, 12.0),
            (64, 42.0),
            (256, 180.0),
        ] {
            let (mut worst64, mut worst32) = (0.0_f64, 0.0_f64);
            for _ in 0..100_000 {
                let n = (s.bits() % (2 * max_n + 1)) as i32 - max_n as i32;
                // |x^n| between e^-600 and e^600 (e^-80 and e^80 in f32): normal results.
                let sign = if s.unit() < 0.5 { -1.0 } else { 1.0 };
                let x = sign * (s.signed() * 600.0 / f64::from(n.unsigned_abs().max(1))).exp();
                worst64 = worst64.max(ulps_f64(powi(x, n), x.powf(f64::from(n))));
                let x =
                    (sign * (s.signed() * 80.0 / f64::from(n.unsigned_abs().max(1))).exp()) as f32;
                worst32 = worst32.max(ulps_f32(powi(x, n), f64::from(x).powf(f64::from(n)) as f32));
            }
            eprintln!("powi |n| <= {max_n}: max {worst64} ulp (f64), {worst32} ulp (f32)");
            assert!(worst64 <= bound && worst32 <= bound, "|n| <= {max_n}");
        }
    }

    #[test]
    fn special_values() {
        for x in [
            0.0,
            -0.0,
            1.5,
            -1.5,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ] {
            assert_eq!(powi(x, 0), 1.0, "powi({x}, 0)");
            assert_eq!(powi(x as f32, 0), 1.0, "powi({x}, 0)");
        }
        assert_eq!(powi(0.0_f64, -1), f64::INFINITY);
        assert_eq!(powi(-0.0_f64, -3), f64::NEG_INFINITY);
        assert_eq!(powi(-0.0_f64, -2), f64::INFINITY);
        assert_eq!(powi(-2.0_f64, 3), -8.0);
        assert_eq!(powi(-2.0_f64, -3), -0.125);
        // 2^1074 overflows before its reciprocal is taken, as in the platform's.
        assert_eq!(powi(2.0_f64, -1074), 0.0);
        assert_eq!(powi(2.0_f64, -1022), f64::MIN_POSITIVE);
        assert_eq!(powi(2.0_f64, 1024), f64::INFINITY);
        assert_eq!(powi(2.0_f32, i32::MIN), 0.0);
        assert_eq!(powi(1.0_f64, i32::MIN), 1.0);
        assert!(powi(f64::NAN, 1).is_nan());
    }
}
