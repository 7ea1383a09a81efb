//! [`softmax_cross_entropy`]: the cross-entropy of the softmax of logits against class labels,
//! averaged over samples (BrainPy's `bp.losses.cross_entropy_loss`, `'mean'` reduction), computed
//! with the log-sum-exp shift so that large logits do not overflow (and looptime's branch-free
//! `exp` and `ln`, within an ulp of the platform's, so that samples go a vector at a time); and
//! [`accuracy`].

use nalgebra::SMatrix;

use super::{LossError, check_lengths};
use crate::simd::vectorized;
use crate::{Real, math, parallel};

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
    let groups = outputs
        .chunks(GROUP)
        .zip(labels.chunks(GROUP))
        .zip(d_outputs.chunks_mut(GROUP));
    for ((outputs, labels), d_outputs) in groups {
        // Each output's sum on its own (from zero), its outputs cut into pieces for other cores
        // when that is measured to pay (`parallel`); then the sums added in output order: the
        // same bits either way.
        let mut sums = [T::zero(); GROUP];
        let sums = &mut sums[..outputs.len()];
        parallel::for_each_piece(
            (outputs, labels, d_outputs, &mut *sums),
            1,
            |_, (outputs, labels, d_outputs, sums)| {
                // Compiled for the widest vector instructions the CPU has, with looptime's
                // branch-free `exp` and `ln`: the samples of an output go a vector at a time.
                vectorized(
                    sums,
                    (outputs, labels, d_outputs, n),
                    #[inline(always)]
                    |sums, (outputs, labels, d_outputs, n)| {
                        let each = outputs.iter().zip(labels).zip(d_outputs).zip(sums);
                        for (((z, labels), dz), sum) in each {
                            *sum = one_output(z, labels, n, dz);
                        }
                    },
                );
            },
        );
        sum = sums.iter().fold(sum, |sum, &s| sum + s);
    }
    Ok(sum / n)
}

/// Outputs whose sums [`softmax_cross_entropy`] keeps at a time (on the stack).
const GROUP: usize = 64;

/// The sum over the samples of one output of `logsumexp(z) - z[label]`, adding the gradient.
/// The samples go in chunks of [`CHUNK`]: each chunk's losses first (a loop the compiler
/// vectorizes across samples), then their sum, in sample order as always (summed inside the
/// loop, the chain of additions kept it scalar).
#[inline(always)]
fn one_output<T: Real, const K: usize, const B: usize>(
    z: &SMatrix<T, K, B>,
    labels: &[usize; B],
    n: T,
    dz: &mut SMatrix<T, K, B>,
) -> T {
    let mut sum = T::zero();
    let mut losses = [T::zero(); CHUNK];
    let chunks = z
        .data
        .0
        .chunks(CHUNK)
        .zip(labels.chunks(CHUNK))
        .zip(dz.data.0.chunks_mut(CHUNK));
    for ((columns, labels), dz) in chunks {
        for (((column, &label), dz), loss) in columns.iter().zip(labels).zip(dz).zip(&mut losses) {
            *loss = sample(column, label, n, dz);
        }
        sum = losses[..columns.len()]
            .iter()
            .fold(sum, |sum, &loss| sum + loss);
    }
    sum
}

/// Samples whose losses [`one_output`] computes before adding them.
const CHUNK: usize = 64;

/// One sample's `logsumexp(z) - z[label]`, adding its gradient to `dz`.
#[inline(always)]
fn sample<T: Real, const K: usize>(column: &[T; K], label: usize, n: T, dz: &mut [T; K]) -> T {
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
    let scale = T::one() / (total * n);
    for (k, (dz, e)) in dz.iter_mut().zip(e).enumerate() {
        let onehot = if k == label { T::one() / n } else { T::zero() };
        *dz += e * scale - onehot;
    }
    math::ln(total) + max - picked
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_in_chunks_sum_in_sample_order() {
        // 150 samples: two whole chunks and a partial one; logits of very different sizes, so
        // that another order of the additions would change the last bits.
        const B: usize = 150;
        let z = SMatrix::<f64, 3, B>::from_fn(|k, b| {
            let scale = 10f64.powi((b % 7) as i32 - 3);
            scale * ((k * 31 + b * 17) as f64 * 0.37).sin()
        });
        let labels: [usize; B] = core::array::from_fn(|b| (b * 5) % 3);
        let mut d = [SMatrix::<f64, 3, B>::zeros()];
        let loss = softmax_cross_entropy(&[z], &[labels], &mut d).unwrap();

        // One sample after the other, as the formula reads.
        let n = B as f64;
        let (mut sum, mut expected_d) = (0.0, SMatrix::<f64, 3, B>::zeros());
        for b in 0..B {
            let column: [f64; 3] = core::array::from_fn(|k| z[(k, b)]);
            let max = column
                .iter()
                .fold(column[0], |m, &v| if v > m { v } else { m });
            let e = column.map(|v| math::exp(v - max));
            let total = e[0] + e[1] + e[2];
            sum += math::ln(total) + max - column[labels[b]];
            for k in 0..3 {
                let onehot = if k == labels[b] { 1.0 / n } else { 0.0 };
                expected_d[(k, b)] += e[k] * (1.0 / (total * n)) - onehot;
            }
        }
        assert_eq!(loss.to_bits(), (sum / n).to_bits());
        assert_eq!(d[0], expected_d);
    }

    /// Many outputs (two groups of sums, cut into pieces for another core or not): each output's
    /// sum from zero, added in output order, the same bits however the outputs were split.
    #[test]
    #[cfg(feature = "std")]
    fn outputs_split_across_cores_give_the_same_bits() {
        const B: usize = 5;
        let outputs = 70;
        let zs: Vec<SMatrix<f64, 2, B>> = (0..outputs)
            .map(|s| {
                SMatrix::from_fn(|k, b| {
                    let scale = 10f64.powi(((s + b) % 5) as i32 - 2);
                    scale * ((s * 13 + k * 31 + b * 17) as f64 * 0.37).sin()
                })
            })
            .collect();
        let labels: Vec<[usize; B]> = (0..outputs)
            .map(|s| core::array::from_fn(|b| (s + b) % 2))
            .collect();
        let n = (outputs * B) as f64;
        // Each output's sum from zero, then the sums in order; the gradient sample by sample.
        let mut expected_sum = 0.0;
        let mut expected_d = alloc::vec![SMatrix::<f64, 2, B>::zeros(); outputs];
        for s in 0..outputs {
            let mut sum = 0.0;
            for b in 0..B {
                let (z0, z1) = (zs[s][(0, b)], zs[s][(1, b)]);
                let max = if z1 > z0 { z1 } else { z0 };
                let e = [math::exp(z0 - max), math::exp(z1 - max)];
                let total = e[0] + e[1];
                sum += math::ln(total) + max - zs[s][(labels[s][b], b)];
                for k in 0..2 {
                    let onehot = if k == labels[s][b] { 1.0 / n } else { 0.0 };
                    expected_d[s][(k, b)] += e[k] * (1.0 / (total * n)) - onehot;
                }
            }
            expected_sum += sum;
        }
        let run = || {
            let mut d = alloc::vec![SMatrix::<f64, 2, B>::zeros(); outputs];
            let loss = softmax_cross_entropy(&zs, &labels, &mut d).unwrap();
            (loss, d)
        };
        for (loss, d) in [parallel::split_always(run), parallel::serial(run)] {
            assert_eq!(loss.to_bits(), (expected_sum / n).to_bits());
            assert_eq!(d, expected_d);
        }
    }
}
