//! Gradient checks: for every layer (Dense, RnnCell, GruCell, LstmCell, each activation) and
//! through 30 steps of `sequential!` models, the gradient that `Bptt` computes agrees with
//! central finite differences of the same loss in f64, to a relative error of at most 5e-8 (the
//! largest measured: 2e-8, the GRU's).
//!
//! Each layer is checked behind a `Dense` layer, so that the gradient it sends back to its input
//! is checked too (through the `Dense` layer's weights).

mod train_support;

use looptime::layers::{
    Activation, Dense, Elu, Gelu, GruCell, HardSigmoid, HardTanh, Identity, LeakyRelu, LogSigmoid,
    LstmCell, Relu, Relu6, RnnCell, Selu, Sigmoid, Silu, Softplus, Softsign, Tanh,
};
use looptime::nalgebra::SMatrix;
use looptime::sequential;
use looptime::train::loss::{mse, softmax_cross_entropy};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use train_support::{Check, grad_check, uniform};

const B: usize = 3;
const TOL: f64 = 5e-8;
const H: f64 = 1e-4;

fn assert_close(what: &str, check: Check) {
    println!("{what}: {check:?}");
    assert!(
        check.max_rel <= TOL && check.max_abs_over_scale <= TOL,
        "{what}: {check:?}"
    );
}

/// MSE against fixed targets over every step.
fn mse_to<const R: usize>(
    targets: Vec<SMatrix<f64, R, B>>,
) -> impl Fn(&[SMatrix<f64, R, B>], &mut [SMatrix<f64, R, B>]) -> Result<f64, looptime::train::LossError>
{
    move |ys, dys| mse(ys, &targets, dys)
}

#[test]
fn dense_layers() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut model = sequential! {
        l1: Dense::<f64, 3, 4, B>::new(&mut rng),
        l2: Dense::<f64, 4, 2, B>::new(&mut rng),
    };
    let xs = uniform::<3, B>(11, 4);
    let check = grad_check(&mut model, &xs, mse_to(uniform::<2, B>(12, 4)), H);
    assert_eq!(check.params, 3 * 4 + 4 + 4 * 2 + 2);
    assert_close("dense", check);
}

#[test]
fn rnn_cell_with_each_kind_of_activation() {
    // relu (derivative from the output) and gelu (from the recomputed pre-activation).
    for activation in [
        Activation::Relu,
        Activation::Tanh,
        Activation::Gelu,
        Activation::Elu(0.5),
    ] {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut model = sequential! {
            l1: Dense::<f64, 3, 4, B>::new(&mut rng),
            l2: RnnCell::<f64, 4, 5, B>::new(&mut rng).with_activation(activation),
        };
        model
            .l2
            .update_params(|p| p.b = SMatrix::from_fn(|i, _| 0.1 * i as f64))
            .unwrap();
        let xs = uniform::<3, B>(21, 8);
        let check = grad_check(&mut model, &xs, mse_to(uniform::<5, B>(22, 8)), H);
        assert_eq!(check.params, 16 + 4 * 5 + 5 * 5 + 5);
        assert_close(&format!("rnn {activation:?}"), check);
    }
}

#[test]
fn gru_cell() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut model = sequential! {
        l1: Dense::<f64, 3, 4, B>::new(&mut rng),
        l2: GruCell::<f64, 4, 5, B>::new(&mut rng),
    };
    model
        .l2
        .update_params(|p| {
            p.b_z = SMatrix::from_fn(|i, _| 0.2 - 0.1 * i as f64);
            p.b_a = SMatrix::from_fn(|i, _| 0.05 * i as f64);
        })
        .unwrap();
    let xs = uniform::<3, B>(31, 8);
    let check = grad_check(&mut model, &xs, mse_to(uniform::<5, B>(32, 8)), H);
    assert_eq!(check.params, 16 + 3 * (4 * 5 + 5 * 5 + 5));
    assert_close("gru", check);
}

