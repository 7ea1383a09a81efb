//! Training through the loop: the runtime's gradient machinery ([`Bptt`], [`Backward`],
//! [`Trainable`], remat, losses, optimizers — see `loop_core::train`) re-exported, plus what the
//! model zoo adds: the backward steps of the layers ([`Dense`](crate::layers::Dense),
//! [`RnnCell`](crate::layers::RnnCell), [`GruCell`](crate::layers::GruCell),
//! [`LstmCell`](crate::layers::LstmCell), the activations, and `sequential!` compositions of
//! them), derivatives of the activations ([`Derivative`]), a LIF neuron with surrogate gradients
//! for spiking networks ([`SurrogateLif`]), and parameter files.
//!
//! ```
//! use looptime::layers::{Relu, RnnCell};
//! use looptime::nalgebra::SMatrix;
//! use looptime::sequential;
//! use looptime::train::{Adam, Bptt, Optimizer, loss};
//! use rand::SeedableRng;
//!
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
//! let mut model = sequential! {
//!     l1: RnnCell::<f64, 3, 8, 4>::new(&mut rng),
//!     l2: Relu,
//!     l3: RnnCell::<f64, 8, 2, 4>::new(&mut rng),
//! };
//! let xs = vec![SMatrix::<f64, 3, 4>::repeat(0.5); 10];
//! let labels = [[0, 1, 0, 1]];
//! let mut bptt = Bptt::new(10);
//! let mut adam = Adam::new(&model, 0.01);
//! for _ in 0..3 {
//!     // Cross-entropy of the last step's outputs.
//!     let loss = bptt
//!         .gradient(&mut model, &xs, |ys, dys| {
//!             loss::softmax_cross_entropy(&ys[9..], &labels, &mut dys[9..])
//!         })
//!         .unwrap();
//!     assert!(loss.is_finite());
//!     adam.step(&mut model, bptt.grads()).unwrap();
//! }
//! ```

mod backward;
#[cfg(feature = "std")]
mod param_file;
mod surrogate;
mod surrogate_lif;

pub use crate::layers::Derivative;
pub use backward::{LstmStateGrad, RnnStateGrad};
pub use loop_core::train::*;
#[cfg(feature = "std")]
pub use param_file::{ParamFileError, load_params, save_params};
pub use surrogate::Surrogate;
pub use surrogate_lif::{SurrogateLif, SurrogateLifBuilder, SurrogateLifSnapshot};
