//! Layers of recurrent networks, written with `#[dynamical_system]` as a user would write them:
//! [`Dense`], [`RnnCell`], [`GruCell`], [`LstmCell`], and activations ([`relu`], [`tanh`], … as
//! functions; [`Relu`], [`Tanh`], … as stateless layers of `sequential!`).
//!
//! Each layer is generic over the scalar `T` (f32 or f64), its sizes `IN` and `OUT`, and the batch
//! `B` (default 1): it takes an `SMatrix<T, IN, B>` (one column per sample) and its states are
//! `SMatrix<T, OUT, B>`, starting at zero. Weights are stored transposed (column-major), and
//! load from BrainPy's `(n_in, k·n_out)` arrays ([`BrainPyArray`], `.npy` files with the `npy`
//! feature) with BrainPy's numbers. [`init`] has the seeded initializers.
//!
//! Sizes live in the types, and so on the stack: a step takes its `IN × B` input by value and
//! keeps a few `OUT × B` matrices, and a layer holds its weights inline (an `RnnCell<f64, 100, 20,
//! 128>` is about 40 kB, a step's input 100 kB). Keep a step's working set well within the
//! thread's stack (2 MiB for test threads, 8 MiB for `main`), or run big layers in a thread with
//! a larger stack; the seed's network at batch 128 is far inside these limits.
//!
//! ```
//! use looptime::layers::{Dense, Relu, RnnCell};
//! use looptime::prelude::*;
//! use looptime::sequential;
//! use rand::SeedableRng;
//!
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
//! let model = sequential! {
//!     l1: RnnCell::<f64, 3, 8, 4>::new(&mut rng),
//!     l2: Relu,
//!     l3: Dense::<f64, 8, 2, 4>::new(&mut rng),
//! };
//! let mut run = LoopOverTime::new(model).monitor("l1.state", |m| m.l1.state);
//! let history = run.run_inputs(&[SMatrix::<f64, 3, 4>::repeat(0.5); 10]).unwrap();
//! assert_eq!(history.outputs.len(), 10);
//! assert_eq!(history.monitors.0[9], run.target().l1.state);
//! ```
//!
//! To store a composition in a struct of your own, or name it in a signature, give it a name: the
//! named form takes the layers' types and defines that type, built by `new` from the layers.
//!
//! ```
//! use looptime::layers::{Relu, RnnCell};
//! use looptime::prelude::*;
//! use looptime::sequential;
//! use rand::SeedableRng;
//!
//! sequential! {
//!     /// The seed's network, as a type.
//!     pub struct Seed {
//!         /// The first recurrent cell.
//!         pub l1: RnnCell<f64, 100, 20, 128>,
//!         /// Its activation.
//!         pub l2: Relu,
//!         /// The read-out cell.
//!         pub l3: RnnCell<f64, 20, 2, 128>,
//!     }
//! }
//!
//! /// A user's struct holding it.
//! struct Agent {
//!     net: Seed,
//! }
//!
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
//! let mut agent = Agent {
//!     net: Seed::new(RnnCell::new(&mut rng), Relu, RnnCell::new(&mut rng)),
//! };
//! let y = agent.net.update(&Shared::default(), SMatrix::<f64, 100, 128>::repeat(0.5));
//! assert_eq!(y.shape(), (2, 128));
//! ```

mod activation;
mod activation_layer;
mod compose;
mod dense;
mod gru;
pub mod init;
mod lstm;
#[cfg(feature = "npy")]
mod npy;
mod rnn;
mod weights;

pub use activation::{
    Activation, Derivative, ElementFn, Elu, Gelu, HardSigmoid, HardTanh, Identity, LeakyRelu,
    LogSigmoid, Relu, Relu6, Selu, Sigmoid, Silu, Softplus, Softsign, Tanh, elu, gelu,
    hard_sigmoid, hard_tanh, identity, leaky_relu, log_sigmoid, relu, relu6, selu, sigmoid, silu,
    softplus, softsign, tanh,
};
pub use activation_layer::{ActivationLayer, Elementwise};
#[doc(hidden)]
pub use compose::{ChainedLayer, first_layer, next_layer};
pub use compose::{FirstLayer, IntoLayer};
pub use dense::{Dense, DenseBuilder, DenseSnapshot};
pub use gru::{GruCell, GruCellBuilder, GruCellSnapshot};
pub use init::Initializer;
pub use lstm::{LstmCell, LstmCellBuilder, LstmCellSnapshot};
#[cfg(feature = "npy")]
pub use npy::read_npy;
pub use rnn::{RnnCell, RnnCellBuilder, RnnCellSnapshot};
pub use weights::{BrainPyArray, WeightError};
