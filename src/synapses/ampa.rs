//! [`Ampa`] and [`GabaA`]: transmitter-gated kinetics, BrainPy's `brainpy.dyn.AMPA` and
//! `brainpy.dyn.GABAa` — a spike releases transmitter at concentration `transmitter` for `t_dur`
//! ms, during which the channels open at rate `alpha`; they close at rate `beta`.
//!
//! The two are one model with different defaults (as `GABAa` is BrainPy's `AMPA` with other
//! arguments); the equations are written once, in the macro below, which stamps out each type.

use loop_core::Real;
use nalgebra::SMatrix;

use crate::{Shared, dynamical_system};

/// A transmitter-gated synapse type named `$name` (elements `$element`) with these defaults.
macro_rules! transmitter_gated {
    (
        $(#[$doc:meta])*
        $name:ident, $element:ident:
        alpha = $alpha:literal, beta = $beta:literal, transmitter = $t:literal, t_dur = $d:literal
    ) => {
        $(#[$doc])*
        ///
        /// ```text
        /// last spike  = t if a spike arrives now, else the time of the last one
        /// TT          = transmitter if t - last spike < t_dur, else 0
        /// dg/dt       = alpha TT (1 - g) - beta g
        /// ```
        ///
        /// The arrival time is updated before `TT` is read (BrainPy's order), so a spike opens
        /// the channels at the step it arrives. A step returns nothing: read `g`. Times are in `T`,
        /// as in BrainPy (float32 when it runs in float32) and as LIF's refractory period: the
        /// loop's `t` is rounded to `T`.
        #[dynamical_system(crate = crate, inputs(spike: bool))]
        #[derive(Clone, PartialEq)]
        pub struct $name<T: Real, const N: usize, const B: usize = 1> {
            /// Opening rate (1/(mM·ms)).
            #[param(default = $alpha, check = non_negative)]
            pub alpha: T,
            /// Closing rate (1/ms).
            #[param(default = $beta, check = non_negative)]
            pub beta: T,
            /// Transmitter concentration during a release (mM).
            #[param(default = $t, check = non_negative)]
            pub transmitter: T,
            /// Duration of a release (ms).
            #[param(default = $d, check = [non_negative, finite])]
            pub t_dur: T,
            /// Fraction of open channels.
            #[state]
            pub g: SMatrix<T, N, B>,
            /// Time of the last presynaptic spike (ms); -1e7 before the first.
            #[state(init = -1e7)]
            pub arrival: SMatrix<T, N, B>,
        }

        #[dynamical_system(method = exp_euler)]
        impl<T: Real, const N: usize, const B: usize> $name<T, N, B> {
            #[ode(g)]
            fn dg(&self, g: T, arrival: T, spike: bool, t: f64) -> T {
                let t = T::of(t);
                let last = if spike { t } else { arrival };
                let tt = if t - last < self.t_dur { self.transmitter } else { T::zero() };
                self.alpha * tt * (T::one() - g) - self.beta * g
            }

            /// After the step, each synapse: a presynaptic spike is the new arrival time.
            #[update]
            fn arrive(&self, sh: &Shared, new: &mut $element<T>, spike: bool) {
                if spike {
                    new.arrival = T::of(sh.time());
                }
            }
        }
    };
}

transmitter_gated! {
    /// AMPA synapses (BrainPy's defaults): `N` by a batch of `B`, in scalar `T`, each driven by
    /// the spikes of its presynaptic neuron (align-pre).
    Ampa, AmpaElement: alpha = 0.98, beta = 0.18, transmitter = 0.5, t_dur = 0.5
}

transmitter_gated! {
    /// GABA_A synapses (BrainPy's defaults): `N` by a batch of `B`, in scalar `T`, each driven
    /// by the spikes of its presynaptic neuron (align-pre).
    GabaA, GabaAElement: alpha = 0.53, beta = 0.18, transmitter = 1.0, t_dur = 1.0
}
