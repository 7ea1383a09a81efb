//! The backward steps of the built-in layers, one file per layer, each implementing
//! [`Trainable`](loop_core::train::Trainable) (parameters in field order) and
//! [`Backward`](loop_core::train::Backward) for the layer type defined in `crate::layers`.
//! The forward halves call the layers' own `update`, so trained numbers are the loop's numbers;
//! the backward halves follow the formulas of MODELS.md, recomputing gate values from the
//! recorded state where that is cheaper than keeping them.

mod activation;
mod activation_layer;
mod dense;
mod gru;
mod lstm;
mod rnn;

pub use activation::Derivative;
pub use lstm::LstmStateGrad;
