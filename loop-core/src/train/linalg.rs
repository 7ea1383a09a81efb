//! The matrix products of backward steps, on column-major matrices of fixed sizes, without
//! materializing the transposes they name: `c += a bᵀ` (a weight's gradient over a batch),
//! `c = aᵀ b` (the gradient sent back through a weight) and row sums (a bias's gradient).
//!
//! The products are the forward's register-blocked product (`kernels/blocked.rs`: a block of
//! `c` in vector registers while the sum runs, blocks sized for the vector level in use), so
//! every element is summed in one order — `0 + a[r, 0] s(0, j) + a[r, 1] s(1, j) + …`, then
//! written or added to `c` — without fused multiply-adds: the same bits at every vector level,
//! and split across cores or not. They allocate nothing (temporaries are on the stack, bounded
//! by [`MAX_TEMPORARY`]; `matrixmultiply`, behind nalgebra's dynamic products, allocates at every
//! call), need no `std`, and read no strided views.
//!
//! [`add_a_bt`], [`at_b`] and [`add_row_sums`] each run in the calling thread, compiled for the
//! widest vector instructions the CPU has ([`vectorized`]); their `*_columns` forms compute some
//! of the output's columns, for the backward step of an affine map
//! ([`two_products_plus_bias_backward`](super::two_products_plus_bias_backward)), which spreads
//! the columns across cores.

use core::ops::Range;

use nalgebra::SMatrix;

use crate::Real;
pub use crate::kernels::Write;
use crate::kernels::{Bias, Coefs, Plain, Start, Term, Transposed, no_term, product_columns};
use crate::simd::vectorized;

/// Largest temporary (bytes) a product keeps on the stack: a transpose for [`at_b`], or the
/// transposed product of [`add_a_bt`] when its output has short columns. Beyond it, `at_b`
/// takes one dot product per element and `add_a_bt` keeps its short columns.
pub const MAX_TEMPORARY: usize = 256 * 1024;

/// `c (=|+=) Σ_k a[:, k] s(k, ·)` from zero, over the columns `cols` of `c`.
#[inline(always)]
fn blocked_product<T: Real, const R: usize, const K: usize>(
    c: &mut [[T; R]],
    cols: Range<usize>,
    a: &[[T; R]; K],
    s: impl Coefs<T>,
    write: Write,
) {
    let first = Term { a, s };
    product_columns(c, cols, first, no_term(), Start::Zero, Bias::None, write);
}

/// `c` (a slice of `R × C` scalars, column-major) as its columns.
///
/// # Panics
/// When `c` does not hold `R · C` scalars (a caller's bug: the sizes are in the types).
#[inline(always)]
fn columns_of<'c, T, const R: usize, const C: usize>(
    c: &'c mut [T],
    what: &str,
) -> &'c mut [[T; R]] {
    assert_eq!(c.len(), R * C, "{what}: the slice must hold R·C scalars");
    if R == 0 {
        return &mut [];
    }
    c.as_chunks_mut::<R>().0
}

/// Whether [`add_a_bt`] computes `(b aᵀ)ᵀ` in a temporary: `c`'s columns are shorter than a
/// 512-bit register and than its rows (longer columns vectorize better), and the temporary fits
/// in `MAX_TEMPORARY`.
pub const fn add_a_bt_transposes<T, const R: usize, const C: usize>() -> bool {
    R < C && R * size_of::<T>() < 64 && R * C * size_of::<T>() <= MAX_TEMPORARY
}

/// `c += a · bᵀ`, with `c` the `R × C` column-major matrix in `c` (a weight's gradient: `a` the
/// output gradients, `b` the inputs, one column per sample).
///
/// # Panics
/// When `c` does not hold `R · C` scalars.
#[inline]
pub fn add_a_bt<T: Real, const R: usize, const C: usize, const K: usize>(
    c: &mut [T],
    a: &SMatrix<T, R, K>,
    b: &SMatrix<T, C, K>,
) {
    let c = columns_of::<T, R, C>(c, "add_a_bt");
    vectorized(
        c,
        (a, b),
        #[inline(always)]
        |c, (a, b)| {
            if add_a_bt_transposes::<T, R, C>() {
                add_a_bt_here(c, a, b);
            } else {
                add_a_bt_columns(c, 0..C, a, b);
            }
        },
    );
}

