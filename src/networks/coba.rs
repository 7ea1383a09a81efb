//! [`CobaNet`]: Brette et al.'s (2007) benchmark 1, BrainPy's `EICOBA_PostAlign`
//! (`examples/dynamics_simulation/COBA.py`) — `NE` excitatory and `NI` inhibitory `LifRef`
//! neurons (the zoo's [`Lif`] with a refractory period) joined by four sparse projections
//! ([`Projection`]) into exponential conductances ([`Expon`]) that drive conductance-based
//! currents ([`Coba`]).

use loop_core::Real;
use nalgebra::SVector;

use super::currents::{Pair, coba_current};
use super::ei::EiConnectivity;
use crate::network::{ConnError, Projection, Synapses};
use crate::neurons::Lif;
use crate::synapses::{Coba, Expon};
use crate::{DynamicalSystem, Shared, dynamical_system};

/// An align-post projection with a homogeneous weight.
pub type HomogeneousProjection<T, const PRE: usize, const POST: usize> =
    Projection<Synapses<T>, T, PRE, POST>;

/// COBA with BrainPy's parameters (MODELS.md, "COBA network"): `LifRef` neurons (`V_rest` =
/// `V_reset` = -60 mV, `V_th` -50 mV, `tau` 20 ms, `tau_ref` 5 ms), a constant `input` to every
/// neuron, conductances `g_E` (tau 5 ms, reversal 0 mV) and `g_I` (tau 10 ms, reversal -80 mV)
/// on each population, weights 0.6 (from E) and 6.7 (from I) divided by the network's scale
/// `NE / 3200` (BrainPy's `EINet(scale)`), no delay.
///
/// A step, at time `t` (BrainPy's order):
/// 1. the projections E2I, I2I, I2E, E2E add the weights of the spikes of the previous step to
///    the conductances of their targets;
/// 2. E, then I: the conductances decay, the current `input + g_E (0 - V) + g_I (-80 - V)` is
///    formed with V before the update, and the neurons step.
///
/// `CobaNet::new()` has no synapses; [`connect`](Self::connect) adds them.
#[dynamical_system(crate = crate)]
pub struct CobaNet<T: Real, const NE: usize, const NI: usize> {
    /// The constant input current of every neuron.
    #[param(default = 20.0)]
    pub input: T,
    /// Excitatory neurons.
    #[child(init = lif_ref())]
    pub e: Lif<T, NE>,
    /// Inhibitory neurons.
    #[child(init = lif_ref())]
    pub i: Lif<T, NI>,
    /// E → E.
    #[child]
    pub e2e: HomogeneousProjection<T, NE, NE>,
    /// E → I.
    #[child]
    pub e2i: HomogeneousProjection<T, NE, NI>,
    /// I → E.
    #[child]
    pub i2e: HomogeneousProjection<T, NI, NE>,
    /// I → I.
    #[child]
    pub i2i: HomogeneousProjection<T, NI, NI>,
    /// `g_E` of E: the conductance E2E delivers into.
    #[child(init = expon(5.0))]
    pub e_ge: Expon<T, NE>,
    /// `g_I` of E (from I2E).
    #[child(init = expon(10.0))]
    pub e_gi: Expon<T, NE>,
    /// `g_E` of I (from E2I).
    #[child(init = expon(5.0))]
    pub i_ge: Expon<T, NI>,
    /// `g_I` of I (from I2I).
    #[child(init = expon(10.0))]
    pub i_gi: Expon<T, NI>,
    /// The current `g_E (0 - V)` into E.
    #[child(init = coba(0.0))]
    pub e_exc: Coba<T, NE>,
    /// The current `g_I (-80 - V)` into E.
    #[child(init = coba(-80.0))]
    pub e_inh: Coba<T, NE>,
    /// The current `g_E (0 - V)` into I.
    #[child(init = coba(0.0))]
    pub i_exc: Coba<T, NI>,
    /// The current `g_I (-80 - V)` into I.
    #[child(init = coba(-80.0))]
    pub i_inh: Coba<T, NI>,
    /// Scratch: the outputs' input pair `(g, V)` of E, then E's total current.
    e_pair: Pair<T, NE>,
    /// Scratch: the same for I.
    i_pair: Pair<T, NI>,
}

