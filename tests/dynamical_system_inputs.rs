//! Declared inputs: a model with two inputs takes them by name (`<Name>Input`, or lent as
//! `<Name>InputRef`), so they cannot be swapped, per element and through `integrate`; numbers
//! against a hand-written step.

use looptime::nalgebra::SVector;
use looptime::prelude::*;

/// A conductance-driven membrane: dv/dt = (g_exc (e_exc - v) + g_inh (e_inh - v) - v) / tau.
#[dynamical_system(inputs(g_exc, g_inh))]
struct Membrane<const N: usize> {
    #[param(default = 10.0, check = positive)]
    tau: f64,
    #[param(default = 0.0)]
    e_exc: f64,
    #[param(default = -80.0)]
    e_inh: f64,
    #[state(init = -60.0)]
    v: SVector<f64, N>,
}

#[dynamical_system(method = euler)]
impl<const N: usize> Membrane<N> {
    #[ode(v)]
    fn dv(&self, v: f64, g_exc: f64, g_inh: f64) -> f64 {
        (g_exc * (self.e_exc - v) + g_inh * (self.e_inh - v) - v) / self.tau
    }

    #[update]
    fn out(&self, _sh: &Shared, new: &mut MembraneElement) -> f64 {
        new.v
    }
}

/// The same equation stepped through `integrate` by a whole-model update.
#[dynamical_system(inputs(g_exc, g_inh))]
struct Whole<const N: usize> {
    #[param(default = 10.0, check = positive)]
    tau: f64,
    #[state(init = -60.0)]
    v: SVector<f64, N>,
}

#[dynamical_system(method = euler)]
impl<const N: usize> Whole<N> {
    #[ode(v)]
    fn dv(&self, v: f64, g_exc: f64, g_inh: f64) -> f64 {
        (g_exc * (0.0 - v) + g_inh * (-80.0 - v) - v) / self.tau
    }

    #[update]
    fn step(&mut self, sh: &Shared, x: &WholeInput<N>) -> SVector<f64, N> {
        self.integrate(sh.dt, x);
        self.v
    }
}

#[test]
fn two_inputs_go_by_name_and_step_like_a_hand_written_loop() {
    let g_exc = SVector::<f64, 3>::new(0.5, 1.0, 0.0);
    let g_inh = SVector::<f64, 3>::new(0.0, 0.2, 1.5);
    let input = MembraneInput { g_exc, g_inh };
    let mut model = Membrane::<3>::new();
    let mut whole = Whole::<3>::new();
    let sh = Shared::new(0.1, ());
    let mut v = [-60.0_f64; 3];
    for _ in 0..50 {
        let out = model.update_ref(&sh, &input);
        let whole_out = whole.update(&sh, WholeInput { g_exc, g_inh });
        for k in 0..3 {
            let dv = (g_exc[k] * (0.0 - v[k]) + g_inh[k] * (-80.0 - v[k]) - v[k]) / 10.0;
            v[k] += 0.1 * dv;
        }
        assert_eq!(out.as_slice(), &v);
        assert_eq!(whole_out.as_slice(), &v);
    }
    // A duration feeds zero inputs: the membrane relaxes towards 0.
    let mut run = LoopOverTime::new(Membrane::<3>::new());
    let h = run.run_duration(1.0).unwrap();
    assert!(h.outputs[9][0] > -60.0);
}

/// Lent inputs (`<Name>InputRef`: `update_lent`, `integrate`) step exactly as owned ones.
#[test]
fn lent_inputs_step_as_owned_ones() {
    let g_exc = SVector::<f64, 70>::from_fn(|k, _| k as f64 * 0.01);
    let g_inh = SVector::<f64, 70>::from_fn(|k, _| (k % 7) as f64 * 0.1);
    let input = MembraneInput { g_exc, g_inh };
    let (mut owned, mut lent) = (Membrane::<70>::new(), Membrane::<70>::new());
    let (mut whole_owned, mut whole_lent) = (Whole::<70>::new(), Whole::<70>::new());
    let sh = Shared::new(0.1, ());
    for _ in 0..20 {
        let a = owned.update_ref(&sh, &input);
        let b = lent.update_lent(
            &sh,
            MembraneInputRef {
                g_exc: &g_exc,
                g_inh: &g_inh,
            },
        );
        assert_eq!(a, b);
        whole_owned.update(&sh, WholeInput { g_exc, g_inh });
        whole_lent.integrate(
            0.1,
            WholeInputRef {
                g_exc: &g_exc,
                g_inh: &g_inh,
            },
        );
        assert_eq!(whole_owned.v, whole_lent.v);
    }
    // An owned input lends itself.
    let lent_of: MembraneInputRef<'_, 70> = (&input).into();
    assert_eq!(lent_of.g_inh, &g_inh);
}
