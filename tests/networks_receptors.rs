//! The networks' receptors (`CobaReceptors`, `CubaReceptors`: one model, one pass) against the
//! synapse models they are made of, stepped one after the other as separate models: two
//! `Expon`s, two `Coba` (or `Cuba`) outputs, and the sum `(input + I_exc) + I_inh` formed
//! apart. Every step, every neuron, bit for bit, in f64 and f32, with spikes delivered into
//! the conductances between steps and a potential that moves.

use looptime::nalgebra::SVector;
use looptime::networks::{CobaReceptors, CubaReceptors, Receptors};
use looptime::synapses::{Coba, CobaInputRef, Cuba, Expon};
use looptime::{DynamicalSystem, Real, Shared};

/// More neurons than a block of the element driver, and not a multiple of it.
const N: usize = 150;
const STEPS: usize = 300;

fn expon<T: Real>(tau: f64) -> Expon<T, N> {
    Expon::builder().tau(T::of(tau)).build().unwrap()
}

/// The conductance added to neuron `j` before step `k` (a few spikes, irregularly).
fn delivered<T: Real>(k: usize, j: usize, w: f64) -> T {
    if (k * 7 + j * 13).is_multiple_of(29) {
        T::of(w * (1.0 + (j % 3) as f64))
    } else {
        T::of(0.0)
    }
}

/// A potential that moves, different for every neuron.
fn potential<T: Real>(k: usize) -> SVector<T, N> {
    SVector::from_fn(|j, _| T::of(-70.0 + ((k * 31 + j * 17) % 23) as f64))
}

fn coba_matches_its_parts<T: Real>() {
    let (input, e_e, e_i) = (20.0, 0.0, -80.0);
    let mut fused = CobaReceptors::<T, N>::builder()
        .tau_e(T::of(5.0))
        .tau_i(T::of(10.0))
        .e_e(T::of(e_e))
        .e_i(T::of(e_i))
        .input(T::of(input))
        .build()
        .unwrap();
    let (mut ge, mut gi) = (expon::<T>(5.0), expon::<T>(10.0));
    let mut exc = Coba::<T, N>::builder().e(T::of(e_e)).build().unwrap();
    let mut inh = Coba::<T, N>::builder().e(T::of(e_i)).build().unwrap();
    for k in 0..STEPS {
        let sh = Shared::at(k as f64 * 0.1, k as u64, 0.1, ());
        for j in 0..N {
            let (a, b) = (delivered::<T>(k, j, 0.6), delivered::<T>(k + 5, j, 6.7));
            fused.g_e()[j] += a;
            ge.g[j] += a;
            fused.g_i()[j] += b;
            gi.g[j] += b;
        }
        let v = potential::<T>(k);
        fused.update_ref(&sh, &v);
        ge.update(&sh, ());
        gi.update(&sh, ());
        exc.update_lent(&sh, CobaInputRef { g: &ge.g, v: &v });
        inh.update_lent(&sh, CobaInputRef { g: &gi.g, v: &v });
        for j in 0..N {
            let total = (T::of(input) + exc.i[j]) + inh.i[j];
            assert_eq!(fused.ge[j], ge.g[j], "g_E, step {k}, neuron {j}");
            assert_eq!(fused.gi[j], gi.g[j], "g_I, step {k}, neuron {j}");
            assert_eq!(fused.total()[j], total, "total, step {k}, neuron {j}");
        }
    }
    assert!(
        fused.ge.iter().any(|g| *g > T::of(0.0)),
        "spikes were delivered"
    );
}

fn cuba_matches_its_parts<T: Real>() {
    let input = 2.0;
    let mut fused = CubaReceptors::<T, N>::builder()
        .tau_e(T::of(5.0))
        .tau_i(T::of(10.0))
        .input(T::of(input))
        .build()
        .unwrap();
    let (mut ge, mut gi) = (expon::<T>(5.0), expon::<T>(10.0));
    let (mut exc, mut inh) = (Cuba::<T, N>::new(), Cuba::<T, N>::new());
    for k in 0..STEPS {
        let sh = Shared::at(k as f64 * 0.1, k as u64, 0.1, ());
        for j in 0..N {
            let (a, b) = (delivered::<T>(k, j, 1.62), delivered::<T>(k + 3, j, -9.0));
            fused.g_e()[j] += a;
            ge.g[j] += a;
            fused.g_i()[j] += b;
            gi.g[j] += b;
        }
        fused.update_ref(&sh, &potential::<T>(k));
        ge.update(&sh, ());
        gi.update(&sh, ());
        exc.update_ref(&sh, &ge.g);
        inh.update_ref(&sh, &gi.g);
        for j in 0..N {
            let total = (T::of(input) + exc.i[j]) + inh.i[j];
            assert_eq!(fused.total()[j], total, "total, step {k}, neuron {j}");
        }
    }
}

#[test]
fn coba_receptors_give_the_bits_of_two_expon_and_two_coba() {
    coba_matches_its_parts::<f64>();
    coba_matches_its_parts::<f32>();
}

#[test]
fn cuba_receptors_give_the_bits_of_two_expon_and_two_cuba() {
    cuba_matches_its_parts::<f64>();
    cuba_matches_its_parts::<f32>();
}

#[test]
fn an_input_that_is_not_finite_is_refused() {
    let mut syn = CobaReceptors::<f64, N>::new();
    assert!(syn.set_input(f64::NAN).is_err());
    assert!(syn.set_input(3.0).is_ok());
    assert_eq!(syn.input(), 3.0);
}
