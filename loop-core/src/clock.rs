//! [`Clock`]: the one place that checks `dt` and `t0` and computes the `t` and `i` of a step.
//!
//! The clock counts steps. Global step `n` (n = 0, 1, … since the clock was built or reset) runs
//! at `t = t0 + (n as f64) * dt` and `i = i0 + n`. Nothing accumulates in floating point across
//! calls, so a run split into calls of any lengths sees the same `t` at every step, bit for bit,
//! as one call. [`LoopOverTime`](crate::LoopOverTime), the static loops of `loop_over_time!`,
//! [`Bptt`](crate::train::Bptt) and the facade's input helpers all go through this module.

use crate::Shared;

/// Why a clock cannot run: a bad step size or start time, or a step count past what `u64` holds.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum ClockError {
    /// `dt` is zero, negative, NaN or infinite.
    #[error("dt must be positive and finite, got {0}")]
    InvalidDt(f64),
    /// `t0` is NaN or infinite.
    #[error("t0 must be finite (or None for no time), got {0}")]
    InvalidT0(f64),
    /// The step index `i0 + n` of some step of the run would pass `u64::MAX`.
    #[error(
        "the step index overflows: i0 = {i0} and {steps} steps from there pass u64::MAX; use a smaller i0, or i0 = None"
    )]
    IndexOverflow {
        /// The index origin `i0`.
        i0: u64,
        /// The steps counted from `i0` up to the end of the run.
        steps: u64,
    },
    /// The time `t0 + n * dt` of some step of the run would not be finite.
    #[error(
        "the time overflows: t0 = {t0} plus {steps} steps of dt = {dt} is not finite; use a smaller t0 or dt"
    )]
    TimeOverflow {
        /// The time origin `t0`.
        t0: f64,
        /// The steps counted from `t0` up to the end of the run.
        steps: u64,
        /// The step size.
        dt: f64,
    },
}

/// `Ok(dt)` when `dt` is positive and finite: the rule every loop and input helper applies.
pub fn check_dt(dt: f64) -> Result<f64, ClockError> {
    if dt.is_finite() && dt > 0.0 {
        Ok(dt)
    } else {
        Err(ClockError::InvalidDt(dt))
    }
}

/// `Ok(t0)` when `t0` is finite.
pub fn check_t0(t0: f64) -> Result<f64, ClockError> {
    if t0.is_finite() {
        Ok(t0)
    } else {
        Err(ClockError::InvalidT0(t0))
    }
}

/// The time of global step `n`: `t0 + (n as f64) * dt`. The only place this is computed.
#[inline(always)]
fn time_at(t0: f64, n: u64, dt: f64) -> f64 {
    t0 + n as f64 * dt
}

/// The step size, the origins of `t` and `i` (`None`: the clock generates none) and the global
/// step count `n` since the clock was built or [`reset`](Clock::reset).
///
/// Setters change the origins and the step size but never `n`: the timeline is always
/// `t0 + n * dt`. [`check`](Clock::check) validates a run of some steps before it starts, after
/// which [`stamp`](Clock::stamp) cannot overflow.
///
/// ```
/// use loop_core::{Clock, ClockError, Shared};
///
/// let mut clock = Clock::new(0.1, Some(0.0), Some(0));
/// clock.advance(1000);
/// assert_eq!(clock.t(0), Some(100.0)); // 0.0 + 1000 * 0.1, not 1000 additions of 0.1
/// assert_eq!(clock.i(3), Some(1003));
/// assert_eq!(Clock::new(0.0, Some(0.0), None).check(1), Err(ClockError::InvalidDt(0.0)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clock {
    dt: f64,
    t0: Option<f64>,
    i0: Option<u64>,
    n: u64,
}

impl Clock {
    /// A clock at step 0 with step `dt` and origins `t0`, `i0` (checked by [`check`](Self::check)).
    pub const fn new(dt: f64, t0: Option<f64>, i0: Option<u64>) -> Self {
        Clock { dt, t0, i0, n: 0 }
    }

    /// The step size.
    pub const fn dt(&self) -> f64 {
        self.dt
    }

    /// The time origin: `t` of global step 0.
    pub const fn t0(&self) -> Option<f64> {
        self.t0
    }

    /// The index origin: `i` of global step 0.
    pub const fn i0(&self) -> Option<u64> {
        self.i0
    }

    /// Steps run since the clock was built or reset.
    pub const fn steps_done(&self) -> u64 {
        self.n
    }

    /// Sets the step size; the timeline becomes `t0 + n * dt` with the new `dt`.
    pub fn set_dt(&mut self, dt: f64) {
        self.dt = dt;
    }

    /// Sets the time origin (`None`: no `t`).
    pub fn set_t0(&mut self, t0: Option<f64>) {
        self.t0 = t0;
    }

    /// Sets the index origin (`None`: no `i`).
    pub fn set_i0(&mut self, i0: Option<u64>) {
        self.i0 = i0;
    }

