//! [`two_products_plus_bias_backward`]: the backward step of the affine map
//! `y = a x + c h + b` that the forward's [`two_products_plus_bias`] computes (the
//! pre-activation of a recurrent cell or of one of its gates; a dense layer is the case without
//! `c h`). Given `dy`, it adds `dy xᵀ`, `dy hᵀ` and the row sums of `dy` to the gradients of
//! `a`, `c` and `b`, and writes (or adds) `aᵀ dy` and `cᵀ dy`, the gradients of `x` and `h`.
//!
//! The products are [`linalg`](super::linalg)'s blocked kernels. From
//! [`SPLIT_FROM_PRODUCTS`] multiplications on, each product's columns are split in two and one
//! half of every product is computed on a second core ([`crate::parallel::join_halves`]);
//! each output element is summed in the same order either way, so the split gives the same bits.
//!
//! [`two_products_plus_bias`]: crate::kernels::two_products_plus_bias

use core::ops::Range;

use nalgebra::SMatrix;

use super::linalg::{
    Write, add_a_bt_columns, add_a_bt_here, add_a_bt_transposes, add_row_sums_here, at_b_by_dots,
    at_b_columns, at_b_transposes,
};
use crate::Real;
use crate::kernels::SPLIT_FROM_PRODUCTS;
use crate::simd::vectorized;

/// Where the parameter gradients of `y = a x + c h + b` go: slices of the flat gradient, each
/// column-major (`a`: `OUT × IN`, `c`: `OUT × HID`, `b`: `OUT`).
#[derive(Debug)]
pub struct AffineGrads<'a, T> {
    /// `∂L/∂a`, added to.
    pub a: &'a mut [T],
    /// `∂L/∂c`, added to.
    pub c: &'a mut [T],
    /// `∂L/∂b`, added to.
    pub b: &'a mut [T],
}

/// The backward step of `y = a x + c h + b` (see the module docs): with `dy = ∂L/∂y`, adds to
/// `grads` and writes or adds (each [`Write`]) `∂L/∂x = aᵀ dy` into `dx` and `∂L/∂h = cᵀ dy`
/// into `dh` when given.
///
/// # Panics
/// When a gradient slice does not have its matrix's size.
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn two_products_plus_bias_backward<
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
    dy: &SMatrix<T, OUT, B>,
    grads: AffineGrads<'_, T>,
    dx: Option<(&mut SMatrix<T, IN, B>, Write)>,
    dh: Option<(&mut SMatrix<T, HID, B>, Write)>,
) {
    assert_eq!(
        grads.a.len(),
        OUT * IN,
        "the gradient of a must hold OUT·IN scalars"
    );
    assert_eq!(
        grads.c.len(),
        OUT * HID,
        "the gradient of c must hold OUT·HID scalars"
    );
    assert_eq!(
        grads.b.len(),
        OUT,
        "the gradient of b must hold OUT scalars"
    );
    let ga = columns::<T, OUT>(grads.a);
    let gc = columns::<T, OUT>(grads.c);
    let (dx, x_write) = match dx {
        Some((dx, write)) => (&mut dx.data.0[..], write),
        None => (&mut [][..], Write::Over),
    };
    let (dh, h_write) = match dh {
        Some((dh, write)) => (&mut dh.data.0[..], write),
        None => (&mut [][..], Write::Over),
    };
    let sent_back = usize::from(!dx.is_empty()) * IN + usize::from(!dh.is_empty()) * HID;
    let products = OUT * B * (IN + HID + sent_back);
    let inputs = Inputs {
        a,
        x,
        c,
        h,
        dy,
        x_write,
        h_write,
    };
    let whole = Part {
        ga,
        ga_cols: 0..IN,
        gc,
        gc_cols: 0..HID,
        gb: Some(grads.b),
        dx,
        dx_cols: 0..B,
        dh,
        dh_cols: 0..B,
    };
    if products < SPLIT_FROM_PRODUCTS || B < 2 || !crate::parallel::available() {
        return vectorized(
            &mut (),
            (inputs, whole),
            #[inline(always)]
            |(), (inputs, part)| inputs.run(part),
        );
    }
    let (first, second) = whole.halves(
        !add_a_bt_transposes::<T, OUT, IN>(),
        !add_a_bt_transposes::<T, OUT, HID>(),
    );
    // Each side enters `vectorized` itself: the helper's side is called through a function
    // pointer, outside the caller's vector instructions.
    crate::parallel::join_halves(first, second, |part| {
        vectorized(
            &mut (),
            (inputs, part),
            #[inline(always)]
            |(), (inputs, part)| inputs.run(part),
        )
    });
}

