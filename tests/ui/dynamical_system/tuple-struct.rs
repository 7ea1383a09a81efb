use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
struct Leak(SVector<f64, 3>);

fn main() {}
