//! Trains a spiking network with surrogate gradients, as BrainPy's training mode does:
//! `Dense(40 → 32) → SurrogateLif(32) → Dense(32 → 2)`, batch 32, 25 steps of 1 ms.
//!
//! Each sample is a train of input spikes from 40 channels; class 0 fires mostly on the first
//! half of the channels, class 1 on the second half. The readout's outputs are averaged over
//! time and scored with softmax cross-entropy. The LIF's spike is a Heaviside step forward and
//! BrainPy's inverse-square surrogate backward, with a soft reset.
//!
//! `cargo run --release --example train_snn`

use looptime::layers::Dense;
use looptime::nalgebra::SMatrix;
use looptime::sequential;
use looptime::train::loss::{LossError, accuracy, softmax_cross_entropy};
use looptime::train::{Adam, Bptt, Optimizer, SurrogateLif};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const T: usize = 25;
const B: usize = 32;
const IN: usize = 40;
const HIDDEN: usize = 32;

type Spikes = SMatrix<f64, IN, B>;
type Logits = SMatrix<f64, 2, B>;

/// A batch of spike trains and their classes.
fn batch(rng: &mut ChaCha8Rng) -> (Vec<Spikes>, [usize; B]) {
    let labels: [usize; B] = std::array::from_fn(|_| rng.random_range(0..2));
    let xs = (0..T)
        .map(|_| {
            Spikes::from_fn(|i, b| {
                let preferred = (i < IN / 2) == (labels[b] == 0);
                let rate = if preferred { 0.3 } else { 0.1 };
                if rng.random::<f64>() < rate { 1.0 } else { 0.0 }
            })
        })
        .collect();
    (xs, labels)
}

/// Cross-entropy of the time-averaged readout; its gradient is spread evenly over the steps.
fn mean_readout_loss(
    labels: [usize; B],
) -> impl Fn(&[Logits], &mut [Logits]) -> Result<f64, LossError> {
    move |ys, dys| {
        let mean = ys.iter().sum::<Logits>() / T as f64;
        let mut d = [Logits::zeros()];
        let value = softmax_cross_entropy(&[mean], &[labels], &mut d)?;
        for dy in dys.iter_mut() {
            *dy += d[0] / T as f64;
        }
        Ok(value)
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let lif = SurrogateLif::<f64, HIDDEN, B>::builder()
        .v_th(1.0)
        .v_reset(0.0)
        .tau(5.0)
        .build()?;
    let mut model = sequential! {
        l1: Dense::<f64, IN, HIDDEN, B>::new(&mut rng),
        l2: lif,
        l3: Dense::<f64, HIDDEN, 2, B>::new(&mut rng),
    };
    model.l1.update_params(|p| p.w *= 3.0)?; // enough drive for the hidden neurons to fire from the start

    let mut bptt = Bptt::new(T).dt(1.0);
    let mut adam = Adam::new(&model, 0.02);
    let held_out: Vec<_> = (0..4).map(|_| batch(&mut rng)).collect();
    let evaluate =
        |model: &mut _, bptt: &mut Bptt<_>| -> Result<(f64, f64), Box<dyn std::error::Error>> {
            let (mut loss, mut acc) = (0.0, 0.0);
            for (xs, labels) in &held_out {
                loss += bptt.gradient(model, xs, mean_readout_loss(*labels))?;
                let mean = bptt.outputs().iter().sum::<Logits>() / T as f64;
                acc += accuracy(&mean, labels)?;
            }
            Ok((loss / held_out.len() as f64, acc / held_out.len() as f64))
        };

    let (initial, initial_acc) = evaluate(&mut model, &mut bptt)?;
    println!("initial loss: {initial:.4}");
    println!("initial accuracy: {:.1}%", 100.0 * initial_acc);
    for _ in 0..100 {
        let (xs, labels) = batch(&mut rng);
        bptt.gradient(&mut model, &xs, mean_readout_loss(labels))?;
        adam.step(&mut model, bptt.grads())?;
    }
    let (fin, acc) = evaluate(&mut model, &mut bptt)?;
    println!("final loss: {fin:.4}");
    println!(
        "accuracy: {:.1}% on {} held-out samples",
        100.0 * acc,
        held_out.len() * B
    );
    Ok(())
}
