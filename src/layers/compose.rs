//! [`IntoLayer`]: what `sequential!` accepts as a layer. A system is a layer as it is; an
//! activation ([`Relu`](super::Relu), …) becomes an [`ActivationLayer`](super::ActivationLayer)
//! over whatever the layer before it outputs.
//!
//! Every layer of a `sequential!` must be a `DynamicalSystem<()>` (layers written with
//! `#[dynamical_system]` and a plain `&Shared` are systems for every kind of shared args,
//! `()` included).

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
/// names both layers. (`do_not_recommend`: a non-layer is reported as "not a layer", not as a
/// missing `DynamicalSystem`.)
#[diagnostic::do_not_recommend]
impl<S: DynamicalSystem<()>, X> IntoLayer<X> for S {
    type Layer = S;

    #[inline]
    fn into_layer(self) -> S {
        self
    }
}

/// An activation takes whatever the layer before outputs: `impl IntoLayer<X>` for the
/// activation type `$name`, written for each entry of the activation table.
macro_rules! activation_layer {
    ($name:ty) => {
        /// An activation takes whatever the layer before outputs.
        impl<X: $crate::layers::Elementwise> $crate::layers::IntoLayer<X> for $name {
            type Layer = $crate::layers::ActivationLayer<$name, X>;

            #[inline]
            fn into_layer(self) -> Self::Layer {
                $crate::layers::ActivationLayer::new(self)
            }
        }
    };
}
pub(crate) use activation_layer;

/// What can come first in a `sequential!`: a system, whose input type is the composition's.
#[diagnostic::on_unimplemented(
    message = "the first layer of a `sequential!` must be a system with a fixed input type, and `{Self}` is not one",
    label = "this layer comes first, so it must implement `DynamicalSystem`",
    note = "an activation (`Relu`, …) takes whatever comes before it, so it cannot come first: start with a layer such as `Dense` or `RnnCell`, or write `ActivationLayer::<Relu, SMatrix<f64, N, B>>::new(Relu)`"
)]
pub trait FirstLayer {}

#[diagnostic::do_not_recommend]
impl<S: DynamicalSystem<()>> FirstLayer for S {}

/// `sequential!`'s first layer.
#[doc(hidden)]
#[inline]
pub fn first_layer<L: FirstLayer>(layer: L) -> L {
    layer
}

/// A layer as `sequential!` chains it: a system, seen through its input and output types. Its
/// own message keeps the errors that follow a first one (a layer that is no system) short.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a system, so the layers around it cannot be chained (see the error about this layer above)",
    label = "not a `DynamicalSystem`"
)]
pub trait ChainedLayer {
    /// The system's input.
    type Input;
    /// The system's output.
    type Output;
}

#[diagnostic::do_not_recommend]
impl<S: DynamicalSystem<()>> ChainedLayer for S {
    type Input = S::Input;
    type Output = S::Output;
}

/// `sequential!`'s next layer after `previous`.
#[doc(hidden)]
#[inline]
pub fn next_layer<P, N>(_previous: &P, next: N) -> N::Layer
where
    P: ChainedLayer,
    N: IntoLayer<P::Output>,
{
    next.into_layer()
}
