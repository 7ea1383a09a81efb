use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Leak {
    #[param(default = 1.0)]
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
}

fn main() {}
