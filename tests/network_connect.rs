//! The seeded connectivity generators (`looptime::connect`) follow BrainPy's `bp.conn` rules —
//! counts per row from Python's rounding, distinct targets, self-connections dropped after the
//! draw — with draws that are uniform; BrainPy's `.npy` layout loads, and every broken file is an
//! error naming the file and the entry; a synapse takes 4 bytes with a homogeneous weight and 8
//! with `f32` weights.

use looptime::connect::{AllToAll, Connector, FixedPostNum, FixedPreNum, FixedProb, Num, OneToOne};
use looptime::network::{ConnError, Csr, InvalidConn, Synapses};

/// Every row sorted, without repeats, in range.
fn assert_rows_distinct(csr: &Csr) {
    for i in 0..csr.n_pre() {
        let row = csr.row(i);
        assert!(
            row.windows(2).all(|w| w[0] < w[1]),
            "row {i} not sorted and distinct"
        );
        assert!(row.iter().all(|&j| (j as usize) < csr.n_post()));
    }
}

#[test]
fn fixed_prob_draws_brainpys_count_per_row() {
    // BrainPy: int(round(n_post * prob)) targets per row (Python's round: half to even).
    for (n_post, prob, count) in [
        (3200, 0.02, 64),
        (800, 0.02, 16),
        (50, 0.05, 2),
        (70, 0.05, 4),
        (30, 0.05, 2),
        (14, 0.25, 4),
    ] {
        let csr = FixedProb::new(prob).seed(1).build(40, n_post).unwrap();
        assert_eq!(FixedProb::new(prob).targets_per_row(n_post), count);
        assert!(
            (0..40).all(|i| csr.row(i).len() == count),
            "{n_post} × {prob}"
        );
        assert_rows_distinct(&csr);
    }
}

#[test]
fn fixed_prob_without_self_connections_drops_i_from_row_i() {
    let n = 60;
    let with = FixedProb::new(0.5).seed(3).build(n, n).unwrap();
    let without = FixedProb::new(0.5)
        .include_self(false)
        .seed(3)
        .build(n, n)
        .unwrap();
    for i in 0..n {
        assert!(!without.row(i).contains(&(i as u32)));
        // The same draw, minus i when it was drawn (BrainPy drops it after drawing).
        let expected: Vec<u32> = with
            .row(i)
            .iter()
            .copied()
            .filter(|&j| j as usize != i)
            .collect();
        assert_eq!(without.row(i), expected);
    }
    // Half the neurons drawn per row: i is in about half the rows of `with`.
    let dropped = (0..n)
        .filter(|&i| with.row(i).contains(&(i as u32)))
        .count();
    assert!((15..=45).contains(&dropped), "{dropped}");
    // Not square is fine: only the pairs (i, i) go.
    let rect = FixedProb::new(1.0).include_self(false).build(3, 5).unwrap();
    assert_eq!(rect.row(1), &[0, 2, 3, 4]);
}

#[test]
fn a_seed_gives_one_connectivity() {
    let a = FixedProb::new(0.1).seed(7).build(200, 300).unwrap();
    assert_eq!(a, FixedProb::new(0.1).seed(7).build(200, 300).unwrap());
    assert_ne!(a, FixedProb::new(0.1).seed(8).build(200, 300).unwrap());
}

#[test]
fn draws_are_uniform_over_targets() {
    // 4000 rows of 10 targets out of 100: each target is drawn 400 times on average, with a
    // standard deviation of sqrt(4000 × 0.1 × 0.9) = 19; 6 deviations is 114.
    let csr = FixedPostNum::new(Num::Count(10))
        .seed(11)
        .build(4000, 100)
        .unwrap();
    let mut in_degree = vec![0_usize; 100];
    for &j in csr.indices() {
        in_degree[j as usize] += 1;
    }
    assert!(
        in_degree.iter().all(|&d| d.abs_diff(400) <= 114),
        "{in_degree:?}"
    );
    // The smallest target of a uniform 10-subset of 0..100 has mean (n + 1) / (k + 1) - 1 =
    // 101 / 11 - 1 and a standard deviation near 8: over 4000 rows, 0.5 is about 4 deviations.
    let mean_min = (0..4000).map(|i| f64::from(csr.row(i)[0])).sum::<f64>() / 4000.0;
    let expected = 101.0 / 11.0 - 1.0;
    assert!(
        (mean_min - expected).abs() < 0.5,
        "{mean_min} vs {expected}"
    );
}

