use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system(inputs(v))]
pub struct Leak<const N: usize> {
    #[param(default = 10.0)]
    pub tau: f64,
    #[state(init = 0.0)]
    pub v: SVector<f64, N>,
}

fn main() {}
