use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
pub struct Leak<const N: usize> {
    #[param(default = 10.0)]
    pub tau: f64,
    #[state(init = 0.0)]
    pub v: SVector<f64, N>,
}

#[dynamical_system(method = exp_euler)]
impl<const N: usize> Leak<N> {
    #[ode(v)]
    fn dv(&self, v: f64, i: f64) -> f64 {
        (-v + i) / self.tau
    }

    #[update]
    fn out(&self, _sh: &Shared, new: &mut LeakElement) -> f64 {
        new.v
    }
}

fn main() {}
