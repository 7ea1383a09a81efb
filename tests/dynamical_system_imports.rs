//! A model written with explicit imports (no prelude glob) compiles without unused-import
//! warnings: the generated code keeps the user's own `Shared` path when it makes the update
//! generic over the shared args.
#![deny(unused_imports)]

use looptime::nalgebra::SVector;
use looptime::{DynamicalSystem, Needs, Shared, dynamical_system};

#[dynamical_system]
struct Counter {
    #[state(init = 0.0)]
    n: SVector<f64, 1>,
}

#[dynamical_system]
impl Counter {
    #[update]
    fn step(&mut self, sh: &Shared, x: f64) -> f64 {
        self.n[0] += x * sh.dt;
        self.n[0]
    }
}

#[test]
fn the_update_is_generic_over_the_shared_args_and_reads_dt() {
    let mut c = Counter::new();
    assert_eq!(c.update(&Shared::new(0.5, "any args"), 2.0), 1.0);
    assert_eq!(DynamicalSystem::<()>::needs(&c), Needs::NOTHING);
}
