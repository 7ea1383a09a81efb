//! [`mse`]: the mean squared error over every element of every output (BrainPy's
//! `bp.losses.mean_squared_error`, `'mean'` reduction).

use nalgebra::SMatrix;

use super::{LossError, check_lengths};
use crate::Real;

/// `mean((y - target)²)` over all `n` elements of all outputs; adds `2 (y - target) / n` to
/// `d_outputs`.
///
/// ```
/// use loop_core::train::loss::mse;
/// use nalgebra::SMatrix;
///
/// let ys = [SMatrix::<f64, 2, 1>::new(1.0, 3.0)];
/// let targets = [SMatrix::<f64, 2, 1>::new(0.0, 1.0)];
/// let mut dys = [SMatrix::<f64, 2, 1>::zeros()];
/// assert_eq!(mse(&ys, &targets, &mut dys).unwrap(), 2.5); // (1 + 4) / 2
/// assert_eq!(dys[0], SMatrix::<f64, 2, 1>::new(1.0, 2.0));
/// ```
///
/// # Errors
/// [`LossError::Length`] or [`LossError::Empty`] when the three slices do not have one,
/// nonzero, length.
pub fn mse<T: Real, const R: usize, const C: usize>(
    outputs: &[SMatrix<T, R, C>],
    targets: &[SMatrix<T, R, C>],
    d_outputs: &mut [SMatrix<T, R, C>],
) -> Result<T, LossError> {
    check_lengths(outputs.len(), targets.len(), d_outputs.len())?;
    let n = T::of((outputs.len() * R * C) as f64);
    let scale = T::of(2.0) / n;
    let mut sum = T::zero();
    for ((y, target), dy) in outputs.iter().zip(targets).zip(d_outputs.iter_mut()) {
        for ((y, t), d) in y.iter().zip(target.iter()).zip(dy.iter_mut()) {
            let e = *y - *t;
            sum += e * e;
            *d += scale * e;
        }
    }
    Ok(sum / n)
}
