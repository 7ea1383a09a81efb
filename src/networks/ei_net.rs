//! [`EiNet`]: a network of an excitatory (E) and an inhibitory (I) population, the synapses on
//! each ([`Receptors`]) and the four projections between them — the shape of Brette et al.'s
//! (2007) three benchmarks, each a choice of neurons and receptors ([`CobaNet`](super::CobaNet),
//! [`CubaNet`](super::CubaNet), [`CobaHhNet`](super::CobaHhNet)).

use core::fmt::Debug;

use loop_core::Real;
use nalgebra::SVector;

use super::population::Population;
use super::receptors::Receptors;
use super::setup::EiConnectivity;
use crate::network::{ConnError, Footprint, Projection, Synapses};
use crate::{ParamError, Shared, States, dynamical_system, parallel};

/// An align-post projection with a homogeneous weight, between populations of `PRE` and `POST`.
pub type HomogeneousProjection<T, const PRE: usize, const POST: usize> =
    Projection<Synapses<T>, T, PRE, POST>;

/// What makes a benchmark of an [`EiNet`]: its neurons and the receptors on them. (`Clone`,
/// `Debug` and `PartialEq`, and on their snapshots, because the network's generated snapshot
/// derives them.)
pub trait EiKind: Copy + Clone + Default + Debug + PartialEq + 'static {
    /// The benchmark's name (`"coba"`).
    const NAME: &'static str;
    /// The weight of a synapse from E at scale 1 (divided by the scale).
    const W_E: f64;
    /// The weight of a synapse from I at scale 1.
    const W_I: f64;
    /// A population of `N` neurons.
    type Neurons<T: Real, const N: usize>: Population<T, N>
        + States<Snapshot: Debug + PartialEq>
        + Clone
        + Debug
        + PartialEq;
    /// The synapses on `N` neurons.
    type Receptors<T: Real, const N: usize>: Receptors<T, N>
        + States<Snapshot: Debug + PartialEq>
        + Clone
        + Debug
        + PartialEq;

    /// Gives a network of default children the benchmark's parameters and initial state, the
    /// draws seeded with `seed`.
    fn configure<T: Real, const NE: usize, const NI: usize>(
        net: &mut EiNet<T, NE, NI, Self>,
        seed: u64,
    );
}

/// `NE` E and `NI` I neurons of kind `K` ([`EiKind::Neurons`]), the receptors on each
/// ([`EiKind::Receptors`], which hold each population's constant input:
/// [`set_input`](Self::set_input)), and projections E2E, E2I, I2E, I2I.
///
/// A step, at time `t`, in BrainPy's order:
/// 1. the projections E2I, I2I, I2E, E2E add the weights of the spikes of the previous step to
///    the conductances of their targets (`g_E` from E, `g_I` from I);
/// 2. E, then I: the receptors step from V before the update (the conductances decay, the
///    currents and their sum `(input + I_exc) + I_inh` are formed), and the neurons step from
///    that sum.
///
/// `new()` has default children and no synapses; [`benchmark`](Self::benchmark) builds `K`'s
/// benchmark on a connectivity.
#[dynamical_system(crate = crate)]
pub struct EiNet<T: Real, const NE: usize, const NI: usize, K: EiKind> {
    /// Excitatory neurons.
    #[child]
    pub e: K::Neurons<T, NE>,
    /// Inhibitory neurons.
    #[child]
    pub i: K::Neurons<T, NI>,
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
    /// The synapses on E.
    #[child]
    pub e_syn: K::Receptors<T, NE>,
    /// The synapses on I.
    #[child]
    pub i_syn: K::Receptors<T, NI>,
}

impl<T: Real, const NE: usize, const NI: usize, K: EiKind> EiNet<T, NE, NI, K> {
    /// The constant input current of every neuron (the E receptors' input).
    pub fn input(&self) -> T {
        self.e_syn.input()
    }

    /// Sets the constant input current of every neuron, E and I; an error if it is not finite.
    pub fn set_input(&mut self, input: T) -> Result<(), ParamError> {
        self.e_syn.set_input(input)?;
        self.i_syn.set_input(input)
    }

    /// The network's scale, `NE / 3200` (BrainPy's `EINet(scale)`).
    pub fn scale() -> f64 {
        NE as f64 / 3200.0
    }

