mod model {
    use looptime::nalgebra::SVector;
    use looptime::prelude::*;

    #[dynamical_system]
    pub struct Leak<const N: usize> {
        #[param(default = 10.0)]
        pub tau: f64,
        #[state(init = 1.0)]
        pub v: SVector<f64, N>,
    }
}

mod equations {
    use super::model::Leak;
    use looptime::prelude::*;

    // The impl reaches the struct, but not the types generated beside it.
    #[dynamical_system(method = exp_euler)]
    impl<const N: usize> Leak<N> {
        #[ode(v)]
        fn dv(&self, v: f64) -> f64 {
            -v / self.tau
        }

        #[update]
        fn step(&mut self, _sh: &Shared) {}
    }
}

fn main() {}
