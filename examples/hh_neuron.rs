//! Placeholder for the README's main command until the HH model lands: a hand-written leaky
//! integrator `dv/dt = (-v + I) / tau`, run over a duration and over given inputs, compared with
//! its exact solution.

use looptime::integrate::exp_euler_scalar;
use looptime::prelude::*;

/// `dv/dt = (-v + I) / tau`, one exponential-Euler step per update (exact for this equation).
struct LeakyIntegrator {
    v: f64,
    tau: f64,
}

impl DynamicalSystem for LeakyIntegrator {
    type Input = f64;
    type Output = f64;

    fn update(&mut self, sh: &Shared, i: f64) -> f64 {
        let f = (-self.v + i) / self.tau;
        let a = -1.0 / self.tau;
        self.v = exp_euler_scalar(self.v, sh.dt, f, a);
        self.v
    }

    fn reset_state(&mut self) {
        self.v = 0.0;
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tau = 10.0;
    let mut run = LoopOverTime::new(LeakyIntegrator { v: 0.0, tau }).monitor("v", |m| m.v);

    let decay = run
        .run_duration(100.0)
        .map_err(LoopError::without_history)?;
    println!(
        "over a duration: {} steps, v stays at {}",
        decay.steps,
        decay.outputs[decay.steps - 1]
    );

    run.reset_state();
    let inputs = vec![5.0; 1000];
    let driven = run
        .run_inputs(&inputs)
        .map_err(LoopError::without_history)?;
    let times = driven.times.as_deref().unwrap_or_default();
    let (v,) = &driven.monitors;
    let k = driven.steps - 1;
    let exact = 5.0 * (1.0 - (-(times[k] + 0.1) / tau).exp());
    println!(
        "over 1000 given inputs of 5.0: v({:.1} ms) = {:.12} (exact {:.12})",
        times[k] + 0.1,
        v[k],
        exact
    );
    Ok(())
}
