//! A gradient allocates nothing: the driver's tape, outputs and gradients are allocated when it
//! is built (and the optimizer's buffers when it is), so a training step — forward, loss,
//! backward (with or without remat) and an Adam update — makes no allocation at all; nor does a
//! step of `DataParallel` replicas (their gradients combined, the parameters copied to each).
//!
//! This file is its own test binary, so its counting allocator affects no other test.

mod common;

use common::counting_alloc::{Counting, allocations_in};
use looptime::layers::{LstmCell, Relu, RnnCell};
use looptime::nalgebra::SMatrix;
use looptime::train::loss::softmax_cross_entropy;
use looptime::train::{Adam, Bptt, DataParallel, Optimizer};
use looptime::{parallel, sequential};
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

#[test]
fn a_data_parallel_training_step_allocates_nothing() {
    const H: usize = B / 2;
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let models = std::array::from_fn(|_| {
        sequential! {
            l1: RnnCell::<f64, 10, 12, H>::new(&mut rng),
            l2: Relu,
            l3: LstmCell::<f64, 12, 2, H>::new(&mut rng),
        }
    });
    let mut replicas = DataParallel::new(models, 30);
    let parts = [
        vec![SMatrix::<f64, 10, H>::repeat(0.3); 30],
        vec![SMatrix::<f64, 10, H>::repeat(-0.2); 30],
    ];
    let labels = [[[1; H]], [[0; H]]];
    let loss = |k: usize, ys: &[SMatrix<f64, 2, H>], dys: &mut [SMatrix<f64, 2, H>]| {
        softmax_cross_entropy(&ys[29..], &labels[k], &mut dys[29..])
    };
    let mut adam = Adam::new(replicas.model(), 1e-3);
    // The helper threads start (and allocate) once, outside what is counted.
    parallel::start();
    replicas
        .gradient([&parts[0][..], &parts[1][..]], loss)
        .unwrap();
    // Both replicas on this thread, where every allocation is counted; then as the machine
    // decides (a helper's replica runs the same code).
    for serial in [true, false] {
        let (n, result) = allocations_in(|| {
            let mut step = || {
                let value = replicas.gradient([&parts[0][..], &parts[1][..]], loss);
                replicas.step(&mut adam).map(|()| value)
            };
            if serial {
                parallel::serial(step)
            } else {
                step()
            }
        });
        assert!(result.unwrap().unwrap().is_finite());
        assert_eq!(
            n, 0,
            "allocations in a data-parallel training step (serial: {serial})"
        );
    }
}
