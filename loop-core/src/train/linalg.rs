//! The matrix products of backward steps, on column-major matrices of any fixed size, without
//! materializing transposes: `c += a bᵀ` (a weight's gradient), `c = aᵀ b` (the gradient sent
//! back through a weight) and row sums (a bias's gradient).
//!
//! Plain loops over contiguous columns, compiled for the widest vector instructions the CPU has
//! ([`vectorized`]), in a fixed order of sums: they allocate nothing
//! (`matrixmultiply`, behind nalgebra's dynamic products, allocates packing buffers at every
//! call), need no `std`, and read no strided views (nalgebra's small-product fallback misreads
//! row-strided vectors).

use nalgebra::SMatrix;

use crate::Real;
use crate::simd::vectorized;

/// Largest temporary (bytes) a product keeps on the stack to run its inner loop over the
/// longer dimension; larger products loop over the shorter one instead.
const MAX_TEMPORARY: usize = 256 * 1024;

/// `c[:, j] (+)= Σ_k a[:, k] · coef(j, k)` for the `R × C` column-major `c` and `R × K`
/// column-major `a`. Four columns of `a` at a time, each block applied to every column of `c`:
/// the block stays in the nearest cache while `c` streams past it, and each column of `c` is
/// loaded and stored once per four terms. The inner loop runs over `R` contiguous scalars (it
/// vectorizes; the order of the sums is fixed, so every instruction set gives the same bits).
/// With `overwrite`, `c` starts from zero.
#[inline(always)]
fn columns_axpy<T: Real, const R: usize, const C: usize, const K: usize>(
    c: &mut [T],
    a: &[T],
    overwrite: bool,
    coef: impl Fn(usize, usize) -> T,
) {
    if R == 0 {
        return;
    }
    let c = &mut c[..R * C];
    if overwrite {
        c.fill(T::zero());
    }
    let mut k = 0;
    while k + 4 <= K {
        let a0 = &a[k * R..][..R];
        let a1 = &a[(k + 1) * R..][..R];
        let a2 = &a[(k + 2) * R..][..R];
        let a3 = &a[(k + 3) * R..][..R];
        for (j, cj) in c.chunks_exact_mut(R).enumerate() {
            let (s0, s1, s2, s3) = (coef(j, k), coef(j, k + 1), coef(j, k + 2), coef(j, k + 3));
            for ((((c, a0), a1), a2), a3) in cj.iter_mut().zip(a0).zip(a1).zip(a2).zip(a3) {
                *c += *a0 * s0 + *a1 * s1 + *a2 * s2 + *a3 * s3;
            }
        }
        k += 4;
    }
    while k < K {
        let ak = &a[k * R..][..R];
        for (j, cj) in c.chunks_exact_mut(R).enumerate() {
            let s = coef(j, k);
            for (c, a) in cj.iter_mut().zip(ak) {
                *c += *a * s;
            }
        }
        k += 1;
    }
}

/// `c += alpha · a · bᵀ`, with `c` the `R × C` column-major matrix in `c` (a gradient slice).
///
/// When `c`'s columns are the longer side, directly; otherwise as `(b aᵀ)ᵀ`, computed in a
/// temporary on the stack (as large as `c`, within `MAX_TEMPORARY`) whose columns are long.
///
/// # Panics
/// When `c` does not hold `R · C` scalars (a caller's bug: the sizes are in the types).
#[inline]
pub fn add_a_bt<T: Real, const R: usize, const C: usize, const K: usize>(
    c: &mut [T],
    alpha: T,
    a: &SMatrix<T, R, K>,
    b: &SMatrix<T, C, K>,
) {
    assert_eq!(c.len(), R * C, "add_a_bt: the slice must hold R·C scalars");
    vectorized(
        c,
        (alpha, a, b),
        #[inline(always)]
        |c, (alpha, a, b)| add_a_bt_kernel(c, alpha, a, b),
    );
}

#[inline(always)]
fn add_a_bt_kernel<T: Real, const R: usize, const C: usize, const K: usize>(
    c: &mut [T],
    alpha: T,
    a: &SMatrix<T, R, K>,
    b: &SMatrix<T, C, K>,
) {
    if R < C && R * C * size_of::<T>() <= MAX_TEMPORARY {
        let mut product = SMatrix::<T, C, R>::zeros();
        columns_axpy::<T, C, R, K>(product.as_mut_slice(), b.as_slice(), true, |i, k| {
            alpha * a[(i, k)]
        });
        for (j, cj) in c.chunks_exact_mut(R).enumerate() {
            for (i, cij) in cj.iter_mut().enumerate() {
                *cij += product[(j, i)];
            }
        }
    } else {
        columns_axpy::<T, R, C, K>(c, a.as_slice(), false, |j, k| alpha * b[(j, k)]);
    }
}

