use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Leak {
    #[state(init = "resting")]
    v: SVector<f64, 3>,
}

fn main() {}
