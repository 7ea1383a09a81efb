//! [`IntoLayer`]: what `sequential!` accepts as a layer. A system is a layer as it is; an
//! activation ([`Relu`], …) becomes an [`ActivationLayer`] over whatever the layer before it
//! outputs.
//!
//! Every layer of a `sequential!` must be a `DynamicalSystem<()>` (layers written with
//! `#[dynamical_system]` and a plain `&Shared` are systems for every kind of shared args,
//! `()` included).

use super::activation::{
    Activation, Elu, Gelu, HardSigmoid, HardTanh, Identity, LeakyRelu, LogSigmoid, Relu, Relu6,
    Selu, Sigmoid, Silu, Softplus, Softsign, Tanh,
};
use super::activation_layer::{ActivationLayer, Elementwise};
use crate::DynamicalSystem;

/// A layer of `sequential!` that follows a layer whose output is `X`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a layer",
    label = "a layer of `sequential!` is a system (a `DynamicalSystem`, such as `Dense` or `RnnCell`) or an activation (`Relu`, `Tanh`, …)"
)]
pub trait IntoLayer<X> {
    /// The layer itself.
    type Layer;
    /// Builds it.
    fn into_layer(self) -> Self::Layer;
}

/// A system is a layer as it is; whether it takes `X` is checked apart, so that a mismatch
/// names both layers.
impl<S: DynamicalSystem<()>, X> IntoLayer<X> for S {
    type Layer = S;

    #[inline]
    fn into_layer(self) -> S {
        self
    }
}

macro_rules! activation_layers {
    ($($name:ty),* $(,)?) => {$(
        /// An activation takes whatever the layer before outputs.
        impl<X: Elementwise> IntoLayer<X> for $name {
            type Layer = ActivationLayer<$name, X>;

            #[inline]
            fn into_layer(self) -> Self::Layer {
                ActivationLayer::new(self)
            }
        }
    )*};
}

activation_layers!(
    Activation,
    Identity,
    Relu,
    Relu6,
    LeakyRelu,
    Elu,
    Selu,
    Gelu,
    Softplus,
    Softsign,
    Silu,
    Sigmoid,
    Tanh,
    HardTanh,
    HardSigmoid,
    LogSigmoid,
);

/// `sequential!`'s first layer: a system, which fixes the composition's input type.
#[doc(hidden)]
#[inline]
pub fn first_layer<L: DynamicalSystem<()>>(layer: L) -> L {
    layer
}

/// `sequential!`'s next layer after `previous`.
#[doc(hidden)]
#[inline]
pub fn next_layer<P, N>(_previous: &P, next: N) -> N::Layer
where
    P: DynamicalSystem<()>,
    N: IntoLayer<P::Output>,
{
    next.into_layer()
}