/// [`add_a_bt`] through its transposed product (see [`add_a_bt_transposes`]), in the calling
/// thread's vector instructions.
#[inline(always)]
pub(crate) fn add_a_bt_here<T: Real, const R: usize, const C: usize, const K: usize>(
    c: &mut [[T; R]],
    a: &SMatrix<T, R, K>,
    b: &SMatrix<T, C, K>,
) {
    let mut product = SMatrix::<T, C, R>::zeros();
    blocked_product::<T, C, K>(
        &mut product.data.0,
        0..R,
        &b.data.0,
        Transposed(&a.data.0),
        Write::Over,
    );
    for (j, column) in c.iter_mut().enumerate() {
        for (i, c) in column.iter_mut().enumerate() {
            *c += product.data.0[i][j];
        }
    }
}

/// The columns `cols` of [`add_a_bt`] without the temporary (`c` holds those columns only), in
/// the calling thread's vector instructions: for a caller that splits the columns across cores.
#[inline(always)]
pub(crate) fn add_a_bt_columns<T: Real, const R: usize, const C: usize, const K: usize>(
    c: &mut [[T; R]],
    cols: Range<usize>,
    a: &SMatrix<T, R, K>,
    b: &SMatrix<T, C, K>,
) {
    blocked_product::<T, R, K>(c, cols, &a.data.0, Transposed(&b.data.0), Write::Add);
}

/// Whether [`at_b`] transposes `a` on the stack (it fits in `MAX_TEMPORARY`); otherwise it
/// takes one dot product per element.
pub const fn at_b_transposes<T, const R: usize, const K: usize>() -> bool {
    R * K * size_of::<T>() <= MAX_TEMPORARY
}

/// `c = aᵀ · b` or `c += aᵀ · b` (`write`), with `c` the `R × C` column-major matrix in `c` (the
/// gradient sent back through a weight `a`).
///
/// # Panics
/// When `c` does not hold `R · C` scalars.
#[inline]
pub fn at_b<T: Real, const R: usize, const C: usize, const K: usize>(
    c: &mut [T],
    a: &SMatrix<T, K, R>,
    b: &SMatrix<T, K, C>,
    write: Write,
) {
    let c = columns_of::<T, R, C>(c, "at_b");
    vectorized(
        c,
        (a, b),
        #[inline(always)]
        |c, (a, b)| {
            if at_b_transposes::<T, R, K>() {
                let at = a.transpose();
                at_b_columns(c, 0..C, &at, b, write);
            } else {
                at_b_by_dots(c, 0..C, a, b, write);
            }
        },
    );
}

/// The columns `cols` of `c = at · b (+ c)`, with `at` the transpose of [`at_b`]'s `a` (`c`
/// holds those columns only), in the calling thread's vector instructions.
#[inline(always)]
pub(crate) fn at_b_columns<T: Real, const R: usize, const C: usize, const K: usize>(
    c: &mut [[T; R]],
    cols: Range<usize>,
    at: &SMatrix<T, R, K>,
    b: &SMatrix<T, K, C>,
    write: Write,
) {
    blocked_product::<T, R, K>(c, cols, &at.data.0, Plain(&b.data.0), write);
}

