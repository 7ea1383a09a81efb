//! What `#[dynamical_system]` generates from a struct: constructor and validating builder, params
//! by name, reset and snapshots (children included), introspection of states by path, monitor
//! probes, `Debug`, and the `DynamicalSystem` impl of an `#[update]` function (including what it
//! reads of the shared values).

use looptime::nalgebra::SVector;
use looptime::prelude::*;
use looptime::{Check, LoopError, StateInfo, state_infos, state_values};

type V3 = SVector<f64, 3>;

/// Izhikevich-like: u starts at b·v0, an init that reads a param and an earlier state.
#[dynamical_system(inputs(i))]
struct Neuron<const N: usize> {
    #[param(default = 0.2, check = [positive, finite])]
    b: f64,
    #[param(default = -70.0)]
    v0: f64,
    #[param(default = 10.0, check = positive)]
    tau: f64,
    #[param(default = 0.5, check = unit_interval)]
    p_release: f64,
    #[param]
    gain: f64,
    #[state(init = v0)]
    v: SVector<f64, N>,
    #[state(init = b * v0)]
    u: SVector<f64, N>,
    #[state]
    spike: SVector<bool, N>,
    /// A plain field: neither param nor state; built with Default.
    steps_taken: usize,
}

#[dynamical_system(method = euler)]
impl<const N: usize> Neuron<N> {
    #[ode(v)]
    fn dv(&self, v: f64, u: f64, i: f64) -> f64 {
        (-v - u + i) / self.tau * self.gain
    }

    #[ode(u)]
    fn du(&self, u: f64, v: f64) -> f64 {
        self.b * v - u
    }

    #[update]
    fn step(&mut self, sh: &Shared, i: SVector<f64, N>) -> SVector<bool, N> {
        self.integrate(sh.dt, &i);
        self.spike = self.v.map(|v| v > 0.0);
        self.steps_taken += 1;
        self.spike
    }
}

/// A leaky unit whose update reads the time (a pulse that starts at t = 1).
#[dynamical_system]
struct Pulse {
    #[state(init = 0.0)]
    x: SVector<f64, 2>,
}

#[dynamical_system]
impl Pulse {
    #[update]
    fn step(&mut self, sh: &Shared) -> f64 {
        if sh.time() >= 1.0 {
            self.x.add_scalar_mut(1.0);
        }
        self.x[0]
    }
}

/// A network of two children; its update feeds one into the other.
#[dynamical_system]
struct Pair {
    #[child(init = Neuron::<3>::builder().gain(2.0).build().unwrap())]
    l1: Neuron<3>,
    #[child]
    l2: Pulse,
    #[state(init = 0.0)]
    total: SVector<f64, 1>,
}

#[dynamical_system]
impl Pair {
    #[update]
    fn step(&mut self, sh: &Shared, i: SVector<f64, 3>) -> f64 {
        let spikes = self.l1.update(sh, i);
        let pulse = self.l2.update(sh, ());
        self.total[0] += pulse + spikes.iter().filter(|s| **s).count() as f64;
        self.total[0]
    }
}

fn neuron() -> Neuron<3> {
    Neuron::<3>::builder().gain(1.5).build().unwrap()
}

#[test]
fn builder_applies_defaults_and_inits_read_params_and_earlier_states() {
    let n = neuron();
    assert_eq!((n.b, n.v0, n.tau, n.gain), (0.2, -70.0, 10.0, 1.5));
    assert_eq!(n.v, V3::from_element(-70.0));
    assert_eq!(n.u, V3::from_element(0.2 * -70.0));
    assert_eq!(n.spike, SVector::<bool, 3>::from_element(false));
    assert_eq!(n.steps_taken, 0);
    let n = Neuron::<3>::builder()
        .gain(1.0)
        .v0(-60.0)
        .b(0.25)
        .build()
        .unwrap();
    assert_eq!(n.u, V3::from_element(-15.0));
}

#[test]
fn builder_errors_name_the_param_and_the_rule() {
    let err = Neuron::<3>::builder()
        .gain(1.0)
        .tau(-2.0)
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        ParamError::Invalid {
            model: "Neuron",
            param: "tau",
            rule: Check::Positive,
            value: -2.0
        }
    );
    assert!(
        err.to_string().contains("`tau`") && err.to_string().contains("positive"),
        "{err}"
    );

    let err = Neuron::<3>::builder()
        .gain(1.0)
        .b(f64::INFINITY)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            err,
            ParamError::Invalid {
                param: "b",
                rule: Check::Finite,
                ..
            }
        ),
        "{err:?}"
    );
    let err = Neuron::<3>::builder()
        .gain(1.0)
        .p_release(1.5)
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        ParamError::Invalid {
            param: "p_release",
            rule: Check::UnitInterval,
            ..
        }
    ));

    let err = Neuron::<3>::builder().build().unwrap_err();
    assert_eq!(
        err,
        ParamError::Missing {
            model: "Neuron",
            param: "gain"
        }
    );
    assert!(err.to_string().contains(".gain("), "{err}");
}

