use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Izh {
    #[param(default = 0.2)]
    b: f64,
    #[state(init = b * v)]
    u: SVector<f64, 3>,
    #[state(init = -70.0)]
    v: SVector<f64, 3>,
}

fn main() {}
