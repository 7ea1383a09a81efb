//! The register-blocked product under every kernel, forward and backward:
//!
//! ```text
//! c[:, j] (=|+=) [b +] Σ_{k<K1} A1[:, k] s1(k, j) [+ b] + Σ_{k<K2} A2[:, k] s2(k, j) [+ b]
//! ```
//!
//! with each `A`'s columns contiguous (`[[T; R]; K]`) and the coefficients `s(k, j)` read from a
//! matrix either way round ([`Coefs`]). A block of the output — up to six vectors of eight rows
//! by `NB` columns — stays in registers while `k` runs, so each column of `A` is loaded once per
//! block and each coefficient once per column. Every vector is whole: when eight does not divide
//! the rows, the last vector of a column ends at its last row and overlaps the one before (the
//! overlap is computed twice, by the same sums, and written twice with the same bits); a column
//! shorter than eight, or of up to six vectors' rows in a multiple of four but not of eight
//! (which would end in an overlapping vector), is one vector.
//! Columns taller than six vectors go in blocks of three. `NB` is two columns, one when two do
//! not fit the accumulators' share of the vector level's registers ([`block_columns`]), chosen
//! when the product runs; each block shape is compiled for the widest vector instructions the
//! CPU has ([`vectorized`]).
//!
//! Every element is summed in one order whatever its block, the level, or the columns a core was
//! given: the first term (`A1[r, 0] s1(0, j)`, or `0 + …` from [`Start::Zero`]), then the
//! others in `k` order, the bias where [`Bias`] puts it, without fused multiply-adds. So every
//! vector level, and any split of the columns, gives the same bits.

use core::ops::Range;

use crate::Real;
use crate::simd::{Level, level, vectorized};

/// Whether a product replaces what its output holds or adds to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    /// `c = product`.
    Over,
    /// `c = c + product`.
    Add,
}

/// How the sums start: from zero (`0 + A[r, 0] s(0, j) + …`), or from the first product
/// (`A[r, 0] s(0, j) + …`, nalgebra's order; the same but for the sign of a zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Start {
    Zero,
    FirstProduct,
}

/// Where the bias is added: nowhere, between the two sums, or at the end.
pub(crate) enum Bias<'a, T, const R: usize> {
    None,
    Between(&'a [T; R]),
    End(&'a [T; R]),
}

impl<T, const R: usize> Clone for Bias<'_, T, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, const R: usize> Copy for Bias<'_, T, R> {}

/// The coefficients `s(k, j)` of a product, handed out `NB` columns at a time.
pub(crate) trait Coefs<T>: Copy {
    /// For the columns `j .. j + NB`: `k ↦ [s(k, j), …, s(k, j + NB - 1)]`.
    fn columns<const NB: usize>(self, j: usize) -> impl Fn(usize) -> [T; NB] + Copy;
}

/// `s(k, j) = m[j, k]` for an `N × K` matrix `m` stored as its `K` columns: a row of `k`'s
/// column (the product with `mᵀ`).
#[derive(Clone, Copy)]
pub(crate) struct Transposed<'a, T, const N: usize, const K: usize>(pub &'a [[T; N]; K]);

impl<T: Real, const N: usize, const K: usize> Coefs<T> for Transposed<'_, T, N, K> {
    #[inline(always)]
    fn columns<const NB: usize>(self, j: usize) -> impl Fn(usize) -> [T; NB] + Copy {
        move |k| match self.0[k][j..].first_chunk::<NB>() {
            Some(s) => *s,
            None => unreachable!("a block's columns are within the output"),
        }
    }
}

/// `s(k, j) = m[k, j]` for a `K × N` matrix `m` stored as its `N` columns.
#[derive(Clone, Copy)]
pub(crate) struct Plain<'a, T, const K: usize, const N: usize>(pub &'a [[T; K]; N]);

impl<T: Real, const K: usize, const N: usize> Coefs<T> for Plain<'_, T, K, N> {
    #[inline(always)]
    fn columns<const NB: usize>(self, j: usize) -> impl Fn(usize) -> [T; NB] + Copy {
        let columns: [&[T; K]; NB] = core::array::from_fn(|n| &self.0[j + n]);
        move |k| core::array::from_fn(|n| columns[n][k])
    }
}

/// One sum of a product: `A`'s `K` columns of `R` rows and their coefficients.
pub(crate) struct Term<'a, T, const R: usize, const K: usize, S> {
    pub a: &'a [[T; R]; K],
    pub s: S,
}

