use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Pair {
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
    #[state(init = 0.0)]
    w: SVector<f64, 4>,
}

#[dynamical_system(method = rk2)]
impl Pair {
    #[ode(v)]
    fn dv(&self, v: f64, w: f64) -> f64 {
        w - v
    }

    #[ode(w)]
    fn dw(&self, w: f64, v: f64) -> f64 {
        v - w
    }

    #[update]
    fn step(&mut self, _sh: &Shared) {}
}

fn main() {}
