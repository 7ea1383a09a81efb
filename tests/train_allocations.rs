//! A gradient allocates nothing: the driver's tape, outputs and gradients are allocated when it
//! is built (and the optimizer's buffers when it is), so a training step — forward, loss,
//! backward (with or without remat) and an Adam update — makes no allocation at all.
//!
//! This file is its own test binary, so its counting allocator affects no other test.

mod common;

use common::counting_alloc::{Counting, allocations_in};
use looptime::layers::{LstmCell, Relu, RnnCell};
use looptime::nalgebra::SMatrix;
use looptime::sequential;
use looptime::train::loss::softmax_cross_entropy;
use looptime::train::{Adam, Bptt, Optimizer};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

#[global_allocator]
static GLOBAL: Counting = Counting;

const B: usize = 8;

#[test]
fn a_training_step_allocates_nothing() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut model = sequential! {
        l1: RnnCell::<f64, 10, 12, B>::new(&mut rng),
        l2: Relu,
        l3: LstmCell::<f64, 12, 2, B>::new(&mut rng),
    };
    let xs = vec![SMatrix::<f64, 10, B>::repeat(0.3); 30];
    let labels = [[1; B]];
    let loss = |ys: &[SMatrix<f64, 2, B>], dys: &mut [SMatrix<f64, 2, B>]| {
        softmax_cross_entropy(&ys[29..], &labels, &mut dys[29..])
    };
    for mut bptt in [Bptt::new(30), Bptt::new(30).remat(5)] {
        let mut adam = Adam::new(&model, 1e-3);
        let (n, result) = allocations_in(|| {
            let value = bptt.gradient(&mut model, &xs, loss);
            adam.step(&mut model, bptt.grads()).map(|()| value)
        });
        assert!(result.unwrap().unwrap().is_finite());
        assert_eq!(n, 0, "allocations in a training step");
    }
}
