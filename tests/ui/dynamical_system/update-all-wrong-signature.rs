use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Gain {
    #[param(default = 2.0)]
    k: f64,
}

#[dynamical_system]
impl Gain {
    #[update]
    fn step(&mut self, _sh: &Shared, x: SVector<f64, 2>) -> SVector<f64, 2> {
        x * self.k
    }

    #[update_all]
    fn step_all(&mut self, xs: &[SVector<f64, 2>]) -> Vec<SVector<f64, 2>> {
        xs.iter().map(|x| x * self.k).collect()
    }
}

fn main() {}
