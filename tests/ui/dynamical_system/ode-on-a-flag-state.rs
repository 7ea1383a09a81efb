use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Lif {
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
    #[state]
    spike: SVector<bool, 3>,
}

#[dynamical_system(method = euler)]
impl Lif {
    #[ode(spike)]
    fn dspike(&self, v: f64) -> f64 {
        v
    }

    #[update]
    fn step(&mut self, _sh: &Shared) {}
}

fn main() {}
