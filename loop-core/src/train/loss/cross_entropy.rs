//! [`softmax_cross_entropy`]: the cross-entropy of the softmax of logits against class labels,
//! averaged over samples (BrainPy's `bp.losses.cross_entropy_loss`, `'mean'` reduction), computed
//! with the log-sum-exp shift so that large logits do not overflow (and looptime's branch-free
//! `exp` and `ln`, within an ulp of the platform's, so that samples go a vector at a time); and
//! [`accuracy`].

use nalgebra::SMatrix;

use super::{LossError, check_lengths};
use crate::simd::vectorized;
use crate::{Real, math};

/// `mean over samples of (logsumexp(z) - z[label])`, for logits `z` with one column per sample
/// (`K` classes by `B` samples), over every output given; adds `(softmax(z) - onehot(label)) / n`
/// to `d_outputs` (`n` = outputs × `B`). `labels[s][b]` is the class of sample `b` at output `s`.
///
/// ```
/// use loop_core::train::loss::softmax_cross_entropy;
/// use nalgebra::SMatrix;
///
/// let logits = [SMatrix::<f64, 2, 1>::new(0.0, 0.0)];
/// let mut d = [SMatrix::<f64, 2, 1>::zeros()];
/// let loss = softmax_cross_entropy(&logits, &[[1]], &mut d).unwrap();
/// assert!((loss - 2.0_f64.ln()).abs() < 1e-15);
/// assert_eq!(d[0], SMatrix::<f64, 2, 1>::new(0.5, -0.5));
/// ```
///
/// # Errors
/// [`LossError::Length`]/[`LossError::Empty`] for slices of different or zero length,
/// [`LossError::Label`] for a label `>= K` (nothing is added to `d_outputs` then).
pub fn softmax_cross_entropy<T: Real, const K: usize, const B: usize>(
    outputs: &[SMatrix<T, K, B>],
    labels: &[[usize; B]],
    d_outputs: &mut [SMatrix<T, K, B>],
) -> Result<T, LossError> {
    check_lengths(outputs.len(), labels.len(), d_outputs.len())?;
    if let Some(&label) = labels.iter().flatten().find(|&&l| l >= K) {
        return Err(LossError::Label { label, classes: K });
    }
    let n = T::of((outputs.len() * B) as f64);
    let mut sum = T::zero();
    for ((z, labels), dz) in outputs.iter().zip(labels).zip(d_outputs.iter_mut()) {
        // Compiled for the widest vector instructions the CPU has, with looptime's branch-free
        // `exp` and `ln`: the samples of an output are computed a vector at a time.
        sum += vectorized(
            dz,
            (z, labels, n),
            #[inline(always)]
            |dz, (z, labels, n)| one_output(z, labels, n, dz),
        );
    }
    Ok(sum / n)
}

/// The sum over the samples of one output of `logsumexp(z) - z[label]`, adding the gradient.
#[inline(always)]
fn one_output<T: Real, const K: usize, const B: usize>(
    z: &SMatrix<T, K, B>,
    labels: &[usize; B],
    n: T,
    dz: &mut SMatrix<T, K, B>,
) -> T {
    let mut sum = T::zero();
    for ((column, &label), dz) in z.data.0.iter().zip(labels).zip(dz.data.0.iter_mut()) {
        let max = column
            .iter()
            .fold(column[0], |m, &v| if v > m { v } else { m });
        // e_k = exp(z_k − max), once each: the softmax is e_k / Σ e.
        let e = column.map(|v| math::exp(v - max));
        let total = e.iter().fold(T::zero(), |t, &e| t + e);
        let mut picked = T::zero();
        for (k, &v) in column.iter().enumerate() {
            picked = if k == label { v } else { picked };
        }
        sum += math::ln(total) + max - picked;
        let scale = T::one() / (total * n);
        for (k, (dz, e)) in dz.iter_mut().zip(e).enumerate() {
            let onehot = if k == label { T::one() / n } else { T::zero() };
            *dz += e * scale - onehot;
        }
    }
    sum
}

/// The fraction of samples whose largest logit is their label's (ties go to the lower class).
///
/// # Errors
/// [`LossError::Label`] for a label `>= K`.
pub fn accuracy<T: Real, const K: usize, const B: usize>(
    logits: &SMatrix<T, K, B>,
    labels: &[usize; B],
) -> Result<f64, LossError> {
    if let Some(&label) = labels.iter().find(|&&l| l >= K) {
        return Err(LossError::Label { label, classes: K });
    }
    let correct = labels
        .iter()
        .enumerate()
        .filter(|&(b, &label)| {
            let column = logits.column(b);
            let mut best = 0;
            for k in 1..K {
                if column[k] > column[best] {
                    best = k;
                }
            }
            best == label
        })
        .count();
    Ok(correct as f64 / B as f64)
}
