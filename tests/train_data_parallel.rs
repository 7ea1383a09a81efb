//! `DataParallel`: the gradient of a batch computed by replicas of the model, each with a part
//! of the batch, is the gradient `Bptt` computes for the whole batch with one model (up to the
//! rounding of a different order of additions); it is the same bits whether the replicas ran
//! on one thread or on several; optimizer steps keep the replicas one model; errors are the
//! replicas' own.

use looptime::layers::{Relu, RnnCell};
use looptime::nalgebra::SMatrix;
use looptime::train::loss::softmax_cross_entropy;
use looptime::train::{
    Adam, Bptt, DataParallel, LossError, Optimizer, Reduction, TrainError, params_from_slice,
    params_to_vec,
};
use looptime::{parallel, sequential, split_columns, split_samples};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Steps of a sequence.
const T: usize = 12;
/// The whole batch.
const B: usize = 16;
/// A replica's part of it, with 2 replicas.
const H: usize = 8;

/// `count` models of the seed's network shape (`RnnCell, relu, RnnCell`) at batch `n`, of one
/// type (each `sequential!` is a type of its own); model `k`'s weights drawn from seed
/// `seed + 100 k`. The weights of a seed are the same at every batch (they are drawn before any
/// state).
macro_rules! networks {
    ($n:expr, $count:expr, $seed:expr) => {
        std::array::from_fn::<_, { $count }, _>(|k| {
            let mut rng = ChaCha8Rng::seed_from_u64($seed + 100 * k as u64);
            sequential! {
                l1: RnnCell::<f64, 5, 7, { $n }>::new(&mut rng),
                l2: Relu,
                l3: RnnCell::<f64, 7, 3, { $n }>::new(&mut rng),
            }
        })
    };
}

/// `T` steps of inputs and labels for the whole batch.
fn data() -> (Vec<SMatrix<f64, 5, B>>, Vec<[usize; B]>) {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let xs = (0..T)
        .map(|_| SMatrix::from_fn(|_, _| rng.random_range(-1.0..1.0)))
        .collect();
    let labels = (0..T)
        .map(|_| std::array::from_fn(|_| rng.random_range(0..3)))
        .collect();
    (xs, labels)
}

/// The inputs and labels of `N` parts of `H2` samples each.
#[allow(clippy::type_complexity)]
fn parts<const H2: usize, const N: usize>(
    xs: &[SMatrix<f64, 5, B>],
    labels: &[[usize; B]],
) -> ([Vec<SMatrix<f64, 5, H2>>; N], [Vec<[usize; H2]>; N]) {
    let mut part_xs: [Vec<_>; N] = std::array::from_fn(|_| Vec::new());
    let mut part_labels: [Vec<_>; N] = std::array::from_fn(|_| Vec::new());
    for (x, l) in xs.iter().zip(labels) {
        let (x, l) = (
            split_columns::<_, 5, B, H2, N>(x),
            split_samples::<_, B, H2, N>(l),
        );
        for k in 0..N {
            part_xs[k].push(x[k]);
            part_labels[k].push(l[k]);
        }
    }
    (part_xs, part_labels)
}

/// Whether `a` and `b` agree to within `tol` relative to the larger of them (or to 1).
fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(a, b)| (a - b).abs() <= tol * a.abs().max(b.abs()).max(1.0))
}

#[test]
fn replicas_compute_the_whole_batch_gradient() {
    let (xs, labels) = data();
    let [mut whole] = networks!(B, 1, 1);
    let mut bptt = Bptt::new(T);
    let expected = bptt
        .gradient(&mut whole, &xs, |ys, dys| {
            softmax_cross_entropy(ys, &labels, dys)
        })
        .unwrap();

    // Two replicas of 8 samples.
    let (part_xs, part_labels) = parts::<H, 2>(&xs, &labels);
    let mut two = DataParallel::new(networks!(H, 2, 1), T);
    assert_eq!(params_to_vec(two.models()[1]), params_to_vec(&whole));
    let loss = two
        .gradient([&part_xs[0][..], &part_xs[1][..]], |k, ys, dys| {
            softmax_cross_entropy(ys, &part_labels[k], dys)
        })
        .unwrap();
    assert!((loss - expected).abs() <= 1e-14 * expected.abs());
    assert!(close(two.grads(), bptt.grads(), 1e-13));
    assert!(two.grads().iter().any(|g| g.abs() > 1e-3));

    // Four replicas of 4 samples, each rematerializing every 5 steps.
    let (part_xs, part_labels) = parts::<4, 4>(&xs, &labels);
    let models = networks!(4, 4, 1);
    let mut four = DataParallel::with_bptt(models, |_| Bptt::new(T).remat(5));
    let loss = four
        .gradient(std::array::from_fn(|k| &part_xs[k][..]), |k, ys, dys| {
            softmax_cross_entropy(ys, &part_labels[k], dys)
        })
        .unwrap();
    assert!((loss - expected).abs() <= 1e-14 * expected.abs());
    assert!(close(four.grads(), bptt.grads(), 1e-13));
}