#[test]
fn fixed_post_num_counts_and_fractions() {
    let csr = FixedPostNum::new(Num::Count(5)).build(20, 9).unwrap();
    assert!((0..20).all(|i| csr.row(i).len() == 5));
    assert_rows_distinct(&csr);
    // BrainPy: int(n_post * fraction), rounded down: int(99 * 0.5) = 49, int(10 * 0.35) = 3.
    let half = FixedPostNum::new(Num::Fraction(0.5)).build(3, 99).unwrap();
    assert!((0..3).all(|i| half.row(i).len() == 49));
    assert_eq!(
        FixedPostNum::new(Num::Fraction(0.35))
            .build(1, 10)
            .unwrap()
            .row(0)
            .len(),
        3
    );
    assert_eq!(
        FixedPostNum::new(Num::Count(10)).build(3, 9).unwrap_err(),
        ConnError::Invalid(InvalidConn::TooManyPartners {
            num: 10,
            available: 9
        })
    );
    assert_eq!(
        FixedPostNum::new(Num::Count(1))
            .include_self(false)
            .build(3, 4)
            .unwrap_err(),
        ConnError::Invalid(InvalidConn::NotSquare {
            n_pre: 3,
            n_post: 4
        })
    );
}

#[test]
fn fixed_pre_num_gives_every_target_its_count_of_sources() {
    let (n_pre, n_post) = (50, 30);
    let csr = FixedPreNum::new(Num::Count(7))
        .seed(2)
        .build(n_pre, n_post)
        .unwrap();
    assert_eq!(csr.n_pre(), n_pre);
    let mut sources = vec![Vec::new(); n_post];
    for i in 0..n_pre {
        for &j in csr.row(i) {
            sources[j as usize].push(i);
        }
    }
    assert!(sources.iter().all(|s| s.len() == 7));
    assert!(sources.iter().all(|s| s.windows(2).all(|w| w[0] < w[1])));
    assert_rows_distinct(&csr);
    let n = 40;
    let without = FixedPreNum::new(Num::Count(20))
        .include_self(false)
        .seed(4)
        .build(n, n)
        .unwrap();
    assert!((0..n).all(|i| !without.row(i).contains(&(i as u32))));
}

#[test]
fn one_to_one_and_all_to_all_connectors() {
    let one = OneToOne.build(4, 4).unwrap();
    assert_eq!(one.indices(), &[0, 1, 2, 3]);
    assert_eq!(
        OneToOne.build(4, 5).unwrap_err(),
        ConnError::Invalid(InvalidConn::NotSquare {
            n_pre: 4,
            n_post: 5
        })
    );
    let all = AllToAll {
        include_self: false,
    }
    .build(3, 3)
    .unwrap();
    assert_eq!(all.indices(), &[1, 2, 0, 2, 0, 1]);
    assert_eq!(AllToAll::default().build(2, 3).unwrap().n_synapses(), 6);
    assert!(FixedProb::new(1.5).build(2, 2).is_err());
}

#[test]
fn coba_sized_connectivity_takes_4_or_8_bytes_per_synapse() {
    // E2E of COBA: 3200 × 64 synapses.
    let csr = FixedProb::new(0.02).seed(1).build(3200, 3200).unwrap();
    let n = csr.n_synapses();
    assert_eq!(n, 3200 * 64);
    let rows = size_of::<usize>() * 3201;
    let homogeneous = Synapses::homogeneous(csr.clone(), 0.6_f64).footprint();
    assert_eq!(
        (homogeneous.per_synapse_bytes, homogeneous.per_row_bytes),
        (4 * n, rows)
    );
    let weighted = Synapses::per_synapse(csr, vec![0.6_f32; n])
        .unwrap()
        .footprint();
    assert_eq!(
        (weighted.per_synapse_bytes, weighted.per_row_bytes),
        (8 * n, rows)
    );
    // Row pointers add an eighth of a byte per synapse at 64 synapses per row.
    assert!(weighted.total() as f64 / n as f64 <= 8.0 + 8.0 * 3201.0 / n as f64);
}

#[cfg(feature = "npy")]
mod npy_files {
    use std::path::{Path, PathBuf};

    use looptime::connect::{ConnFileError, load_brainpy_csr, read_index_npy};
    use looptime::network::{ConnArray, ConnError};
    use npyz::WriterBuilder;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "looptime_network_connect_{}_{name}",
            std::process::id()
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn write<T: npyz::AutoSerialize + Copy>(path: &Path, shape: &[u64], data: &[T]) {
        let file = std::fs::File::create(path).unwrap();
        let mut w = npyz::WriteOptions::new()
            .default_dtype()
            .shape(shape)
            .writer(file)
            .begin_nd()
            .unwrap();
        w.extend(data.iter().copied()).unwrap();
        w.finish().unwrap();
    }

