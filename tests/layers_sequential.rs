//! `sequential!`: each layer feeds the next, children resolve and are monitored by path
//! (`l1.state`), `reset_state` reaches every layer, snapshots restore every layer, a
//! composition of stateless layers runs `no_state` with stepping's numbers, and the named form
//! (`sequential! { pub struct Encoder { … } }`) is a type a user's struct can hold.

use looptime::layers::{
    Activation, ActivationLayer, Dense, GruCell, LstmCell, Relu, RnnCell, Tanh, relu, tanh,
};
use looptime::nalgebra::SMatrix;
use looptime::prelude::*;
use looptime::{LoopError, sequential, state_infos, state_values};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const B: usize = 4;

fn inputs(n: usize) -> Vec<SMatrix<f64, 3, B>> {
    (0..n)
        .map(|t| SMatrix::from_fn(|i, b| ((t * 7 + i * 3 + b) as f64 * 0.37).sin()))
        .collect()
}

#[test]
fn each_layer_feeds_the_next() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut model = sequential! {
        l1: RnnCell::<f64, 3, 6, B>::new(&mut rng),
        l2: Tanh,
        l3: Dense::<f64, 6, 2, B>::new(&mut rng),
    };
    // The same layers by hand.
    let mut l1 = model.l1.clone();
    let l3 = model.l3.clone();
    let sh = Shared::default();
    for x in inputs(5) {
        let y = model.update(&sh, x);
        let h = l1.update(&sh, x).map(tanh);
        let mut expected = l3.w * h;
        for mut c in expected.column_iter_mut() {
            c += &l3.b;
        }
        assert_eq!(y, expected);
    }
}

#[test]
fn states_resolve_and_are_monitored_by_path() {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let model = sequential! {
        l1: RnnCell::<f64, 3, 5, B>::new(&mut rng),
        l2: Relu,
        l3: LstmCell::<f64, 5, 2, B>::new(&mut rng),
    };
    fn child_names<M: States>(_: &M) -> &'static [&'static str] {
        M::CHILD_NAMES
    }
    assert_eq!(child_names(&model), ["l1", "l2", "l3"]);
    let paths: Vec<String> = state_infos(&model).into_iter().map(|i| i.path).collect();
    assert_eq!(paths, ["l1.state", "l3.h", "l3.c"]);

    let mut run = LoopOverTime::new(model)
        .monitor("l1.state", |m| m.l1.state)
        .monitor("l3.c", |m| m.l3.c);
    let history = run.run_inputs(&inputs(6)).unwrap();
    let (l1, c) = &history.monitors;
    assert_eq!((l1.name, c.name), ("l1.state", "l3.c"));
    assert_eq!(l1.len(), 6);
    let model = run.target();
    assert_eq!(l1[5], model.l1.state);
    assert_eq!(c[5], model.l3.c);
    assert_eq!(history.outputs[5], model.l3.h);
    assert_eq!(
        state_values(model, "l1.state").unwrap(),
        model.l1.state.as_slice()
    );
    assert!(model.l1.state.iter().any(|v| *v != 0.0));
}

#[test]
fn reset_reaches_every_layer_and_snapshots_restore_them() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let model = sequential! {
        l1: GruCell::<f64, 3, 4, B>::new(&mut rng),
        l2: LstmCell::<f64, 4, 4, B>::new(&mut rng),
        l3: RnnCell::<f64, 4, 2, B>::new(&mut rng).with_activation(Activation::Tanh),
    };
    let fresh = model.snapshot();
    let mut run = LoopOverTime::new(model);
    let first = run.run_inputs(&inputs(8)).unwrap();
    let after = run.target().snapshot();
    assert_ne!(after, fresh);
    assert!(after.l1.state.iter().any(|v| *v != 0.0));
    assert!(after.l2.c.iter().any(|v| *v != 0.0));
    assert!(after.l3.state.iter().any(|v| *v != 0.0));

    run.reset_state();
    assert_eq!(run.target().snapshot(), fresh, "reset reaches every layer");
    let again = run.run_inputs(&inputs(8)).unwrap();
    assert_eq!(again.outputs.values, first.outputs.values);

    run.target_mut().restore(&after);
    assert_eq!(run.target().snapshot(), after);
    run.target_mut().reset_states();
    assert_eq!(run.target().snapshot(), fresh);
}