/// The backward step of `y = a x + b` ([`product_plus_bias`](crate::kernels::product_plus_bias),
/// a dense layer): [`two_products_plus_bias_backward`] without the second product. Adds to the
/// gradients `ga` of `a` and `gb` of `b`, and writes or adds `aᵀ dy` into `dx` when given.
///
/// # Panics
/// When a gradient slice does not have its matrix's size.
#[inline]
pub fn product_plus_bias_backward<T: Real, const OUT: usize, const IN: usize, const B: usize>(
    a: &SMatrix<T, OUT, IN>,
    x: &SMatrix<T, IN, B>,
    dy: &SMatrix<T, OUT, B>,
    ga: &mut [T],
    gb: &mut [T],
    dx: Option<(&mut SMatrix<T, IN, B>, Write)>,
) {
    let (c, h) = (SMatrix::<T, OUT, 0>::zeros(), SMatrix::<T, 0, B>::zeros());
    let grads = AffineGrads {
        a: ga,
        c: &mut [],
        b: gb,
    };
    two_products_plus_bias_backward(a, x, &c, &h, dy, grads, dx, None);
}

/// `g` (a slice of `R · n` scalars, column-major) as its columns.
fn columns<T, const R: usize>(g: &mut [T]) -> &mut [[T; R]] {
    if R == 0 {
        return &mut [];
    }
    g.as_chunks_mut::<R>().0
}

/// What every part of the backward step reads.
struct Inputs<'a, T, const OUT: usize, const IN: usize, const HID: usize, const B: usize> {
    a: &'a SMatrix<T, OUT, IN>,
    x: &'a SMatrix<T, IN, B>,
    c: &'a SMatrix<T, OUT, HID>,
    h: &'a SMatrix<T, HID, B>,
    dy: &'a SMatrix<T, OUT, B>,
    x_write: Write,
    h_write: Write,
}

impl<T, const OUT: usize, const IN: usize, const HID: usize, const B: usize> Clone
    for Inputs<'_, T, OUT, IN, HID, B>
{
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, const OUT: usize, const IN: usize, const HID: usize, const B: usize> Copy
    for Inputs<'_, T, OUT, IN, HID, B>
{
}

/// The outputs one core computes: some columns of each product (each slice holding exactly the
/// columns of its range; `dx` and `dh` empty when not asked for), and the bias gradient on one
/// side only.
struct Part<'a, T, const OUT: usize, const IN: usize, const HID: usize> {
    ga: &'a mut [[T; OUT]],
    ga_cols: Range<usize>,
    gc: &'a mut [[T; OUT]],
    gc_cols: Range<usize>,
    gb: Option<&'a mut [T]>,
    dx: &'a mut [[T; IN]],
    dx_cols: Range<usize>,
    dh: &'a mut [[T; HID]],
    dh_cols: Range<usize>,
}

