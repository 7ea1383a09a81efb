use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Leak {
    #[param(default = true, check = positive)]
    adaptive: bool,
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
}

fn main() {}
