//! Input helpers: the time-first inputs of a run, computed step by step instead of stored, each
//! usable directly as `LoopOverTime::run_inputs(…)` (they implement [`InputSequence`]):
//!
//! - [`Constant`]: one value at every step;
//! - [`Section`]: piecewise constant, like `brainpy.inputs.section_input`;
//! - [`Ramp`]: `linspace(start, end, steps)`, exactly as NumPy computes it;
//! - [`PoissonSpikes`]: seeded Poisson spike trains, like `brainpy.neurons.PoissonGroup`;
//! - [`Map`]: any of them turned into another input (spikes into currents, say).
//!
//! Scalar-valued helpers fill their items through [`FromScalar`]: a number, or a matrix with
//! every element at that number (the same current for every neuron and sample).
//!
//! ```
//! use looptime::inputs::{Ramp, Section};
//! use looptime::nalgebra::SMatrix;
//!
//! type I = SMatrix<f64, 3, 1>;
//! let ramp = Ramp::<I>::linspace(0.0, 1.0, 5);
//! assert_eq!(ramp.to_vec()[1], I::from_element(0.25));
//! let pulse = Section::new(vec![0.0, 5.0, 0.0], &[10.0, 20.0, 10.0], 0.1).unwrap();
//! assert_eq!(pulse.len(), 400);
//! ```
//!
//! [`InputSequence`]: loop_core::InputSequence

mod constant;
mod error;
mod from_scalar;
mod map;
mod poisson;
mod ramp;
mod section;

pub use constant::Constant;
pub use error::InputError;
pub use from_scalar::FromScalar;
pub use map::Map;
pub use poisson::PoissonSpikes;
pub use ramp::Ramp;
pub use section::Section;