/// BrainPy's `LifRef` of COBA.
fn lif_ref<T: Real, const N: usize>() -> Lif<T, N> {
    Lif::builder()
        .v_rest(T::of(-60.0))
        .v_reset(T::of(-60.0))
        .v_th(T::of(-50.0))
        .tau(T::of(20.0))
        .tau_ref(5.0)
        .v_init(T::of(-60.0))
        .build()
        .expect("COBA's neuron parameters are valid")
}

/// An exponential conductance of time constant `tau` ms.
fn expon<T: Real, const N: usize>(tau: f64) -> Expon<T, N> {
    Expon::builder()
        .tau(T::of(tau))
        .build()
        .expect("a positive time constant")
}

/// A conductance-based output of reversal potential `e` mV.
fn coba<T: Real, const N: usize>(e: f64) -> Coba<T, N> {
    Coba::builder()
        .e(T::of(e))
        .build()
        .expect("a reversal potential")
}

impl<T: Real, const NE: usize, const NI: usize> CobaNet<T, NE, NI> {
    /// The network's scale, `NE / 3200` (BrainPy's `EINet(scale)`).
    pub fn scale() -> f64 {
        NE as f64 / 3200.0
    }

    /// The synapses of `connectivity` (sizes checked against `NE` and `NI`), with weights 0.6
    /// from E and 6.7 from I divided by the scale, and no delay.
    pub fn connect(&mut self, connectivity: EiConnectivity) -> Result<(), ConnError> {
        let (w_e, w_i) = (T::of(0.6 / Self::scale()), T::of(6.7 / Self::scale()));
        let EiConnectivity { e2e, e2i, i2e, i2i } = connectivity;
        self.e2e = Projection::new(Synapses::homogeneous(e2e, w_e), 0)?;
        self.e2i = Projection::new(Synapses::homogeneous(e2i, w_e), 0)?;
        self.i2e = Projection::new(Synapses::homogeneous(i2e, w_i), 0)?;
        self.i2i = Projection::new(Synapses::homogeneous(i2i, w_i), 0)?;
        Ok(())
    }

    /// Sets the potentials of E and I (as `T`).
    ///
    /// # Panics
    /// When a slice does not have one value per neuron.
    pub fn set_v(&mut self, e_v: &[f64], i_v: &[f64]) {
        assert_eq!((e_v.len(), i_v.len()), (NE, NI), "one potential per neuron");
        self.e.v = SVector::from_iterator(e_v.iter().map(|&v| T::of(v)));
        self.i.v = SVector::from_iterator(i_v.iter().map(|&v| T::of(v)));
    }
}

#[dynamical_system]
impl<T: Real, const NE: usize, const NI: usize> CobaNet<T, NE, NI> {
    /// One step in BrainPy's order (see the type's docs).
    #[update]
    fn step(&mut self, sh: &Shared) {
        let input = self.input;
        // Projections: the spikes of the previous step reach the conductances.
        self.e2i.deliver(&self.e.spike, &mut self.i_ge.g);
        self.i2i.deliver(&self.i.spike, &mut self.i_gi.g);
        self.i2e.deliver(&self.i.spike, &mut self.e_gi.g);
        self.e2e.deliver(&self.e.spike, &mut self.e_ge.g);
        // E, then I: conductances decay; currents from V before the update; the neurons step.
        self.e_pair.0.1 = self.e.v;
        let (e_exc, e_inh) = (
            (&mut self.e_ge, &mut self.e_exc),
            (&mut self.e_gi, &mut self.e_inh),
        );
        coba_current(sh, input, &mut self.e_pair.0, e_exc, e_inh);
        self.e.update_ref(sh, &self.e_pair.0.0);
        self.i_pair.0.1 = self.i.v;
        let (i_exc, i_inh) = (
            (&mut self.i_ge, &mut self.i_exc),
            (&mut self.i_gi, &mut self.i_inh),
        );
        coba_current(sh, input, &mut self.i_pair.0, i_exc, i_inh);
        self.i.update_ref(sh, &self.i_pair.0.0);
    }
}
