//! Training through the loop: reverse-mode gradients of a loss over a run's outputs with respect
//! to every trainable parameter (backpropagation through time), with optional rematerialization,
//! plus losses, optimizers and a text format for parameters.
//!
//! - [`Trainable`]: a system's trainable parameters, visited as flat slices in a fixed order;
//!   gradients, optimizer buffers and saved files all follow that order. `#[dynamical_system]`
//!   derives it from the `#[param(train)]` fields ([`TrainableParam`]).
//! - [`Backward`]: one step forward (recording what the backward step needs) and one step
//!   backward. Written once per layer; `sequential!` derives it for compositions.
//! - [`Tape`]: the per-step records and remat checkpoints, sized before the loop.
//! - [`Bptt`]: the driver — forward over the inputs, the loss, then backward in reverse order.
//! - [`DataParallel`]: a batch's gradient as the gradients of its parts, one replica of the
//!   model per part, the replicas spread over the cores.
//! - [`Remat`]: keep every k-th state and recompute the rest during the backward pass.
//! - [`loss`], [`optim`]: MSE and softmax cross-entropy; SGD with momentum and Adam.
//! - [`param_text`]: parameters as a documented text format that round-trips exactly.
//!
//! Everything here is `no_std` + `alloc`; the buffers are allocated when a driver or an
//! optimizer is built, never during a step.

mod affine;
mod backward;
mod bptt;
mod data_parallel;
mod error;
mod grad_cursor;
pub mod linalg;
pub mod loss;
pub mod optim;
pub mod param_text;
mod remat;
mod tape;
mod trainable;
mod trainable_param;
mod zeroable;

pub use affine::{AffineGrads, product_plus_bias_backward, two_products_plus_bias_backward};
pub use backward::{Backward, Forward, LocalBackward, Previous};
pub use bptt::Bptt;
pub use data_parallel::{DataParallel, Reduction};
pub use error::TrainError;
pub use grad_cursor::GradCursor;
pub use loss::LossError;
pub use optim::{Adam, Optimizer, Sgd, clip_grad_norm};
pub use remat::Remat;
pub use tape::{Tape, TapeUsage};
pub use trainable::{
    ParamInfo, ParamVisitor, ParamVisitorMut, Trainable, param_infos, params_from_slice,
    params_to_vec,
};
pub use trainable_param::TrainableParam;
pub use zeroable::Zeroable;
