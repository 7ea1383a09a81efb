//! Seeded weight initializers, as BrainPy's `brainpy.initialize`: [`XavierNormal`] (the default of
//! BrainPy's dense layer and recurrent cells for their weights), [`Zeros`] (their default for
//! biases), [`Uniform`], [`Normal`] and [`Constant`].
//!
//! The caller passes the random generator, so a seeded generator (e.g. `rand_chacha::ChaCha8Rng`
//! from `SeedableRng::seed_from_u64`) gives the same weights on every run. The numbers cannot be
//! BrainPy's own: JAX's generator is another algorithm; the distributions are the same.
//!
//! Fans are those of BrainPy's matrix shape `(n_in, k·n_out)`: `fan_in = n_in`,
//! `fan_out = k·n_out`, even though the layers store transposed blocks of it.

use nalgebra::{ComplexField, SMatrix};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::Real;

/// Why building a layer from its initializers can fail: the weights' only check is `finite`, and
/// an [`Initializer`] that gives NaN or infinity is broken (every one here gives finite values).
pub(crate) const FINITE_INIT: &str =
    "an Initializer gave a weight that is NaN or infinite (the layer's weights must be finite)";

/// How to draw the elements of a weight matrix whose BrainPy shape is `(fan_in, fan_out)`.
pub trait Initializer {
    /// One element.
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R, fan_in: usize, fan_out: usize) -> f64;

    /// A matrix of independent elements, drawn column by column.
    fn matrix<T: Real, const ROWS: usize, const COLS: usize, R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        fan_in: usize,
        fan_out: usize,
    ) -> SMatrix<T, ROWS, COLS>
    where
        Self: Sized,
    {
        SMatrix::from_fn(|_, _| T::of(self.sample(rng, fan_in, fan_out)))
    }
}

/// BrainPy's `XavierNormal` (Glorot): a normal truncated to ±2 standard deviations, rescaled so
/// that the standard deviation is `sqrt(scale · 2 / (fan_in + fan_out))`. Every element lies
/// within `2 · sqrt(scale · 2 / (fan_in + fan_out)) / 0.87962566103423978`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct XavierNormal {
    /// Multiplies the variance (BrainPy's default 1); must be positive.
    pub scale: f64,
}

/// The standard deviation of a standard normal truncated to [-2, 2] (BrainPy's and JAX's
/// constant): dividing by it gives the truncated draws unit variance.
const TRUNCATED_STD: f64 = 0.879_625_661_034_239_8;

impl XavierNormal {
    /// BrainPy's default, `scale = 1`.
    pub const fn new() -> Self {
        XavierNormal { scale: 1.0 }
    }

    /// The standard deviation of the elements of a `(fan_in, fan_out)` matrix.
    pub fn std(&self, fan_in: usize, fan_out: usize) -> f64 {
        // Through nalgebra's ComplexField (libm without std): f64::sqrt needs std.
        ComplexField::sqrt(self.scale * 2.0 / (fan_in + fan_out) as f64)
    }
}

impl Default for XavierNormal {
    fn default() -> Self {
        XavierNormal::new()
    }
}

impl Initializer for XavierNormal {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R, fan_in: usize, fan_out: usize) -> f64 {
        // Rejection keeps 95.4% of draws; the loop ends with probability 1.
        let z = loop {
            let z: f64 = StandardNormal.sample(rng);
            if z.abs() <= 2.0 {
                break z;
            }
        };
        z * self.std(fan_in, fan_out) / TRUNCATED_STD
    }
}

/// Every element 0 (BrainPy's `ZeroInit`, the default for biases). Draws nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Zeros;

impl Initializer for Zeros {
    fn sample<R: Rng + ?Sized>(&self, _rng: &mut R, _fan_in: usize, _fan_out: usize) -> f64 {
        0.0
    }
}

/// Every element the same value. Draws nothing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Constant(pub f64);

impl Initializer for Constant {
    fn sample<R: Rng + ?Sized>(&self, _rng: &mut R, _fan_in: usize, _fan_out: usize) -> f64 {
        self.0
    }
}

/// Uniform on `[low, high)` (BrainPy's `Uniform`, default `[0, 1)`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Uniform {
    /// Lower bound (included).
    pub low: f64,
    /// Upper bound (excluded).
    pub high: f64,
}

impl Default for Uniform {
    fn default() -> Self {
        Uniform {
            low: 0.0,
            high: 1.0,
        }
    }
}

impl Initializer for Uniform {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R, _fan_in: usize, _fan_out: usize) -> f64 {
        let u: f64 = rng.random();
        self.low + (self.high - self.low) * u
    }
}

/// Normal with this mean and standard deviation (BrainPy's `Normal`, default mean 0, std 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Normal {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub std: f64,
}

impl Default for Normal {
    fn default() -> Self {
        Normal {
            mean: 0.0,
            std: 1.0,
        }
    }
}

impl Initializer for Normal {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R, _fan_in: usize, _fan_out: usize) -> f64 {
        let z: f64 = StandardNormal.sample(rng);
        self.mean + self.std * z
    }
}
