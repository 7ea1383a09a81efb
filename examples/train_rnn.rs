//! Trains the seed's network, `Sequential(RNNCell(100, 20), relu, RNNCell(20, 2))` at batch 128,
//! from a seeded Xavier-normal init, by backpropagation through its 30-step loop.
//!
//! The task needs memory: at each step a scalar `u_t` (±1; ±0.5 at the first step, so that no
//! running sum is ever 0) arrives spread over the 100 input channels along a fixed random sign
//! pattern, with channel noise; at every step the network must say whether the running sum
//! `u_0 + … + u_t` is positive (class 1) or negative (class 0). Loss: softmax cross-entropy of
//! the two outputs, averaged over the steps and the batch; Adam (step size 0.005, decayed
//! linearly to a tenth of it over the last third of the iterations, so that the run ends in a
//! minimum rather than wherever Adam's last steps threw it), gradients clipped to norm 1.
//!
//! Prints `initial loss: X` and `final loss: Y` (both on the same held-out batches), then the
//! accuracy. `cargo run --release --example train_rnn`

use std::time::Instant;

use looptime::layers::{Relu, RnnCell};
use looptime::nalgebra::{SMatrix, SVector};
use looptime::sequential;
use looptime::train::loss::{accuracy, softmax_cross_entropy};
use looptime::train::{Adam, Bptt, Optimizer, clip_grad_norm};
use looptime::{DynamicalSystem, Shared};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

const T: usize = 30;
const B: usize = 128;
const IN: usize = 100;
const ITERATIONS: usize = 600;
const LEARNING_RATE: f32 = 0.005;
const EVAL_BATCHES: usize = 8;

type Input = SMatrix<f32, IN, B>;
type Labels = Vec<[usize; B]>;

/// One batch: inputs, and the sign of the running sum at every step.
fn batch(rng: &mut ChaCha8Rng, pattern: &SVector<f32, IN>) -> (Vec<Input>, Labels) {
    let noise = Normal::new(0.0_f32, 0.5).expect("a positive standard deviation");
    let mut sums = [0.0_f32; B];
    let mut xs = Vec::with_capacity(T);
    let mut labels = Vec::with_capacity(T);
    for t in 0..T {
        let magnitude = if t == 0 { 0.5 } else { 1.0 };
        let u: [f32; B] = std::array::from_fn(|_| {
            if rng.random::<bool>() {
                magnitude
            } else {
                -magnitude
            }
        });
        xs.push(Input::from_fn(|i, b| u[b] * pattern[i] + noise.sample(rng)));
        labels.push(std::array::from_fn(|b| {
            sums[b] += u[b];
            usize::from(sums[b] > 0.0)
        }));
    }
    (xs, labels)
}

/// Loss and accuracy (over every step, and at the last step) on held-out batches, stepping the
/// model as an ordinary loop does.
fn evaluate<M>(model: &mut M, eval: &[(Vec<Input>, Labels)]) -> (f32, f64, f64)
where
    M: DynamicalSystem<Input = Input, Output = SMatrix<f32, 2, B>>,
{
    let (mut loss, mut acc_all, mut acc_last) = (0.0, 0.0, 0.0);
    for (xs, labels) in eval {
        model.reset_state();
        let sh = Shared::default();
        let ys: Vec<SMatrix<f32, 2, B>> = xs.iter().map(|x| model.update(&sh, *x)).collect();
        let mut dys = vec![SMatrix::zeros(); T];
        loss += softmax_cross_entropy(&ys, labels, &mut dys).expect("labels are 0 or 1");
        for (y, l) in ys.iter().zip(labels) {
            acc_all += accuracy(y, l).expect("labels are 0 or 1");
        }
        acc_last += accuracy(&ys[T - 1], &labels[T - 1]).expect("labels are 0 or 1");
    }
    let n = eval.len() as f64;
    (loss / n as f32, acc_all / (n * T as f64), acc_last / n)
}

/// The step size of `iteration`: [`LEARNING_RATE`], then decayed linearly to a tenth of it over
/// the last third of the iterations.
fn learning_rate(iteration: usize) -> f32 {
    let decayed = (3 * iteration).saturating_sub(2 * ITERATIONS) as f32 / ITERATIONS as f32;
    LEARNING_RATE * (1.0 - 0.9 * decayed)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    let mut model = sequential! {
        l1: RnnCell::<f32, IN, 20, B>::new(&mut rng),
        l2: Relu,
        l3: RnnCell::<f32, 20, 2, B>::new(&mut rng),
    };
    let pattern = SVector::<f32, IN>::from_fn(|_, _| if rng.random::<bool>() { 1.0 } else { -1.0 });
    let eval: Vec<(Vec<Input>, Labels)> = (0..EVAL_BATCHES)
        .map(|_| batch(&mut rng, &pattern))
        .collect();

    let (initial, initial_acc, _) = evaluate(&mut model, &eval);
    println!("initial loss: {initial:.4}");
    println!("initial accuracy: {:.1}%", 100.0 * initial_acc);

    let mut bptt = Bptt::new(T);
    let mut adam = Adam::new(&model, LEARNING_RATE);
    for iteration in 0..ITERATIONS {
        adam.lr = learning_rate(iteration);
        let (xs, labels) = batch(&mut rng, &pattern);
        let loss = bptt.gradient(&mut model, &xs, |ys, dys| {
            softmax_cross_entropy(ys, &labels, dys)
        })?;
        clip_grad_norm(bptt.grads_mut(), 1.0);
        adam.step(&mut model, bptt.grads())?;
        if iteration % 100 == 0 {
            println!("  iteration {iteration:4}: training loss {loss:.4}");
        }
    }

    let (fin, acc_all, acc_last) = evaluate(&mut model, &eval);
    println!("final loss: {fin:.4}");
    println!(
        "accuracy: {:.1}% of all steps, {:.1}% at the last step ({} held-out sequences)",
        100.0 * acc_all,
        100.0 * acc_last,
        EVAL_BATCHES * B
    );
    println!(
        "loss fell {:.1}x in {ITERATIONS} iterations, {:.1} s",
        initial / fin,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
