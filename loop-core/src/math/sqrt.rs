//! The square root, in a form a loop over neurons can inline: with the `std` feature, the
//! platform's `sqrt`, which the compiler turns into the processor's instruction (`sqrtsd`, and
//! `vsqrtpd` when the loop is vectorized) rather than a library call; without it, the `libm`
//! crate's `sqrt`, a function call (so such a loop stays scalar).
//!
//! Both are correctly rounded, as IEEE 754 requires of a square root (`libm` uses the same
//! instruction on x86-64, and an exact bit-by-bit method elsewhere), so the results are the
//! same bits with and without `std` (the tests compare the two over 10^6 arguments): 0 ulp,
//! `sqrt(-0) = -0`, `sqrt(+∞) = +∞`, NaN for negative arguments and NaN.

/// `√x` in f64, correctly rounded (see the module docs).
#[inline(always)]
pub fn sqrt_f64(x: f64) -> f64 {
    #[cfg(feature = "std")]
    {
        x.sqrt()
    }
    #[cfg(not(feature = "std"))]
    {
        libm::sqrt(x)
    }
}

/// `√x` in f32, correctly rounded (see the module docs).
#[inline(always)]
pub fn sqrt_f32(x: f32) -> f32 {
    #[cfg(feature = "std")]
    {
        x.sqrt()
    }
    #[cfg(not(feature = "std"))]
    {
        libm::sqrtf(x)
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::super::testing::Spread;
    use super::*;

    #[test]
    fn the_same_bits_as_libm_which_no_std_builds_use() {
        let mut s = Spread::new(41);
        for _ in 0..1_000_000 {
            let x = f64::from_bits(s.bits_between(0, f64::INFINITY.to_bits()));
            assert_eq!(
                sqrt_f64(x).to_bits(),
                libm::sqrt(x).to_bits(),
                "sqrt({x:e})"
            );
            let x = f32::from_bits(x.to_bits() as u32 & 0x7fff_ffff);
            assert!(
                sqrt_f32(x).to_bits() == libm::sqrtf(x).to_bits() || x.is_nan(),
                "sqrtf({x:e})"
            );
        }
        for x in [
            0.0,
            -0.0,
            f64::INFINITY,
            4.0,
            2.0,
            f64::from_bits(1),
            f64::MAX,
        ] {
            assert_eq!(
                sqrt_f64(x).to_bits(),
                libm::sqrt(x).to_bits(),
                "sqrt({x:e})"
            );
        }
        assert_eq!(sqrt_f64(-0.0).to_bits(), (-0.0_f64).to_bits());
        assert_eq!(sqrt_f64(4.0), 2.0);
        assert_eq!(sqrt_f32(4.0), 2.0);
        for x in [
            -1.0,
            -1e-30,
            -f64::MIN_POSITIVE,
            f64::NEG_INFINITY,
            f64::NAN,
        ] {
            assert!(sqrt_f64(x).is_nan() && libm::sqrt(x).is_nan(), "sqrt({x})");
        }
        for x in [
            -1.0,
            -1e-30,
            -f32::MIN_POSITIVE,
            f32::NEG_INFINITY,
            f32::NAN,
        ] {
            assert!(
                sqrt_f32(x).is_nan() && libm::sqrtf(x).is_nan(),
                "sqrtf({x})"
            );
        }
    }
}
