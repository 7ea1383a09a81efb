//! [`step_elements`]: the one loop that steps every element of a population, for every model
//! `#[dynamical_system]` generates: blocks of [`LANES`] elements in structure-of-arrays form,
//! one or two passes per block, compiled for the CPU's widest vector instructions, and cut into
//! pieces for other cores when that is measured to pay.

use super::columns::{Columns, ColumnsMut, Window, WindowMut};
use super::lane::{LANES, Lane};
use super::linear::Linear;
use crate::parallel::{self, Parts};
use crate::simd;

/// Steps every element of a population: `finish(&mut state, input, linear)` gives each
/// element's new state (in place) and its output, where `linear = linearize(state, input)`.
///
/// - `states`, `inputs` and `outputs` are [`Columns`] of equal length (`inputs` and `outputs`
///   may be `()`); an element's state, input and output are tuples of their columns' values.
/// - **Two passes** when `linearize` returns a value (exponential Euler's
///   [`ExpEulerPart`](crate::integrate::ExpEulerPart)s: each variable's derivative and argument
///   `z = dt·∂f/∂x`): for each block of [`LANES`] elements, first every element's `linearize`,
///   then every element's `finish`. Each pass is a short chain of dependent operations, which the
///   processor overlaps better than one long chain. Between them, [`Linear::factor_block`] turns
///   each variable's arguments into exponential Euler's factors `exprel(z)`, by the near form
///   alone where every `z` of that variable in the block is near 0 (the same bits as element by
///   element, about half the operations; see [`crate::integrate::exp_euler_factor`]). When it
///   returns `()` (a zero-sized `L`), one pass: `finish` alone.
/// - The inputs of the block four ahead (`PREFETCH_AHEAD`) are asked into the cache before
///   each block is stepped: a stored run of inputs is read from memory once per step.
/// - Each whole block is stepped where it is: every element's state read from its columns, and
///   its new state and output written back to them, in one loop over the block that the
///   compiler vectorizes (the linear parts of two passes go to a local block in between). A
///   partial last block is stepped the same way in padded copies, of which its own elements
///   are then stored.
/// - The closures are moved (cloned) into the vectorized code, so what they captured (a copy of
///   the parameters, dt) may be read ahead of a branch: an `if` in a rule becomes a vector
///   select.
/// - A population of fewer than 8 elements is stepped one element at a time, in the baseline
///   instructions (outside [`simd::vectorized`]).
/// - The blocks run inside [`simd::vectorized`] (mark the closures `#[inline(always)]`). The
///   population goes to [`parallel::for_each_piece`], which cuts it into pieces of whole blocks
///   for other cores when it measures that this pays at this call site (one site per model
///   type), and otherwise steps it here at once. Every element is computed by the same
///   operations whichever way, so the results are the same bits.
///
/// # Panics
/// When the columns have different lengths.
#[inline(always)]
pub fn step_elements<S, X, O, L, F, G>(
    mut states: S,
    inputs: X,
    mut outputs: O,
    linearize: F,
    finish: G,
) where
    S: ColumnsMut + Parts,
    X: Columns + Parts,
    O: ColumnsMut + Parts,
    L: Linear,
    F: Fn(S::Element, X::Element) -> L + Clone + Sync,
    G: Fn(&mut S::Element, X::Element, L) -> O::Element + Clone + Sync,
{
    let len = states.length().unwrap_or(0);
    assert!(
        inputs.all_have(len) && outputs.all_have(len),
        "the columns of a population step have different lengths"
    );
    // Each piece enters `vectorized` itself: a helper's piece is called outside the caller's
    // vector instructions. The closures go in by value (see above).
    let step = |_, mut piece: (S, X, O)| {
        simd::vectorized(
            &mut piece,
            (linearize.clone(), finish.clone()),
            #[inline(always)]
            |(s, x, o), (linearize, finish)| step_blocks(s, x, o, &linearize, &finish),
        )
    };
    if len < ONE_AT_A_TIME_BELOW {
        // A few elements (one HH neuron): stepped one at a time in the baseline instructions.
        // Compiled for AVX2, the same scalar step ran 1.35x slower (AMD EPYC), and a block's
        // vector instructions have nothing to gain here.
        step_each(&mut states, &inputs, &mut outputs, 0, &linearize, &finish);
    } else if len < 2 * LANES {
        // One block: nothing to cut, and no threads to ask.
        step(0, (states, inputs, outputs));
    } else {
        parallel::for_each_piece((states, inputs, outputs), LANES, step);
    }
}

/// A population, or a last block, of fewer elements than this is stepped one element at a time,
/// in place: filling and storing a block of [`LANES`] would cost more than the vector
/// instructions save (and a population this small is not even handed to the vectorized code).
const ONE_AT_A_TIME_BELOW: usize = 8;

