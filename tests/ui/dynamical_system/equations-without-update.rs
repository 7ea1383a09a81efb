use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
pub struct Leak<const N: usize> {
    #[param(default = 10.0)]
    pub tau: f64,
    #[state(init = 1.0)]
    pub v: SVector<f64, N>,
}

#[dynamical_system(method = euler)]
impl<const N: usize> Leak<N> {
    #[ode(v)]
    fn dv(&self, v: f64) -> f64 {
        -v / self.tau
    }
}

fn main() {}
