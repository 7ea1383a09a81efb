use looptime::prelude::*;

#[dynamical_system]
fn leak(v: f64) -> f64 {
    -v
}

fn main() {}