impl<'a, T, const OUT: usize, const IN: usize, const HID: usize> Part<'a, T, OUT, IN, HID> {
    /// Two parts with half of each product's columns: the weight gradients split by their
    /// columns, `dx` and `dh` by samples. A product that is not split (a weight gradient
    /// computed transposed) stays whole in the first.
    fn halves(self, split_ga: bool, split_gc: bool) -> (Self, Self) {
        /// Some columns of an output and their range.
        type Columns<'s, X> = (&'s mut [X], Range<usize>);
        fn cut<X>(
            v: &mut [X],
            range: Range<usize>,
            split: bool,
        ) -> (Columns<'_, X>, Columns<'_, X>) {
            let mid = if split { range.len() / 2 } else { range.len() };
            let (first, second) = v.split_at_mut(mid.min(v.len()));
            let at = range.start + mid;
            ((first, range.start..at), (second, at..range.end))
        }
        let ((ga0, ga_cols0), (ga1, ga_cols1)) = cut(self.ga, self.ga_cols, split_ga);
        let ((gc0, gc_cols0), (gc1, gc_cols1)) = cut(self.gc, self.gc_cols, split_gc);
        let ((dx0, dx_cols0), (dx1, dx_cols1)) = cut(self.dx, self.dx_cols, true);
        let ((dh0, dh_cols0), (dh1, dh_cols1)) = cut(self.dh, self.dh_cols, true);
        (
            Part {
                ga: ga0,
                ga_cols: ga_cols0,
                gc: gc0,
                gc_cols: gc_cols0,
                gb: self.gb,
                dx: dx0,
                dx_cols: dx_cols0,
                dh: dh0,
                dh_cols: dh_cols0,
            },
            Part {
                ga: ga1,
                ga_cols: ga_cols1,
                gc: gc1,
                gc_cols: gc_cols1,
                gb: None,
                dx: dx1,
                dx_cols: dx_cols1,
                dh: dh1,
                dh_cols: dh_cols1,
            },
        )
    }
}

impl<T: Real, const OUT: usize, const IN: usize, const HID: usize, const B: usize>
    Inputs<'_, T, OUT, IN, HID, B>
{
    /// Computes one part's outputs, in the calling thread's vector instructions.
    #[inline(always)]
    fn run(self, part: Part<'_, T, OUT, IN, HID>) {
        let Inputs {
            a,
            x,
            c,
            h,
            dy,
            x_write,
            h_write,
        } = self;
        weight_grad::<T, OUT, IN, B>(part.ga, part.ga_cols, dy, x);
        weight_grad::<T, OUT, HID, B>(part.gc, part.gc_cols, dy, h);
        if let Some(gb) = part.gb {
            add_row_sums_here(gb, dy);
        }
        sent_back::<T, OUT, IN, B>(part.dx, part.dx_cols, a, dy, x_write);
        sent_back::<T, OUT, HID, B>(part.dh, part.dh_cols, c, dy, h_write);
    }
}

/// Columns `cols` of `g += dy uᵀ` (all of them when the product is transposed).
#[inline(always)]
fn weight_grad<T: Real, const OUT: usize, const N: usize, const B: usize>(
    g: &mut [[T; OUT]],
    cols: Range<usize>,
    dy: &SMatrix<T, OUT, B>,
    u: &SMatrix<T, N, B>,
) {
    if g.is_empty() {
        return;
    }
    if add_a_bt_transposes::<T, OUT, N>() {
        add_a_bt_here(g, dy, u);
    } else {
        add_a_bt_columns(g, cols, dy, u);
    }
}

