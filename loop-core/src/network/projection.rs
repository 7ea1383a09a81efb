//! [`Projection`]: an align-post projection between two populations whose sizes are in its
//! type, so that a network connecting the wrong populations does not compile, and which is a
//! child of a `#[dynamical_system]` network (it implements [`DynamicalSystem`] and [`States`]:
//! a reset forgets the spikes in flight, a snapshot keeps them).
//!
//! A network's update calls [`deliver`](Projection::deliver) with the presynaptic population's
//! spikes and the postsynaptic synapse's conductance (BrainPy's `ProjAlignPostMg2`: the spikes of
//! the previous step, added before the conductance decays). Stepped as a system of its own, it
//! takes the presynaptic spikes and returns the current it would add.
//!
//! ```
//! use nalgebra::SVector;
//! use loop_core::network::{Csr, Projection, Synapses};
//!
//! // Neuron 0 of 2 reaches neurons 1 and 2 of 3 with weight 0.6.
//! let csr = Csr::from_csr(2, 3, &[0_i64, 2, 2], &[1_i64, 2]).unwrap();
//! let mut proj = Projection::<_, f64, 2, 3>::new(Synapses::homogeneous(csr, 0.6), 0).unwrap();
//! let mut g = SVector::<f64, 3>::zeros();
//! proj.deliver(&SVector::from([true, false]), &mut g);
//! assert_eq!(g, SVector::from([0.0, 0.6, 0.6]));
//! ```

use nalgebra::SVector;

use super::align_post::AlignPost;
use super::comm::Comm;
use super::csr::Csr;
use super::delay::DelayLine;
use super::error::{ConnError, InvalidConn};
use super::synapses::Synapses;
use crate::{DynamicalSystem, Real, Shared, StateVisitor, States};

/// An align-post projection (an [`AlignPost`] through comm `C`, delivering into conductances of
/// scalar `T`) from a population of `PRE` neurons to one of `POST`.
#[derive(Clone, Debug)]
pub struct Projection<C, T, const PRE: usize, const POST: usize> {
    inner: AlignPost<C, T>,
}

impl<C: Comm<T>, T: Real, const PRE: usize, const POST: usize> Projection<C, T, PRE, POST> {
    /// A projection through `comm` with a delay of `delay` steps; an error when `comm` does not
    /// connect `PRE` to `POST` neurons.
    pub fn new(comm: C, delay: usize) -> Result<Self, ConnError> {
        let (n_pre, n_post) = (comm.n_pre(), comm.n_post());
        if (n_pre, n_post) != (PRE, POST) {
            return Err(ConnError::Invalid(InvalidConn::Sizes {
                n_pre,
                n_post,
                pre: PRE,
                post: POST,
            }));
        }
        Ok(Projection {
            inner: AlignPost::new(comm, delay),
        })
    }

    /// One step: adds to `g` the weights of the presynaptic neurons that fired `delay` steps
    /// before `pre_spikes` (see [`AlignPost::deliver`]). Allocates nothing.
    #[inline]
    pub fn deliver(&mut self, pre_spikes: &SVector<bool, PRE>, g: &mut SVector<T, POST>) {
        self.inner.deliver(pre_spikes.as_slice(), g.as_mut_slice());
    }

    /// The projection's delivery, untyped.
    pub fn align_post(&self) -> &AlignPost<C, T> {
        &self.inner
    }

    /// The comm.
    pub fn comm(&self) -> &C {
        self.inner.comm()
    }

    /// The comm, to change its weights.
    pub fn comm_mut(&mut self) -> &mut C {
        self.inner.comm_mut()
    }

    /// The delay, in steps.
    pub fn delay(&self) -> usize {
        self.inner.delay()
    }
}

/// No synapses: a projection that delivers nothing, until the network replaces it with one built
/// from a connectivity (what a network's `new()` starts from).
impl<W: Default, T: Real, const PRE: usize, const POST: usize> Default
    for Projection<Synapses<W>, T, PRE, POST>
where
    Synapses<W>: Comm<T>,
{
    fn default() -> Self {
        let empty = Csr::from_csr::<usize>(PRE, POST, &alloc::vec![0; PRE + 1], &[])
            .expect("an empty connectivity is valid");
        Projection {
            inner: AlignPost::new(Synapses::homogeneous(empty, W::default()), 0),
        }
    }
}

/// Stepped alone: the presynaptic spikes in, the current of the spikes that arrive out (BrainPy's
/// projection output, before a synapse model adds it).
impl<A, C: Comm<T>, T: Real, const PRE: usize, const POST: usize> DynamicalSystem<A>
    for Projection<C, T, PRE, POST>
{
    type Input = SVector<bool, PRE>;
    type Output = SVector<T, POST>;

    fn update(&mut self, sh: &Shared<A>, x: Self::Input) -> Self::Output {
        self.update_ref(sh, &x)
    }

    fn update_ref(&mut self, _sh: &Shared<A>, x: &Self::Input) -> Self::Output {
        SVector::from_column_slice(self.inner.receive(x.as_slice()))
    }

    fn reset_state(&mut self) {
        self.inner.reset();
    }

    /// With no delay the output depends on the step's input alone.
    fn is_stateless(&self) -> bool {
        self.inner.delay() == 0
    }
}

/// The spikes in flight are the projection's state: a reset forgets them, a snapshot keeps them.
/// They are not shown to visitors (they are the presynaptic population's past spikes). Not
/// suggested when a type lacks `States` (the message about `#[dynamical_system]` is the one).
#[diagnostic::do_not_recommend]
impl<C: Comm<T>, T: Real, const PRE: usize, const POST: usize> States
    for Projection<C, T, PRE, POST>
{
    type Snapshot = DelayLine<bool>;
    const STATE_NAMES: &'static [&'static str] = &[];
    const CHILD_NAMES: &'static [&'static str] = &[];

    fn reset_states(&mut self) {
        self.inner.reset();
    }

    fn visit_states(&self, _visitor: &mut dyn StateVisitor) {}

    fn snapshot(&self) -> Self::Snapshot {
        self.inner.spikes_in_flight().clone()
    }

    fn restore(&mut self, snapshot: &Self::Snapshot) {
        self.inner.restore_spikes_in_flight(snapshot);
    }
}
