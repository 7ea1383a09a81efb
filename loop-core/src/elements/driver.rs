//! [`step_elements`]: the one loop that steps every element of a population, for every model
//! `#[dynamical_system]` generates: blocks of [`LANES`] elements in structure-of-arrays form,
//! one or two passes per block, compiled for the CPU's widest vector instructions, and split
//! across two cores when the population is large enough.

use super::columns::{Columns, ColumnsMut};
use super::lane::{LANES, Lane};
use crate::{parallel, simd};

/// From this many elements on, a step is split in two halves, one per core (when
/// [`parallel::available`]); below, a hand-off would cost more than it saves.
pub const SPLIT_FROM: usize = 512;

/// Steps every element of a population: `finish(&mut state, input, linear)` gives each
/// element's new state (in place) and its output, where `linear = linearize(state, input)`.
///
/// - `states`, `inputs` and `outputs` are [`Columns`] of equal length (`inputs` and `outputs`
///   may be `()`); an element's state, input and output are tuples of their columns' values.
/// - **Two passes** when `linearize` returns a value (exponential Euler's derivatives and linear
///   parts): for each block of [`LANES`] elements, first every element's `linearize`, then every
///   element's `finish`. Each pass is a short chain of dependent operations, which the processor
///   overlaps better than one long chain. When it returns `()` (a zero-sized `L`), one pass:
///   `finish` alone.
/// - Each block is copied into local arrays, stepped there and copied back, so the compiler
///   vectorizes the step across the block without alias checks; a partial last block is padded
///   with copies of its first element (whose results are dropped).
/// - The blocks run inside [`simd::vectorized`] (mark the closures `#[inline(always)]`), and from
///   [`SPLIT_FROM`] elements on, the two halves run on two cores ([`parallel::join_halves`]).
///   Every element is computed by the same operations whichever way, so the results are the same
///   bits.
///
/// # Panics
/// When the columns have different lengths.
#[inline(always)]
pub fn step_elements<S, X, O, L, F, G>(states: S, inputs: X, outputs: O, linearize: F, finish: G)
where
    S: ColumnsMut + Send,
    X: Columns + Send,
    O: ColumnsMut + Send,
    O::Element: Default,
    L: Lane + Default,
    F: Fn(S::Element, X::Element) -> L + Sync,
    G: Fn(&mut S::Element, X::Element, L) -> O::Element + Sync,
{
    let len = states.len().unwrap_or(0);
    assert!(
        inputs.all_have(len) && outputs.all_have(len),
        "the columns of a population step have different lengths"
    );
    let (linearize, finish) = (&linearize, &finish);
    if len >= SPLIT_FROM && parallel::available() {
        // Whole blocks in the first half, so the second starts on a block boundary.
        let mid = len / 2 / LANES * LANES;
        let (s0, s1) = states.split_at(mid);
        let (x0, x1) = inputs.split_at(mid);
        let (o0, o1) = outputs.split_at(mid);
        // Each side enters `vectorized` itself: the helper's side is called through a function
        // pointer, outside the caller's vector instructions.
        parallel::join_halves((s0, x0, o0), (s1, x1, o1), |mut half| {
            simd::vectorized(
                &mut half,
                (),
                #[inline(always)]
                |(s, x, o), ()| step_blocks(s, x, o, linearize, finish),
            )
        });
    } else {
        simd::vectorized(
            &mut (states, inputs, outputs),
            (),
            #[inline(always)]
            |(s, x, o), ()| step_blocks(s, x, o, linearize, finish),
        );
    }
}