#[test]
fn stateless_compositions_run_no_state_with_steppings_numbers() {
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let model = sequential! {
        l1: Dense::<f64, 3, 8, B>::new(&mut rng),
        l2: Relu,
        l3: Dense::<f64, 8, 2, B>::new(&mut rng),
    };
    assert!(DynamicalSystem::<()>::is_stateless(&model));
    let xs = inputs(20);
    let stepped = LoopOverTime::new(model.clone()).run_inputs(&xs).unwrap();
    let at_once = LoopOverTime::new(model)
        .no_state(true)
        .run_inputs(&xs)
        .unwrap();
    for t in 0..xs.len() {
        for (a, b) in at_once.outputs[t].iter().zip(stepped.outputs[t].iter()) {
            assert!(
                (a - b).abs() <= 1e-14 * b.abs().max(1.0),
                "step {t}: {a} vs {b}"
            );
        }
    }

    // A recurrent layer makes the composition stateful.
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let stateful = sequential! {
        l1: Dense::<f64, 3, 8, B>::new(&mut rng),
        l2: RnnCell::<f64, 8, 2, B>::new(&mut rng),
    };
    assert!(!DynamicalSystem::<()>::is_stateless(&stateful));
    let err = LoopOverTime::new(stateful)
        .no_state(true)
        .run_inputs(&xs)
        .unwrap_err();
    assert!(matches!(err, LoopError::NoStateOnStatefulSystem), "{err:?}");
}

#[test]
fn activations_are_layers_and_a_first_layer_can_be_one_by_hand() {
    let mut model = sequential! {
        l1: ActivationLayer::<_, SMatrix<f64, 3, B>>::new(Relu),
        l2: Activation::Sigmoid,
    };
    let x = inputs(1)[0];
    let y = model.update(&Shared::default(), x);
    // The activation table's exponential is looptime's (`math::exp`, within an ulp of libm's).
    assert_eq!(y, x.map(|v| 1.0 / (1.0 + looptime::math::exp(-relu(v)))));
    let libm = x.map(|v| 1.0 / (1.0 + (-relu(v)).exp()));
    assert!((y - libm).amax() <= 4.0 * f64::EPSILON, "{y} vs {libm}");
    assert!(DynamicalSystem::<()>::is_stateless(&model));
    assert!(state_infos(&model).is_empty());
}

#[test]
fn the_divergence_check_names_a_layers_state_by_path() {
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let mut model = sequential! {
        l1: Dense::<f64, 3, 3, B>::new(&mut rng),
        l2: RnnCell::<f64, 3, 2, B>::new(&mut rng).with_activation(Activation::Identity),
    };
    model
        .l2
        .update_params(|p| p.wh = SMatrix::from_element(1e200))
        .unwrap();
    let mut run = LoopOverTime::new(model).check_finite(true);
    match run.run_inputs(&inputs(10)) {
        Err(LoopError::Diverged { at, .. }) => assert_eq!(at.variable, "l2.state"),
        other => panic!("expected a divergence, got {:?}", other.map(|h| h.steps)),
    }
}

#[test]
fn layer_expressions_may_use_names_like_the_layers() {
    // The generated locals are hygienic: a user variable named like a layer is not shadowed.
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let l1 = RnnCell::<f64, 3, 2, B>::new(&mut rng);
    let copy = l1.clone();
    let model = sequential! { l1: l1, l2: Tanh };
    assert_eq!(model.l1.wi, copy.wi);
}

sequential! {
    /// The named form: a type a crate can store, name in signatures and build with `new`.
    pub struct Encoder {
        /// The recurrent layer.
        pub l1: RnnCell<f64, 3, 6, B>,
        /// Its activation.
        pub l2: Relu,
        /// The read-out.
        pub l3: Dense<f64, 6, 2, B>,
    }
}

/// A user's own struct that holds a composition by its name.
struct Embedding {
    encoder: Encoder,
    steps: usize,
}

impl Embedding {
    fn encode(&mut self, x: SMatrix<f64, 3, B>) -> SMatrix<f64, 2, B> {
        self.steps += 1;
        self.encoder.update(&Shared::default(), x)
    }
}

