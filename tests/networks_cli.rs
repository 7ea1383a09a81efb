//! The examples' command line (`looptime::networks::cli`, what `cargo run --example coba` runs):
//! `coba --from-brainpy tests/reference/coba_seed1 --steps 1000 --out s.csv` writes BrainPy's
//! spike trains, every step and every neuron; the options parse as documented; `--bench` prints
//! the JSON line of `benches/peers/brainpy_coba.py`.
#![cfg(feature = "npy")]

mod network_support;

use looptime::export::spike_csv_string;
use looptime::network::SpikeEvents;
use looptime::networks::CobaKind;
use looptime::networks::cli::{self, CliError, Dtype, Options};
use network_support::coba_reference::{CobaReference, DIR, STEPS};

fn args(text: &str) -> Vec<String> {
    text.split_whitespace().map(String::from).collect()
}

#[test]
fn coba_from_brainpys_files_writes_brainpys_spike_trains() {
    let reference = CobaReference::load();
    let out = std::env::temp_dir().join(format!("looptime_cli_coba_{}.csv", std::process::id()));
    let options = Options::parse(args(&format!(
        "--from-brainpy {DIR} --steps 1000 --out {}",
        out.display()
    )))
    .unwrap();
    let outcome = cli::run::<CobaKind>(&options).unwrap();
    let written = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).unwrap();

    let e = SpikeEvents::from_raster((0..STEPS).map(|k| reference.e_spikes(k)));
    let i = SpikeEvents::from_raster((0..STEPS).map(|k| reference.i_spikes(k)));
    // info.json: 6429 E and 1709 I spikes.
    assert_eq!((e.len(), i.len()), (6429, 1709));
    assert_eq!(written, spike_csv_string(&[("E", &e), ("I", &i)]));
    assert_eq!(written.lines().next(), Some("step,population,neuron"));
    assert_eq!((outcome.e, outcome.i), (e, i));
    assert_eq!((outcome.ne, outcome.ni, outcome.steps), (3200, 800, 1000));
}

#[test]
fn options_parse_as_documented() {
    assert_eq!(
        Options::parse(args("")).unwrap(),
        Options {
            from_brainpy: None,
            steps: 10_000,
            input: None,
            dtype: Dtype::F64,
            seed: 0,
            scale: 1.0,
            out: None,
            bench: false,
        }
    );
    let options = Options::parse(args(
        "--steps 20 --input 25.5 --dtype f32 --seed 7 --scale 10 --out a.csv --bench",
    ))
    .unwrap();
    assert_eq!(
        (options.steps, options.input, options.dtype, options.seed),
        (20, Some(25.5), Dtype::F32, 7)
    );
    assert_eq!(options.scale, 10.0);
    assert_eq!(options.out.as_deref(), Some(std::path::Path::new("a.csv")));
    assert!(options.bench);

    for bad in ["--steps", "--steps ten", "--dtype f16", "--frobnicate 1"] {
        let err = Options::parse(args(bad)).unwrap_err();
        assert!(matches!(err, CliError::Usage(_)), "{bad}: {err}");
        assert!(err.to_string().contains("usage:"), "{err}");
    }
    let options = Options::parse(args("--scale 3 --steps 1")).unwrap();
    let err = cli::run::<CobaKind>(&options).unwrap_err();
    assert!(matches!(err, CliError::Scale(s) if s == 3.0), "{err}");
    // BrainPy's files hold scale 1's sizes.
    let options =
        Options::parse(args(&format!("--from-brainpy {DIR} --scale 2 --steps 1"))).unwrap();
    let err = cli::run::<CobaKind>(&options).unwrap_err();
    assert!(err.to_string().contains("3200 E and 800 I"), "{err}");
}

#[test]
fn bench_prints_the_peer_scripts_json_line() {
    let options = Options::parse(args("--scale 0.25 --steps 50 --dtype f32 --bench")).unwrap();
    let outcome = cli::run::<CobaKind>(&options).unwrap();
    assert!(
        outcome.times.len() >= 3,
        "a warm-up, then at least three timed runs"
    );
    let json = outcome.json();
    for field in [
        r#""name": "coba""#,
        r#""dtype": "f32""#,
        r#""median_ms": "#,
        r#""E_rate_hz": "#,
        r#""neurons": 1000"#,
        r#""steps": 50"#,
    ] {
        assert!(json.contains(field), "{field} in {json}");
    }
    assert!(json.starts_with('{') && json.ends_with('}'));
}