/// Every block of `states`, one after the other (see [`step_elements`]).
#[inline(always)]
fn step_blocks<S, X, O, L, F, G>(
    states: &mut S,
    inputs: &X,
    outputs: &mut O,
    linearize: &F,
    finish: &G,
) where
    S: ColumnsMut,
    X: Columns,
    O: ColumnsMut,
    O::Element: Default,
    L: Lane + Default,
    F: Fn(S::Element, X::Element) -> L,
    G: Fn(&mut S::Element, X::Element, L) -> O::Element,
{
    let len = states.len().unwrap_or(0);
    let two_passes = size_of::<L>() != 0;
    let mut start = 0;
    while start < len {
        let n = (len - start).min(LANES);
        let mut s = states.load(start, n);
        let x = inputs.load(start, n);
        let mut o = O::Element::default().splat();
        if two_passes {
            let mut linear = L::default().splat();
            for j in 0..LANES {
                let value = linearize(S::Element::get(&s, j), X::Element::get(&x, j));
                L::set(&mut linear, j, value);
            }
            for j in 0..LANES {
                let mut e = S::Element::get(&s, j);
                let out = finish(&mut e, X::Element::get(&x, j), L::get(&linear, j));
                S::Element::set(&mut s, j, e);
                O::Element::set(&mut o, j, out);
            }
        } else {
            for j in 0..LANES {
                let mut e = S::Element::get(&s, j);
                let out = finish(&mut e, X::Element::get(&x, j), L::default());
                S::Element::set(&mut s, j, e);
                O::Element::set(&mut o, j, out);
            }
        }
        states.store(start, n, &s);
        outputs.store(start, n, &o);
        start += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// x' = x + dt·(a − x) per element, with an output flag: the driver against a plain loop,
    /// for sizes around the block length and the split.
    #[test]
    fn every_size_gives_the_plain_loops_values() {
        for len in [1, 3, 15, 16, 17, 40, SPLIT_FROM - 1, SPLIT_FROM, 1000, 1037] {
            let a: Vec<f64> = (0..len).map(|k| k as f64 * 0.5).collect();
            let mut x: Vec<f64> = (0..len).map(|k| (k % 7) as f64).collect();
            let mut count: Vec<u32> = vec![0; len];
            let mut above = vec![false; len];
            let (mut x_plain, mut count_plain) = (x.clone(), count.clone());
            let dt = 0.1;
            for _ in 0..3 {
                step_elements(
                    (&mut x[..], &mut count[..]),
                    (&a[..],),
                    (&mut above[..],),
                    |_: (f64, u32), _: (f64,)| (),
                    |s: &mut (f64, u32), (a,): (f64,), ()| {
                        s.0 += dt * (a - s.0);
                        let fired = s.0 > 10.0;
                        s.1 += u32::from(fired);
                        (fired,)
                    },
                );
                for k in 0..len {
                    x_plain[k] += dt * (a[k] - x_plain[k]);
                    count_plain[k] += u32::from(x_plain[k] > 10.0);
                }
            }
            assert_eq!(x, x_plain, "len {len}");
            assert_eq!(count, count_plain, "len {len}");
            assert!(above.iter().zip(&x).all(|(f, x)| *f == (*x > 10.0)));
        }
    }

    /// Two passes give what one pass computing the same two parts gives.
    #[test]
    fn two_passes_hand_each_element_its_own_linear_part() {
        let len = 100;
        let mut x: Vec<f64> = (0..len).map(|k| k as f64).collect();
        let expected: Vec<f64> = x.iter().map(|x| x + 2.0 * x * 3.0).collect();
        step_elements(
            (&mut x[..],),
            (),
            (),
            |(x,): (f64,), ()| (2.0 * x, 3.0),
            |s: &mut (f64,), (), (f, a): (f64, f64)| s.0 += f * a,
        );
        assert_eq!(x, expected);
    }

    #[test]
    #[should_panic(expected = "different lengths")]
    fn columns_of_different_lengths_are_refused() {
        let mut x = [0.0_f64; 4];
        let i = [0.0_f64; 3];
        step_elements(
            (&mut x[..],),
            (&i[..],),
            (),
            |_: (f64,), _: (f64,)| (),
            |_, _, ()| (),
        );
    }
}
