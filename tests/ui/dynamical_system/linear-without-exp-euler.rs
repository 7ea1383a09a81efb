use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Leak {
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
}

#[dynamical_system(method = rk4)]
impl Leak {
    #[ode(v, linear = -1.0)]
    fn dv(&self, v: f64) -> f64 {
        -v
    }

    #[update]
    fn step(&mut self, _sh: &Shared) {}
}

fn main() {}