#[test]
fn a_named_composition_is_a_type_that_steps_as_the_expression_form() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let (l1, l3) = (
        RnnCell::<f64, 3, 6, B>::new(&mut rng),
        Dense::<f64, 6, 2, B>::new(&mut rng),
    );
    let mut embedding = Embedding {
        encoder: Encoder::new(l1.clone(), Relu, l3.clone()),
        steps: 0,
    };
    let mut anonymous = sequential! { l1: l1, l2: Relu, l3: l3 };
    for x in inputs(6) {
        let expected = anonymous.update(&Shared::default(), x);
        assert_eq!(embedding.encode(x), expected);
    }
    assert_eq!(embedding.steps, 6);
    assert_eq!(embedding.encoder.l1.state, anonymous.l1.state);

    // Children by name, monitored by path, reset, snapshots: as the expression form.
    let paths: Vec<String> = state_infos(&embedding.encoder)
        .into_iter()
        .map(|i| i.path)
        .collect();
    assert_eq!(paths, ["l1.state"]);
    let snapshot = embedding.encoder.snapshot();
    let mut run =
        LoopOverTime::new(embedding.encoder.clone()).monitor("l1.state", |m: &Encoder| m.l1.state);
    let history = run.run_inputs(&inputs(3)).unwrap();
    assert_eq!(history.monitors.0.len(), 3);
    embedding.encoder.reset_states();
    assert_eq!(embedding.encoder.l1.state, SMatrix::<f64, 6, B>::zeros());
    embedding.encoder.restore(&snapshot);
    assert_eq!(embedding.encoder.l1.state, anonymous.l1.state);

    // Trainable like the expression form: every layer's parameters under its name, in order.
    let paths: Vec<String> = looptime::train::param_infos(&embedding.encoder)
        .into_iter()
        .map(|p| p.path)
        .collect();
    let expected: Vec<String> = looptime::train::param_infos(&anonymous)
        .into_iter()
        .map(|p| p.path)
        .collect();
    assert_eq!(paths, expected);
    assert_eq!(paths.first().map(String::as_str), Some("l1.wi"));
}

/// The named form where a constant shares a layer's name (`new`'s parameters must not become
/// patterns that match it) and the user derives `Clone` already.
mod shadowing {
    use super::*;

    #[allow(non_upper_case_globals, dead_code)]
    const l2: u8 = 0;

    sequential! {
        /// A composition whose second layer is named like the constant above.
        #[derive(Clone)]
        pub struct Shadowed {
            /// The dense layer.
            pub l1: Dense<f64, 3, 2, B>,
            /// Its activation.
            pub l2: Tanh,
        }
    }

    #[test]
    fn a_constant_named_like_a_layer_and_a_users_derive_do_not_interfere() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let dense = Dense::<f64, 3, 2, B>::new(&mut rng);
        let mut model = Shadowed::new(dense.clone(), Tanh);
        let copy = model.clone();
        let x = inputs(1)[0];
        let mut expected = dense.w * x;
        for mut c in expected.column_iter_mut() {
            c += &dense.b;
        }
        assert_eq!(model.update(&Shared::default(), x), expected.map(tanh));
        assert_eq!(format!("{:?}", copy.l1.w), format!("{:?}", dense.w));
    }
}

#[test]
fn outputs_written_in_place_are_the_outputs_a_step_returns() {
    use looptime::train::Backward;
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut model = sequential! {
        l1: RnnCell::<f64, 3, 6, B>::new(&mut rng),
        l2: Relu,
        l3: Dense::<f64, 6, 2, B>::new(&mut rng),
    };
    let mut by_steps = model.clone();
    let sh = Shared::default();
    // A record filled once, then written over at every step, as `Bptt` does.
    let (mut y, mut record) = model.forward(&sh, &inputs(1)[0]);
    let mut l1 = by_steps.l1.clone();
    let mut l2 = ActivationLayer::<Relu, SMatrix<f64, 6, B>>::new(Relu);
    assert_eq!(y, by_steps.update(&sh, inputs(1)[0]));
    l1.update(&sh, inputs(1)[0]);
    for x in inputs(6).into_iter().skip(1) {
        let h_before = l1.state;
        y = model.forward_into(&sh, &x, &mut record, false);
        // The inner outputs kept in the record: the cell's, then the activation's.
        let h = l1.update(&sh, x);
        let a = l2.update(&sh, h);
        let ((cell_record, _, _), (cell_out, act_out)) = &record;
        assert_eq!(cell_record.state, h_before);
        assert_eq!(*cell_out, h);
        assert_eq!(*act_out, a);
        assert_eq!(*act_out, h.map(|v| v.max(0.0)));
        assert_eq!(y, by_steps.update(&sh, x));
        // `update_into` over a buffer of other numbers gives `update`'s output.
        let mut out = SMatrix::<f64, 6, B>::repeat(f64::NAN);
        l2.update_into(&sh, &h, &mut out);
        assert_eq!(out, a);
    }
}
