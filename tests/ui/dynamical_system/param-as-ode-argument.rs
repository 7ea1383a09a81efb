use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Leak {
    #[param(default = 10.0)]
    tau: f64,
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
}

#[dynamical_system(method = euler)]
impl Leak {
    #[ode(v)]
    fn dv(&self, v: f64, tau: f64) -> f64 {
        -v / tau
    }

    #[update]
    fn step(&mut self, _sh: &Shared) {}
}

fn main() {}
