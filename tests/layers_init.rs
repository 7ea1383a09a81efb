//! Seeded initializers: the same seed gives the same weights, and each draws from its
//! distribution (mean, standard deviation and bounds within sampling error on many draws).

use looptime::layers::init::{Constant, Initializer, Normal, Uniform, XavierNormal, Zeros};
use looptime::layers::{Dense, GruCell, LstmCell, RnnCell};
use looptime::nalgebra::SMatrix;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const DRAWS: usize = 200_000;

fn draws(init: &impl Initializer, seed: u64, fan_in: usize, fan_out: usize) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..DRAWS)
        .map(|_| init.sample(&mut rng, fan_in, fan_out))
        .collect()
}

fn mean_std(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

#[test]
fn xavier_normal_has_std_sqrt_2_over_fans_and_is_truncated_at_two_sigma() {
    let (fan_in, fan_out) = (100, 60);
    let xs = draws(&XavierNormal::new(), 1, fan_in, fan_out);
    let std = (2.0 / (fan_in + fan_out) as f64).sqrt();
    let (m, s) = mean_std(&xs);
    // Sampling error of the mean is std/sqrt(N); of the std about std/sqrt(2N) (less for a
    // truncated normal, whose tails are lighter): 5 of them is a safe bound.
    let n = DRAWS as f64;
    assert!(m.abs() < 5.0 * std / n.sqrt(), "mean {m}");
    assert!(
        (s - std).abs() < 5.0 * std / (2.0 * n).sqrt(),
        "std {s} vs {std}"
    );
    // BrainPy truncates the unit normal at ±2 and divides by its std, 0.8796…
    let bound = 2.0 * std / 0.879_625_661_034_239_8;
    assert!(xs.iter().all(|x| x.abs() <= bound));
    assert!(
        xs.iter().any(|x| x.abs() > 0.95 * bound),
        "the tails reach the bound"
    );
    // scale multiplies the variance.
    let scaled = draws(&XavierNormal { scale: 4.0 }, 1, fan_in, fan_out);
    assert_eq!(scaled[7], 2.0 * xs[7]);
}

#[test]
fn uniform_normal_zeros_and_constant_draw_what_they_say() {
    let xs = draws(
        &Uniform {
            low: -3.0,
            high: 1.0,
        },
        2,
        1,
        1,
    );
    assert!(xs.iter().all(|x| (-3.0..1.0).contains(x)));
    let (m, s) = mean_std(&xs);
    let n = DRAWS as f64;
    let (mean, std) = (-1.0, 4.0 / 12f64.sqrt());
    assert!((m - mean).abs() < 5.0 * std / n.sqrt(), "mean {m}");
    assert!((s - std).abs() < 5.0 * std / (2.0 * n).sqrt(), "std {s}");

    let xs = draws(
        &Normal {
            mean: 2.5,
            std: 0.3,
        },
        3,
        1,
        1,
    );
    let (m, s) = mean_std(&xs);
    assert!((m - 2.5).abs() < 5.0 * 0.3 / n.sqrt(), "mean {m}");
    assert!((s - 0.3).abs() < 5.0 * 0.3 / (2.0 * n).sqrt(), "std {s}");

    assert!(draws(&Zeros, 4, 3, 3).iter().all(|x| *x == 0.0));
    assert!(draws(&Constant(0.25), 4, 3, 3).iter().all(|x| *x == 0.25));
    assert_eq!(
        Uniform::default(),
        Uniform {
            low: 0.0,
            high: 1.0
        }
    );
    assert_eq!(
        Normal::default(),
        Normal {
            mean: 0.0,
            std: 1.0
        }
    );
}

#[test]
fn a_seed_gives_the_same_weights_and_another_seed_others() {
    let a = RnnCell::<f64, 30, 20, 2>::new(&mut ChaCha8Rng::seed_from_u64(42));
    let b = RnnCell::<f64, 30, 20, 2>::new(&mut ChaCha8Rng::seed_from_u64(42));
    let c = RnnCell::<f64, 30, 20, 2>::new(&mut ChaCha8Rng::seed_from_u64(43));
    assert_eq!((a.wi, a.wh, a.b), (b.wi, b.wh, b.b));
    assert_ne!(a.wi, c.wi);
    let g1 = GruCell::<f32, 4, 3>::new(&mut ChaCha8Rng::seed_from_u64(7));
    let g2 = GruCell::<f32, 4, 3>::new(&mut ChaCha8Rng::seed_from_u64(7));
    assert_eq!(g1.to_brainpy(), g2.to_brainpy());
    let m: SMatrix<f64, 3, 3> = Normal::default().matrix(&mut ChaCha8Rng::seed_from_u64(5), 3, 3);
    let n: SMatrix<f64, 3, 3> = Normal::default().matrix(&mut ChaCha8Rng::seed_from_u64(5), 3, 3);
    assert_eq!(m, n);
}

#[test]
fn layers_default_to_xavier_weights_with_brainpys_fans_and_zero_biases() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    // Fans are those of BrainPy's stacked matrix: Wi (IN, 4·OUT) for an LSTM.
    let lstm = LstmCell::<f64, 60, 25>::new(&mut rng);
    let (wi, wh, b) = lstm.to_brainpy();
    assert!(b.data().iter().all(|x| *x == 0.0));
    let check = |data: &[f64], std: f64| {
        let (m, s) = mean_std(data);
        let n = data.len() as f64;
        assert!(m.abs() < 5.0 * std / n.sqrt(), "mean {m}");
        assert!(
            (s - std).abs() < 5.0 * std / (2.0 * n).sqrt(),
            "std {s} vs {std}"
        );
    };
    check(wi.data(), (2.0_f64 / (60.0 + 100.0)).sqrt());
    check(wh.data(), (2.0_f64 / (25.0 + 100.0)).sqrt());

    let dense = Dense::<f64, 80, 40>::new(&mut rng);
    assert_eq!(dense.b, SMatrix::<f64, 40, 1>::zeros());
    check(dense.w.as_slice(), (2.0 / 120.0f64).sqrt());
}
