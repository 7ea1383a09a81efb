//! BrainPy 2.8.2's COBA network (`EICOBA_PostAlign`, seed 1, float64, input 20, 1000 steps of
//! 0.1 ms): its connectivity and initial potentials, and the spikes of every neuron after every
//! step, to compare a run with — every step, every neuron.

use looptime::connect::load_brainpy_csr;
use looptime::layers::read_npy;
use looptime::network::Csr;

/// Where the reference files are.
pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/coba_seed1");
/// Excitatory neurons.
pub const NE: usize = 3200;
/// Inhibitory neurons.
pub const NI: usize = 800;
/// Steps recorded.
pub const STEPS: usize = 1000;
/// The constant input of every neuron.
pub const INPUT: f64 = 20.0;
/// The step (ms).
pub const DT: f64 = 0.1;
/// Neurons of E whose V is recorded (`E_V_first10.npy`).
pub const V_RECORDED: usize = 10;

/// The reference run.
pub struct CobaReference {
    /// Initial V of E (3200) and I (800).
    pub e_v0: Vec<f64>,
    /// Initial V of I.
    pub i_v0: Vec<f64>,
    /// E → E, E → I, I → E, I → I (row = presynaptic neuron).
    pub e2e: Csr,
    /// E → I.
    pub e2i: Csr,
    /// I → E.
    pub i2e: Csr,
    /// I → I.
    pub i2i: Csr,
    /// Spikes of E after each step, step after step (1000 × 3200).
    pub e_spike: Vec<bool>,
    /// Spikes of I after each step (1000 × 800).
    pub i_spike: Vec<bool>,
    /// V of E neurons 0..10 after each step (1000 × 10).
    pub e_v_first10: Vec<f64>,
}

/// Where a run first leaves the reference.
#[derive(Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The step.
    pub step: usize,
    /// `"E"` or `"I"`.
    pub population: &'static str,
    /// The first neuron that differs.
    pub neuron: usize,
    /// Whether the reference has it fire.
    pub expected: bool,
}

fn read_bool(name: &str, rows: usize, cols: usize) -> Vec<bool> {
    let path = format!("{DIR}/{name}");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let npy = npyz::NpyFile::new(&bytes[..]).unwrap();
    assert_eq!(npy.shape(), &[rows as u64, cols as u64], "{path}");
    npy.into_vec::<bool>().unwrap()
}

fn read_f64(name: &str, shape: &[usize]) -> Vec<f64> {
    let array = read_npy(format!("{DIR}/{name}")).unwrap();
    assert_eq!(array.shape(), shape, "{name}");
    array.into_data()
}

impl CobaReference {
    /// Loads every file (through the connectivity loader under test).
    pub fn load() -> Self {
        let csr = |name, n_pre, n_post| load_brainpy_csr(DIR, name, n_pre, n_post).unwrap();
        CobaReference {
            e_v0: read_f64("E_v0.npy", &[NE]),
            i_v0: read_f64("I_v0.npy", &[NI]),
            e2e: csr("E2E", NE, NE),
            e2i: csr("E2I", NE, NI),
            i2e: csr("I2E", NI, NE),
            i2i: csr("I2I", NI, NI),
            e_spike: read_bool("E_spike.npy", STEPS, NE),
            i_spike: read_bool("I_spike.npy", STEPS, NI),
            e_v_first10: read_f64("E_V_first10.npy", &[STEPS, V_RECORDED]),
        }
    }

    /// BrainPy's E spikes after step `k`.
    pub fn e_spikes(&self, k: usize) -> &[bool] {
        &self.e_spike[k * NE..(k + 1) * NE]
    }

    /// BrainPy's I spikes after step `k`.
    pub fn i_spikes(&self, k: usize) -> &[bool] {
        &self.i_spike[k * NI..(k + 1) * NI]
    }

    /// BrainPy's V of E neurons 0..10 after step `k`.
    pub fn e_v(&self, k: usize) -> &[f64] {
        &self.e_v_first10[k * V_RECORDED..(k + 1) * V_RECORDED]
    }

    /// The first neuron whose spike after step `k` differs from BrainPy's, E first.
    pub fn check_step(&self, k: usize, e: &[bool], i: &[bool]) -> Result<(), Mismatch> {
        for (population, ours, theirs) in [("E", e, self.e_spikes(k)), ("I", i, self.i_spikes(k))] {
            assert_eq!(ours.len(), theirs.len(), "{population} has the wrong size");
            if let Some(neuron) = (0..ours.len()).find(|&n| ours[n] != theirs[n]) {
                return Err(Mismatch {
                    step: k,
                    population,
                    neuron,
                    expected: theirs[neuron],
                });
            }
        }
        Ok(())
    }
}