    /// The benchmark `K` on `connectivity` (sizes checked against `NE` and `NI`): its
    /// parameters and initial state ([`EiKind::configure`], draws seeded with `seed`), and its
    /// weights divided by the scale, without delay.
    pub fn benchmark(connectivity: EiConnectivity, seed: u64) -> Result<Self, ConnError> {
        let mut net = Self::new();
        K::configure(&mut net, seed);
        let scale = Self::scale();
        net.connect(connectivity, T::of(K::W_E / scale), T::of(K::W_I / scale))?;
        Ok(net)
    }

    /// The synapses of `connectivity` (sizes checked against `NE` and `NI`), with weight `w_e`
    /// from E and `w_i` from I, and no delay.
    pub fn connect(
        &mut self,
        connectivity: EiConnectivity,
        w_e: T,
        w_i: T,
    ) -> Result<(), ConnError> {
        let EiConnectivity { e2e, e2i, i2e, i2i } = connectivity;
        self.e2e = Projection::new(Synapses::homogeneous(e2e, w_e), 0)?;
        self.e2i = Projection::new(Synapses::homogeneous(e2i, w_e), 0)?;
        self.i2e = Projection::new(Synapses::homogeneous(i2e, w_i), 0)?;
        self.i2i = Projection::new(Synapses::homogeneous(i2i, w_i), 0)?;
        Ok(())
    }

    /// The memory the four projections' connectivity holds: 4 bytes per synapse (a `u32`
    /// target; the weights are homogeneous), 8 per presynaptic neuron (row pointers).
    pub fn footprint(&self) -> Footprint {
        let parts = [
            self.e2e.comm().footprint(),
            self.e2i.comm().footprint(),
            self.i2e.comm().footprint(),
            self.i2i.comm().footprint(),
        ];
        Footprint {
            synapses: parts.iter().map(|f| f.synapses).sum(),
            per_synapse_bytes: parts.iter().map(|f| f.per_synapse_bytes).sum(),
            per_row_bytes: parts.iter().map(|f| f.per_row_bytes).sum(),
        }
    }

    /// Sets the potentials of E and I (as `T`), e.g. to BrainPy's initial ones. A reset puts
    /// back the populations' own initial values.
    ///
    /// # Panics
    /// When a slice does not have one value per neuron.
    pub fn set_v(&mut self, e_v: &[f64], i_v: &[f64]) {
        assert_eq!((e_v.len(), i_v.len()), (NE, NI), "one potential per neuron");
        *self.e.v_mut() = SVector::from_iterator(e_v.iter().map(|&v| T::of(v)));
        *self.i.v_mut() = SVector::from_iterator(i_v.iter().map(|&v| T::of(v)));
    }
}

/// One population's half of a step: its receptors from V before the update (with the
/// population's total current), its neurons from that current.
#[inline]
fn step_population<T: Real, const N: usize>(
    sh: &Shared<()>,
    neurons: &mut impl Population<T, N>,
    receptors: &mut impl Receptors<T, N>,
) {
    receptors.update_ref(sh, neurons.v());
    neurons.update_ref(sh, receptors.total());
}

#[dynamical_system]
impl<T: Real, const NE: usize, const NI: usize, K: EiKind> EiNet<T, NE, NI, K> {
    /// One step in BrainPy's order (see the type's docs), on the calling thread: a step is a
    /// dozen short passes over the populations, and handing half of each to the second core
    /// (`looptime::parallel`) saves little on a quiet machine and waits for the scheduler on a
    /// busy one (COBA ran 3 times slower, COBAHH 15 times, at a load of 3 on two cores).
    #[update]
    fn step(&mut self, sh: &Shared<()>) {
        parallel::serial(|| {
            // Projections: the spikes of the previous step reach the conductances.
            self.e2i.deliver(self.e.spikes(), self.i_syn.g_e());
            self.i2i.deliver(self.i.spikes(), self.i_syn.g_i());
            self.i2e.deliver(self.i.spikes(), self.e_syn.g_i());
            self.e2e.deliver(self.e.spikes(), self.e_syn.g_e());
            // E, then I.
            step_population(sh, &mut self.e, &mut self.e_syn);
            step_population(sh, &mut self.i, &mut self.i_syn);
        });
    }
}
