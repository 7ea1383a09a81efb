use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Leak {
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
}

#[dynamical_system(method = euler)]
impl Leak {
    #[ode(v)]
    fn dv(&self, v: f64) -> f64 {
        -v
    }

    #[ode(v)]
    fn dv_again(&self, v: f64) -> f64 {
        -2.0 * v
    }

    #[update]
    fn step(&mut self, _sh: &Shared) {}
}

fn main() {}
