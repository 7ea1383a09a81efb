use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Leak {
    #[state(init = 0.0)]
    #[state]
    v: SVector<f64, 3>,
}

fn main() {}
