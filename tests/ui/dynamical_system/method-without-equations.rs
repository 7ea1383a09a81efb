use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Leak {
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
}

#[dynamical_system(method = rk4)]
impl Leak {
    fn decay(&self) -> f64 {
        0.5
    }
}

fn main() {}
