//! [`Receptors`]: the synapses on one population — an excitatory and an inhibitory conductance
//! (or current), into which projections deliver spikes — and the population's input formed
//! from them, as BrainPy's `sum_current_inputs(V, init=input)` forms it: `(input + I_exc) +
//! I_inh`, with V before the update.
//!
//! Two kinds: [`CobaReceptors`](super::CobaReceptors) (conductance-based) and
//! [`CubaReceptors`](super::CubaReceptors) (current-based).

use loop_core::Real;
use nalgebra::SVector;

use crate::{DynamicalSystem, ParamError, States};

/// The synapses on a population of `N` neurons of scalar `T` (see the module docs). A step
/// takes the population's potential (lent) and leaves the population's total current in
/// [`total`](Self::total).
pub trait Receptors<T: Real, const N: usize>:
    DynamicalSystem<(), Input = SVector<T, N>, Output = ()> + States + Default
{
    /// The excitatory conductance, which projections from E deliver into.
    fn g_e(&mut self) -> &mut SVector<T, N>;
    /// The inhibitory conductance, which projections from I deliver into.
    fn g_i(&mut self) -> &mut SVector<T, N>;
    /// The population's total current of the last step: `(input + I_exc) + I_inh`.
    fn total(&self) -> &SVector<T, N>;
    /// The constant input current.
    fn input(&self) -> T;
    /// Sets the constant input current; an error if it is not finite.
    fn set_input(&mut self, input: T) -> Result<(), ParamError>;
}

/// `Receptors` for a model with the fields `ge`, `gi`, `total` (states) and `input` (a
/// parameter), as both kinds have them.
macro_rules! receptors_of_fields {
    ($model:ident) => {
        impl<T: Real, const N: usize> super::receptors::Receptors<T, N> for $model<T, N> {
            fn g_e(&mut self) -> &mut SMatrix<T, N, 1> {
                &mut self.ge
            }

            fn g_i(&mut self) -> &mut SMatrix<T, N, 1> {
                &mut self.gi
            }

            fn total(&self) -> &SMatrix<T, N, 1> {
                &self.total
            }

            fn input(&self) -> T {
                self.input
            }

            fn set_input(&mut self, input: T) -> Result<(), crate::ParamError> {
                self.update_params(|p| p.input = input)
            }
        }
    };
}

pub(super) use receptors_of_fields;
