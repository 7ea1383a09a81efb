//! [`Backward`]: the two halves of one step for reverse-mode gradients. The forward half steps the
//! system as [`DynamicalSystem::update`] does and keeps a record; the backward half takes the
//! gradient of the loss with respect to the step's output and to the state it produced, and
//! returns (by accumulation) the gradients with respect to the parameters, the state before the
//! step and, when asked, the input. `sequential!` derives it for a composition from its layers';
//! a layer whose record is its states before the step implements only the backward half,
//! [`LocalBackward`], and gets the rest.

use super::{Trainable, Zeroable};
use crate::simd::vectorized;
use crate::{DynamicalSystem, Shared, States};

/// What the forward half of one step saw and kept, handed back to its backward half.
#[derive(Debug)]
pub struct Forward<'a, X, Y, R> {
    /// The step's input.
    pub x: &'a X,
    /// The step's output.
    pub y: &'a Y,
    /// The record the forward half returned (typically the state before the step).
    pub record: &'a R,
    /// The step before's output and record, when the training loop kept them (a forward half
    /// written in place was then told `previous_kept`, see [`Backward::forward_into`]); `None`
    /// at the first step, and at the first step of a rematerialized segment.
    pub previous: Option<Previous<'a, Y, R>>,
}

impl<'a, X, Y, R> Forward<'a, X, Y, R> {
    /// The states before the step of a layer whose states are its output
    /// ([`LocalBackward::STATE_IS_OUTPUT`]): the step before's output when the loop kept it (the
    /// record was then not written), else `recorded`, the states in the record.
    pub fn state_before(&self, recorded: &'a Y) -> &'a Y {
        self.previous.map_or(recorded, |p| p.y)
    }
}

impl<X, Y, R> Clone for Forward<'_, X, Y, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<X, Y, R> Copy for Forward<'_, X, Y, R> {}

/// The output and record of the step before, as the training loop kept them
/// ([`Forward::previous`]). A layer whose states are its output (an RNN cell's `h`) finds the
/// state before its step here, and need not have recorded it ([`LocalBackward::STATE_IS_OUTPUT`]).
#[derive(Debug)]
pub struct Previous<'a, Y, R> {
    /// The step before's output.
    pub y: &'a Y,
    /// The step before's record.
    pub record: &'a R,
}

impl<Y, R> Clone for Previous<'_, Y, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Y, R> Copy for Previous<'_, Y, R> {}

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

    /// One step, as [`forward`](Self::forward), writing the record over `record` (a record of an
    /// earlier step, which [`Bptt`](super::Bptt) reuses rather than moving a new one into its
    /// tape). Override it when the record is large and can be written in place.
    ///
    /// `previous_kept`: the training loop keeps the step before's output and record, and hands
    /// them to this step's backward half as [`Forward::previous`]. What the record would copy
    /// from them need not be written (the record may then hold anything of the right type):
    /// an RNN cell's state before the step is the step before's output, 20 KB per step for the
    /// seed's first cell.
    #[inline]
    fn forward_into(
        &mut self,
        sh: &Shared<A>,
        x: &Self::Input,
        record: &mut Self::Record,
        previous_kept: bool,
    ) -> Self::Output {
        let _ = previous_kept;
        let (y, r) = self.forward(sh, x);
        *record = r;
        y
    }

    /// One step, as [`forward_into`](Self::forward_into), writing the output over `out` too (an
    /// output of an earlier step, kept in a composition's record): a large output is written
    /// where it is kept rather than returned and copied there (see
    /// [`DynamicalSystem::update_into`]). The default assigns `forward_into`'s output.
    #[inline]
    fn forward_into_output(
        &mut self,
        sh: &Shared<A>,
        x: &Self::Input,
        record: &mut Self::Record,
        out: &mut Self::Output,
        previous_kept: bool,
    ) {
        *out = self.forward_into(sh, x, record, previous_kept);
    }

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

