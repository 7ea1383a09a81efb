use looptime::nalgebra::SVector;
use looptime::prelude::*;

struct Leak {
    v: SVector<f64, 3>,
}

#[dynamical_system(method = euler)]
impl Leak {
    #[ode(v)]
    fn dv(&self, v: f64) -> f64 {
        -v
    }
}

fn main() {}
