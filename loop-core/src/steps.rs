//! How many steps a run over a duration takes (MODELS.md): `ceil(duration / dt)`, where a quotient
//! within 1e-9 (relative) of a positive integer counts as that integer.

/// Relative distance to an integer under which `duration / dt` counts as that integer.
const INTEGER_TOLERANCE: f64 = 1e-9;

/// Number of steps of a run over `duration` with step `dt`: `ceil(duration / dt)`, except that a
/// quotient within 1e-9 (relative) of an integer is that integer, so `100.0 / 0.1` gives 1000
/// steps (not 1001) and `1.0 / 0.3` gives 4. Both arguments must be positive and finite; the
/// result is then at least 1 (a quotient near 0 is not snapped to 0 steps).
pub fn steps_for_duration(duration: f64, dt: f64) -> usize {
    let q = duration / dt;
    let nearest = libm::round(q);
    // Only positive integers snap: `ceil` of a positive quotient is at least 1, and 1e-9 of
    // `max(nearest, 1)` would otherwise turn a duration far below dt into a run of 0 steps.
    let steps = if nearest >= 1.0 && libm::fabs(q - nearest) <= INTEGER_TOLERANCE * nearest {
        nearest
    } else {
        libm::ceil(q)
    };
    steps as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotients_near_an_integer_count_as_it() {
        // 100.0 / 0.1 = 1000.0000000000001 in floating point.
        assert_eq!(steps_for_duration(100.0, 0.1), 1000);
        assert_eq!(steps_for_duration(0.3, 0.1), 3); // 2.9999999999999996
        assert_eq!(steps_for_duration(1.0, 0.3), 4);
        assert_eq!(steps_for_duration(0.05, 0.1), 1);
        assert_eq!(steps_for_duration(1.0, 0.25), 4);
    }

    #[test]
    fn a_positive_duration_gives_at_least_one_step() {
        assert_eq!(steps_for_duration(1e-12, 0.1), 1);
        assert_eq!(steps_for_duration(f64::MIN_POSITIVE, 1.0), 1);
    }
}
