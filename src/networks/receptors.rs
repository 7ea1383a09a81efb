//! [`Receptors`]: the synapses on one population — an excitatory and an inhibitory conductance,
//! into which projections deliver spikes, each with the output that turns it into a current —
//! and how a network forms the population's input from them ([`total_current`]), as BrainPy's
//! `sum_current_inputs(V, init=input)` does: `(input + I_exc) + I_inh`, with V before the update.
//!
//! Two kinds: [`CobaReceptors`](super::CobaReceptors) (conductance-based: `Expon` and `Coba`)
//! and [`CubaReceptors`](super::CubaReceptors) (current-based: `Expon` and `Cuba`).

use loop_core::Real;
use nalgebra::SVector;

use crate::elements::step_elements;
use crate::{DynamicalSystem, States};

/// The synapses on a population of `N` neurons of scalar `T` (see the module docs). A step
/// takes the population's potential (lent) and leaves the two currents in the outputs.
pub trait Receptors<T, const N: usize>:
    DynamicalSystem<(), Input = SVector<T, N>, Output = ()> + States + Default
{
    /// The excitatory conductance, which projections from E deliver into.
    fn g_e(&mut self) -> &mut SVector<T, N>;
    /// The inhibitory conductance, which projections from I deliver into.
    fn g_i(&mut self) -> &mut SVector<T, N>;
    /// The excitatory and inhibitory currents of the last step.
    fn currents(&self) -> (&SVector<T, N>, &SVector<T, N>);
}

/// `total = (input + exc) + inh`, element by element, from the receptors' last currents
/// (through the element driver, like any population step: the CPU's widest vectors).
#[inline]
pub fn total_current<T: Real, const N: usize>(
    total: &mut SVector<T, N>,
    input: T,
    receptors: &impl Receptors<T, N>,
) {
    let (exc, inh) = receptors.currents();
    step_elements(
        (total.as_mut_slice(),),
        (exc.as_slice(), inh.as_slice()),
        (),
        #[inline(always)]
        |_: (T,), _: (T, T)| (),
        #[inline(always)]
        move |total: &mut (T,), (a, b): (T, T), ()| total.0 = input + a + b,
    );
}