#[test]
fn params_by_name_set_check_and_roll_back() {
    let mut n = neuron();
    assert_eq!(
        <Neuron<3> as Params>::PARAM_NAMES,
        ["b", "v0", "tau", "p_release", "gain"]
    );
    n.set_param("tau", 4.0).unwrap();
    assert_eq!(n.tau, 4.0);
    assert_eq!(n.param("tau"), Some(4.0));
    let err = n.set_param("tau", 0.0).unwrap_err();
    assert!(matches!(err, ParamError::Invalid { param: "tau", .. }));
    assert_eq!(n.tau, 4.0, "a refused value leaves the model unchanged");
    let err = n.set_param("tua", 1.0).unwrap_err();
    assert!(
        err.to_string().contains("b, v0, tau, p_release, gain"),
        "{err}"
    );
    assert_eq!(n.param("v"), None, "states are not params");
    assert!(n.validate().is_ok());
    // No way around the checks: every write of a parameter is checked, and a refused one
    // changes nothing.
    let err = n.update_params(|p| p.tau = -1.0).unwrap_err();
    assert!(matches!(err, ParamError::Invalid { param: "tau", .. }));
    let mut bad = *n.params();
    bad.p_release = 1.5;
    assert!(n.set_params(bad).is_err());
    assert!(Neuron::<3>::from_params(bad).is_err());
    assert_eq!((n.tau, n.p_release), (4.0, 0.5));
    assert_eq!(n.update_params(|p| p.tau = 8.0), Ok(()));
    assert_eq!(n.tau, 8.0);
}

#[test]
fn reset_returns_to_the_initial_state_computed_from_current_params() {
    let mut n = neuron();
    let fresh = n.snapshot();
    let sh = Shared::default();
    for _ in 0..50 {
        n.update(&sh, V3::from_element(100.0));
    }
    assert_ne!(n.snapshot(), fresh);
    DynamicalSystem::<()>::reset_state(&mut n);
    assert_eq!(n.snapshot(), fresh);
    assert_eq!(n.steps_taken, 50, "plain fields are not state");

    n.set_param("v0", -50.0).unwrap();
    n.reset_states();
    assert_eq!(n.v, V3::from_element(-50.0));
    assert_eq!(n.u, V3::from_element(0.2 * -50.0));
}

#[test]
fn snapshots_round_trip_and_restore_children() {
    let mut net = Pair::new();
    // A neuron of the pair reads `t`: stepped by hand, it needs one.
    let sh = Shared::at(0.0, 0, 0.1, ());
    let i = V3::from_element(30.0);
    for _ in 0..5 {
        net.update(&sh, i);
    }
    let saved = net.snapshot();
    let continued: Vec<f64> = (0..5).map(|_| net.update(&sh, i)).collect();
    net.restore(&saved);
    assert_eq!(net.snapshot(), saved);
    let replayed: Vec<f64> = (0..5).map(|_| net.update(&sh, i)).collect();
    assert_eq!(
        replayed, continued,
        "a restored model continues exactly as the original"
    );
    assert_eq!(saved.l1.v, {
        let mut probe = Pair::new();
        for _ in 0..5 {
            probe.update(&sh, i);
        }
        probe.l1.v
    });
    // Written in place over an older snapshot, children included: the same copy.
    let mut into = Pair::new().snapshot();
    assert_ne!(into, net.snapshot());
    net.snapshot_into(&mut into);
    assert_eq!(
        into,
        net.snapshot(),
        "snapshot_into writes what snapshot returns"
    );
    net.reset_states();
    assert_eq!(
        net.snapshot(),
        Pair::new().snapshot(),
        "reset reaches the children"
    );
}

