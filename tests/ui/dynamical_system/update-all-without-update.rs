use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Gain {
    #[param(default = 2.0)]
    k: f64,
}

#[dynamical_system]
impl Gain {
    #[update_all]
    fn step_all(&mut self, _sh: &Shared, xs: &[SVector<f64, 2>], out: &mut Vec<SVector<f64, 2>>) {
        out.extend(xs.iter().map(|x| x * self.k));
    }
}

fn main() {}
