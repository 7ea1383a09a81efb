//! How many steps a run over a duration takes (docs/MODELS.md): `ceil(duration / dt)`, where a quotient
//! within 1e-9 (relative) of a positive integer counts as that integer; a duration of 0 is 0 steps.

/// Relative distance to an integer under which `duration / dt` counts as that integer.
const INTEGER_TOLERANCE: f64 = 1e-9;

/// Number of steps of a run over `duration` with step `dt`: `ceil(duration / dt)`, except that a
/// quotient within 1e-9 (relative) of an integer is that integer, so `100.0 / 0.1` gives 1000
/// steps (not 1001) and `1.0 / 0.3` gives 4. `dt` must be positive and finite and `duration`
/// finite and not negative. A duration of 0 is 0 steps (an empty run, as JAX's `scan` over no
/// inputs); any positive duration is at least 1 step (a quotient near 0 is not snapped to 0).
/// A quotient past `usize::MAX` saturates (such a run is too long to record anyway).
pub fn steps_for_duration(duration: f64, dt: f64) -> usize {
    if duration == 0.0 {
        return 0;
    }
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
    fn a_zero_duration_is_zero_steps() {
        assert_eq!(steps_for_duration(0.0, 0.1), 0);
    }

    #[test]
    fn a_positive_duration_gives_at_least_one_step() {
        assert_eq!(steps_for_duration(1e-12, 0.1), 1);
        assert_eq!(steps_for_duration(f64::MIN_POSITIVE, 1.0), 1);
    }
}
