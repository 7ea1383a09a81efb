use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Leak {
    #[state(initial = 0.0)]
    v: SVector<f64, 3>,
}

fn main() {}
