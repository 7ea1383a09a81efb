//! Static matrix kernels for the layers' affine maps: [`two_products_plus_bias`] computes
//! `Y = A X + C H + b` (the pre-activation of a recurrent cell, or of one of its gates) a block
//! of columns at a time, the block in vector registers (the register-blocked product of
//! `kernels/blocked.rs`, which the backward products of `train::linalg` use too), each weight
//! column loaded once per block. [`product_plus_bias_plus_product`] is the same map with the bias added
//! between the products (an LSTM gate in BrainPy's order), [`product_plus_bias`] the map
//! without `C H` (a dense layer), and [`two_products_plus_bias_in_place`] the recurrent map
//! written over its own `H` with the activation applied to each column as it is written (a
//! recurrent cell's step). Their backward step, for training, is
//! `train::two_products_plus_bias_backward`.
//!
//! Every output element is summed in the order nalgebra's `A * X` followed by
//! `Y.gemm(1, C, H, 1)` and `+ b` sum it (`a_0 x_0`, then `+ a_k x_k` for k = 1…, then
//! `+ c_k h_k` for k = 0…, then `+ b`; the bias before the `c_k h_k` for
//! [`product_plus_bias_plus_product`]), without fused multiply-adds, so the results are the same
//! bits as that plain code, at every vector width. From [`SPLIT_FROM_PRODUCTS`] multiplications
//! on, half of the columns are computed on a second core, with the same bits.

mod blocked;

use core::ops::Range;

use nalgebra::{SMatrix, SVector};

use crate::Real;
pub use blocked::Write;
pub(crate) use blocked::{
    Bias, Coefs, Plain, Start, Term, Transposed, no_term, product_columns, product_columns_in_place,
};

/// `y = a x + c h + b`, column by column (`B` columns: one per sample); see the module docs for
/// the order of the sums.
#[inline(always)]
pub fn two_products_plus_bias<
    T: Real,
    const OUT: usize,
    const IN: usize,
    const HID: usize,
    const B: usize,
>(
    a: &SMatrix<T, OUT, IN>,
    x: &SMatrix<T, IN, B>,
    c: &SMatrix<T, OUT, HID>,
    h: &SMatrix<T, HID, B>,
    b: &SVector<T, OUT>,
    y: &mut SMatrix<T, OUT, B>,
) {
    affine(term(a, x), term(c, h), Bias::End(&b.data.0[0]), y);
}

/// `y = (a x + b) + c h`, column by column: [`two_products_plus_bias`] with the bias added
/// before the second product (BrainPy's order for an LSTM gate).
#[inline(always)]
pub fn product_plus_bias_plus_product<
    T: Real,
    const OUT: usize,
    const IN: usize,
    const HID: usize,
    const B: usize,
>(
    a: &SMatrix<T, OUT, IN>,
    x: &SMatrix<T, IN, B>,
    b: &SVector<T, OUT>,
    c: &SMatrix<T, OUT, HID>,
    h: &SMatrix<T, HID, B>,
    y: &mut SMatrix<T, OUT, B>,
) {
    affine(term(a, x), term(c, h), Bias::Between(&b.data.0[0]), y);
}

/// `y = a x + b`, column by column: [`two_products_plus_bias`] without a second product (a
/// dense layer; the same bits as nalgebra's `a * x` and `+ b`).
#[inline(always)]
pub fn product_plus_bias<T: Real, const OUT: usize, const IN: usize, const B: usize>(
    a: &SMatrix<T, OUT, IN>,
    x: &SMatrix<T, IN, B>,
    b: &SVector<T, OUT>,
    y: &mut SMatrix<T, OUT, B>,
) {
    affine(term(a, x), no_term(), Bias::End(&b.data.0[0]), y);
}

/// The product `w u` as a sum over `w`'s columns (nalgebra's static storage is an array of
/// columns, `[[T; ROWS]; COLS]`).
#[inline(always)]
fn term<'a, T: Real, const R: usize, const K: usize, const B: usize>(
    w: &'a SMatrix<T, R, K>,
    u: &'a SMatrix<T, K, B>,
) -> Term<'a, T, R, K, Plain<'a, T, K, B>> {
    Term {
        a: &w.data.0,
        s: Plain(&u.data.0),
    }
}

/// The maps' driver: every column of `y`, half of them on a second core for a large map.
#[inline(always)]
fn affine<
    T: Real,
    const OUT: usize,
    const K1: usize,
    const K2: usize,
    const B: usize,
    S1: Coefs<T> + Sync,
    S2: Coefs<T> + Sync,
>(
    first: Term<'_, T, OUT, K1, S1>,
    second: Term<'_, T, OUT, K2, S2>,
    bias: Bias<'_, T, OUT>,
    y: &mut SMatrix<T, OUT, B>,
) {
    let (start, write) = (Start::FirstProduct, Write::Over);
    by_columns(OUT * (K1 + K2) * B, &mut y.data.0[..], |y, cols| {
        product_columns(y, cols, first, second, start, bias, write);
    });
}

