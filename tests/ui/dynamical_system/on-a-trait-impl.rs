use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Leak {
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
}

#[dynamical_system(method = euler)]
impl Clone for Leak {
    fn clone(&self) -> Self {
        Leak { v: self.v }
    }
}

fn main() {}
