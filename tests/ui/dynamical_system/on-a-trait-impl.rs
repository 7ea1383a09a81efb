use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Leak {
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
}

#[dynamical_system(method = euler)]
impl core::fmt::Display for Leak {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "a leak at {}", self.v[0])
    }
}

fn main() {}
