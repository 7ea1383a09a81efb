use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Leak {
    #[param(defualt = 10.0)]
    tau: f64,
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
}

fn main() {}
