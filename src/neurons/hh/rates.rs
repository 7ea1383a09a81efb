//! The Hodgkin–Huxley rate functions: each of the six opening and closing rates on its own (the
//! definitions, docs/MODELS.md), the steady states built from them, and [`Rates`], all six at once
//! from three exponentials, which is what the step uses.

use loop_core::Real;
use loop_core::math::{ExpFraction, exp, exp_fraction, exprel};

/// Opening rate of the sodium activation gate: `1 / exprel(-(V + 40) / 10)` (1/ms).
#[inline(always)]
pub fn m_alpha<T: Real>(v: T) -> T {
    T::one() / exprel(-(v + T::of(40.0)) / T::of(10.0))
}

/// Closing rate of the sodium activation gate: `4 exp(-(V + 65) / 18)` (1/ms).
#[inline(always)]
pub fn m_beta<T: Real>(v: T) -> T {
    T::of(4.0) * exp(-(v + T::of(65.0)) / T::of(18.0))
}

/// Opening rate of the sodium inactivation gate: `0.07 exp(-(V + 65) / 20)` (1/ms).
#[inline(always)]
pub fn h_alpha<T: Real>(v: T) -> T {
    T::of(0.07) * exp(-(v + T::of(65.0)) / T::of(20.0))
}

/// Closing rate of the sodium inactivation gate: `1 / (1 + exp(-(V + 35) / 10))` (1/ms).
#[inline(always)]
pub fn h_beta<T: Real>(v: T) -> T {
    T::one() / (T::one() + exp(-(v + T::of(35.0)) / T::of(10.0)))
}

/// Opening rate of the potassium gate: `0.1 / exprel(-(V + 55) / 10)` (1/ms).
#[inline(always)]
pub fn n_alpha<T: Real>(v: T) -> T {
    T::of(0.1) / exprel(-(v + T::of(55.0)) / T::of(10.0))
}

/// Closing rate of the potassium gate: `0.125 exp(-(V + 65) / 80)` (1/ms).
#[inline(always)]
pub fn n_beta<T: Real>(v: T) -> T {
    T::of(0.125) * exp(-(v + T::of(65.0)) / T::of(80.0))
}

/// Steady state of gate `m` at `V`: `alpha / (alpha + beta)`.
pub fn m_inf<T: Real>(v: T) -> T {
    m_alpha(v) / (m_alpha(v) + m_beta(v))
}

/// Steady state of gate `h` at `V`: `alpha / (alpha + beta)`.
pub fn h_inf<T: Real>(v: T) -> T {
    h_alpha(v) / (h_alpha(v) + h_beta(v))
}

/// Steady state of gate `n` at `V`: `alpha / (alpha + beta)`.
pub fn n_inf<T: Real>(v: T) -> T {
    n_alpha(v) / (n_alpha(v) + n_beta(v))
}

/// `e^{1/2}`.
const SQRT_E: f64 = 1.648_721_270_700_128_2;

/// All six rates at one `V` (1/ms), from three exponentials instead of six.
///
/// The six functions above take six exponentials, which is most of an HH step. Their arguments
/// are related, so three suffice:
///
/// - `m_alpha` and `n_alpha` each take `e^x - 1` of their own argument (`-(V+40)/10`,
///   `-(V+55)/10`), so that `x / (e^x - 1)` stays exact where `x` nears 0 (from
///   [`exp_fraction`], so that the division inside the exponential is the rate's own);
/// - `h_beta`'s `e^{-(V+35)/10}` is `e^{-(V+40)/10} · e^{1/2}`, from the first of those;
/// - the three `e^{-(V+65)/c}` (c = 18, 20, 80) are the 40th, 36th and 9th powers of
///   `a = e^{-(V+65)/720}`, by seven multiplications.
///
/// The powers multiply the relative error of `a` (1 ulp) by up to 40: every rate stays within
/// ~1e-14 of its definition, relatively (tested), far inside what a float64 trace can tell
/// (the reference traces agree with BrainPy to 1e-6 mV, docs/MODELS.md). In f32 the same factor
/// gives ~4e-6 (tested to 1e-5), about what the six separate f32 exponentials give once
/// multiplied through a step; the f32 reference runs keep BrainPy's spike counts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rates<T> {
    /// Opening rate of `m`.
    pub m_alpha: T,
    /// Closing rate of `m`.
    pub m_beta: T,
    /// Opening rate of `h`.
    pub h_alpha: T,
    /// Closing rate of `h`.
    pub h_beta: T,
    /// Opening rate of `n`.
    pub n_alpha: T,
    /// Closing rate of `n`.
    pub n_beta: T,
}

