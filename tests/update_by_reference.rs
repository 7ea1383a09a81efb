//! `update_ref` (the input lent, as `LoopOverTime` does over stored inputs) steps exactly as
//! `update` (the input given): for a model whose `#[update]` takes its input by reference (HH,
//! the RNN cell), for one that takes it by value (LIF: the trait's default, a clone), and through
//! `sequential!`, which lends its input to the first layer. `update_into` (the output written
//! over the last one, as a run that does not keep its outputs does) gives the same outputs.

use looptime::layers::{Relu, RnnCell};
use looptime::nalgebra::SMatrix;
use looptime::neurons::{Hh, Lif};
use looptime::prelude::*;
use looptime::sequential;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn same_steps<M: DynamicalSystem>(make: impl Fn() -> M, inputs: &[M::Input])
where
    M::Input: Clone,
    M::Output: PartialEq + core::fmt::Debug,
{
    let (mut given, mut lent, mut into) = (make(), make(), make());
    let mut sh = Shared::new(0.1, ());
    let mut last = None;
    for (k, x) in inputs.iter().enumerate() {
        sh.t = Some(k as f64 * 0.1);
        let y = given.update(&sh, x.clone());
        assert_eq!(y, lent.update_ref(&sh, x), "step {k}");
        let out = last.get_or_insert_with(|| into.update_ref(&sh, x));
        if k > 0 {
            into.update_into(&sh, x, out);
        }
        assert_eq!(&y, out, "step {k}, into the last output");
    }
}

/// `update_into` over an output of `true`s gives `update_ref`'s output, where no neuron fires at
/// the first step: every element is written.
fn writes_every_element<M>(make: impl Fn() -> M, x: &M::Input)
where
    M: DynamicalSystem<Output = SMatrix<bool, 37, 3>>,
    M::Input: Clone,
{
    let sh = Shared::at(0.0, 0, 0.1, ());
    let (mut lent, mut into) = (make(), make());
    let mut out = SMatrix::from_element(true);
    into.update_into(&sh, x, &mut out);
    assert_eq!(out, lent.update_ref(&sh, x));
    assert!(out.iter().all(|&s| !s));
}

#[test]
fn a_population_writes_every_element_of_the_output_into() {
    // 37 x 3 neurons: a whole block and a padded one.
    let currents = SMatrix::<f64, 37, 3>::from_fn(|r, c| r as f64 + c as f64);
    writes_every_element(Lif::<f64, 37, 3>::new, &currents);
    writes_every_element(Hh::<f32, 37, 3>::new, &currents.map(|c| c as f32));
}

#[test]
fn lending_the_input_steps_as_giving_it() {
    let currents: Vec<SMatrix<f64, 7, 2>> = (0..300)
        .map(|k| SMatrix::from_fn(|r, c| 2.0 + r as f64 + 3.0 * c as f64 + 0.01 * k as f64))
        .collect();
    same_steps(Hh::<f64, 7, 2>::new, &currents);
    same_steps(Lif::<f64, 7, 2>::new, &currents);
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let cell = RnnCell::<f64, 7, 5, 2>::new(&mut rng);
    same_steps(|| cell.clone(), &currents);
    let model = sequential! {
        l1: RnnCell::<f64, 7, 5, 2>::new(&mut rng),
        l2: Relu,
        l3: RnnCell::<f64, 5, 3, 2>::new(&mut rng),
    };
    same_steps(|| model.clone(), &currents[..30]);
}

#[test]
fn a_run_over_stored_inputs_equals_stepping_by_hand() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let model = sequential! {
        l1: RnnCell::<f32, 10, 6, 4>::new(&mut rng),
        l2: Relu,
        l3: RnnCell::<f32, 6, 2, 4>::new(&mut rng),
    };
    let xs: Vec<SMatrix<f32, 10, 4>> = (0..12)
        .map(|k| SMatrix::from_fn(|r, c| ((r * 3 + c + k) % 7) as f32 / 7.0))
        .collect();
    let mut by_hand = model.clone();
    let history = LoopOverTime::new(model).run_inputs(&xs).unwrap();
    let sh = Shared::new(0.1, ());
    for (k, x) in xs.iter().enumerate() {
        assert_eq!(history.outputs[k], by_hand.update(&sh, *x), "step {k}");
    }
}
