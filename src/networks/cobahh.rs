//! [`CobaHhNet`]: Brette et al.'s (2007) benchmark 3, BrainPy's
//! `examples/dynamics_simulation/Brette_2007_COBAHH.py` — Hodgkin–Huxley neurons of Traub &
//! Miles's kinetics ([`HhTraub`]) with conductance-based exponential synapses
//! ([`CobaReceptors`]).

use loop_core::Real;

use super::coba::set_coba_receptors;
use super::coba_receptors::CobaReceptors;
use super::ei_net::{EiKind, EiNet};
use crate::neurons::HhTraub;

/// The kind of [`CobaHhNet`]: [`HhTraub`] neurons with [`CobaReceptors`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CobaHhKind;

impl EiKind for CobaHhKind {
    const NAME: &'static str = "cobahh";
    const W_E: f64 = 0.03;
    const W_I: f64 = 0.335;
    type Neurons<T: Real, const N: usize> = HhTraub<T, N>;
    type Receptors<T: Real, const N: usize> = CobaReceptors<T, N>;

    /// BrainPy's COBAHH: [`HhTraub`] neurons at their defaults (COBAHH's), `V0` uniform in
    /// `[-70, -60)` mV (BrainPy's `CondNeuGroup` default; E drawn with `seed`, I with
    /// `seed + 1`) with the gates at their steady state there, no external input, conductances
    /// `g_E` (tau 5 ms, reversal 0 mV) and `g_I` (tau 10 ms, -80 mV) in mS/cm²; weights 0.03
    /// and 0.335 mS/cm² (Brian2's 6 nS and 67 nS on 20 000 µm²).
    fn configure<T: Real, const NE: usize, const NI: usize>(
        net: &mut CobaHhNet<T, NE, NI>,
        seed: u64,
    ) {
        set_hh(&mut net.e, seed);
        set_hh(&mut net.i, seed.wrapping_add(1));
        set_coba_receptors(&mut net.e_syn);
        set_coba_receptors(&mut net.i_syn);
    }
}

/// COBAHH: an [`EiNet`] of [`HhTraub`] neurons with [`CobaReceptors`].
pub type CobaHhNet<T, const NE: usize, const NI: usize> = EiNet<T, NE, NI, CobaHhKind>;

/// COBAHH's neuron, `V0` uniform in `[-70, -60)` drawn with `seed`.
fn set_hh<T: Real, const N: usize>(hh: &mut HhTraub<T, N>, seed: u64) {
    hh.update_params(|p| {
        p.v_init = T::of(-65.0);
        p.v_init_spread = T::of(5.0);
        p.seed = seed;
    })
    .expect("COBAHH's neuron parameters are valid");
    crate::States::reset_states(hh);
}
