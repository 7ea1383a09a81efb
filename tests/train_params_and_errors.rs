//! Parameter files round-trip bit for bit (f64 and f32) and refuse files of another model with a
//! typed error, leaving the model unchanged; the gradient driver refuses bad runs with typed
//! errors.

use looptime::layers::{Dense, GruCell, Relu, RnnCell};
use looptime::nalgebra::SMatrix;
use looptime::sequential;
use looptime::train::param_text::{HEADER, ParamTextError, from_text, to_text};
use looptime::train::{
    Bptt, LossError, ParamFileError, TrainError, load_params, loss, params_to_vec, save_params,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

#[test]
fn parameters_round_trip_through_a_file() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let model = sequential! {
        l1: RnnCell::<f64, 4, 3, 2>::new(&mut rng),
        l2: Relu,
        l3: GruCell::<f64, 3, 2, 2>::new(&mut rng),
    };
    let dir = std::env::temp_dir().join(format!("looptime-params-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.txt");
    save_params(&model, &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(HEADER));
    assert!(text.contains("\nl1.wi 3 4\n") && text.contains("\nl3.b_a 2 1\n"));

    let mut other = sequential! {
        l1: RnnCell::<f64, 4, 3, 2>::new(&mut rng),
        l2: Relu,
        l3: GruCell::<f64, 3, 2, 2>::new(&mut rng),
    };
    assert_ne!(params_to_vec(&other), params_to_vec(&model));
    load_params(&mut other, &path).unwrap();
    assert_eq!(params_to_vec(&other), params_to_vec(&model));

    // Another shape: refused, and the model is unchanged.
    let mut wrong = RnnCell::<f64, 4, 5, 2>::new(&mut rng);
    let before = params_to_vec(&wrong);
    match load_params(&mut wrong, &path) {
        Err(ParamFileError::Format {
            source: ParamTextError::Path { line: 2, .. },
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(params_to_vec(&wrong), before);
    assert!(matches!(
        load_params(&mut wrong, dir.join("missing.txt")),
        Err(ParamFileError::Io { .. })
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn text_format_round_trips_f32_and_names_what_does_not_fit() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let layer = Dense::<f32, 3, 2>::new(&mut rng);
    let text = to_text(&layer);
    let mut copy = Dense::<f32, 3, 2>::new(&mut rng);
    from_text(&mut copy, &text).unwrap();
    assert_eq!(copy.w, layer.w);
    assert_eq!(copy.b, layer.b);

    let mut other = Dense::<f32, 2, 2>::new(&mut rng);
    assert_eq!(
        from_text(&mut other, &text),
        Err(ParamTextError::Shape {
            path: "w".into(),
            expected: (2, 2),
            found: (2, 3)
        })
    );
    assert!(matches!(
        from_text(&mut copy, "weights\n"),
        Err(ParamTextError::Header { .. })
    ));
    let truncated: String = text.lines().take(3).collect::<Vec<_>>().join("\n");
    assert_eq!(
        from_text(&mut copy, &truncated),
        Err(ParamTextError::Count {
            expected: 2,
            found: 1
        })
    );
    let bad = text.replace("w 2 3", "w 2 three");
    assert!(matches!(
        from_text(&mut copy, &bad),
        Err(ParamTextError::Syntax { .. })
    ));
}

#[test]
fn the_driver_refuses_bad_runs() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut model = RnnCell::<f64, 2, 2, 1>::new(&mut rng);
    let xs = vec![SMatrix::<f64, 2, 1>::repeat(1.0); 5];
    let labels = [[1]];
    let ce = |ys: &[SMatrix<f64, 2, 1>], dys: &mut [SMatrix<f64, 2, 1>]| {
        loss::softmax_cross_entropy(&ys[ys.len() - 1..], &labels, &mut dys[ys.len() - 1..])
    };

    let mut short = Bptt::new(4);
    assert_eq!(
        short.gradient(&mut model, &xs, ce),
        Err(TrainError::Steps {
            got: 5,
            capacity: 4
        })
    );
    assert_eq!(
        short.gradient(&mut model, &[], ce),
        Err(TrainError::Steps {
            got: 0,
            capacity: 4
        })
    );
    let mut bad_dt = Bptt::new(5).dt(-0.1);
    assert_eq!(
        bad_dt.gradient(&mut model, &xs, ce),
        Err(TrainError::Clock(looptime::ClockError::InvalidDt(-0.1)))
    );
    let mut bad_t0 = Bptt::new(5).t0(f64::INFINITY);
    assert_eq!(
        bad_t0.gradient(&mut model, &xs, ce),
        Err(TrainError::Clock(looptime::ClockError::InvalidT0(
            f64::INFINITY
        )))
    );
    let mut zero = Bptt::new(5).remat(0);
    assert_eq!(
        zero.gradient(&mut model, &xs, ce),
        Err(TrainError::RematZero)
    );

    let mut bptt = Bptt::new(5);
    let bad_label = [[7]];
    assert_eq!(
        bptt.gradient(&mut model, &xs, |ys, dys| {
            loss::softmax_cross_entropy(&ys[4..], &bad_label, &mut dys[4..])
        }),
        Err(TrainError::Loss(LossError::Label {
            label: 7,
            classes: 2
        }))
    );
    let nan = bptt.gradient(&mut model, &xs, |_, _| Ok(f64::NAN));
    assert!(matches!(nan, Err(TrainError::NonFiniteLoss(v)) if v.is_nan()));
    let e = TrainError::Steps {
        got: 5,
        capacity: 4,
    };
    assert_eq!(
        e.to_string(),
        "a gradient needs between 1 and 4 steps of input (the tape's size), got 5"
    );
    assert!(bptt.gradient(&mut model, &xs, ce).unwrap().is_finite());
}
