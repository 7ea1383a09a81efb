//! [`PoissonSpikes`]: seeded Poisson spike trains, one independent train per neuron and sample,
//! like `brainpy.neurons.PoissonGroup`: at each step, each neuron fires with probability
//! `rate · dt / 1000` (rate in Hz, dt in ms).

use alloc::vec::Vec;

use loop_core::{InputSequence, LoopError};
use nalgebra::SMatrix;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::InputError;

/// Spike trains of `N` neurons by a batch of `B`, for `steps` steps: neuron `j` fires at step
/// `k` when `u < rate · dt / 1000`, with `u` uniform in `[0, 1)`.
///
/// The draws come from one ChaCha8 stream seeded with `seed`, step after step and, within a
/// step, in column-major order; step `k` is computed directly from its position in the stream,
/// so the trains need no storage and read the same in any order. The same seed gives the same
/// trains on every platform.
///
/// ```
/// use looptime::inputs::PoissonSpikes;
///
/// let trains = PoissonSpikes::<100>::new(50.0, 0.1, 10_000, 42).unwrap();
/// let spikes: usize = trains.to_vec().iter().map(|s| s.iter().filter(|x| **x).count()).sum();
/// // 100 neurons × 1 s at 50 Hz: about 5000 spikes.
/// assert!((4700..5300).contains(&spikes));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PoissonSpikes<const N: usize, const B: usize = 1> {
    probability: f64,
    steps: usize,
    seed: u64,
}

impl<const N: usize, const B: usize> PoissonSpikes<N, B> {
    /// Trains at `rate` Hz, for `steps` steps of `dt` ms, drawn from `seed`.
    pub fn new(rate: f64, dt: f64, steps: usize, seed: u64) -> Result<Self, InputError> {
        loop_core::check_dt(dt)?;
        if !(rate.is_finite() && rate >= 0.0) {
            return Err(InputError::InvalidRate(rate));
        }
        let probability = rate * dt / 1000.0;
        if probability > 1.0 {
            return Err(InputError::RateTooHigh { rate, dt });
        }
        Ok(PoissonSpikes {
            probability,
            steps,
            seed,
        })
    }

    /// The probability that a neuron fires at a step: `rate · dt / 1000`.
    pub fn probability(&self) -> f64 {
        self.probability
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.steps
    }

    /// `true` when there are no steps.
    pub fn is_empty(&self) -> bool {
        self.steps == 0
    }

    /// The spikes of step `k`.
    pub fn at(&self, k: usize) -> SMatrix<bool, N, B> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        // Each draw of an f64 takes one u64, two words of the stream.
        rng.set_word_pos(2 * (k as u128) * (N * B) as u128);
        let p = self.probability;
        SMatrix::from_fn(|_, _| rng.random::<f64>() < p)
    }

    /// Every step's spikes, stored.
    pub fn to_vec(&self) -> Vec<SMatrix<bool, N, B>> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let p = self.probability;
        (0..self.steps)
            .map(|_| SMatrix::from_fn(|_, _| rng.random::<f64>() < p))
            .collect()
    }
}

impl<const N: usize, const B: usize> InputSequence for PoissonSpikes<N, B> {
    type Item = SMatrix<bool, N, B>;

    fn steps<H>(&self) -> Result<usize, LoopError<H>> {
        Ok(self.steps)
    }

    fn item(&self, k: usize) -> Self::Item {
        self.at(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count<const N: usize, const B: usize>(trains: &[SMatrix<bool, N, B>]) -> usize {
        trains
            .iter()
            .map(|s| s.iter().filter(|x| **x).count())
            .sum()
    }

    #[test]
    fn zero_rate_never_fires_and_certainty_always_does() {
        let silent = PoissonSpikes::<5, 2>::new(0.0, 0.1, 100, 1).unwrap();
        assert_eq!(count(&silent.to_vec()), 0);
        // 10 kHz at 0.1 ms: probability exactly 1, and u < 1 always.
        let certain = PoissonSpikes::<5, 2>::new(10_000.0, 0.1, 100, 1).unwrap();
        assert_eq!(certain.probability(), 1.0);
        assert_eq!(count(&certain.to_vec()), 5 * 2 * 100);
    }

    #[test]
    fn the_spike_rule_is_u_below_the_probability_on_the_seeded_stream() {
        let trains = PoissonSpikes::<3, 2>::new(300.0, 0.5, 20, 11).unwrap();
        let p = 300.0 * 0.5 / 1000.0;
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for (k, step) in trains.to_vec().iter().enumerate() {
            for j in 0..6 {
                assert_eq!(step[j], rng.random::<f64>() < p, "step {k}, element {j}");
            }
        }
    }

    #[test]
    fn any_step_reads_as_in_the_sequential_stream() {
        let trains = PoissonSpikes::<7, 3>::new(120.0, 0.1, 300, 5).unwrap();
        let stored = trains.to_vec();
        for k in [0, 1, 17, 150, 299] {
            assert_eq!(trains.at(k), stored[k], "step {k}");
            assert_eq!(trains.item(k), stored[k]);
        }
    }

    #[test]
    fn seeds_reproduce_and_differ() {
        let a = PoissonSpikes::<50>::new(100.0, 0.1, 200, 1)
            .unwrap()
            .to_vec();
        let b = PoissonSpikes::<50>::new(100.0, 0.1, 200, 1)
            .unwrap()
            .to_vec();
        let c = PoissonSpikes::<50>::new(100.0, 0.1, 200, 2)
            .unwrap()
            .to_vec();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn the_count_is_binomial() {
        // 200 neurons × 5000 steps, p = 0.002: mean 2000, standard deviation ≈ 44.7; ±5σ.
        let trains = PoissonSpikes::<200>::new(20.0, 0.1, 5000, 3).unwrap();
        let n = count(&trains.to_vec());
        assert!((1776..=2224).contains(&n), "{n} spikes");
    }

    #[test]
    fn bad_rates_and_steps_are_errors() {
        assert_eq!(
            PoissonSpikes::<1>::new(-1.0, 0.1, 10, 0),
            Err(InputError::InvalidRate(-1.0))
        );
        assert_eq!(
            PoissonSpikes::<1>::new(20_000.0, 0.1, 10, 0),
            Err(InputError::RateTooHigh {
                rate: 20_000.0,
                dt: 0.1
            })
        );
        assert_eq!(
            PoissonSpikes::<1>::new(10.0, -0.1, 10, 0),
            Err(InputError::Clock(loop_core::ClockError::InvalidDt(-0.1)))
        );
        let message = InputError::RateTooHigh {
            rate: 20_000.0,
            dt: 0.1,
        }
        .to_string();
        assert!(message.contains("lower the rate"), "{message}");
    }
}
