use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system(inputs(i))]
struct Relu {
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
}

#[dynamical_system(method = exp_euler)]
impl Relu {
    #[ode(v)]
    fn dv(&self, v: f64, i: f64) -> f64 {
        -v + v.max(0.0) + i
    }

    #[update]
    fn step(&mut self, _sh: &Shared) {}
}

fn main() {}
