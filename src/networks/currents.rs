//! A population's synaptic current, formed as BrainPy's `sum_current_inputs(V, init=input)`
//! forms it: each conductance decays ([`Expon`]'s step), the outputs compute their currents at
//! the potential before the update, and these are added to the external input in order,
//! `(input + I_exc) + I_inh`.
//!
//! An output takes its two inputs, the conductance and `V`, as one owned pair (a per-element
//! model's inputs are a tuple of containers), so each population fills one pair in turn, `(g_e,
//! V)` then `(g_i, V)`, and the current is written over its conductance half: three copies of a
//! population's vector per step, and no other.

use loop_core::Real;
use nalgebra::SVector;

use crate::synapses::{Coba, Cuba, Expon};
use crate::{DynamicalSystem, Shared};

/// A network's scratch for one population: an output's input pair `(g, V)`, whose first half
/// then holds the population's current.
#[derive(Clone, Debug)]
pub(super) struct Pair<T, const N: usize>(pub(super) (SVector<T, N>, SVector<T, N>));

impl<T: Real, const N: usize> Default for Pair<T, N> {
    fn default() -> Self {
        Pair((SVector::zeros(), SVector::zeros()))
    }
}

/// `input + g_e (E_e - V) + g_i (E_i - V)` after `g_e` and `g_i` decay, with `pair` holding `V`
/// in its second half; the current is left in its first half.
#[inline]
pub(super) fn coba_current<A, T: Real, const N: usize>(
    sh: &Shared<A>,
    input: T,
    pair: &mut (SVector<T, N>, SVector<T, N>),
    (g_e, exc): (&mut Expon<T, N>, &mut Coba<T, N>),
    (g_i, inh): (&mut Expon<T, N>, &mut Coba<T, N>),
) {
    g_e.update(sh, ());
    g_i.update(sh, ());
    pair.0 = g_e.g;
    exc.update_ref(sh, pair);
    pair.0 = g_i.g;
    inh.update_ref(sh, pair);
    sum_into(&mut pair.0, input, &exc.i, &inh.i);
}

/// `input + g_e + g_i` after `g_e` and `g_i` decay (current-based synapses), into `current`.
#[inline]
pub(super) fn cuba_current<A, T: Real, const N: usize>(
    sh: &Shared<A>,
    input: T,
    current: &mut SVector<T, N>,
    (g_e, exc): (&mut Expon<T, N>, &mut Cuba<T, N>),
    (g_i, inh): (&mut Expon<T, N>, &mut Cuba<T, N>),
) {
    g_e.update(sh, ());
    g_i.update(sh, ());
    exc.update_ref(sh, &g_e.g);
    inh.update_ref(sh, &g_i.g);
    sum_into(current, input, &exc.i, &inh.i);
}

/// `total = (input + a) + b`, element by element.
#[inline]
fn sum_into<T: Real, const N: usize>(
    total: &mut SVector<T, N>,
    input: T,
    a: &SVector<T, N>,
    b: &SVector<T, N>,
) {
    let terms = a.as_slice().iter().zip(b.as_slice());
    for (t, (&a, &b)) in total.as_mut_slice().iter_mut().zip(terms) {
        *t = input + a + b;
    }
}
