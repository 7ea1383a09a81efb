use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
pub struct Counter<const N: usize> {
    #[param(default = 3, check = positive)]
    pub every: u8,
    #[state(init = 0)]
    pub count: SVector<i32, N>,
}

fn main() {}
