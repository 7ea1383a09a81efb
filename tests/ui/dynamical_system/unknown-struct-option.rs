use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system(method = euler)]
struct Leak {
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
}

fn main() {}