#[test]
fn lstm_cell() {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let mut model = sequential! {
        l1: Dense::<f64, 3, 4, B>::new(&mut rng),
        l2: LstmCell::<f64, 4, 5, B>::new(&mut rng),
    };
    model
        .l2
        .update_params(|p| p.b_f = SMatrix::from_fn(|i, _| 0.1 * i as f64 - 0.2))
        .unwrap();
    let xs = uniform::<3, B>(41, 8);
    // A wider step: at 1e-4 the rounding of the loss's differences reaches 5.4e-8 of the LSTM's
    // smaller gradients (1.3e-8 at 3e-4, 1.3e-7 at 3e-5: rounding, not the gradient).
    let check = grad_check(&mut model, &xs, mse_to(uniform::<5, B>(42, 8)), 3e-4);
    assert_eq!(check.params, 16 + 4 * (4 * 5 + 5 * 5 + 5));
    assert_close("lstm", check);
}

/// Each activation as a layer between two dense layers; inputs scaled to reach every branch.
#[test]
fn activation_layers() {
    macro_rules! check_activation {
        ($($act:expr),* $(,)?) => {$({
            let mut rng = ChaCha8Rng::seed_from_u64(5);
            let mut model = sequential! {
                l1: Dense::<f64, 3, 6, B>::new(&mut rng),
                l2: $act,
                l3: Dense::<f64, 6, 2, B>::new(&mut rng),
            };
            model.l1.update_params(|p| p.w *= 4.0).unwrap();
            let xs = uniform::<3, B>(51, 3);
            let check = grad_check(&mut model, &xs, mse_to(uniform::<2, B>(52, 3)), H);
            assert_close(stringify!($act), check);
        })*};
    }
    check_activation!(
        Identity,
        Relu,
        Relu6,
        LeakyRelu(0.01),
        Elu(1.0),
        Selu,
        Gelu,
        Softplus,
        Softsign,
        Silu,
        Sigmoid,
        Tanh,
        HardTanh,
        HardSigmoid,
        LogSigmoid,
        Activation::Gelu,
    );
}

/// The seed's architecture, smaller: `RNNCell, relu, RNNCell`, through 30 steps, with a
/// cross-entropy loss on the last step.
#[test]
fn seed_architecture_through_30_steps() {
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let mut model = sequential! {
        l1: RnnCell::<f64, 5, 6, B>::new(&mut rng),
        l2: Relu,
        l3: RnnCell::<f64, 6, 3, B>::new(&mut rng),
    };
    model
        .l1
        .update_params(|p| p.b = SMatrix::from_fn(|i, _| 0.3 - 0.1 * i as f64))
        .unwrap();
    let xs = uniform::<5, B>(61, 30);
    let labels = [[0, 2, 1]];
    let check = grad_check(
        &mut model,
        &xs,
        |ys: &[SMatrix<f64, 3, B>], dys: &mut [SMatrix<f64, 3, B>]| {
            softmax_cross_entropy(&ys[29..], &labels, &mut dys[29..])
        },
        H,
    );
    assert_eq!(check.params, (5 * 6 + 36 + 6) + (6 * 3 + 9 + 3));
    assert_close("seed architecture, 30 steps", check);
}

/// Every kind of layer in one composition, through 30 steps, MSE on every step.
#[test]
fn mixed_composition_through_30_steps() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut model = sequential! {
        l1: Dense::<f64, 3, 4, B>::new(&mut rng),
        l2: Tanh,
        l3: GruCell::<f64, 4, 4, B>::new(&mut rng),
        l4: LstmCell::<f64, 4, 3, B>::new(&mut rng),
        l5: RnnCell::<f64, 3, 3, B>::new(&mut rng).with_activation(Activation::Tanh),
        l6: Dense::<f64, 3, 2, B>::new(&mut rng),
    };
    let xs = uniform::<3, B>(71, 30);
    let check = grad_check(&mut model, &xs, mse_to(uniform::<2, B>(72, 30)), H);
    assert_close("mixed, 30 steps", check);
}
