//! [`Expon`]: the exponential synapse, BrainPy's `brainpy.dyn.Expon` — a conductance that
//! decays with one time constant, to which an align-post projection adds the weights of the
//! spikes that reach it.
//!
//! ```
//! use looptime::prelude::*;
//! use looptime::synapses::Expon;
//!
//! // One synapse at g = 1 (a spike of weight 1 delivered), decaying as e^{-t/tau}.
//! let mut syn = Expon::<f64, 1>::builder().tau(5.0).build().unwrap();
//! syn.g[0] = 1.0;
//! let sh = Shared::new(0.1, ());
//! for _ in 0..50 {
//!     syn.update(&sh, ());
//! }
//! assert!((syn.g[0] - (-5.0_f64 / 5.0).exp()).abs() < 1e-14);
//! ```

use loop_core::Real;
use nalgebra::SMatrix;

use crate::{Shared, dynamical_system};

/// Exponential synapses: `N` conductances by a batch of `B` samples, in scalar `T`.
///
/// ```text
/// dg/dt = -g / tau          (exponential Euler: exact, g ← g e^{-dt/tau})
/// ```
///
/// (written `-g * tau.recip()`, BrainPy's arithmetic: see the module docs of `synapses`).
///
/// Spikes are added to `g` from outside, before the step (BrainPy's `ProjAlignPostMg2`: the
/// projection adds `Σ w` of the spikes that arrive, then the synapse decays). A step returns
/// nothing: read `g`. An output ([`Coba`](super::Coba), [`Cuba`](super::Cuba)) turns it into a current.
#[dynamical_system(crate = crate)]
#[derive(Clone, PartialEq)]
pub struct Expon<T: Real, const N: usize, const B: usize = 1> {
    /// Decay time constant (ms).
    #[param(default = 8.0, check = positive)]
    pub tau: T,
    /// Conductance (or current, under [`Cuba`](super::Cuba)).
    #[state]
    pub g: SMatrix<T, N, B>,
}

#[dynamical_system(method = exp_euler)]
impl<T: Real, const N: usize, const B: usize> Expon<T, N, B> {
    #[ode(g)]
    fn dg(&self, g: T) -> T {
        -g * self.tau.recip()
    }

    /// Nothing after the decay: a step is the decay alone.
    #[update]
    fn decay(&self, _sh: &Shared, _new: &mut ExponElement<T>) {}
}