/// `run(y, 0..B)` on the `B` columns of `y`, or, from [`SPLIT_FROM_PRODUCTS`] `products` on,
/// the first half here and the second on a helper thread. Each column's sums are the same
/// whatever block it falls in, so the split gives the same bits. (Each side's product enters
/// `vectorized` itself.)
#[inline(always)]
fn by_columns<T: Send, const OUT: usize>(
    products: usize,
    y: &mut [[T; OUT]],
    run: impl Fn(&mut [[T; OUT]], Range<usize>) + Sync,
) {
    let b = y.len();
    if products < SPLIT_FROM_PRODUCTS || b < 2 || !crate::parallel::available() {
        return run(y, 0..b);
    }
    let mid = b / 2;
    let (y0, y1) = y.split_at_mut(mid);
    crate::parallel::join_halves((y0, 0..mid), (y1, mid..b), |(y, cols)| run(y, cols));
}

/// `h ← then(a x + c h + b)`: a recurrent cell's new state written over its old one, column by
/// column (each column of the old state is read whole before it is written), and the
/// element-wise `then` (the activation) applied to each column while it is in the cache. The
/// same bits as [`two_products_plus_bias`] into another matrix followed by `then` over it,
/// without that matrix: no zeroing, no copy back, no second pass for the activation. Split
/// across cores as [`two_products_plus_bias`].
#[inline(always)]
pub fn two_products_plus_bias_in_place<
    T: Real,
    const OUT: usize,
    const IN: usize,
    const B: usize,
>(
    a: &SMatrix<T, OUT, IN>,
    x: &SMatrix<T, IN, B>,
    c: &SMatrix<T, OUT, OUT>,
    h: &mut SMatrix<T, OUT, B>,
    b: &SVector<T, OUT>,
    then: impl Fn(&mut [T]) + Copy + Sync,
) {
    let (first, c, b) = (term(a, x), &c.data.0, &b.data.0[0]);
    by_columns(OUT * (IN + OUT) * B, &mut h.data.0[..], |h, cols| {
        product_columns_in_place(h, cols, first, c, b, then);
    });
}