    /// Whether a run of `steps` more steps is sound: `dt` positive and finite, `t0` finite, and
    /// the `t` and `i` of its last step finite and within `u64`. A run of zero steps only needs
    /// `dt` and `t0` to be valid.
    pub fn check(&self, steps: u64) -> Result<(), ClockError> {
        check_dt(self.dt)?;
        if let Some(t0) = self.t0 {
            check_t0(t0)?;
        }
        let Some(last) = steps.checked_sub(1) else {
            return Ok(());
        };
        // `n + last` is the global step of the run's last step.
        let end = self.n.checked_add(last);
        if let Some(i0) = self.i0
            && end.and_then(|end| i0.checked_add(end)).is_none()
        {
            return Err(ClockError::IndexOverflow {
                i0,
                steps: self.n.saturating_add(steps),
            });
        }
        let end = end.ok_or(ClockError::IndexOverflow {
            i0: 0,
            steps: u64::MAX,
        })?;
        if let Some(t0) = self.t0
            && !time_at(t0, end, self.dt).is_finite()
        {
            return Err(ClockError::TimeOverflow {
                t0,
                steps: end,
                dt: self.dt,
            });
        }
        Ok(())
    }

    /// `t` of step `k` of the next run (global step `n + k`).
    #[inline(always)]
    pub fn t(&self, k: u64) -> Option<f64> {
        let n = self.n.wrapping_add(k);
        self.t0.map(|t0| time_at(t0, n, self.dt))
    }

    /// `i` of step `k` of the next run (global step `n + k`); wraps past `u64::MAX`, which
    /// [`check`](Self::check) rules out before a run.
    #[inline(always)]
    pub fn i(&self, k: u64) -> Option<u64> {
        self.i0.map(|i0| i0.wrapping_add(self.n.wrapping_add(k)))
    }

    /// Writes `t`, `i` and `dt` of step `k` of the next run into `shared`.
    #[inline(always)]
    pub fn stamp<A>(&self, shared: &mut Shared<A>, k: u64) {
        shared.t = self.t(k);
        shared.i = self.i(k);
        shared.dt = self.dt;
    }

    /// Moves the clock on by `steps` steps (after a run of that many).
    pub fn advance(&mut self, steps: u64) {
        self.n = self.n.saturating_add(steps);
    }

    /// Back to global step 0: `t = t0`, `i = i0` at the next step.
    pub fn reset(&mut self) {
        self.n = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_is_counted_not_accumulated() {
        // Adding 0.3 a thousand times gives 300.0000000000056; the clock gives 0.3 * 1000.
        let mut sum = 0.0_f64;
        for _ in 0..1000 {
            sum += 0.3;
        }
        assert_ne!(sum, 300.0);
        let mut clock = Clock::new(0.3, Some(0.0), Some(0));
        for _ in 0..1000 {
            clock.advance(1);
        }
        assert_eq!(clock.t(0), Some(300.0));
        assert_eq!(clock.i(0), Some(1000));
    }

    #[test]
    fn a_split_run_sees_the_times_of_one_run() {
        let whole = Clock::new(0.1, Some(2.5), Some(7));
        let mut split = whole;
        let mut k_whole = 0;
        for chunk in [1_u64, 3, 7, 1000, 2] {
            for k in 0..chunk {
                assert_eq!(split.t(k), whole.t(k_whole));
                assert_eq!(split.i(k), whole.i(k_whole));
                k_whole += 1;
            }
            split.advance(chunk);
        }
    }

    #[test]
    fn reset_returns_to_the_origin() {
        let mut clock = Clock::new(0.5, Some(-1.0), Some(3));
        clock.advance(10);
        assert_eq!(clock.steps_done(), 10);
        clock.reset();
        assert_eq!((clock.t(0), clock.i(0)), (Some(-1.0), Some(3)));
    }

    #[test]
    fn bad_dt_and_t0_are_errors() {
        for dt in [0.0, -0.1, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                Clock::new(dt, Some(0.0), Some(0)).check(1),
                Err(ClockError::InvalidDt(_))
            ));
            assert!(check_dt(dt).is_err());
        }
        for t0 in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(matches!(
                Clock::new(0.1, Some(t0), Some(0)).check(0),
                Err(ClockError::InvalidT0(_))
            ));
        }
        assert_eq!(Clock::new(0.1, None, None).check(5), Ok(()));
    }

    #[test]
    fn an_index_past_u64_max_is_an_error() {
        let clock = Clock::new(0.1, None, Some(u64::MAX));
        // One step runs at i = u64::MAX; a second would pass it.
        assert_eq!(clock.check(1), Ok(()));
        assert_eq!(clock.i(0), Some(u64::MAX));
        assert_eq!(
            clock.check(2),
            Err(ClockError::IndexOverflow {
                i0: u64::MAX,
                steps: 2
            })
        );
        let mut near = Clock::new(0.1, None, Some(u64::MAX - 10));
        near.advance(5);
        assert_eq!(near.check(6), Ok(()));
        assert!(near.check(7).is_err());
    }

    #[test]
    fn a_time_past_f64_max_is_an_error() {
        let clock = Clock::new(1e300, Some(f64::MAX / 2.0), None);
        assert_eq!(clock.check(1), Ok(()));
        assert!(matches!(
            clock.check(1 << 60),
            Err(ClockError::TimeOverflow { .. })
        ));
    }

    #[test]
    fn stamp_writes_t_i_and_dt() {
        let mut clock = Clock::new(0.25, Some(1.0), None);
        clock.advance(4);
        let mut shared = Shared::new(0.1, ());
        clock.stamp(&mut shared, 2);
        assert_eq!((shared.t, shared.i, shared.dt), (Some(2.5), None, 0.25));
    }
}