/// How many blocks ahead of the one being stepped the inputs are prefetched. An input read from
/// a stored run of inputs (LIF's (10 000, 4000) array, 320 MB) comes from memory: each step's
/// row is read once. Without the hint the loads of an LIF population waited on memory and one
/// thread took 126 ms; with it, 59 ms (1, 2, 4 and 8 blocks ahead: 58-62 ms; Intel Xeon,
/// AVX2). Inputs in the cache (HH's 1000 neurons) are not slower for it.
const PREFETCH_AHEAD: usize = 4;

/// Every block of `states`, one after the other (see [`step_elements`]): the whole blocks,
/// stepped where they are, then the partial last one, from padded copies (or, under
/// [`ONE_AT_A_TIME_BELOW`] elements, one element at a time where they are).
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
    L: Linear,
    F: Fn(S::Element, X::Element) -> L,
    G: Fn(&mut S::Element, X::Element, L) -> O::Element,
{
    let len = states.length().unwrap_or(0);
    let whole = len / LANES * LANES;
    let mut start = 0;
    if whole > 0 {
        // Made once for all the whole blocks (nothing when one pass: `L = ()`).
        let mut linear = L::default().splat();
        for block in 0..PREFETCH_AHEAD {
            inputs.prefetch(block * LANES);
        }
        while start < whole {
            inputs.prefetch(start + PREFETCH_AHEAD * LANES);
            step_block_in_place(
                states.window_mut(start),
                inputs.window(start),
                outputs.window_mut(start),
                LANES,
                &mut linear,
                linearize,
                finish,
            );
            start += LANES;
        }
    }
    if len - start < ONE_AT_A_TIME_BELOW {
        // A few elements: each stepped where it is, without blocks to fill and store.
        step_each(states, inputs, outputs, start, linearize, finish);
    } else if start < len {
        // The partial last block: stepped in place in padded copies, of which its own elements
        // are then stored.
        let n = len - start;
        let (mut s, x) = (states.load(start, n), inputs.load(start, n));
        let mut out = O::Element::default().splat();
        step_block_in_place(
            InBlock::<S::Element>(&mut s),
            InBlockRef::<X::Element>(&x),
            InBlock::<O::Element>(&mut out),
            n,
            &mut L::default().splat(),
            linearize,
            finish,
        );
        states.store(start, n, &s);
        outputs.store(start, n, &out);
    }
}

/// Elements `start ..` one at a time, where they are.
#[inline(always)]
fn step_each<S, X, O, L, F, G>(
    states: &mut S,
    inputs: &X,
    outputs: &mut O,
    start: usize,
    linearize: &F,
    finish: &G,
) where
    S: ColumnsMut,
    X: Columns,
    O: ColumnsMut,
    L: Linear,
    F: Fn(S::Element, X::Element) -> L,
    G: Fn(&mut S::Element, X::Element, L) -> O::Element,
{
    for i in start..states.length().unwrap_or(0) {
        let (mut e, x) = (Columns::get(states, i), inputs.get(i));
        let linear = if size_of::<L>() != 0 {
            // Through a barrier (`Lane::opaque`, the identity): without one the compiler
            // interleaves the two passes of one element and packs their independent chains
            // into vectors with shuffles (one HH neuron: 1.06x the time in f32). Through memory
            // (`black_box`), the store and reload sat on the step's chain of dependent
            // operations; in registers, one HH neuron's step counts 446 instructions instead of
            // 492 in f32 and 564 instead of 597 in f64, and took 0.96x the time in f32 (16
            // interleaved rounds, AVX2, AMD EPYC family 25).
            linearize(e, x).opaque()
        } else {
            L::default()
        };
        outputs.set(i, finish(&mut e, x, linear.factor_each()));
        states.set(i, e);
    }
}

/// One block, in place: elements `0 .. n` (`n <= LANES`; a whole block passes the constant
/// `LANES`) — (two passes) every element's linear part into `linear`, and their factors, then
/// every element's new state and output, written where they are. Stepping whole blocks into
/// local blocks and copying them back took 1.4 times as long in an LIF population and 1.33 times
/// in COBA (in place: 0.71x and 0.75x, side by side, AMD EPYC, AVX2): the copy is a load and a
/// store more per value, on a step of a few operations per element.
#[inline(always)]
fn step_block_in_place<SW, XW, OW, L, F, G>(
    mut s: SW,
    x: XW,
    mut o: OW,
    n: usize,
    linear: &mut L::Block,
    linearize: &F,
    finish: &G,
) where
    SW: WindowMut,
    XW: Window,
    OW: WindowMut,
    L: Linear,
    F: Fn(SW::Element, XW::Element) -> L,
    G: Fn(&mut SW::Element, XW::Element, L) -> OW::Element,
{
    let n = n.min(LANES);
    if size_of::<L>() != 0 {
        for j in 0..n {
            L::set(linear, j, linearize(s.get(j), x.get(j)));
        }
    }
    // Between the passes, exponential Euler's factors of the block, variable by variable. One
    // pass (`L = ()`): nothing to factor, and `L::get` of the empty block is `()`.
    L::factor_block(linear, n);
    for j in 0..n {
        let mut e = s.get(j);
        let out = finish(&mut e, x.get(j), L::get(linear, j).factored());
        s.set(j, e);
        o.set(j, out);
    }
}