/// From this many multiplications (`OUT (IN + HID) B`) on, [`two_products_plus_bias`] computes
/// half of the columns on a second core (see [`crate::parallel`]), and so does the backward step
/// of the map: the seed's first RNN cell (20 × 120 × 128) is split, a small one stays on the
/// calling thread, where the hand-off (about 0.5 µs) would cost more than it saves.
pub const SPLIT_FROM_PRODUCTS: usize = 1 << 16;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simd::Level;

    /// `two_products_plus_bias` against nalgebra's `a * x`, `gemm` and `+ b`, bit for bit, at
    /// every level (each has its own block size, and every one sums in the same order).
    fn assert_nalgebras_bits<T, const R: usize, const K: usize, const C: usize>(
        a: &SMatrix<T, R, K>,
        x: &SMatrix<T, K, C>,
        c: &SMatrix<T, R, R>,
        h: &SMatrix<T, R, C>,
        b: &SVector<T, R>,
    ) where
        T: Real + nalgebra::RealField,
    {
        let mut expected = a * x;
        expected.gemm(T::of(1.0), c, h, T::of(1.0));
        for mut column in expected.column_iter_mut() {
            column += b;
        }
        for level in Level::ALL {
            crate::simd::set_cap(Some(level));
            let mut y = SMatrix::<T, R, C>::zeros();
            two_products_plus_bias(a, x, c, h, b, &mut y);
            let mut state = *h;
            two_products_plus_bias_in_place(a, x, c, &mut state, b, halve_negatives);
            crate::simd::set_cap(None);
            assert_eq!(
                y,
                expected,
                "{level:?}, {R} rows of {}",
                core::any::type_name::<T>()
            );
            halve_negatives(y.as_mut_slice());
            assert_eq!(state, y, "in place, {level:?}, {R} rows");
        }
    }

    /// An element-wise map after an in-place product (a leaky relu).
    fn halve_negatives<T: Real>(s: &mut [T]) {
        for v in s {
            if *v < T::zero() {
                *v *= T::of(0.5);
            }
        }
    }

    #[test]
    fn the_same_bits_as_nalgebras_products() {
        let a = SMatrix::<f64, 7, 5>::from_fn(|r, c| ((r * 5 + c) as f64 * 0.37).sin());
        let c = SMatrix::<f64, 7, 7>::from_fn(|r, c| ((r * 7 + c) as f64 * 0.91).cos());
        let b = SVector::<f64, 7>::from_fn(|r, _| r as f64 * 0.1 - 0.3);
        let x = SMatrix::<f64, 5, 8>::from_fn(|r, c| ((r + 3 * c) as f64).sqrt() - 1.5);
        let h = SMatrix::<f64, 7, 8>::from_fn(|r, c| ((r * 2 + c) as f64 * 0.13).tan());
        assert_nalgebras_bits(&a, &x, &c, &h, &b);
    }

    /// [`assert_nalgebras_bits`] on a column of `R` rows.
    fn same_bits_as_nalgebra<T: Real + nalgebra::RealField, const R: usize>() {
        let f = |i: usize| T::of(((i * 7919 % 1009) as f64 * 0.013).sin());
        let a = SMatrix::<T, R, 9>::from_fn(|r, c| f(r * 9 + c));
        let c = SMatrix::<T, R, R>::from_fn(|r, c| f(500 + r * R + c));
        let b = SVector::<T, R>::from_fn(|r, _| f(900 + r));
        let x = SMatrix::<T, 9, 5>::from_fn(|r, c| f(300 + r * 5 + c));
        let h = SMatrix::<T, R, 5>::from_fn(|r, c| f(700 + r * 5 + c));
        assert_nalgebras_bits(&a, &x, &c, &h, &b);
    }

    #[test]
    fn columns_of_one_vector_and_of_overlapping_vectors_give_nalgebras_bits() {
        // One vector of the whole column (rows a multiple of four but not of eight, up to 44),
        // whole vectors of eight, an overlapping last vector, blocks of three vectors.
        same_bits_as_nalgebra::<f64, 12>();
        same_bits_as_nalgebra::<f32, 12>();
        same_bits_as_nalgebra::<f32, 20>();
        same_bits_as_nalgebra::<f64, 20>();
        same_bits_as_nalgebra::<f64, 44>();
        same_bits_as_nalgebra::<f32, 44>();
        same_bits_as_nalgebra::<f32, 48>();
        same_bits_as_nalgebra::<f64, 21>();
        same_bits_as_nalgebra::<f32, 50>();
        same_bits_as_nalgebra::<f64, 52>();
    }

    #[test]
    fn the_bias_between_or_alone_gives_the_bits_of_nalgebras_order() {
        let a = SMatrix::<f64, 6, 5>::from_fn(|r, c| ((r * 5 + c) as f64 * 0.41).sin());
        let c = SMatrix::<f64, 6, 6>::from_fn(|r, c| ((r * 6 + c) as f64 * 0.77).cos());
        let b = SVector::<f64, 6>::from_fn(|r, _| r as f64 * 0.3 - 0.7);
        let x = SMatrix::<f64, 5, 7>::from_fn(|r, c| ((r + 2 * c) as f64).sqrt() - 1.2);
        let h = SMatrix::<f64, 6, 7>::from_fn(|r, c| ((r * 3 + c) as f64 * 0.19).tan());
        let mut plain = a * x;
        for mut column in plain.column_iter_mut() {
            column += &b;
        }
        let mut between = plain;
        between.gemm(1.0, &c, &h, 1.0);
        for level in Level::ALL {
            crate::simd::set_cap(Some(level));
            let (mut y, mut z) = (SMatrix::<f64, 6, 7>::zeros(), SMatrix::<f64, 6, 7>::zeros());
            product_plus_bias_plus_product(&a, &x, &b, &c, &h, &mut y);
            product_plus_bias(&a, &x, &b, &mut z);
            crate::simd::set_cap(None);
            assert_eq!(y, between, "{level:?}");
            assert_eq!(z, plain, "{level:?}");
        }
    }

    #[test]
    #[cfg(feature = "std")]
    fn a_product_split_across_two_cores_sums_in_the_documented_order() {
        // The seed's first RNN cell at batch 61 (an odd count of columns): 146 400 products.
        const OUT: usize = 20;
        const IN: usize = 100;
        const B: usize = 61;
        const { assert!(OUT * (IN + OUT) * B >= SPLIT_FROM_PRODUCTS) };
        let a = SMatrix::<f64, OUT, IN>::from_fn(|r, c| ((r * IN + c) as f64 * 0.37).sin());
        let c = SMatrix::<f64, OUT, OUT>::from_fn(|r, c| ((r * OUT + c) as f64 * 0.91).cos());
        let b = SVector::<f64, OUT>::from_fn(|r, _| r as f64 * 0.1 - 0.3);
        let x = SMatrix::<f64, IN, B>::from_fn(|r, c| ((r + 3 * c) as f64).sqrt() - 1.5);
        let h = SMatrix::<f64, OUT, B>::from_fn(|r, c| ((r * 2 + c) as f64 * 0.13).sin());
        // The documented order, one element at a time.
        let expected = SMatrix::<f64, OUT, B>::from_fn(|o, n| {
            let mut sum = a[(o, 0)] * x[(0, n)];
            for k in 1..IN {
                sum += a[(o, k)] * x[(k, n)];
            }
            for k in 0..OUT {
                sum += c[(o, k)] * h[(k, n)];
            }
            sum + b[o]
        });
        let _toggling = crate::parallel::TOGGLING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for enabled in [true, false] {
            crate::parallel::set_enabled(enabled);
            let mut y = SMatrix::<f64, OUT, B>::zeros();
            two_products_plus_bias(&a, &x, &c, &h, &b, &mut y);
            let mut state = h;
            crate::parallel::split_always(|| {
                two_products_plus_bias_in_place(&a, &x, &c, &mut state, &b, |_| {});
            });
            crate::parallel::set_enabled(true);
            assert_eq!(y, expected, "helper thread enabled: {enabled}");
            assert_eq!(
                state, expected,
                "in place, helper thread enabled: {enabled}"
            );
        }
    }
}
