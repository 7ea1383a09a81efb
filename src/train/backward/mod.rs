//! The backward steps of the built-in layers, one file per layer, each implementing
//! [`Backward`](loop_core::train::Backward) for the layer type defined in `crate::layers`
//! (whose `Trainable` comes from its `#[param(train)]` fields). The forward halves call the
//! layers' own `update`, so trained numbers are the loop's numbers; the backward halves are the
//! local derivatives of docs/MODELS.md's formulas: they recompute the gates with the layer's own
//! functions from the recorded state, scale by the activations' derivatives (the activation
//! table in `layers/activation.rs`), and send the result through the backward step of the
//! forward's affine maps (`train::two_products_plus_bias_backward`).

mod activation_layer;
mod dense;
mod gru;
mod lstm;
mod rnn;

pub use lstm::LstmStateGrad;
pub use rnn::RnnStateGrad;
