use looptime::prelude::*;

#[dynamical_system]
enum Phase {
    Rest,
    Spike,
}

fn main() {}
