use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system(inputs(i))]
pub struct Pair<const N: usize> {
    #[param(default = 10.0)]
    pub tau: f64,
    #[state(init = 0.0)]
    pub v: SVector<f64, N>,
    #[state(init = 0.0)]
    pub w: SVector<f64, N>,
}

#[dynamical_system(method = exp_euler)]
impl<const N: usize> Pair<N> {
    #[ode(v)]
    fn dv(&self, v: f64, i: f64) -> f64 {
        (-v + i) / self.tau
    }

    // `ww` for `w`: neither a state nor a declared input.
    #[ode(w)]
    fn dw(&self, ww: f64, v: f64) -> f64 {
        v - ww
    }

    #[update]
    fn out(&self, _sh: &Shared, new: &mut PairElement) -> f64 {
        new.v
    }
}

fn main() {}