impl<T: Real> Rates<T> {
    /// The six rates at `v` (see the type's docs for how).
    #[inline(always)]
    pub fn at(v: T) -> Self {
        let tenth = T::of(0.1);
        let x40 = -(v + T::of(40.0)) * tenth;
        let x55 = -(v + T::of(55.0)) * tenth;
        let e40 = exp_fraction(x40);
        let e55 = exp_fraction(x55);
        let a = exp(-(v + T::of(65.0)) * T::of(1.0 / 720.0));
        let a2 = a * a;
        let a4 = a2 * a2;
        let a9 = a4 * a4 * a;
        let a36 = {
            let a18 = a9 * a9;
            a18 * a18
        };
        let a40 = a36 * a4;
        Rates {
            m_alpha: x_over_exp_m1(x40, e40),
            m_beta: T::of(4.0) * a40,
            h_alpha: T::of(0.07) * a36,
            // 1 / (1 + e^{x40} √e), over e40's denominator: one division.
            h_beta: e40.den / (e40.den + e40.exp * T::of(SQRT_E)),
            n_alpha: T::of(0.1) * x_over_exp_m1(x55, e55),
            n_beta: T::of(0.125) * a9,
        }
    }
}

/// `x / (e^x - 1) = 1 / exprel(x)`, from `e^x`'s fraction (one division); below
/// [`Real::EXPREL_SERIES_BELOW`] its series `1 - x/2` (the next term, `x²/12`, is below the last
/// bit there), so `x = 0` gives 1.
#[inline(always)]
fn x_over_exp_m1<T: Real>(x: T, e: ExpFraction<T>) -> T {
    let series = T::one() - x * T::of(0.5);
    let direct = x * e.den / e.exp_m1;
    if x.abs() <= T::EXPREL_SERIES_BELOW {
        series
    } else {
        direct
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `|a - b| / |b|`.
    fn relative(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    /// The six rates by their definitions, with the platform's `exp` and `exp_m1`.
    fn definitions(v: f64) -> [f64; 6] {
        let x40 = -(v + 40.0) / 10.0;
        let x55 = -(v + 55.0) / 10.0;
        let alpha = |x: f64| if x == 0.0 { 1.0 } else { x / x.exp_m1() };
        [
            alpha(x40),
            4.0 * (-(v + 65.0) / 18.0).exp(),
            0.07 * (-(v + 65.0) / 20.0).exp(),
            1.0 / (1.0 + (-(v + 35.0) / 10.0).exp()),
            0.1 * alpha(x55),
            0.125 * (-(v + 65.0) / 80.0).exp(),
        ]
    }

    fn all(r: Rates<f64>) -> [f64; 6] {
        [
            r.m_alpha, r.m_beta, r.h_alpha, r.h_beta, r.n_alpha, r.n_beta,
        ]
    }

    #[test]
    fn the_three_exponential_rates_agree_with_the_definitions_in_f64() {
        let mut worst = 0.0_f64;
        // Every 1/1000 mV from -150 to +100 mV, and the points where the exprel arguments vanish.
        let grid = (0..250_000).map(|k| -150.0 + k as f64 * 1e-3);
        for v in grid.chain([-40.0, -55.0, -40.0 + 1e-9, -55.0 - 1e-7, -65.0]) {
            for (fast, exact) in all(Rates::at(v)).into_iter().zip(definitions(v)) {
                worst = worst.max(relative(fast, exact));
            }
        }
        eprintln!("worst relative difference {worst:e}");
        assert!(worst < 2e-14, "worst relative difference {worst:e}");
    }

    #[test]
    fn the_three_exponential_rates_agree_with_the_definitions_in_f32() {
        for k in 0..25_000 {
            let v = -150.0_f32 + k as f32 * 1e-2;
            let r = Rates::at(v);
            let fast = [
                r.m_alpha, r.m_beta, r.h_alpha, r.h_beta, r.n_alpha, r.n_beta,
            ];
            for (k, exact) in definitions(f64::from(v)).into_iter().enumerate() {
                let d = relative(f64::from(fast[k]), exact);
                assert!(d < 1e-5, "rate {k} at {v}: {} vs {exact}", fast[k]);
            }
        }
    }

    #[test]
    fn the_rates_at_the_removable_singularities_are_their_limits() {
        let r = Rates::at(-40.0_f64);
        assert_eq!(r.m_alpha, 1.0);
        let r = Rates::at(-55.0_f64);
        assert_eq!(r.n_alpha, 0.1);
    }
}
