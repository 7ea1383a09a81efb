use looptime::nalgebra::SVector;
use looptime::prelude::*;

#[dynamical_system(inputs(i))]
struct Leak {
    #[param(default = 10.0)]
    tau: f64,
    #[state(init = 0.0)]
    v: SVector<f64, 3>,
}

#[dynamical_system(method = exp_euler)]
impl Leak {
    #[ode(v)]
    fn dv(&self, v: f64, i: f64) -> f64 {
        (-v + i) / self.tau
    }

    #[update]
    fn step(&mut self, sh: &Shared, i: SVector<f64, 3>) -> SVector<f64, 3> {
        self.integrate(sh.dt, &i);
        self.v
    }
}

fn main() {
    let mut leak = Leak::new();
    let _ = loop_over_time!(leak, steps = 10, layout = batch_first);
}