impl<T, const R: usize, const K: usize, S: Copy> Clone for Term<'_, T, R, K, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, const R: usize, const K: usize, S: Copy> Copy for Term<'_, T, R, K, S> {}

/// The coefficients of an empty sum.
#[derive(Clone, Copy)]
pub(crate) struct NoCoefs;

impl<T: Real> Coefs<T> for NoCoefs {
    #[inline(always)]
    fn columns<const NB: usize>(self, _j: usize) -> impl Fn(usize) -> [T; NB] + Copy {
        |_| [T::zero(); NB]
    }
}

/// No second sum.
pub(crate) fn no_term<'a, T: Real, const R: usize>() -> Term<'a, T, R, 0, NoCoefs> {
    Term { a: &[], s: NoCoefs }
}

/// Everything a block reads.
struct Product<'a, T, const R: usize, const K1: usize, const K2: usize, S1, S2> {
    first: Term<'a, T, R, K1, S1>,
    second: Term<'a, T, R, K2, S2>,
    start: Start,
    bias: Bias<'a, T, R>,
    write: Write,
}

impl<T, const R: usize, const K1: usize, const K2: usize, S1: Copy, S2: Copy> Clone
    for Product<'_, T, R, K1, K2, S1, S2>
{
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, const R: usize, const K1: usize, const K2: usize, S1: Copy, S2: Copy> Copy
    for Product<'_, T, R, K1, K2, S1, S2>
{
}

/// Writes the columns `cols` of the product into `c` (which holds exactly those columns),
/// compiled for the widest vector instructions the CPU has (see the module docs).
#[allow(clippy::too_many_arguments)]
#[inline]
pub(crate) fn product_columns<
    T: Real,
    const R: usize,
    const K1: usize,
    const K2: usize,
    S1: Coefs<T>,
    S2: Coefs<T>,
>(
    c: &mut [[T; R]],
    cols: Range<usize>,
    first: Term<'_, T, R, K1, S1>,
    second: Term<'_, T, R, K2, S2>,
    start: Start,
    bias: Bias<'_, T, R>,
    write: Write,
) {
    let p = Product {
        first,
        second,
        start,
        bias,
        write,
    };
    p.columns::<false>(c, cols, |_: &mut [T]| {});
}

/// `c ← then(A1 s1 + A2 c + b)` over the columns `cols` held by `c`: the product of
/// [`product_columns`] (from its first product, the bias at the end) whose second term's
/// coefficients are `c`'s own columns before the write (a recurrent cell's state, `R × R`
/// weights), then the element-wise `then` over each column, while it is in the cache. Each
/// column is read whole before it is written, so the sums are those of [`product_columns`]
/// into another matrix, bit for bit.
#[inline]
pub(crate) fn product_columns_in_place<T: Real, const R: usize, const K1: usize, S1: Coefs<T>>(
    c: &mut [[T; R]],
    cols: Range<usize>,
    first: Term<'_, T, R, K1, S1>,
    a2: &[[T; R]; R],
    bias: &[T; R],
    then: impl Fn(&mut [T]) + Copy,
) {
    let p = Product {
        first,
        second: Term { a: a2, s: NoCoefs },
        start: Start::FirstProduct,
        bias: Bias::End(bias),
        write: Write::Over,
    };
    p.columns::<true>(c, cols, then);
}

/// Columns in a block whose column of accumulators takes `column_bytes` bytes: two, or one when
/// two columns' accumulators would not fit in three quarters of the vector registers of
/// `level` (the rest hold `A`'s column and the coefficients). Measured on the
/// seed's RNN (a training step at every level, f32 and f64): wider blocks — four columns of
/// three AVX2 vectors, eight with AVX-512 — kept accumulators on the stack inside the loop over
/// `k`, and even where they fitted, three or four columns ran no faster than two.
pub(crate) const fn block_columns(level: Level, column_bytes: usize) -> usize {
    let (registers, register_bytes) = match level {
        Level::Avx512 => (24, 64),
        Level::Avx2 => (12, 32),
        Level::Baseline => (12, 16),
    };
    if 2 * column_bytes.div_ceil(register_bytes) <= registers {
        2
    } else {
        1
    }
}

/// Rows in a vector: one AVX2 register of f32, two of f64, one AVX-512 register of f64 (half
/// of one of f32: the same vectors at every level keep the number of compiled forms small).
const LANES: usize = 8;

/// The most vectors of a block.
const MAX_VECTORS: usize = 6;

/// Vectors of `L` rows in a block: a whole column of up to six, else three.
const fn vectors_per_block(rows: usize) -> usize {
    let all = rows.div_ceil(LANES);
    if all <= MAX_VECTORS { all } else { 3 }
}

/// The first row of vector `v` of the block from row `r`: `r + v L`, or `R - L` for a last
/// vector that would pass the end.
#[inline(always)]
const fn vector_start(r: usize, v: usize, l: usize, rows: usize) -> usize {
    let start = r + v * l;
    if start + l <= rows { start } else { rows - l }
}

impl<T: Real, const R: usize, const K1: usize, const K2: usize, S1: Coefs<T>, S2: Coefs<T>>
    Product<'_, T, R, K1, K2, S1, S2>
{
    /// The columns `cols` (held by `c`) in the block shape for `R` rows and the CPU's vector
    /// level (see the module docs): [`rows`](Self::rows), or with `IN_PLACE`
    /// [`rows_in_place`](Self::rows_in_place) followed by `then`.
    #[inline(always)]
    fn columns<const IN_PLACE: bool>(
        self,
        c: &mut [[T; R]],
        cols: Range<usize>,
        then: impl Fn(&mut [T]) + Copy,
    ) {
        if R == 0 || c.is_empty() {
            return;
        }
        debug_assert_eq!(c.len(), cols.len());
        if R < LANES {
            // Too short for a vector of `LANES`: the whole column is one vector.
            return self.arm::<R, 4, IN_PLACE>(c, cols, then);
        }
        if R <= MAX_VECTORS * LANES && R.is_multiple_of(4) && !R.is_multiple_of(LANES) {
            // A short column whose rows fill vectors of four but not of eight: one vector of `R`
            // rows, with no overlapping last vector (20 rows as three vectors of eight compute 24;
            // the seed's RNN ran 0.94× the time in f64 at AVX2 as one of 20).
            return match block_columns(level(), R * size_of::<T>()) {
                0 | 1 => self.arm::<R, 1, IN_PLACE>(c, cols, then),
                _ => self.arm::<R, 2, IN_PLACE>(c, cols, then),
            };
        }
        let block_rows = vectors_per_block(R) * LANES;
        match block_columns(level(), block_rows * size_of::<T>()) {
            0 | 1 => self.arm::<LANES, 1, IN_PLACE>(c, cols, then),
            _ => self.arm::<LANES, 2, IN_PLACE>(c, cols, then),
        }
    }

    /// All columns in blocks of `L` rows by `NB` columns, compiled for the widest vector
    /// instructions the CPU has (its own function for each block shape: an unoptimized build
    /// keeps one shape's locals in a frame).
    #[inline]
    fn arm<const L: usize, const NB: usize, const IN_PLACE: bool>(
        self,
        c: &mut [[T; R]],
        cols: Range<usize>,
        then: impl Fn(&mut [T]) + Copy,
    ) {
        vectorized(
            c,
            (cols, self, then),
            #[inline(always)]
            |c, (cols, p, then)| p.by_blocks::<L, NB, IN_PLACE>(c, cols, then),
        );
    }

    /// Blocks of `NB` columns, the last columns one at a time.
    #[inline(always)]
    fn by_blocks<const L: usize, const NB: usize, const IN_PLACE: bool>(
        self,
        c: &mut [[T; R]],
        cols: Range<usize>,
        then: impl Fn(&mut [T]),
    ) {
        let (blocks, rest) = c.as_chunks_mut::<NB>();
        for (b, block) in blocks.iter_mut().enumerate() {
            self.block_columns::<L, NB, IN_PLACE>(block, cols.start + b * NB, &then);
        }
        let done = cols.start + blocks.len() * NB;
        for (j, column) in rest.iter_mut().enumerate() {
            let column = core::array::from_mut(column);
            self.block_columns::<L, 1, IN_PLACE>(column, done + j, &then);
        }
    }

    /// The `NB` columns from `j`, by [`rows`](Self::rows) or [`rows_in_place`](Self::rows_in_place).
    #[inline(always)]
    fn block_columns<const L: usize, const NB: usize, const IN_PLACE: bool>(
        self,
        c: &mut [[T; R]; NB],
        j: usize,
        then: &impl Fn(&mut [T]),
    ) {
        if IN_PLACE {
            self.rows_in_place::<L, NB>(c, j, then);
        } else {
            self.rows::<L, NB>(c, j);
        }
    }

    /// All rows of the `NB` columns from `j`: blocks of `vectors_per_block` vectors, the last
    /// block (with fewer vectors, when they do not divide the column) ending at row `R`.
    #[inline(always)]
    fn rows<const L: usize, const NB: usize>(self, c: &mut [[T; R]; NB], j: usize) {
        self.rows_with::<L, NB>(c, j, self.second.s.columns::<NB>(j));
    }

    /// [`rows`](Self::rows) with the second term's coefficients `s2`.
    #[inline(always)]
    fn rows_with<const L: usize, const NB: usize>(
        self,
        c: &mut [[T; R]; NB],
        j: usize,
        s2: impl Fn(usize) -> [T; NB] + Copy,
    ) {
        let v = if L == LANES { vectors_per_block(R) } else { 1 };
        let s1 = self.first.s.columns::<NB>(j);
        let mut r = 0;
        while r + v * L <= R {
            self.block::<L, NB>(c, r, v, s1, s2);
            r += v * L;
        }
        if r < R {
            self.block::<L, NB>(c, r, (R - r).div_ceil(L), s1, s2);
        }
    }

    /// One block: `nv` (at most `MAX_VECTORS`) vectors of `L` rows from row `r`, by `NB`
    /// columns, summed in registers and written.
    #[inline(always)]
    fn block<const L: usize, const NB: usize>(
        self,
        c: &mut [[T; R]; NB],
        r: usize,
        nv: usize,
        s1: impl Fn(usize) -> [T; NB],
        s2: impl Fn(usize) -> [T; NB],
    ) {
        let acc = self.sums::<L, NB>(r, nv, s1, s2);
        self.store::<L, NB>(c, r, nv, acc);
    }

    /// The sums of one block (see [`block`](Self::block)), in registers.
    // The accumulators are indexed by constants after unrolling, which keeps them in registers.
    #[allow(clippy::needless_range_loop)]
    #[inline(always)]
    fn sums<const L: usize, const NB: usize>(
        self,
        r: usize,
        nv: usize,
        s1: impl Fn(usize) -> [T; NB],
        s2: impl Fn(usize) -> [T; NB],
    ) -> [[[T; L]; MAX_VECTORS]; NB] {
        let (a1, a2) = (self.first.a, self.second.a);
        let mut acc = [[[T::zero(); L]; MAX_VECTORS]; NB];
        let mut k0 = 0;
        if self.start == Start::FirstProduct && K1 > 0 {
            let coefs = s1(0);
            for v in 0..MAX_VECTORS.min(nv) {
                let column = vector::<T, R, L>(&a1[0], vector_start(r, v, L, R));
                for n in 0..NB {
                    for l in 0..L {
                        acc[n][v][l] = column[l] * coefs[n];
                    }
                }
            }
            k0 = 1;
        }
        sum::<T, R, K1, L, NB>(&mut acc, r, nv, a1, s1, k0);
        if let Bias::Between(b) = self.bias {
            add_bias::<T, R, L, NB>(&mut acc, r, nv, b);
        }
        sum::<T, R, K2, L, NB>(&mut acc, r, nv, a2, s2, 0);
        if let Bias::End(b) = self.bias {
            add_bias::<T, R, L, NB>(&mut acc, r, nv, b);
        }
        acc
    }

    /// Writes one block's sums over (or, with `Add`, added to) its rows of `c`.
    #[inline(always)]
    fn store<const L: usize, const NB: usize>(
        self,
        c: &mut [[T; R]; NB],
        r: usize,
        nv: usize,
        mut acc: [[[T; L]; MAX_VECTORS]; NB],
    ) {
        for (column, acc) in c.iter_mut().zip(&mut acc) {
            // Whole vectors: an overlapping last vector computed the rows it shares with the one
            // before by the same sums, so writing them twice writes the same bits. (Writing only
            // its own rows let the compiler narrow that vector's sums to a few lanes, with
            // shuffles through the stack at every `k`.) With `Add`, every vector's old values
            // are read before any is written, and the rows a block's first vector shares with
            // the block before (already written, sum added) are kept as they are.
            if self.write == Write::Add {
                for (v, acc) in acc.iter_mut().enumerate().take(MAX_VECTORS.min(nv)) {
                    let start = vector_start(r, v, L, R);
                    let done = if v == 0 { r - start } else { 0 };
                    let old = vector::<T, R, L>(column, start);
                    for (l, (a, c)) in acc.iter_mut().zip(old).enumerate() {
                        *a = if l < done { *c } else { *c + *a };
                    }
                }
            }
            for (v, acc) in acc.iter().enumerate().take(MAX_VECTORS.min(nv)) {
                let start = vector_start(r, v, L, R);
                column[start..start + L].copy_from_slice(acc);
            }
        }
    }

    /// [`rows`](Self::rows) of a product whose second term's coefficients are the block's own
    /// columns as they were (`c ← A1 s1 + A2 c + b`), then `then` over each column written.
    /// A column of one block is read whole before it is written; a taller one is copied first.
    #[inline(always)]
    fn rows_in_place<const L: usize, const NB: usize>(
        self,
        c: &mut [[T; R]; NB],
        j: usize,
        then: &impl Fn(&mut [T]),
    ) {
        let v = if L == LANES { vectors_per_block(R) } else { 1 };
        if R <= v * L {
            let (nv, s1, own) = (R.div_ceil(L), self.first.s.columns::<NB>(j), &*c);
            let acc = self.sums::<L, NB>(0, nv, s1, |k| core::array::from_fn(|n| own[n][k]));
            self.store::<L, NB>(c, 0, nv, acc);
        } else {
            let own = *c;
            self.rows_with::<L, NB>(c, j, move |k| core::array::from_fn(|n| own[n][k]));
        }
        for column in c.iter_mut() {
            then(column);
        }
    }
}

/// `L` rows of a column from `start`.
#[inline(always)]
fn vector<T, const R: usize, const L: usize>(column: &[T; R], start: usize) -> &[T; L] {
    match column[start..].first_chunk::<L>() {
        Some(v) => v,
        None => unreachable!("a vector's rows are within the column"),
    }
}

/// Adds `Σ_{k ≥ k0} A[:, k] s(k, ·)` to a block's accumulators, in `k` order.
#[allow(clippy::needless_range_loop)]
#[inline(always)]
fn sum<T: Real, const R: usize, const K: usize, const L: usize, const NB: usize>(
    acc: &mut [[[T; L]; MAX_VECTORS]; NB],
    r: usize,
    nv: usize,
    a: &[[T; R]; K],
    s: impl Fn(usize) -> [T; NB],
    k0: usize,
) {
    // Two `k` per iteration, in order: the loop's own instructions (a count, a compare, a
    // jump) once per two, where a block of twenty multiplications and additions per `k` is
    // bound by how many instructions the processor takes in per cycle.
    let mut k = k0;
    while k + 1 < K {
        add_term::<T, R, L, NB>(acc, r, nv, &a[k], s(k));
        add_term::<T, R, L, NB>(acc, r, nv, &a[k + 1], s(k + 1));
        k += 2;
    }
    if k < K {
        add_term::<T, R, L, NB>(acc, r, nv, &a[k], s(k));
    }
}

/// Adds `column s` to a block's accumulators (one `k` of [`sum`]).
#[allow(clippy::needless_range_loop)]
#[inline(always)]
fn add_term<T: Real, const R: usize, const L: usize, const NB: usize>(
    acc: &mut [[[T; L]; MAX_VECTORS]; NB],
    r: usize,
    nv: usize,
    column: &[T; R],
    coefs: [T; NB],
) {
    for v in 0..MAX_VECTORS.min(nv) {
        let column = vector::<T, R, L>(column, vector_start(r, v, L, R));
        for n in 0..NB {
            for l in 0..L {
                acc[n][v][l] = column[l] * coefs[n] + acc[n][v][l];
            }
        }
    }
}

/// Adds the bias to a block's accumulators.
#[allow(clippy::needless_range_loop)]
#[inline(always)]
fn add_bias<T: Real, const R: usize, const L: usize, const NB: usize>(
    acc: &mut [[[T; L]; MAX_VECTORS]; NB],
    r: usize,
    nv: usize,
    b: &[T; R],
) {
    for v in 0..MAX_VECTORS.min(nv) {
        let b = vector::<T, R, L>(b, vector_start(r, v, L, R));
        for acc in acc.iter_mut() {
            for (acc, b) in acc[v].iter_mut().zip(b) {
                *acc += *b;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_two_columns_unless_their_accumulators_overflow_the_registers() {
        // The seed's RNN: a column of 20 rows (five AVX2 registers of f64, three of f32).
        assert_eq!(block_columns(Level::Avx2, 20 * 4), 2);
        assert_eq!(block_columns(Level::Avx2, 20 * 8), 2);
        assert_eq!(block_columns(Level::Avx512, 48 * 4), 2);
        // Six vectors of eight f64 take twelve AVX2 registers a column; three, twelve of SSE2.
        assert_eq!(block_columns(Level::Avx2, 48 * 8), 1);
        assert_eq!(block_columns(Level::Baseline, 24 * 8), 1);
        assert_eq!(block_columns(Level::Baseline, 24 * 4), 2);
    }
}
