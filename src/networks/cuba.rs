//! [`CubaNet`]: Brette et al.'s (2007) benchmark 2 (Brian2's `examples/CUBA.py`) — `LifRef`
//! neurons (the zoo's [`Lif`]) with current-based exponential synapses ([`CubaReceptors`]).

use loop_core::Real;

use super::coba::set_lif_ref;
use super::cuba_receptors::CubaReceptors;
use super::ei_net::{EiKind, EiNet};
use super::setup::uniform_v0;
use crate::neurons::Lif;

/// The kind of [`CubaNet`]: [`Lif`] neurons with [`CubaReceptors`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CubaKind;

impl EiKind for CubaKind {
    const NAME: &'static str = "cuba";
    const W_E: f64 = 60.0 * 0.27 / 10.0;
    const W_I: f64 = -20.0 * 4.5 / 10.0;
    type Neurons<T: Real, const N: usize> = Lif<T, N>;
    type Receptors<T: Real, const N: usize> = CubaReceptors<T, N>;

    /// Brian2's CUBA: `LifRef` neurons resting at `El` = -49 mV (above the -50 mV threshold:
    /// they fire without input), `V_reset` -60 mV, `tau` 20 ms, `tau_ref` 5 ms, starting
    /// uniform in `[-60, -50)` mV (E drawn with `seed`, I with `seed + 1`), no external input,
    /// synaptic currents `g_E` (tau 5 ms) and `g_I` (tau 10 ms) in mV; weights 1.62 mV and -9 mV.
    fn configure<T: Real, const NE: usize, const NI: usize>(
        net: &mut CubaNet<T, NE, NI>,
        seed: u64,
    ) {
        set_lif_ref(&mut net.e, -49.0);
        set_lif_ref(&mut net.i, -49.0);
        set_cuba_receptors(&mut net.e_syn);
        set_cuba_receptors(&mut net.i_syn);
        let e_v0 = uniform_v0(-60.0, -50.0, NE, seed);
        let i_v0 = uniform_v0(-60.0, -50.0, NI, seed.wrapping_add(1));
        net.set_v(&e_v0, &i_v0);
    }
}

/// CUBA: an [`EiNet`] of [`Lif`] neurons with [`CubaReceptors`].
pub type CubaNet<T, const NE: usize, const NI: usize> = EiNet<T, NE, NI, CubaKind>;

/// CUBA's synapses: `g_E` (tau 5 ms) and `g_I` (tau 10 ms).
fn set_cuba_receptors<T: Real, const N: usize>(syn: &mut CubaReceptors<T, N>) {
    syn.update_params(|p| {
        p.tau_e = T::of(5.0);
        p.tau_i = T::of(10.0);
    })
    .expect("the benchmark's synapse parameters are valid");
}
