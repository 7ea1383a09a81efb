//! [`Backward`]: the two halves of one step for reverse-mode gradients. The forward half steps the
//! system as [`DynamicalSystem::update`] does and keeps a record; the backward half takes the
//! gradient of the loss with respect to the step's output and to the state it produced, and
//! returns (by accumulation) the gradients with respect to the parameters, the state before the
//! step and, when asked, the input. Written once per layer; `sequential!` derives it for a
//! composition from its layers'.

use super::Trainable;
use crate::{DynamicalSystem, Shared};

/// What the forward half of one step saw and kept, handed back to its backward half.
#[derive(Debug)]
pub struct Forward<'a, X, Y, R> {
    /// The step's input.
    pub x: &'a X,
    /// The step's output.
    pub y: &'a Y,
    /// The record the forward half returned (typically the state before the step).
    pub record: &'a R,
}

impl<X, Y, R> Clone for Forward<'_, X, Y, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<X, Y, R> Copy for Forward<'_, X, Y, R> {}

/// A system that gradients flow through: backpropagation through time steps it forward, keeping
/// one [`Record`](Self::Record) per step, then calls [`backward`](Self::backward) on the steps in
/// reverse order.
///
/// At step `t` with state `s_{t-1}` before it, the system computes `(y_t, s_t) = f(x_t, s_{t-1}; θ)`.
/// Given `dy = ∂L/∂y_t` (from the loss) and `dstate = ∂L/∂s_t` (from the later steps),
/// `backward` must
/// - **add** `∂L/∂θ` of this step to `grads` (laid out as [`Trainable::visit_params`]),
/// - **replace** `dstate` by `∂L/∂s_{t-1}`,
/// - **overwrite** `dx`, when it is `Some`, with `∂L/∂x_t`.
///
/// [`forward`](Self::forward) must advance the state exactly as [`update`](DynamicalSystem::update)
/// does, so a trained model runs in an ordinary [`LoopOverTime`](crate::LoopOverTime) with the
/// numbers it was trained with. A step allocates nothing: records are values kept in a
/// [`Tape`](super::Tape) sized before the loop.
#[diagnostic::on_unimplemented(
    message = "gradients cannot flow through `{Self}`: it does not implement `Backward`",
    label = "not differentiable",
    note = "implement `Trainable` and `Backward` for each layer (the zoo's layers, activations and `sequential!` compositions of them have them); a `sequential!` is differentiable when every layer is"
)]
pub trait Backward<A = ()>: DynamicalSystem<A> + Trainable {
    /// What the forward half keeps of one step for the backward half: usually the state before
    /// the step (and anything cheaper to keep than to recompute).
    type Record;

    /// The gradient of the loss with respect to the state carried to the next step (`()` for a
    /// stateless layer).
    type StateGrad;

    /// One step, as [`update`](DynamicalSystem::update), returning the output and the record.
    fn forward(&mut self, sh: &Shared<A>, x: &Self::Input) -> (Self::Output, Self::Record);

    /// The gradient with respect to the state after the last step: zero.
    fn zero_state_grad(&self) -> Self::StateGrad;

    /// The backward half of one step (see the trait's docs for what it must do). `grads` holds
    /// exactly [`PARAM_COUNT`](Trainable::PARAM_COUNT) scalars; `sh` is the step's shared values,
    /// as the forward half saw them.
    fn backward(
        &self,
        sh: &Shared<A>,
        step: Forward<'_, Self::Input, Self::Output, Self::Record>,
        dy: &Self::Output,
        dstate: &mut Self::StateGrad,
        grads: &mut [Self::Scalar],
        dx: Option<&mut Self::Input>,
    );
}