/// The columns `cols` of [`at_b`] for a weight too large to transpose on the stack: one dot
/// product per element, summed in the same order (`0 + a[0, i] b[0, j] + …`).
#[inline(always)]
pub(crate) fn at_b_by_dots<T: Real, const R: usize, const C: usize, const K: usize>(
    c: &mut [[T; R]],
    cols: Range<usize>,
    a: &SMatrix<T, K, R>,
    b: &SMatrix<T, K, C>,
    write: Write,
) {
    for (column, bj) in c.iter_mut().zip(&b.data.0[cols]) {
        for (cij, ai) in column.iter_mut().zip(&a.data.0) {
            let dot = ai.iter().zip(bj).fold(T::zero(), |s, (a, b)| *a * *b + s);
            *cij = match write {
                Write::Over => dot,
                Write::Add => *cij + dot,
            };
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
        |c, a| add_row_sums_here(c, a),
    );
}

/// [`add_row_sums`] in the calling thread's vector instructions.
#[inline(always)]
pub(crate) fn add_row_sums_here<T: Real, const R: usize, const C: usize>(
    c: &mut [T],
    a: &SMatrix<T, R, C>,
) {
    let Some(c) = c.first_chunk_mut::<R>() else {
        unreachable!("the caller checked the length")
    };
    for column in &a.data.0 {
        for (c, v) in c.iter_mut().zip(column) {
            *c += *v;
        }
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use alloc::boxed::Box;

    /// Irregular values of order one.
    fn matrix<const R: usize, const C: usize>(seed: f64) -> SMatrix<f64, R, C> {
        SMatrix::from_fn(|r, c| ((r * C + c) as f64 * 0.618_034 + seed).sin())
    }

    /// The documented order: `0 + Σ_k` in order, then added to `c`.
    fn reference_a_bt<const R: usize, const C: usize, const K: usize>(
        c: &SMatrix<f64, R, C>,
        a: &SMatrix<f64, R, K>,
        b: &SMatrix<f64, C, K>,
    ) -> SMatrix<f64, R, C> {
        SMatrix::from_fn(|i, j| c[(i, j)] + (0..K).fold(0.0, |s, k| a[(i, k)] * b[(j, k)] + s))
    }

    fn reference_at_b<const R: usize, const C: usize, const K: usize>(
        a: &SMatrix<f64, K, R>,
        b: &SMatrix<f64, K, C>,
    ) -> SMatrix<f64, R, C> {
        SMatrix::from_fn(|i, j| (0..K).fold(0.0, |s, k| a[(k, i)] * b[(k, j)] + s))
    }

    /// Every level gives the documented sums, bit for bit, for shapes that exercise each block
    /// form: short and tall outputs (tall ones with a last quarter block that overlaps), column
    /// counts that leave a remainder, and the transposed product of `add_a_bt`.
    fn check_shapes<const R: usize, const C: usize, const K: usize>() {
        let a = matrix::<R, K>(0.3);
        let b = matrix::<C, K>(1.1);
        let c0 = matrix::<R, C>(2.7);
        let at = matrix::<K, R>(0.9);
        let bk = matrix::<K, C>(1.9);
        for level in crate::simd::Level::ALL {
            crate::simd::set_cap(Some(level));
            let mut c = c0;
            add_a_bt(c.as_mut_slice(), &a, &b);
            assert_eq!(
                c,
                reference_a_bt(&c0, &a, &b),
                "add_a_bt {R}x{C}x{K} {level:?}"
            );
            let mut d = c0;
            at_b(d.as_mut_slice(), &at, &bk, Write::Over);
            let expected = reference_at_b(&at, &bk);
            assert_eq!(d, expected, "at_b {R}x{C}x{K} {level:?}");
            at_b(d.as_mut_slice(), &at, &bk, Write::Add);
            assert_eq!(d, expected + expected, "at_b add {R}x{C}x{K} {level:?}");
        }
        crate::simd::set_cap(None);
    }

    #[test]
    fn products_sum_in_the_documented_order_at_every_level() {
        check_shapes::<1, 1, 1>();
        check_shapes::<2, 20, 7>();
        check_shapes::<20, 100, 13>();
        check_shapes::<20, 20, 9>();
        check_shapes::<7, 3, 5>();
        check_shapes::<37, 11, 6>();
        check_shapes::<100, 9, 4>();
        check_shapes::<130, 5, 3>();
        check_shapes::<5, 0, 3>();
        check_shapes::<0, 4, 3>();
        check_shapes::<4, 4, 0>();
    }

    #[test]
    fn small_products_match_nalgebra() {
        let a = SMatrix::<f64, 2, 3>::new(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
        let b = SMatrix::<f64, 4, 3>::from_fn(|i, j| (i + 2 * j) as f64 - 1.0);
        let mut c = SMatrix::<f64, 2, 4>::repeat(1.0);
        add_a_bt(c.as_mut_slice(), &a, &b);
        assert_eq!(c, SMatrix::<f64, 2, 4>::repeat(1.0) + a * b.transpose());
        let mut d = SMatrix::<f64, 3, 4>::repeat(1.0);
        at_b(
            d.as_mut_slice(),
            &a,
            &SMatrix::<f64, 2, 4>::repeat(0.5),
            Write::Add,
        );
        let expected =
            SMatrix::<f64, 3, 4>::repeat(1.0) + a.transpose() * SMatrix::<f64, 2, 4>::repeat(0.5);
        assert_eq!(d, expected);
        let mut s = [1.0; 2];
        add_row_sums(&mut s, &a);
        assert_eq!(s, [7.0, 16.0]);
    }

    #[test]
    fn a_weight_too_large_to_transpose_takes_dot_products_in_the_same_order() {
        const K: usize = 130;
        const R: usize = 260;
        const { assert!(!at_b_transposes::<f64, R, K>()) };
        // A large stack: the matrices are built by value (an unoptimized build copies them).
        let run = || {
            let a = Box::new(matrix::<K, R>(0.2));
            let b = matrix::<K, 3>(0.4);
            let mut c = Box::new(SMatrix::<f64, R, 3>::zeros());
            at_b(c.as_mut_slice(), &a, &b, Write::Over);
            assert!(*c == reference_at_b(&a, &b));
        };
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(run)
            .expect("a test thread")
            .join()
            .expect("the products agree");
    }
}
