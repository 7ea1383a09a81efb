//! What the three benchmark networks share: two populations, excitatory (E) and inhibitory (I),
//! joined by four projections E2E, E2I, I2E, I2I ([`EiConnectivity`]), and their initial
//! potentials — drawn from a seeded normal or uniform distribution ([`normal_v0`],
//! [`uniform_v0`]), or read with the
//! connectivity from BrainPy's files ([`EiSetup::load_brainpy`]).

use alloc::vec::Vec;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

use crate::connect::{Connector, FixedProb};
use crate::network::{ConnError, Csr};

/// The connectivity of an E–I network: one [`Csr`] per projection (row = presynaptic neuron).
#[derive(Clone, Debug, PartialEq)]
pub struct EiConnectivity {
    /// E → E.
    pub e2e: Csr,
    /// E → I.
    pub e2i: Csr,
    /// I → E.
    pub i2e: Csr,
    /// I → I.
    pub i2i: Csr,
}

impl EiConnectivity {
    /// BrainPy's `FixedProb(prob)` for each projection between `ne` E and `ni` I neurons,
    /// self-connections included (BrainPy's default). The four draws are seeded with `seed`,
    /// `seed + 1`, `seed + 2` and `seed + 3`, in the order E2E, E2I, I2E, I2I.
    pub fn fixed_prob(prob: f64, seed: u64, ne: usize, ni: usize) -> Result<Self, ConnError> {
        let draw = |k: u64, n_pre, n_post| {
            FixedProb::new(prob)
                .seed(seed.wrapping_add(k))
                .build(n_pre, n_post)
        };
        Ok(EiConnectivity {
            e2e: draw(0, ne, ne)?,
            e2i: draw(1, ne, ni)?,
            i2e: draw(2, ni, ne)?,
            i2i: draw(3, ni, ni)?,
        })
    }

    /// Synapses of the four projections together.
    pub fn synapses(&self) -> usize {
        [&self.e2e, &self.e2i, &self.i2e, &self.i2i]
            .iter()
            .map(|c| c.n_synapses())
            .sum()
    }
}

/// `n` initial potentials from Normal(`mean`, `sd`) (BrainPy's `bp.init.Normal`), drawn from a
/// ChaCha8 stream seeded with `seed`: the same values on every platform, not BrainPy's.
///
/// # Panics
/// When `sd` is negative or not finite.
pub fn normal_v0(mean: f64, sd: f64, n: usize, seed: u64) -> Vec<f64> {
    let normal = Normal::new(mean, sd).expect("a finite, non-negative standard deviation");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n).map(|_| normal.sample(&mut rng)).collect()
}

/// `n` initial potentials uniform in `[low, high)` (BrainPy's `bp.init.Uniform`, Brian2's
/// `low + rand() * (high - low)`), drawn from a ChaCha8 stream seeded with `seed`.
pub fn uniform_v0(low: f64, high: f64, n: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| low + (high - low) * rng.random::<f64>())
        .collect()
}

/// A network's connectivity and initial potentials, as BrainPy saved them.
#[derive(Clone, Debug, PartialEq)]
pub struct EiSetup {
    /// The four projections.
    pub connectivity: EiConnectivity,
    /// Initial potentials of E.
    pub e_v0: Vec<f64>,
    /// Initial potentials of I.
    pub i_v0: Vec<f64>,
}

#[cfg(feature = "npy")]
mod files {
    use alloc::string::ToString;
    use std::path::Path;

    use super::{EiConnectivity, EiSetup};
    use crate::connect::{ConnFileError, load_brainpy_csr};
    use crate::layers::read_npy;

    impl EiSetup {
        /// `E_v0.npy`, `I_v0.npy` (float64, their lengths the population sizes) and
        /// `{E2E,E2I,I2E,I2I}_{indices,indptr}.npy` from `dir` (the layout of
        /// `tests/reference/coba_seed1/`); every fault names its file.
        pub fn load_brainpy(dir: impl AsRef<Path>) -> Result<Self, ConnFileError> {
            let dir = dir.as_ref();
            let v0 = |name: &str| {
                let path = dir.join(name);
                read_npy(&path)
                    .map(|a| a.into_data())
                    .map_err(|e| ConnFileError::Io {
                        file: path.display().to_string(),
                        source: std::io::Error::other(e.to_string()),
                    })
            };
            let (e_v0, i_v0) = (v0("E_v0.npy")?, v0("I_v0.npy")?);
            let (ne, ni) = (e_v0.len(), i_v0.len());
            let csr = |name, n_pre, n_post| load_brainpy_csr(dir, name, n_pre, n_post);
            Ok(EiSetup {
                connectivity: EiConnectivity {
                    e2e: csr("E2E", ne, ne)?,
                    e2i: csr("E2I", ne, ni)?,
                    i2e: csr("I2E", ni, ne)?,
                    i2i: csr("I2I", ni, ni)?,
                },
                e_v0,
                i_v0,
            })
        }
    }
}
