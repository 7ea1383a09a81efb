// A parameter cannot be set through its field (that would skip its check): `set_param`,
// `update_params` or the builder check it.
use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system]
pub struct Leak<const N: usize> {
    #[param(default = 10.0, check = positive)]
    pub tau: f64,
    #[state(init = 0.0)]
    pub v: SVector<f64, N>,
}

fn shorten(leak: &mut Leak<3>) {
    leak.tau = -5.0;
}

fn main() {
    shorten(&mut Leak::<3>::new());
}