#[test]
fn states_resolve_by_path_children_included() {
    let net = Pair::new();
    assert_eq!(<Pair as States>::STATE_NAMES, ["total"]);
    assert_eq!(<Pair as States>::CHILD_NAMES, ["l1", "l2"]);
    assert_eq!(<Neuron<3> as States>::STATE_NAMES, ["v", "u", "spike"]);
    let infos = state_infos(&net);
    let paths: Vec<&str> = infos.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["total", "l1.v", "l1.u", "l1.spike", "l2.x"]);
    assert_eq!(
        infos[1],
        StateInfo {
            path: "l1.v".into(),
            shape: (3, 1)
        }
    );
    assert_eq!(state_values(&net, "l1.u"), Some(vec![0.2 * -70.0; 3]));
    assert_eq!(state_values(&net, "l2.x"), Some(vec![0.0; 2]));
    assert_eq!(state_values(&net, "l1.spike"), Some(vec![0.0; 3]));
    assert_eq!(state_values(&net, "l1.w"), None);
}

#[test]
fn the_divergence_check_names_a_child_state_by_path() {
    let mut net = Pair::new();
    // dv/dt = (…) / tau · gain = inf on the first step.
    net.l1.update_params(|p| p.gain = f64::INFINITY).unwrap();
    let mut run = LoopOverTime::new(net).check_finite(true);
    let inputs = [V3::from_element(1.0); 4];
    match run.run_inputs(&inputs) {
        Err(LoopError::Diverged { at, .. }) => {
            assert_eq!(at.variable, "l1.v");
            assert_eq!(at.step, 0);
        }
        other => panic!("expected a divergence, got {:?}", other.map(|h| h.steps)),
    }
}

#[test]
fn probes_monitor_states_by_name() {
    let mut run = LoopOverTime::new(neuron())
        .select(Neuron::<3>::probe_v())
        .select(Neuron::<3>::probe_spike());
    let h = run.run_inputs(&[V3::from_element(5.0); 3]).unwrap();
    let (v, spike) = &h.monitors;
    assert_eq!((v.name, spike.name), ("v", "spike"));
    assert_eq!(v.len(), 3);
    assert_eq!(v[2], run.target().v);
}

#[test]
fn an_update_that_reads_t_needs_t_and_so_does_its_parent() {
    let pulse = Pulse::new();
    assert_eq!(DynamicalSystem::<()>::needs(&pulse), Needs::T);
    assert_eq!(DynamicalSystem::<()>::needs(&neuron()), Needs::NOTHING);
    assert_eq!(DynamicalSystem::<()>::needs(&Pair::new()), Needs::T);
    let mut run = LoopOverTime::new(Pair::new()).t0(None);
    let err = run.run_inputs(&[V3::from_element(1.0)]).unwrap_err();
    assert!(matches!(err, LoopError::NeedsTime), "{err:?}");
    // With t: the pulse starts at t = 1 (step 10 at dt = 0.1).
    let mut run = LoopOverTime::new(Pulse::new());
    let h = run.run_steps(12).unwrap();
    assert_eq!(h.outputs[9], 0.0);
    assert_eq!(h.outputs[10], 1.0);
    assert_eq!(h.outputs[11], 2.0);
}

#[test]
fn generated_systems_work_with_any_shared_args() {
    #[derive(Clone)]
    struct Args {
        _gain: f64,
    }
    let mut run = LoopOverTime::new(neuron()).args(Args { _gain: 2.0 });
    let h = run.run_inputs(&[V3::from_element(5.0); 2]).unwrap();
    assert_eq!(h.steps, 2);
    assert!(!DynamicalSystem::<Args>::is_stateless(run.target()));
}

#[test]
fn debug_shows_params_states_and_children() {
    let text = format!("{:?}", Pair::new());
    for part in [
        "Pair",
        "l1: Neuron",
        "tau: 10.0",
        "gain: 2.0",
        "l2: Pulse",
        "total",
    ] {
        assert!(text.contains(part), "`{part}` missing from {text}");
    }
    let text = format!("{:?}", neuron());
    assert!(text.ends_with(".. }"), "plain fields are elided: {text}");
}

/// A model with an integer parameter (a literal default, checked) and `reset_state()` called as
/// a method: both just work.
#[dynamical_system]
struct Counted {
    #[param(default = 3, check = positive)]
    every: u8,
    #[state(init = 0.0)]
    ticks: SVector<f64, 1>,
}

#[dynamical_system]
impl Counted {
    #[update]
    fn step(&mut self, _sh: &Shared) -> f64 {
        self.ticks[0] += f64::from(self.every);
        self.ticks[0]
    }
}

#[test]
fn integer_params_and_reset_state_as_a_method() {
    let mut c = Counted::new();
    assert_eq!(c.every, 3);
    assert!(
        c.update_params(|p| p.every = 0).is_err(),
        "0 is not positive"
    );
    let sh = Shared::new(0.1, ());
    c.update(&sh, ());
    assert_eq!(c.update(&sh, ()), 6.0);
    c.reset_state();
    assert_eq!(c.ticks[0], 0.0);
}
