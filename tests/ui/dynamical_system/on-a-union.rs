use looptime::prelude::*;

#[dynamical_system]
union Bits {
    f: f64,
    u: u64,
}

fn main() {}