#[test]
fn a_summed_loss_sums_the_replicas() {
    // L = Σ over steps and samples of the first output.
    fn sum_of_first(ys: &[SMatrix<f64, 3, H>], dys: &mut [SMatrix<f64, 3, H>]) -> f64 {
        dys.iter_mut().for_each(|d| d.row_mut(0).fill(1.0));
        ys.iter().map(|y| y.row(0).sum()).sum()
    }
    let (xs, labels) = data();
    let [mut whole] = networks!(B, 1, 3);
    let mut bptt = Bptt::new(T);
    let expected = bptt
        .gradient(&mut whole, &xs, |ys, dys| {
            dys.iter_mut().for_each(|d| d.row_mut(0).fill(1.0));
            Ok(ys.iter().map(|y| y.row(0).sum()).sum())
        })
        .unwrap();
    let (part_xs, _) = parts::<H, 2>(&xs, &labels);
    let mut two = DataParallel::new(networks!(H, 2, 3), T).reduction(Reduction::Sum);
    let loss = two
        .gradient([&part_xs[0][..], &part_xs[1][..]], |_, ys, dys| {
            Ok(sum_of_first(ys, dys))
        })
        .unwrap();
    assert!(expected.abs() > 1e-3);
    assert!((loss - expected).abs() <= 1e-13 * expected.abs());
    assert!(close(two.grads(), bptt.grads(), 1e-13));
}

#[test]
fn split_and_whole_replicas_give_the_same_bits() {
    let (xs, labels) = data();
    let (part_xs, part_labels) = parts::<H, 2>(&xs, &labels);
    let run = || {
        let mut two = DataParallel::new(networks!(H, 2, 4), T);
        let loss = two
            .gradient([&part_xs[0][..], &part_xs[1][..]], |k, ys, dys| {
                softmax_cross_entropy(ys, &part_labels[k], dys)
            })
            .unwrap();
        (
            loss.to_bits(),
            two.grads().iter().map(|g| g.to_bits()).collect::<Vec<_>>(),
        )
    };
    let whole = parallel::serial(run);
    let split = parallel::split_always(run);
    assert_eq!(whole, split);
}

#[test]
fn optimizer_steps_keep_the_replicas_one_model() {
    let (xs, labels) = data();
    let [mut whole] = networks!(B, 1, 5);
    let mut bptt = Bptt::new(T);
    let mut adam = Adam::new(&whole, 1e-2);
    let (part_xs, part_labels) = parts::<H, 2>(&xs, &labels);
    let mut two = DataParallel::new(networks!(H, 2, 5), T);
    let mut two_adam = Adam::new(two.model(), 1e-2);
    for _ in 0..5 {
        bptt.gradient(&mut whole, &xs, |ys, dys| {
            softmax_cross_entropy(ys, &labels, dys)
        })
        .unwrap();
        adam.step(&mut whole, bptt.grads()).unwrap();
        two.gradient([&part_xs[0][..], &part_xs[1][..]], |k, ys, dys| {
            softmax_cross_entropy(ys, &part_labels[k], dys)
        })
        .unwrap();
        two.step(&mut two_adam).unwrap();
        let [first, second] = two.models().map(params_to_vec);
        assert_eq!(first, second, "the replicas' parameters differ");
        assert!(close(&first, &params_to_vec(&whole), 1e-11));
    }
    // `update` copies any change of the first replica.
    two.update(|model, _| {
        let mut params = params_to_vec(model);
        params[0] = 0.25;
        params_from_slice(model, &params).unwrap();
    });
    assert_eq!(params_to_vec(two.models()[1])[0], 0.25);
}

/// A replica's outputs (or their gradients) at one step.
type Logits = SMatrix<f64, 3, H>;

/// Replica `k`'s cross-entropy against `labels[k]`.
fn loss(
    labels: &[Vec<[usize; H]>; 2],
) -> impl Fn(usize, &[Logits], &mut [Logits]) -> Result<f64, LossError> + Sync {
    move |k, ys, dys| softmax_cross_entropy(ys, &labels[k], dys)
}

#[test]
fn a_replicas_error_is_returned_and_the_gradient_kept() {
    let (xs, labels) = data();
    let (part_xs, mut part_labels) = parts::<H, 2>(&xs, &labels);
    let mut two = DataParallel::new(networks!(H, 2, 6), T);
    two.gradient([&part_xs[0][..], &part_xs[1][..]], loss(&part_labels))
        .unwrap();
    let before = two.grads().to_vec();

    // A label out of range in the second replica's part.
    part_labels[1][3][2] = 7;
    let error = two
        .gradient([&part_xs[0][..], &part_xs[1][..]], loss(&part_labels))
        .unwrap_err();
    assert_eq!(
        error,
        TrainError::Loss(LossError::Label {
            label: 7,
            classes: 3
        })
    );
    assert_eq!(two.grads(), before);

    // More steps than the replicas' tapes hold.
    let long = vec![part_xs[0][0]; T + 1];
    let error = two
        .gradient([&part_xs[0][..], &long[..]], loss(&part_labels))
        .unwrap_err();
    assert_eq!(
        error,
        TrainError::Steps {
            got: T + 1,
            capacity: T
        }
    );
}
