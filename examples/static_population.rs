//! `loop_over_time!` on a population of leaky integrators: the step count (100 ms at dt 0.1 =
//! 1000 steps) is known at compile time, so the outputs and the monitored voltages come back as
//! boxed arrays whose length is in their type, and the loop is unrolled by 8.

use looptime::nalgebra::SVector;
use looptime::prelude::*;

/// `dv/dt = (v_rest - v + r·I) / tau` for N neurons, integrated with exponential Euler (exact for
/// this linear equation).
#[dynamical_system(inputs(i))]
struct LeakyPopulation<const N: usize> {
    #[param(default = -65.0)]
    v_rest: f64,
    #[param(default = 10.0, check = positive)]
    tau: f64,
    #[param(default = 1.0, check = positive)]
    r: f64,
    #[state(init = v_rest)]
    v: SVector<f64, N>,
}

#[dynamical_system(method = exp_euler)]
impl<const N: usize> LeakyPopulation<N> {
    #[ode(v)]
    fn dv(&self, v: f64, i: f64) -> f64 {
        (self.v_rest - v + self.r * i) / self.tau
    }

    #[update]
    fn step(&mut self, sh: &Shared, i: SVector<f64, N>) -> f64 {
        self.integrate(sh.dt, &i);
        self.v.mean()
    }
}

fn main() {
    // 400 steps of input: neuron n gets 0.1·n nA. The array's length is the step count, so the
    // outputs and the monitor come back as arrays of 400.
    let mut population = LeakyPopulation::<100>::new();
    let drive = SVector::<f64, 100>::from_fn(|n, _| 0.1 * n as f64);
    let inputs: [SVector<f64, 100>; 400] = [drive; 400];
    let (mean_v, (v,)) = loop_over_time!(
        population,
        inputs = inputs,
        dt = 0.1,
        monitor = [v],
        unroll = 8
    );
    let mean_v: Box<[f64; 400]> = mean_v;
    let v: Box<[SVector<f64, 100>; 400]> = v;
    println!(
        "driven for 40 ms: outputs [f64; {}], monitored v [SVector<f64, 100>; {}]",
        mean_v.len(),
        v.len()
    );
    // Exponential Euler is exact here: v(t) = v_rest + r·I·(1 - e^(-t/tau)).
    let t = 40.0;
    let exact = -65.0 + 9.9 * (1.0 - (-t / 10.0_f64).exp());
    println!(
        "neuron 99 at t = 40 ms: {:.9} mV (exact {exact:.9} mV)",
        v[399][99]
    );

    // Then 100 ms without input (1000 steps, known at compile time from the literals).
    let (_, (v,)) = loop_over_time!(
        population,
        duration = 100.0,
        dt = 0.1,
        monitor = [v],
        unroll = 8
    );
    println!(
        "after 100 ms more without input, neuron 99 is back to {:.6} mV over {} steps",
        v[999][99],
        v.len()
    );
}