    /// A connectivity `X` from 3 to 4 neurons in `dir`, with the given arrays.
    fn files(name: &str, indptr: &[i64], indices: &[i64]) -> PathBuf {
        let d = dir(name);
        write(&d.join("X_indptr.npy"), &[indptr.len() as u64], indptr);
        write(&d.join("X_indices.npy"), &[indices.len() as u64], indices);
        d
    }

    #[test]
    fn a_good_pair_of_files_loads() {
        let d = files("good", &[0, 2, 2, 3], &[3, 0, 1]);
        let csr = load_brainpy_csr(&d, "X", 3, 4).unwrap();
        assert_eq!((csr.row(0), csr.row(2)), (&[3_u32, 0][..], &[1_u32][..]));
        // int32 (BrainPy's float32 mode) loads too.
        write(&d.join("Y_indptr.npy"), &[4], &[0_i32, 2, 2, 3]);
        write(&d.join("Y_indices.npy"), &[3], &[3_i32, 0, 1]);
        assert_eq!(load_brainpy_csr(&d, "Y", 3, 4).unwrap(), csr);
    }

    #[test]
    fn an_index_out_of_range_names_the_indices_file_and_entry() {
        let d = files("range", &[0, 2, 2, 3], &[3, 0, 4]);
        let err = load_brainpy_csr(&d, "X", 3, 4).unwrap_err();
        let ConnFileError::Invalid { file, source } = &err else {
            panic!("{err}")
        };
        assert!(file.ends_with("X_indices.npy"), "{file}");
        assert_eq!(
            *source,
            ConnError::IndexOutOfRange {
                array: ConnArray::Indices,
                entry: 2,
                value: 4,
                bound: 4
            }
        );
        let message = err.to_string();
        assert!(
            message.contains("X_indices.npy") && message.contains("entry 2 is 4"),
            "{message}"
        );
    }

    #[test]
    fn row_pointers_that_do_not_add_up_name_the_indptr_file() {
        let d = files("sum", &[0, 2, 2, 4], &[3, 0, 1]);
        let err = load_brainpy_csr(&d, "X", 3, 4).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("X_indptr.npy") && message.contains("entry 3 is 4"),
            "{message}"
        );
        assert!(matches!(
            err,
            ConnFileError::Invalid {
                source: ConnError::IndptrEnd {
                    entry: 3,
                    value: 4,
                    synapses: 3
                },
                ..
            }
        ));
        let d = files("order", &[0, 2, 1, 3], &[3, 0, 1]);
        let err = load_brainpy_csr(&d, "X", 3, 4).unwrap_err();
        assert!(
            matches!(
                err,
                ConnFileError::Invalid {
                    source: ConnError::IndptrDecreasing {
                        entry: 2,
                        value: 1,
                        previous: 2
                    },
                    ..
                }
            ),
            "{err}"
        );
        // A file for another population size.
        let d = files("size", &[0, 2, 3], &[3, 0, 1]);
        let err = load_brainpy_csr(&d, "X", 3, 4).unwrap_err();
        assert!(
            matches!(
                err,
                ConnFileError::Invalid {
                    source: ConnError::Length {
                        array: ConnArray::Indptr,
                        found: 3,
                        expected: 4
                    },
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn wrong_dtype_shape_or_missing_file_name_the_file() {
        let d = dir("format");
        write(&d.join("float.npy"), &[2], &[0.0_f64, 1.0]);
        let err = read_index_npy(d.join("float.npy")).unwrap_err();
        assert!(
            matches!(&err, ConnFileError::Dtype { file, .. } if file.ends_with("float.npy")),
            "{err}"
        );
        write(&d.join("matrix.npy"), &[2, 2], &[0_i64, 1, 2, 3]);
        let err = read_index_npy(d.join("matrix.npy")).unwrap_err();
        assert!(
            matches!(&err, ConnFileError::Shape { found, .. } if found == &[2, 2]),
            "{err}"
        );
        let err = load_brainpy_csr(&d, "missing", 1, 1).unwrap_err();
        assert!(
            matches!(&err, ConnFileError::Io { file, .. } if file.ends_with("missing_indptr.npy")),
            "{err}"
        );
    }
}
