//! A `#![no_std]` crate with only `loop-core` and `loop-macros` (default features off) that
//! defines a model with `#[dynamical_system]` and steps it: the macros find loop-core by
//! themselves, and loop-core re-exports the nalgebra the model's states are made of.
#![no_std]

use loop_core::nalgebra::SVector;
use loop_core::{DynamicalSystem, Shared};
use loop_macros::dynamical_system;

/// A leaky integrate-and-fire population of `N` neurons, as on a microcontroller.
#[dynamical_system(inputs(i))]
pub struct Lif<const N: usize> {
    /// Membrane time constant (ms).
    #[param(default = 10.0, check = positive)]
    pub tau: f32,
    /// Spike threshold (mV).
    #[param(default = 20.0)]
    pub v_th: f32,
    /// Membrane potential (mV).
    #[state(init = 0.0)]
    pub v: SVector<f32, N>,
}

#[dynamical_system(method = exp_euler)]
impl<const N: usize> Lif<N> {
    #[ode(v)]
    fn dv(&self, v: f32, i: f32) -> f32 {
        (-v + i) / self.tau
    }

    #[update]
    fn fire(&self, _sh: &Shared, new: &mut LifElement) -> bool {
        let fired = new.v >= self.v_th;
        if fired {
            new.v = 0.0;
        }
        fired
    }
}

/// Steps a population of 8 neurons `steps` times under a constant input and counts the spikes.
pub fn spikes(steps: usize, input: f32) -> usize {
    let mut lif = Lif::<8>::new();
    let sh = Shared::new(0.1, ());
    let i = SVector::<f32, 8>::from_element(input);
    (0..steps)
        .map(|_| lif.update(&sh, i).iter().filter(|s| **s).count())
        .sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_driven_population_fires_and_a_quiet_one_does_not() {
        // v(t) = 25 (1 - e^(-t/10)) reaches 20 after 16.1 ms: 8 neurons fire about every 161
        // steps.
        assert_eq!(super::spikes(1000, 25.0), 8 * 6);
        assert_eq!(super::spikes(1000, 15.0), 0);
    }
}