/// A local block of `E` as a [`WindowMut`] (the partial last block's padded copies).
struct InBlock<'a, E: Lane>(&'a mut E::Block);

impl<E: Lane> WindowMut for InBlock<'_, E> {
    type Element = E;

    #[inline(always)]
    fn get(&self, j: usize) -> E {
        E::get(self.0, j)
    }

    #[inline(always)]
    fn set(&mut self, j: usize, value: E) {
        E::set(self.0, j, value);
    }
}

/// A local block of `E` as a [`Window`].
struct InBlockRef<'a, E: Lane>(&'a E::Block);

impl<E: Lane> Clone for InBlockRef<'_, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E: Lane> Copy for InBlockRef<'_, E> {}

impl<E: Lane> Window for InBlockRef<'_, E> {
    type Element = E;

    #[inline(always)]
    fn get(&self, j: usize) -> E {
        E::get(self.0, j)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrate::{ExpEulerPart, exp_euler_scalar};

    /// x' = x + dt·(a − x) per element, with an output flag: the driver against a plain loop,
    /// for sizes around the block length and the split.
    #[test]
    fn every_size_gives_the_plain_loops_values() {
        for len in [
            1, 3, 7, 8, 15, 16, 17, 40, 63, 64, 65, 71, 72, 511, 512, 1000, 1037,
        ] {
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

    /// A population cut into pieces for the helper threads gives the same bits as one stepped
    /// whole.
    #[test]
    #[cfg(feature = "std")]
    fn pieces_on_other_cores_give_the_whole_steps_bits() {
        let len = 4000;
        let a: Vec<f64> = (0..len).map(|k| (k % 97) as f64 * 0.37).collect();
        let run = |x: &mut Vec<f64>| {
            for _ in 0..20 {
                step_elements(
                    (&mut x[..],),
                    (&a[..],),
                    (),
                    |(x,): (f64,), (a,): (f64,)| (ExpEulerPart::new(0.1, (a - x, -1.0)),),
                    |s: &mut (f64,), _: (f64,), (p,): (ExpEulerPart<f64>,)| {
                        s.0 = p.step(s.0, 0.1);
                    },
                );
            }
        };
        let (mut whole, mut split) = (vec![1.0; len], vec![1.0; len]);
        parallel::serial(|| run(&mut whole));
        let before = parallel::stats();
        parallel::split_always(|| run(&mut split));
        assert_eq!(whole, split);
        if parallel::threads() > 1 {
            assert!(parallel::stats().split_steps > before.split_steps);
        }
    }

    /// Two passes give each element the plain exponential-Euler step of its own parts, bit for
    /// bit, in blocks whose arguments are all near 0 and in blocks with some beyond.
    #[test]
    fn two_passes_give_each_element_its_own_exp_euler_step() {
        // One element at a time (1, 7), a partial block alone (8, 63), whole blocks with a short
        // or a partial tail (65, 71, 72, 100, 200).
        let dt = 0.1;
        // The second variable's argument: near 0 in every element of the first two blocks, and
        // beyond 1 in some of the next.
        let a = |x: f64| -(x % 130.0) / 10.0;
        for len in [1, 7, 8, 63, 64, 65, 71, 72, 100, 200] {
            let mut x: Vec<f64> = (0..len).map(|k| k as f64).collect();
            let mut y: Vec<f64> = vec![1.0; len];
            let expected: Vec<(f64, f64)> = x
                .iter()
                .map(|&x| {
                    let x_new = exp_euler_scalar(x, dt, 2.0 - x, -1.0);
                    (x_new, exp_euler_scalar(1.0, dt, x, a(x)))
                })
                .collect();
            step_elements(
                (&mut x[..], &mut y[..]),
                (),
                (),
                |(x, _): (f64, f64), ()| {
                    (
                        ExpEulerPart::new(dt, (2.0 - x, -1.0)),
                        ExpEulerPart::new(dt, (x, a(x))),
                    )
                },
                |s: &mut (f64, f64), (), (p, q): (ExpEulerPart<f64>, ExpEulerPart<f64>)| {
                    *s = (p.step(s.0, dt), q.step(s.1, dt));
                },
            );
            let got: Vec<(f64, f64)> = x.into_iter().zip(y).collect();
            assert_eq!(got, expected, "len {len}");
        }
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
