//! Scalar math shared by integrators and models: the [`Real`] bound (f32 or f64) and
//! [`exprel`], the relative error exponential used by exponential Euler and HH's rate functions.

use nalgebra::RealField;

/// The scalar of a model: `f32` or `f64` (any nalgebra [`RealField`] that is `Copy`).
pub trait Real: RealField + Copy + Default {
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
    fn exprel_matches_its_definition_away_from_zero() {
        for z in [-30.0_f64, -2.5, -0.1, 0.3, 1.0, 7.0] {
            let direct = (z.exp() - 1.0) / z;
            assert!(((exprel(z) - direct) / direct).abs() < 1e-14, "z = {z}");
        }
    }
}
