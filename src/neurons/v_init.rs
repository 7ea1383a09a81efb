//! Initial membrane potentials: every neuron at `V0`, or a seeded uniform draw around it (BrainPy
//! draws HH's `V0` uniformly from `[-70, -60]` by default).

use loop_core::Real;
use nalgebra::SMatrix;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Every element at `center`, or, when `spread > 0`, at `center + spread · (2u - 1)` with `u`
/// uniform in `[0, 1)`, drawn in column-major order (neurons of sample 0 first) from a ChaCha8
/// stream seeded with `seed`: the same seed gives the same values on every platform.
pub fn uniform_around<T: Real, const N: usize, const B: usize>(
    center: T,
    spread: T,
    seed: u64,
) -> SMatrix<T, N, B> {
    if spread == T::zero() {
        return SMatrix::from_element(center);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Column-major order, as nalgebra stores it: element (r, c) is drawn r + c·N-th.
    let mut draws = SMatrix::<T, N, B>::from_element(center);
    for x in draws.iter_mut() {
        let u: f64 = rng.random();
        *x = center + spread * T::of(2.0 * u - 1.0);
    }
    draws
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_spread_is_the_centre_exactly() {
        let v = uniform_around::<f64, 3, 2>(-65.0, 0.0, 7);
        assert_eq!(v, SMatrix::<f64, 3, 2>::from_element(-65.0));
    }

    #[test]
    fn a_spread_stays_in_its_interval_and_is_reproducible() {
        let v = uniform_around::<f64, 50, 4>(-65.0, 5.0, 42);
        assert!(v.iter().all(|&x| (-70.0..-60.0).contains(&x)), "{v}");
        assert_eq!(v, uniform_around::<f64, 50, 4>(-65.0, 5.0, 42));
        assert_ne!(v, uniform_around::<f64, 50, 4>(-65.0, 5.0, 43));
        // Not all equal: the draw is per neuron.
        assert!(v.iter().any(|&x| x != v[0]));
    }

    #[test]
    fn draws_follow_the_seeded_stream_in_column_major_order() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let expected: Vec<f64> = (0..6)
            .map(|_| -65.0 + 5.0 * (2.0 * rng.random::<f64>() - 1.0))
            .collect();
        let v = uniform_around::<f64, 2, 3>(-65.0, 5.0, 9);
        assert_eq!(v.as_slice(), expected.as_slice());
    }
}
