//! Double-double numbers in f64 (a value as an unevaluated sum `hi + lo`), without fused
//! multiply-add: where one f64 is not enough on the way to an f64 result, as in the logarithm
//! inside [`powf`](fn@super::powf), whose error is multiplied by `y`.
//!
//! The math itself needs little: [`high26`], which cuts a number to 26 significant bits so
//! that the product of two cut numbers is exact in one multiplication (fdlibm's trick, cheaper
//! than Dekker's product), and [`Dd::fast_sum`]. The tests' references need the full
//! arithmetic (Knuth's two-sum, Dekker's product of Veltkamp halves, products, sums and
//! quotients to about 2^-100), which is compiled for the tests only.
//!
//! Every operation is plain IEEE arithmetic or a bit mask, branch-free, so it vectorizes and
//! gives the same bits at every vector width.

/// `hi + lo`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Dd {
    pub hi: f64,
    pub lo: f64,
}

impl Dd {
    /// A value given as its two parts.
    pub const fn new(hi: f64, lo: f64) -> Self {
        Dd { hi, lo }
    }

    /// `a + b` exactly when `|a| >= |b|` (or `a` is 0), in three operations (Dekker).
    #[inline(always)]
    pub fn fast_sum(a: f64, b: f64) -> Self {
        let hi = a + b;
        Dd {
            hi,
            lo: b - (hi - a),
        }
    }
}

/// `a` with its last 27 mantissa bits cleared: 26 significant bits, so that the product of two
/// such numbers is exact, and `a - high26(a)` is exact too.
#[inline(always)]
pub(super) fn high26(a: f64) -> f64 {
    f64::from_bits(a.to_bits() & 0xffff_ffff_f800_0000)
}

/// The full arithmetic, for the tests' references.
#[cfg(test)]
impl Dd {
    /// `a + b` exactly, for any `a`, `b` (Knuth's two-sum).
    pub fn sum(a: f64, b: f64) -> Self {
        let hi = a + b;
        let b_virtual = hi - a;
        let lo = (a - (hi - b_virtual)) + (b - b_virtual);
        Dd { hi, lo }
    }

    /// `a · b` exactly (Dekker's product of Veltkamp halves; `|a|, |b| < 2^995`).
    pub fn product(a: f64, b: f64) -> Self {
        fn split(a: f64) -> (f64, f64) {
            let t = 134_217_729.0 * a; // 2^27 + 1
            let hi = t - (t - a);
            (hi, a - hi)
        }
        let (ah, al) = split(a);
        let (bh, bl) = split(b);
        let hi = a * b;
        let lo = ((ah * bh - hi) + ah * bl + al * bh) + al * bl;
        Dd { hi, lo }
    }

    /// `self · other`, to about 2^-102 relative.
    pub fn mul(self, other: Dd) -> Dd {
        let p = Dd::product(self.hi, other.hi);
        Dd::fast_sum(p.hi, p.lo + (self.hi * other.lo + self.lo * other.hi))
    }

    /// `self · b`, to about 2^-103 relative.
    pub fn mul_f64(self, b: f64) -> Dd {
        let p = Dd::product(self.hi, b);
        Dd::fast_sum(p.hi, p.lo + self.lo * b)
    }

    /// `self + other`, to about 2^-104 of the larger.
    pub fn add(self, other: Dd) -> Dd {
        let s = Dd::sum(self.hi, other.hi);
        Dd::fast_sum(s.hi, s.lo + (self.lo + other.lo))
    }

    /// `a / b`, to about 2^-104 relative.
    pub fn div_f64_by(a: f64, b: Dd) -> Dd {
        let q = a / b.hi;
        // a - q·b, of which `a - q·b.hi` is exact (`q·b.hi` is within an ulp of `a`).
        let p = Dd::product(q, b.hi);
        let rest = ((a - p.hi) - p.lo) - q * b.lo;
        Dd::fast_sum(q, rest / b.hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_and_sums_are_exact() {
        // (2^27 + 1)^2 = 2^54 + 2^28 + 1 does not fit in 53 bits: the 1 lands in `lo`.
        let a = 134_217_729.0;
        let p = Dd::product(a, a);
        assert_eq!(p.hi, 18_014_398_777_917_440.0); // 2^54 + 2^28
        assert_eq!(p.lo, 1.0);
        let s = Dd::sum(1.0, 1e-30);
        assert_eq!((s.hi, s.lo), (1.0, 1e-30));
        let s = Dd::sum(1e-30, 1.0);
        assert_eq!((s.hi, s.lo), (1.0, 1e-30));
        // 0.1 · 3: hi is the rounded product, lo the rest, exactly (checked in integers).
        let p = Dd::product(0.1, 3.0);
        let m = (0.1f64.to_bits() & ((1 << 52) - 1)) | (1 << 52); // 0.1 = m · 2^-56
        let two_56 = 72_057_594_037_927_936.0;
        let hi = (p.hi * two_56) as i128;
        assert_eq!((3 * m as i128 - hi) as f64, p.lo * two_56);
    }

    #[test]
    fn high26_products_are_exact() {
        for (a, b) in [
            (0.1, 3.7),
            (core::f64::consts::PI, core::f64::consts::E),
            (1e-200, 7e150),
        ] {
            let (ah, bh) = (high26(a), high26(b));
            assert_eq!(ah.to_bits() & ((1 << 27) - 1), 0);
            let exact = Dd::product(ah, bh);
            assert_eq!(
                exact.lo, 0.0,
                "{a} · {b}: the product of the cut parts is exact"
            );
            assert!((a - ah).abs() < a.abs() * 2f64.powi(-25));
            // a - high26(a) is exact: adding it back gives a.
            assert_eq!(ah + (a - ah), a);
        }
    }

    #[test]
    fn division_inverts_multiplication() {
        for (a, b) in [(1.0, 3.0), (2.0, 7.0), (0.3, 1.7), (-5.5, 0.013)] {
            let q = Dd::div_f64_by(a, Dd::new(b, 0.0));
            let back = q.mul_f64(b);
            // a - q·b, the residual, is within 2^-100 of a.
            let residual = (back.hi - a) + back.lo;
            assert!(residual.abs() <= a.abs() * 2f64.powi(-100), "{a} / {b}");
            assert!(q.lo != 0.0, "{a} / {b}: the low part carries the rest");
        }
        let third = Dd::div_f64_by(1.0, Dd::new(3.0, 0.0));
        let two_thirds = third.add(third);
        assert_eq!(
            (two_thirds.hi, two_thirds.lo),
            (0.6666666666666666, 3.700743415417188e-17)
        );
        let one = two_thirds.mul(Dd::new(1.5, 0.0));
        assert_eq!((one.hi, one.lo), (1.0, 0.0));
    }
}