/// Columns `cols` of `d (+)= wᵀ dy`.
#[inline(always)]
fn sent_back<T: Real, const OUT: usize, const N: usize, const B: usize>(
    d: &mut [[T; N]],
    cols: Range<usize>,
    w: &SMatrix<T, OUT, N>,
    dy: &SMatrix<T, OUT, B>,
    write: Write,
) {
    if d.is_empty() {
        return;
    }
    if at_b_transposes::<T, N, OUT>() {
        let wt = w.transpose();
        at_b_columns(d, cols, &wt, dy, write);
    } else {
        at_b_by_dots(d, cols, w, dy, write);
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use crate::simd::Level;
    use alloc::boxed::Box;

    fn matrix<const R: usize, const C: usize>(seed: f64) -> SMatrix<f64, R, C> {
        SMatrix::from_fn(|r, c| ((r * C + c) as f64 * 0.618_034 + seed).sin())
    }

    /// `0 + Σ_k u[k] v[k]` in order: the sum every product documents.
    fn dot(u: impl Iterator<Item = f64>, v: impl Iterator<Item = f64>) -> f64 {
        u.zip(v).fold(0.0, |s, (u, v)| u * v + s)
    }

    /// Runs the backward step (dx and dh added to `dx0`, `dh0`) and checks every output against
    /// the documented sums, bit for bit, at every level and with the helper thread on and off.
    fn check<const OUT: usize, const IN: usize, const HID: usize, const B: usize>() {
        // A large stack: the matrices are built by value (an unoptimized build copies them).
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(check_here::<OUT, IN, HID, B>)
            .expect("a test thread")
            .join()
            .expect("the gradients agree");
    }

    fn check_here<const OUT: usize, const IN: usize, const HID: usize, const B: usize>() {
        let (a, x) = (matrix::<OUT, IN>(0.1), matrix::<IN, B>(0.7));
        let (c, h) = (matrix::<OUT, HID>(1.3), matrix::<HID, B>(2.1));
        let dy = matrix::<OUT, B>(2.9);
        let (dx0, dh0) = (matrix::<IN, B>(3.7), matrix::<HID, B>(4.3));
        let g0: Vec<f64> = (0..OUT * (IN + HID + 1)).map(|k| k as f64 * 0.01).collect();
        let mut expected = g0.clone();
        for i in 0..OUT {
            for j in 0..IN {
                expected[i + j * OUT] += dot(dy.row(i).iter().copied(), x.row(j).iter().copied());
            }
            for j in 0..HID {
                expected[OUT * IN + i + j * OUT] +=
                    dot(dy.row(i).iter().copied(), h.row(j).iter().copied());
            }
            // The bias: each sample added in turn.
            let gb = &mut expected[OUT * (IN + HID) + i];
            *gb = dy.row(i).iter().fold(*gb, |s, v| s + v);
        }
        let dx_expected = SMatrix::<f64, IN, B>::from_fn(|r, s| {
            dx0[(r, s)] + dot(a.column(r).iter().copied(), dy.column(s).iter().copied())
        });
        let dh_expected = SMatrix::<f64, HID, B>::from_fn(|r, s| {
            dot(c.column(r).iter().copied(), dy.column(s).iter().copied())
        });
        let _toggling = crate::parallel::TOGGLING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for level in Level::ALL {
            for threads in [true, false] {
                crate::simd::set_cap(Some(level));
                crate::parallel::set_enabled(threads);
                let mut g = g0.clone();
                let (mut dx, mut dh) = (Box::new(dx0), Box::new(dh0));
                let (ga, rest) = g.split_at_mut(OUT * IN);
                let (gc, gb) = rest.split_at_mut(OUT * HID);
                two_products_plus_bias_backward(
                    &a,
                    &x,
                    &c,
                    &h,
                    &dy,
                    AffineGrads {
                        a: ga,
                        c: gc,
                        b: gb,
                    },
                    Some((&mut dx, Write::Add)),
                    Some((&mut dh, Write::Over)),
                );
                crate::simd::set_cap(None);
                crate::parallel::set_enabled(true);
                let what = format!("{OUT}x{IN}+{HID} at {B}, {level:?}, helper {threads}");
                assert!(g == expected, "weight gradients, {what}");
                assert!(*dx == dx_expected, "dx, {what}");
                assert!(*dh == dh_expected, "dh, {what}");
            }
        }
    }

    #[test]
    fn small_maps_give_the_documented_sums() {
        check::<2, 20, 2, 5>();
        check::<4, 3, 4, 1>();
        check::<7, 5, 0, 3>();
    }

    #[test]
    fn a_map_split_across_cores_gives_the_same_bits() {
        // The seed's first RNN cell at batch 61 (odd), and its read-out layer at 128.
        check::<20, 100, 20, 61>();
        check::<2, 20, 2, 128>();
        check::<37, 30, 37, 64>();
    }
}
