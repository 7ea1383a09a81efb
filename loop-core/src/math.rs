//! Scalar math shared by integrators and models: the [`Real`] bound (f32 or f64) and
//! [`exprel`], the relative error exponential used by exponential Euler and HH's rate functions.

use nalgebra::RealField;

/// The scalar of a model: `f32` or `f64` (any nalgebra [`RealField`] that is `Copy`).
pub trait Real: RealField + Copy + Default + crate::StateElement + crate::ParamValue {
    /// Converts an `f64` constant (a literal of an equation, a time) to this scalar.
    fn of(x: f64) -> Self;
    /// Converts to `f64` (for histories and export).
    fn to_f64(self) -> f64;
    /// Below this `|z|`, [`exprel`] uses its Taylor series instead of `expm1(z) / z`
    /// (BrainPy's thresholds: 1e-8 in float64, 1e-5 in float32).
    const EXPREL_SERIES_BELOW: Self;
}

impl Real for f64 {
    fn of(x: f64) -> Self {
        x
    }
    fn to_f64(self) -> f64 {
        self
    }
    const EXPREL_SERIES_BELOW: Self = 1e-8;
}

impl Real for f32 {
    fn of(x: f64) -> Self {
        x as f32
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    const EXPREL_SERIES_BELOW: Self = 1e-5;
}

/// `exprel(z) = (exp(z) - 1) / z`, with `exprel(0) = 1`.
///
/// Computed as `expm1(z) / z`, which keeps full precision near 0; below
/// [`Real::EXPREL_SERIES_BELOW`] the series `1 + z/2 + z²/6 + z³/24` is used, as BrainPy does.
#[inline]
pub fn exprel<T: Real>(z: T) -> T {
    if z.abs() <= T::EXPREL_SERIES_BELOW {
        let half = T::of(0.5);
        let sixth = T::of(1.0 / 6.0);
        let twenty_fourth = T::of(1.0 / 24.0);
        T::one() + z * half + z * z * sixth + z * z * z * twenty_fourth
    } else {
        z.exp_m1() / z
    }
}

/// Below this `|z|`, [`exprel_prime`] sums its Taylor series: the closed form loses digits to
/// cancellation near 0.
const EXPREL_PRIME_SERIES_BELOW: f64 = 0.1;

/// `k / (k+1)!` for k = 1..=12: the Taylor coefficients of [`exprel_prime`].
const EXPREL_PRIME_SERIES: [f64; 12] = {
    let mut c = [0.0; 12];
    let mut factorial = 2.0; // (k+1)! for k = 1
    let mut k = 1;
    while k <= 12 {
        c[k - 1] = k as f64 / factorial;
        factorial *= (k + 2) as f64;
        k += 1;
    }
    c
};

/// The derivative of [`exprel`]: `exprel'(z) = (z e^z - e^z + 1) / z²`, with `exprel'(0) = 1/2`.
/// Used by exponential Euler when an equation's linear part goes through `exprel`.
#[inline]
pub fn exprel_prime<T: Real>(z: T) -> T {
    if z.abs() < T::of(EXPREL_PRIME_SERIES_BELOW) {
        // exprel'(z) = sum_{k>=1} k z^(k-1) / (k+1)!, by Horner from k = 12 down.
        let mut sum = T::zero();
        for &c in EXPREL_PRIME_SERIES.iter().rev() {
            sum = sum * z + T::of(c);
        }
        sum
    } else {
        let em1 = z.exp_m1();
        (z * em1 + z - em1) / (z * z)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exprel_is_one_at_zero_and_continuous_across_the_series_threshold() {
        assert_eq!(exprel(0.0_f64), 1.0);
        assert_eq!(exprel(0.0_f32), 1.0);
        // exprel(z) = 1 + z/2 + z^2/6 + ...; both branches must agree near the switch.
        for z in [9e-9_f64, 1.1e-8, -9e-9, -1.1e-8] {
            let series = 1.0 + z / 2.0 + z * z / 6.0;
            assert!((exprel(z) - series).abs() < 1e-15, "z = {z}");
        }
    }

    #[test]
    fn exprel_prime_matches_central_differences_on_both_branches() {
        for z in [-3.0_f64, -0.5, -0.09, -1e-4, 0.0, 1e-6, 0.05, 0.11, 2.0] {
            let h = 1e-5;
            let fd = (exprel(z + h) - exprel(z - h)) / (2.0 * h);
            assert!(
                (exprel_prime(z) - fd).abs() < 1e-9,
                "z = {z}: {} vs {fd}",
                exprel_prime(z)
            );
        }
        assert_eq!(exprel_prime(0.0_f64), 0.5);
    }

    #[test]
    fn exprel_matches_its_definition_away_from_zero() {
        for z in [-30.0_f64, -2.5, -0.1, 0.3, 1.0, 7.0] {
            let direct = (z.exp() - 1.0) / z;
            assert!(((exprel(z) - direct) / direct).abs() < 1e-14, "z = {z}");
        }
    }
}
