//! Weights in BrainPy's layout: loading gives the same numbers (round trips through the stacked
//! `(n_in, k·n_out)` arrays), and a wrong array is a typed error that names it and says the
//! expected and found shapes, never a panic.
#![cfg(feature = "npy")]

use std::path::PathBuf;

use looptime::layers::{BrainPyArray, Dense, GruCell, LstmCell, RnnCell, WeightError, read_npy};
use looptime::{Check, ParamError};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/rnn_seed");

fn reference(name: &str) -> PathBuf {
    PathBuf::from(DIR).join(name)
}

#[test]
fn weights_round_trip_through_brainpys_layout() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let gru = GruCell::<f64, 5, 3>::new(&mut rng);
    let (wi, wh, b) = gru.to_brainpy();
    assert_eq!(
        (wi.shape().to_vec(), wh.shape().to_vec(), b.shape().to_vec()),
        (vec![5, 9], vec![3, 9], vec![9])
    );
    let back = GruCell::<f64, 5, 3>::from_brainpy(&wi, &wh, &b).unwrap();
    assert_eq!(back.to_brainpy(), (wi.clone(), wh, b));
    // Gate z of Wi is its first 3 columns, transposed: Wi[i, j] = wi_z[j, i].
    assert_eq!(wi.data()[2 * 9 + 1], gru.wi_z[(1, 2)]);
    assert_eq!(wi.data()[2 * 9 + 3 + 1], gru.wi_r[(1, 2)]);
    assert_eq!(wi.data()[2 * 9 + 6 + 1], gru.wi_a[(1, 2)]);

    let lstm = LstmCell::<f64, 4, 2>::new(&mut rng);
    let (wi, wh, b) = lstm.to_brainpy();
    assert_eq!(wi.shape(), [4, 8]);
    // Gates stacked i, g, f, o.
    assert_eq!(wi.data()[3 * 8 + 2 * 2 + 1], lstm.wi_f[(1, 3)]);
    let back = LstmCell::<f64, 4, 2>::from_brainpy(&wi, &wh, &b).unwrap();
    assert_eq!(back.to_brainpy(), (wi, wh, b));

    let dense = Dense::<f64, 3, 2>::new(&mut rng);
    let (w, b) = dense.to_brainpy();
    assert_eq!(Dense::<f64, 3, 2>::from_brainpy(&w, &b).unwrap().w, dense.w);
}

#[test]
fn the_reference_files_load_with_their_numbers() {
    let cell = RnnCell::<f64, 100, 20, 1>::load_npy(
        reference("l1_Wi.npy"),
        reference("l1_Wh.npy"),
        reference("l1_b.npy"),
    )
    .unwrap();
    let wi = read_npy(reference("l1_Wi.npy")).unwrap();
    // BrainPy's Wi[i, j] (row-major, (100, 20)) is the layer's wi[(j, i)].
    for (i, j) in [(0, 0), (3, 17), (99, 19), (42, 5)] {
        assert_eq!(cell.wi[(j, i)], wi.data()[i * 20 + j]);
    }
}

#[test]
fn a_wrong_shape_names_the_file_and_both_shapes() {
    // l3's weights (20, 2) given to a (100, 20) cell.
    let err = RnnCell::<f64, 100, 20, 1>::load_npy(
        reference("l3_Wi.npy"),
        reference("l1_Wh.npy"),
        reference("l1_b.npy"),
    )
    .unwrap_err();
    match &err {
        WeightError::Shape {
            array: source,
            expected,
            found,
            ..
        } => {
            assert!(source.ends_with("l3_Wi.npy"), "{source}");
            assert_eq!(
                (expected.as_slice(), found.as_slice()),
                ([100, 20].as_slice(), [20, 2].as_slice())
            );
        }
        other => panic!("expected a shape error, got {other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("l3_Wi.npy") && text.contains("(100, 20)") && text.contains("(20, 2)"),
        "{text}"
    );

    // A GRU needs (n_in, 3·n_out).
    let a = |shape: Vec<usize>| {
        let n = shape.iter().product();
        BrainPyArray::new("gru_Wi", shape, vec![0.0; n]).unwrap()
    };
    let err = GruCell::<f64, 4, 2>::from_brainpy(&a(vec![4, 2]), &a(vec![2, 6]), &a(vec![6]))
        .unwrap_err();
    assert!(
        err.to_string().contains("3·n_out") && err.to_string().contains("(4, 6)"),
        "{err}"
    );
    let err = LstmCell::<f64, 4, 2>::from_brainpy(&a(vec![4, 8]), &a(vec![2, 8]), &a(vec![6]))
        .unwrap_err();
    assert!(
        err.to_string().contains("(8,)") && err.to_string().contains("(6,)"),
        "{err}"
    );
}

#[test]
fn other_bad_inputs_are_typed_errors() {
    let err = BrainPyArray::new("w", vec![2, 3], vec![0.0; 5]).unwrap_err();
    assert!(matches!(err, WeightError::Length { len: 5, .. }), "{err:?}");
    assert!(err.to_string().contains("(2, 3) needs 6 elements"), "{err}");

    let missing = reference("no_such_file.npy");
    let err = read_npy(&missing).unwrap_err();
    assert!(matches!(err, WeightError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("no_such_file.npy"), "{err}");

    // A float32 array: the header of a real .npy file, written here byte by byte.
    let dir = std::env::temp_dir().join(format!("looptime-weights-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("f32.npy");
    let mut header = String::from("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend((header.len() as u16).to_le_bytes());
    bytes.extend(header.as_bytes());
    bytes.extend(1.0f32.to_le_bytes());
    bytes.extend(2.0f32.to_le_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let err = read_npy(&path).unwrap_err();
    assert!(matches!(err, WeightError::Format { .. }), "{err:?}");
    assert!(
        err.to_string().contains("<f4") && err.to_string().contains("float64"),
        "{err}"
    );

    std::fs::write(&path, b"not an npy file").unwrap();
    assert!(matches!(
        read_npy(&path).unwrap_err(),
        WeightError::Io { .. }
    ));
    std::fs::remove_dir_all(&dir).unwrap();

    // Non-finite weights break the layers' `check = finite`.
    let w = BrainPyArray::new("W", vec![2, 1], vec![1.0, f64::NAN]).unwrap();
    let b = BrainPyArray::new("b", vec![1], vec![0.0]).unwrap();
    match Dense::<f64, 2, 1>::from_brainpy(&w, &b).unwrap_err() {
        WeightError::Param {
            error:
                ParamError::Invalid {
                    param: "w",
                    rule: Check::Finite,
                    ..
                },
            ..
        } => {}
        other => panic!("expected a finite check, got {other:?}"),
    }
}
