//! [`CobaNet`]: Brette et al.'s (2007) benchmark 1, BrainPy's `EICOBA_PostAlign`
//! (`examples/dynamics_simulation/COBA.py`) — `LifRef` neurons (the zoo's [`Lif`]) with
//! conductance-based exponential synapses ([`CobaReceptors`]), MODELS.md's "COBA network".

use loop_core::Real;

use super::coba_receptors::CobaReceptors;
use super::ei_net::{EiKind, EiNet};
use super::setup::normal_v0;
use crate::neurons::Lif;

/// The kind of [`CobaNet`]: [`Lif`] neurons with [`CobaReceptors`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CobaKind;

impl EiKind for CobaKind {
    const NAME: &'static str = "coba";
    const W_E: f64 = 0.6;
    const W_I: f64 = 6.7;
    type Neurons<T: Real, const N: usize> = Lif<T, N>;
    type Receptors<T: Real, const N: usize> = CobaReceptors<T, N>;

    /// BrainPy's COBA (MODELS.md): `LifRef` neurons (`V_rest` = `V_reset` = -60 mV, `V_th`
    /// -50 mV, `tau` 20 ms, `tau_ref` 5 ms) starting from Normal(-55, 2) mV (E drawn with
    /// `seed`, I with `seed + 1`), input 20, conductances `g_E` (tau 5 ms, reversal 0 mV) and
    /// `g_I` (tau 10 ms, reversal -80 mV).
    fn configure<T: Real, const NE: usize, const NI: usize>(
        net: &mut CobaNet<T, NE, NI>,
        seed: u64,
    ) {
        net.set_input(T::of(20.0)).expect("a finite input");
        set_lif_ref(&mut net.e, -60.0);
        set_lif_ref(&mut net.i, -60.0);
        set_coba_receptors(&mut net.e_syn);
        set_coba_receptors(&mut net.i_syn);
        let e_v0 = normal_v0(-55.0, 2.0, NE, seed);
        let i_v0 = normal_v0(-55.0, 2.0, NI, seed.wrapping_add(1));
        net.set_v(&e_v0, &i_v0);
    }
}

/// COBA: an [`EiNet`] of [`Lif`] neurons with [`CobaReceptors`].
pub type CobaNet<T, const NE: usize, const NI: usize> = EiNet<T, NE, NI, CobaKind>;

/// COBA's and CUBA's `LifRef` (`V_reset` -60 mV, `V_th` -50 mV, `tau` 20 ms, `tau_ref` 5 ms),
/// resting at `v_rest`.
pub(super) fn set_lif_ref<T: Real, const N: usize>(lif: &mut Lif<T, N>, v_rest: f64) {
    lif.update_params(|p| {
        p.v_rest = T::of(v_rest);
        p.v_reset = T::of(-60.0);
        p.v_th = T::of(-50.0);
        p.tau = T::of(20.0);
        p.tau_ref = T::of(5.0);
        p.v_init = T::of(-60.0);
    })
    .expect("the benchmark's neuron parameters are valid");
    crate::States::reset_states(lif);
}

/// COBA's and COBAHH's synapses: `g_E` (tau 5 ms, reversal 0 mV) and `g_I` (tau 10 ms, -80 mV).
pub(super) fn set_coba_receptors<T: Real, const N: usize>(syn: &mut CobaReceptors<T, N>) {
    syn.update_params(|p| {
        p.tau_e = T::of(5.0);
        p.tau_i = T::of(10.0);
        p.e_e = T::of(0.0);
        p.e_i = T::of(-80.0);
    })
    .expect("the benchmark's synapse parameters are valid");
}
