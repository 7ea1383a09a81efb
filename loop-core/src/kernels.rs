//! Static matrix kernels for the layers' affine maps, written so that the compiler keeps a block
//! of output columns in vector registers: [`two_products_plus_bias`] computes
//! `Y = A X + C H + b` (the pre-activation of a recurrent cell, or of one of its gates) one block
//! of columns at a time (three with AVX-512, two with AVX2, one otherwise: as many as the
//! registers hold; four turn into gathers), each weight column loaded once per block and reused
//! for all of them. [`product_plus_bias_plus_product`] is the same map with the bias added
//! between the products (an LSTM gate in BrainPy's order), [`product_plus_bias`] the map
//! without `C H` (a dense layer). Their backward step, for training, is
//! `train::two_products_plus_bias_backward`.
//!
//! Every output element is summed in the order nalgebra's `A * X` followed by
//! `Y.gemm(1, C, H, 1)` and `+ b` sum it (`a_0 x_0`, then `+ a_k x_k` for k = 1…, then
//! `+ c_k h_k` for k = 0…, then `+ b`; the bias before the `c_k h_k` for
//! [`product_plus_bias_plus_product`]), without fused multiply-adds, so the results are the same
//! bits as that plain code, at every vector width. From [`SPLIT_FROM_PRODUCTS`] multiplications
//! on, half of the columns are computed on a second core, with the same bits.

use nalgebra::{SMatrix, SVector};

use crate::Real;
use crate::simd::Level;

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
    affine::<T, OUT, IN, HID, B, false>(a, x, c, h, b, y);
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
    affine::<T, OUT, IN, HID, B, true>(a, x, c, h, b, y);
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
    let (c, h) = (SMatrix::<T, OUT, 0>::zeros(), SMatrix::<T, 0, B>::zeros());
    affine::<T, OUT, IN, 0, B, false>(a, x, &c, &h, b, y);
}

/// The three maps: `y = a x + c h + b`, with the bias after `a x` when `BIAS_BETWEEN`.
#[inline(always)]
fn affine<
    T: Real,
    const OUT: usize,
    const IN: usize,
    const HID: usize,
    const B: usize,
    const BIAS_BETWEEN: bool,
>(
    a: &SMatrix<T, OUT, IN>,
    x: &SMatrix<T, IN, B>,
    c: &SMatrix<T, OUT, HID>,
    h: &SMatrix<T, HID, B>,
    b: &SVector<T, OUT>,
    y: &mut SMatrix<T, OUT, B>,
) {
    // nalgebra's static storage is an array of columns: `[[T; ROWS]; COLS]`.
    let (a, c, b) = (&a.data.0, &c.data.0, &b.data.0[0]);
    let (x, h, y) = (&x.data.0, &h.data.0, &mut y.data.0);
    if OUT * (IN + HID) * B < SPLIT_FROM_PRODUCTS || B < 2 || !crate::parallel::available() {
        return all_columns::<T, OUT, IN, HID, BIAS_BETWEEN>(a, c, b, x, h, y);
    }
    // Half of the columns on the helper thread. Each column's sums are the same whatever block
    // it falls in, so the split gives the same bits. Each side enters `vectorized` itself: the
    // helper's side is called through a function pointer, outside the caller's vector
    // instructions.
    let mid = B / 2;
    let ((x0, x1), (h0, h1)) = (x.split_at(mid), h.split_at(mid));
    let (y0, y1) = y.split_at_mut(mid);
    crate::parallel::join_halves((y0, x0, h0), (y1, x1, h1), |(y, x, h)| {
        crate::simd::vectorized(
            y,
            (x, h),
            #[inline(always)]
            |y, (x, h)| all_columns::<T, OUT, IN, HID, BIAS_BETWEEN>(a, c, b, x, h, y),
        )
    });
}

/// From this many multiplications (`OUT (IN + HID) B`) on, [`two_products_plus_bias`] computes
/// half of the columns on a second core (see [`crate::parallel`]): the seed's first RNN cell
/// (20 × 120 × 128) is split, a small one stays on the calling thread, where the hand-off
/// (about 0.5 µs) would cost more than it saves.
pub const SPLIT_FROM_PRODUCTS: usize = 1 << 16;

/// Every column of `y`, in the widest blocks whose accumulators fit the vector registers of the
/// level in use (32 with AVX-512, 16 with AVX2 or SSE2). Every block size sums in the same
/// order: the same bits.
#[inline(always)]
fn all_columns<
    T: Real,
    const OUT: usize,
    const IN: usize,
    const HID: usize,
    const BIAS_BETWEEN: bool,
