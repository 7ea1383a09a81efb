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

/// The struct in one module, its equations in another that imports it: the impl finds the
/// struct's fields through the import.
mod defined_here {
    use looptime::dynamical_system;
    use looptime::nalgebra::SVector;

    #[dynamical_system]
    pub struct Leak<const N: usize> {
        #[param(default = 10.0, check = positive)]
        pub tau: f64,
        #[state(init = 1.0)]
        pub v: SVector<f64, N>,
    }
}

mod equations_there {
    // The struct, its generated types and the types its fields name.
    use super::defined_here::{Leak, LeakElement, LeakParams};
    use looptime::nalgebra::SVector;
    use looptime::{Shared, dynamical_system};

    #[dynamical_system(method = exp_euler)]
    impl<const N: usize> Leak<N> {
        #[ode(v)]
        fn dv(&self, v: f64) -> f64 {
            -v / self.tau
        }

        #[update]
        fn decay(&self, _sh: &Shared, new: &mut LeakElement) -> f64 {
            new.v
        }
    }
}

/// A helper that takes the shared values as the update does.
fn dt_of(sh: &Shared) -> f64 {
    sh.dt
}

#[dynamical_system]
struct UsesHelper {
    #[state(init = 0.0)]
    t: SVector<f64, 1>,
}

#[dynamical_system]
impl UsesHelper {
    #[update]
    fn step(&mut self, sh: &Shared, _x: ()) -> f64 {
        self.t[0] += dt_of(sh);
        self.t[0]
    }
}

/// The same, saying what it needs: nothing.
#[dynamical_system]
struct SaysNeeds {
    #[state(init = 0.0)]
    t: SVector<f64, 1>,
}

#[dynamical_system]
impl SaysNeeds {
    #[update(needs())]
    fn step(&mut self, sh: &Shared, _x: ()) -> f64 {
        self.t[0] += dt_of(sh);
        self.t[0]
    }
}

#[test]
fn an_impl_in_another_module_and_a_helper_taking_shared() {
    let mut leak = defined_here::Leak::<3>::new();
    let out = leak.update(&Shared::new(0.1, ()), ());
    assert_eq!(out[0], (-0.01_f64).exp_m1() + 1.0);
    let mut helped = UsesHelper::new();
    assert_eq!(helped.update(&Shared::new(0.25, 7_u8), ()), 0.25);
    // `sh` handed whole to a helper may be read there: the model says it needs `t` and `i`.
    assert_eq!(
        DynamicalSystem::<()>::needs(&helped),
        Needs { t: true, i: true }
    );
    assert_eq!(
        DynamicalSystem::<()>::needs(&SaysNeeds::new()),
        Needs::NOTHING
    );
}