/// The backward half of a step whose forward half is the system's own step, and whose record is
/// its states before the step ([`States::snapshot`]): implementing it implements [`Backward`]
/// (for every kind of shared args the system takes), so a layer written with
/// `#[dynamical_system]` (whose `#[param(train)]` fields make it [`Trainable`]) writes only its
/// local derivative.
///
/// `backward_step` runs compiled for the widest vector instructions the CPU has (mark it
/// `#[inline(always)]` for its loops to use them).
#[diagnostic::on_unimplemented(
    message = "gradients cannot flow through `{Self}`: it implements neither `Backward` nor `LocalBackward`",
    label = "not differentiable"
)]
pub trait LocalBackward: Trainable + States {
    /// The system's input (its `DynamicalSystem::Input`).
    type In;
    /// The system's output (its `DynamicalSystem::Output`).
    type Out;
    /// The gradient of the loss with respect to the states carried to the next step; zero after
    /// the last step.
    type StateGrad: Zeroable;

    /// The states are exactly the step's output (an RNN or GRU cell's `h`): when the training
    /// loop keeps the step before's output, the forward half records nothing, and
    /// `backward_step` must read the states before the step from `step.previous` when it is
    /// `Some` ([`Forward::state_before`]; `step.record` is then stale). Default `false`: the
    /// states are always recorded.
    const STATE_IS_OUTPUT: bool = false;

    /// The backward half of one step, as [`Backward::backward`], with `step.record` the states
    /// before the step.
    fn backward_step<A>(
        &self,
        sh: &Shared<A>,
        step: Forward<'_, Self::In, Self::Out, Self::Snapshot>,
        dy: &Self::Out,
        dstate: &mut Self::StateGrad,
        grads: &mut [Self::Scalar],
        dx: Option<&mut Self::In>,
    );
}

impl<A, M> Backward<A> for M
where
    M: LocalBackward
        + DynamicalSystem<A, Input = <M as LocalBackward>::In, Output = <M as LocalBackward>::Out>,
    M::Input: Clone,
{
    /// The states before the step.
    type Record = M::Snapshot;
    type StateGrad = <M as LocalBackward>::StateGrad;

    #[inline]
    fn forward(&mut self, sh: &Shared<A>, x: &Self::Input) -> (Self::Output, Self::Record) {
        let before = self.snapshot();
        (self.update_ref(sh, x), before)
    }

    #[inline]
    fn forward_into(
        &mut self,
        sh: &Shared<A>,
        x: &Self::Input,
        record: &mut Self::Record,
        previous_kept: bool,
    ) -> Self::Output {
        record_states(self, record, previous_kept);
        self.update_ref(sh, x)
    }

    #[inline]
    fn forward_into_output(
        &mut self,
        sh: &Shared<A>,
        x: &Self::Input,
        record: &mut Self::Record,
        out: &mut Self::Output,
        previous_kept: bool,
    ) {
        record_states(self, record, previous_kept);
        self.update_into(sh, x, out);
    }

    fn zero_state_grad(&self) -> Self::StateGrad {
        Zeroable::zeroed()
    }

    fn backward(
        &self,
        sh: &Shared<A>,
        step: Forward<'_, Self::Input, Self::Output, Self::Record>,
        dy: &Self::Output,
        dstate: &mut Self::StateGrad,
        grads: &mut [Self::Scalar],
        dx: Option<&mut Self::Input>,
    ) {
        vectorized(
            dstate,
            (self, sh, step, dy, grads, dx),
            #[inline(always)]
            |dstate, (model, sh, step, dy, grads, dx)| {
                model.backward_step(sh, step, dy, dstate, grads, dx);
            },
        );
    }
}

/// The forward half's record of a [`LocalBackward`] layer: its states before the step, written
/// over `record`, unless they are its output and the loop keeps the step before's
/// ([`LocalBackward::STATE_IS_OUTPUT`]).
#[inline(always)]
fn record_states<M: LocalBackward>(model: &M, record: &mut M::Snapshot, previous_kept: bool) {
    if !(M::STATE_IS_OUTPUT && previous_kept) {
        model.snapshot_into(record);
    }
}