>(
    a: &[[T; OUT]; IN],
    c: &[[T; OUT]; HID],
    b: &[T; OUT],
    x: &[[T; IN]],
    h: &[[T; HID]],
    y: &mut [[T; OUT]],
) {
    match crate::simd::level() {
        Level::Avx512 => columns::<T, OUT, IN, HID, 3, BIAS_BETWEEN>(a, c, b, x, h, y),
        Level::Avx2 => columns::<T, OUT, IN, HID, 2, BIAS_BETWEEN>(a, c, b, x, h, y),
        Level::Baseline => columns::<T, OUT, IN, HID, 1, BIAS_BETWEEN>(a, c, b, x, h, y),
    }
}

/// All columns, `NB` at a time (the last ones one by one).
#[inline(always)]
fn columns<
    T: Real,
    const OUT: usize,
    const IN: usize,
    const HID: usize,
    const NB: usize,
    const BIAS_BETWEEN: bool,
>(
    a: &[[T; OUT]; IN],
    c: &[[T; OUT]; HID],
    b: &[T; OUT],
    x: &[[T; IN]],
    h: &[[T; HID]],
    y: &mut [[T; OUT]],
) {
    let n = y.len();
    let mut j = 0;
    while j + NB <= n {
        let (xs, hs) = (&x[j..j + NB], &h[j..j + NB]);
        block::<T, OUT, IN, HID, NB, BIAS_BETWEEN>(a, c, b, xs, hs, &mut y[j..j + NB]);
        j += NB;
    }
    while j < n {
        block::<T, OUT, IN, HID, 1, BIAS_BETWEEN>(a, c, b, &x[j..=j], &h[j..=j], &mut y[j..=j]);
        j += 1;
    }
}

/// `NB` consecutive columns of `y = a x + c h + b` (`x`, `h`, `y`: those columns).
#[inline(always)]
fn block<
    T: Real,
    const OUT: usize,
    const IN: usize,
    const HID: usize,
    const NB: usize,
    const BIAS_BETWEEN: bool,
>(
    a: &[[T; OUT]; IN],
    c: &[[T; OUT]; HID],
    b: &[T; OUT],
    x: &[[T; IN]],
    h: &[[T; HID]],
    y: &mut [[T; OUT]],
) {
    let (x, h): (&[[T; IN]; NB], &[[T; HID]; NB]) = match (x.try_into(), h.try_into()) {
        (Ok(x), Ok(h)) => (x, h),
        _ => unreachable!("a block has NB columns"),
    };
    // Cannot fail: `columns`, the only caller, passes slices of exactly NB columns.
    let y: &mut [[T; OUT]; NB] = y.try_into().expect("a block has NB columns");
    let zero = T::of(0.0);
    let mut acc = [[zero; OUT]; NB];
    if IN > 0 {
        for n in 0..NB {
            let x0 = x[n][0];
            for o in 0..OUT {
                acc[n][o] = a[0][o] * x0;
            }
        }
    }
    for k in 1..IN {
        for n in 0..NB {
            let xk = x[n][k];
            for o in 0..OUT {
                acc[n][o] = a[k][o] * xk + acc[n][o];
            }
        }
    }
    if BIAS_BETWEEN {
        for acc in &mut acc {
            for (acc, b) in acc.iter_mut().zip(b) {
                *acc = *acc + *b;
            }
        }
    }
    for k in 0..HID {
        for n in 0..NB {
            let hk = h[n][k];
            for o in 0..OUT {
                acc[n][o] = c[k][o] * hk + acc[n][o];
            }
        }
    }
    for n in 0..NB {
        for o in 0..OUT {
            y[n][o] = if BIAS_BETWEEN {
                acc[n][o]
            } else {
                acc[n][o] + b[o]
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bits_as_nalgebras_products() {
        let a = SMatrix::<f64, 7, 5>::from_fn(|r, c| ((r * 5 + c) as f64 * 0.37).sin());
        let c = SMatrix::<f64, 7, 7>::from_fn(|r, c| ((r * 7 + c) as f64 * 0.91).cos());
        let b = SVector::<f64, 7>::from_fn(|r, _| r as f64 * 0.1 - 0.3);
        let x = SMatrix::<f64, 5, 8>::from_fn(|r, c| ((r + 3 * c) as f64).sqrt() - 1.5);
        let h = SMatrix::<f64, 7, 8>::from_fn(|r, c| ((r * 2 + c) as f64 * 0.13).tan());
        let mut expected = a * x;
        expected.gemm(1.0, &c, &h, 1.0);
        for mut column in expected.column_iter_mut() {
            column += &b;
        }
        // Every block size (one per vector level) sums in the same order.
        for level in Level::ALL {
            crate::simd::set_cap(Some(level));
            let mut y = SMatrix::<f64, 7, 8>::zeros();
            two_products_plus_bias(&a, &x, &c, &h, &b, &mut y);
            crate::simd::set_cap(None);
            assert_eq!(y, expected, "{level:?}");
        }
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
            crate::parallel::set_enabled(true);
            assert_eq!(y, expected, "helper thread enabled: {enabled}");
        }
    }
}
