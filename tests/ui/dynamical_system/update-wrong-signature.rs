use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Leak {
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
}

#[dynamical_system]
impl Leak {
    #[update]
    fn step(&mut self, i: SVector<f64, 3>) -> SVector<f64, 3> {
        self.v += i;
        self.v
    }
}

fn main() {}
