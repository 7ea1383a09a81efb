//! The matrix products of backward steps, on column-major matrices of any fixed size, without
//! materializing transposes: `c += a bᵀ` (a weight's gradient), `c = aᵀ b` (the gradient sent
//! back through a weight) and row sums (a bias's gradient). They run through nalgebra's `gemm`
//! on strided views, which hands large products to `matrixmultiply` when `std` is on; small
//! products take plain loops.

use nalgebra::{DMatrixView, DMatrixViewMut, SMatrix};

use crate::Real;

/// Whether nalgebra hands a product of these sizes to `matrixmultiply`, which reads strided
/// views correctly. Its small-size fallback does not read transposed (row-strided) views
/// correctly, so smaller products — and every product without `std` — take plain loops here.
#[inline]
const fn fast_path(r: usize, c: usize, k: usize) -> bool {
    cfg!(feature = "std") && r > 5 && c > 5 && k > 5
}

/// `c += alpha · a · bᵀ`, with `c` the `R × C` column-major matrix in `c` (a gradient slice).
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
    let mut c = DMatrixViewMut::from_slice(c, R, C);
    if fast_path(R, C, K) {
        let a = DMatrixView::from_slice(a.as_slice(), R, K);
        // bᵀ: a K × C view of b's storage with the strides swapped.
        let bt = DMatrixView::from_slice_with_strides(b.as_slice(), K, C, C, 1);
        c.gemm(alpha, &a, &bt, T::one());
    } else {
        for j in 0..C {
            for k in 0..K {
                let s = alpha * b[(j, k)];
                for i in 0..R {
                    c[(i, j)] += a[(i, k)] * s;
                }
            }
        }
    }
}

/// `c = aᵀ · b + beta · c`, with `c` the `R × C` column-major matrix in `c`.
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
    let mut c = DMatrixViewMut::from_slice(c, R, C);
    if fast_path(R, C, K) {
        // aᵀ: an R × K view of a's storage with the strides swapped.
        let at = DMatrixView::from_slice_with_strides(a.as_slice(), R, K, K, 1);
        let b = DMatrixView::from_slice(b.as_slice(), K, C);
        c.gemm(T::one(), &at, &b, beta);
    } else {
        for j in 0..C {
            for i in 0..R {
                let dot = a.column(i).dot(&b.column(j));
                c[(i, j)] = if beta == T::zero() {
                    dot
                } else {
                    beta * c[(i, j)] + dot
                };
            }
        }
    }
}

/// `c += a · 1`: adds the sum of each row of `a` to `c` (a bias's gradient over a batch).
///
/// # Panics
/// When `c` does not hold `R` scalars.
#[inline]
pub fn add_row_sums<T: Real, const R: usize, const C: usize>(c: &mut [T], a: &SMatrix<T, R, C>) {
    let c: &mut [T; R] = c
        .try_into()
        .expect("add_row_sums: the slice must hold R scalars");
    for column in a.column_iter() {
        for (c, v) in c.iter_mut().zip(column.iter()) {
            *c += *v;
        }
    }
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