/// `c = aᵀ · b + beta · c`, with `c` the `R × C` column-major matrix in `c`: `aᵀ` is formed on
/// the stack (as large as `a`, within `MAX_TEMPORARY`; beyond, one dot product per element).
///
/// # Panics
/// When `c` does not hold `R · C` scalars.
#[inline]
pub fn at_b<T: Real, const R: usize, const C: usize, const K: usize>(
    c: &mut [T],
    a: &SMatrix<T, K, R>,
    b: &SMatrix<T, K, C>,
    beta: T,
) {
    assert_eq!(c.len(), R * C, "at_b: the slice must hold R·C scalars");
    vectorized(
        c,
        (a, b, beta),
        #[inline(always)]
        |c, (a, b, beta)| at_b_kernel(c, a, b, beta),
    );
}

#[inline(always)]
fn at_b_kernel<T: Real, const R: usize, const C: usize, const K: usize>(
    c: &mut [T],
    a: &SMatrix<T, K, R>,
    b: &SMatrix<T, K, C>,
    beta: T,
) {
    if beta != T::one() && beta != T::zero() {
        for v in c.iter_mut() {
            *v *= beta;
        }
    }
    let overwrite = beta == T::zero();
    if R * K * size_of::<T>() <= MAX_TEMPORARY {
        let mut at = SMatrix::<T, R, K>::zeros();
        a.transpose_to(&mut at);
        columns_axpy::<T, R, C, K>(c, at.as_slice(), overwrite, |j, k| b[(k, j)]);
    } else {
        let (a, b) = (a.as_slice(), b.as_slice());
        for (j, cj) in c.chunks_exact_mut(R.max(1)).enumerate().take(C) {
            let bj = &b[j * K..][..K];
            for (i, cij) in cj.iter_mut().enumerate() {
                let dot = a[i * K..][..K]
                    .iter()
                    .zip(bj)
                    .fold(T::zero(), |s, (a, b)| s + *a * *b);
                *cij = if overwrite { dot } else { *cij + dot };
            }
        }
    }
}

/// `c += a · 1`: adds the sum of each row of `a` to `c` (a bias's gradient over a batch),
/// column by column over contiguous slices (it vectorizes; the sums run in column order).
///
/// # Panics
/// When `c` does not hold `R` scalars.
#[inline]
pub fn add_row_sums<T: Real, const R: usize, const C: usize>(c: &mut [T], a: &SMatrix<T, R, C>) {
    assert_eq!(c.len(), R, "add_row_sums: the slice must hold R scalars");
    vectorized(
        c,
        a,
        #[inline(always)]
        |c, a| {
            if R == 0 {
                return;
            }
            for column in a.as_slice().chunks_exact(R) {
                for (c, v) in c.iter_mut().zip(column) {
                    *c += *v;
                }
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_products_match_too() {
        let a = SMatrix::<f64, 2, 3>::new(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
        let b = SMatrix::<f64, 4, 3>::from_fn(|i, j| (i + 2 * j) as f64 - 1.0);
        let mut c = SMatrix::<f64, 2, 4>::repeat(1.0);
        add_a_bt(c.as_mut_slice(), 2.0, &a, &b);
        assert_eq!(
            c,
            SMatrix::<f64, 2, 4>::repeat(1.0) + 2.0 * a * b.transpose()
        );
        let mut d = SMatrix::<f64, 3, 4>::repeat(1.0);
        at_b(
            d.as_mut_slice(),
            &a,
            &SMatrix::<f64, 2, 4>::repeat(0.5),
            3.0,
        );
        let expected =
            SMatrix::<f64, 3, 4>::repeat(3.0) + a.transpose() * SMatrix::<f64, 2, 4>::repeat(0.5);
        assert_eq!(d, expected);
    }

    #[test]
    fn products_match_nalgebra_with_explicit_transposes() {
        let a = SMatrix::<f64, 7, 9>::from_fn(|i, j| (i * 9 + j) as f64 * 0.1 - 3.0);
        let b = SMatrix::<f64, 8, 9>::from_fn(|i, j| ((i + 2 * j) % 5) as f64 - 1.5);
        let mut c = SMatrix::<f64, 7, 8>::repeat(1.0);
        add_a_bt(c.as_mut_slice(), 2.0, &a, &b);
        let expected = SMatrix::<f64, 7, 8>::repeat(1.0) + 2.0 * a * b.transpose();
        assert!((c - expected).abs().max() < 1e-12);

        let mut d = SMatrix::<f64, 7, 8>::repeat(1.0);
        let at = a.transpose(); // 9 × 7
        let bt = b.transpose(); // 9 × 8
        at_b(d.as_mut_slice(), &at, &bt, 0.5);
        let expected = SMatrix::<f64, 7, 8>::repeat(0.5) + a * b.transpose();
        assert!((d - expected).abs().max() < 1e-12);

        let mut s = [1.0; 7];
        add_row_sums(&mut s, &a);
        for (i, s) in s.iter().enumerate() {
            assert!((s - (1.0 + a.row(i).sum())).abs() < 1e-12);
        }
    }
}
