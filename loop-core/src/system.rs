//! [`DynamicalSystem`]: a system that advances by one step, and [`Needs`], what it reads of
//! [`Shared`].

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::{Shared, StateVisitor};

/// Which generated shared values a system reads. The loop checks them before the first step, so a
/// model that needs `t` cannot silently run with `t0 = None`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// The system reads [`Shared::t`].
    pub t: bool,
    /// The system reads [`Shared::i`].
    pub i: bool,
}

impl Needs {
    /// Reads neither `t` nor `i`.
    pub const NOTHING: Needs = Needs { t: false, i: false };
    /// Reads `t`.
    pub const T: Needs = Needs { t: true, i: false };
    /// Reads `i`.
    pub const I: Needs = Needs { t: false, i: true };

    /// What either of two systems needs (for a composition of children).
    pub const fn union(self, other: Needs) -> Needs {
        Needs {
            t: self.t || other.t,
            i: self.i || other.i,
        }
    }
}

/// A single-step system: a neuron population, a layer, a recurrent cell, or a network of them.
///
/// Shapes live in the types (const generics over nalgebra fixed-size matrices), so a shape
/// mismatch is a compile error. `A` is the type of the user's shared arguments
/// ([`Shared::args`]); most systems are generic over it.
pub trait DynamicalSystem<A = ()> {
    /// What the system takes at one step (use `()` for none).
    type Input;
    /// What the system returns at one step.
    type Output;

    /// Advances the system by one step of `sh.dt` at time `sh.t`, with input `x`.
    fn update(&mut self, sh: &Shared<A>, x: Self::Input) -> Self::Output;

    /// Like [`update`](Self::update), with the input lent rather than given: a loop over stored
    /// inputs calls this, so that a large input (a batch of 128 samples is 100 KB) is not copied
    /// out before every step. The default clones it and calls `update`; `#[dynamical_system]`
    /// overrides it when the `#[update]` function takes its input by reference.
    fn update_ref(&mut self, sh: &Shared<A>, x: &Self::Input) -> Self::Output
    where
        Self::Input: Clone,
    {
        self.update(sh, x.clone())
    }

    /// Like [`update_ref`](Self::update_ref), writing the output over `out` (the output of an
    /// earlier step) instead of returning it: a composition that keeps each layer's output in
    /// its training record calls this, so that a large output (20 KB for a batch of 128 samples
    /// of 20 units in f64) is written where it is kept rather than returned and copied there.
    /// The default assigns [`update_ref`](Self::update_ref)'s output; an activation writes its
    /// output in place.
    fn update_into(&mut self, sh: &Shared<A>, x: &Self::Input, out: &mut Self::Output)
    where
        Self::Input: Clone,
    {
        *out = self.update_ref(sh, x);
    }

    /// Puts every state back to its initial value, children included.
    fn reset_state(&mut self);

    /// Which generated shared values (`t`, `i`) the system reads. Default: none.
    fn needs(&self) -> Needs {
        Needs::NOTHING
    }

    /// Shows every state variable to `visitor`, children inside
    /// [`enter`](StateVisitor::enter)/[`leave`](StateVisitor::leave). Used by the divergence
    /// check and by export. Default: no states.
    fn visit_states(&self, visitor: &mut dyn StateVisitor) {
        let _ = visitor;
    }

    /// `true` when the output at a step depends on that step's input only (a dense layer, an
    /// activation), so that a `no_state` loop may feed all steps at once. Default: `false`.
    fn is_stateless(&self) -> bool {
        false
    }

    /// Applies the system to every input of `xs` in order, appending one output per input to
    /// `out`, with the same numbers as calling [`update`](Self::update) on each.
    ///
    /// Stateless systems override it to process all `T × B` columns in one call (one matrix
    /// product); this is what a `no_state` loop calls.
    fn update_all(&mut self, sh: &Shared<A>, xs: &[Self::Input], out: &mut Vec<Self::Output>)
    where
        Self::Input: Clone,
    {
        out.extend(xs.iter().map(|x| self.update(sh, x.clone())));
    }
}

/// A boxed system steps like the system itself: large models live on the heap.
impl<A, S: DynamicalSystem<A> + ?Sized> DynamicalSystem<A> for Box<S> {
    type Input = S::Input;
    type Output = S::Output;

    fn update(&mut self, sh: &Shared<A>, x: Self::Input) -> Self::Output {
        (**self).update(sh, x)
    }

    fn update_ref(&mut self, sh: &Shared<A>, x: &Self::Input) -> Self::Output
    where
        Self::Input: Clone,
    {
        (**self).update_ref(sh, x)
    }

    fn update_into(&mut self, sh: &Shared<A>, x: &Self::Input, out: &mut Self::Output)
    where
        Self::Input: Clone,
    {
        (**self).update_into(sh, x, out)
    }

    fn reset_state(&mut self) {
        (**self).reset_state()
    }

    fn needs(&self) -> Needs {
        (**self).needs()
    }

    fn visit_states(&self, visitor: &mut dyn StateVisitor) {
        (**self).visit_states(visitor)
    }

    fn is_stateless(&self) -> bool {
        (**self).is_stateless()
    }

    fn update_all(&mut self, sh: &Shared<A>, xs: &[Self::Input], out: &mut Vec<Self::Output>)
    where
        Self::Input: Clone,
    {
        (**self).update_all(sh, xs, out)
    }
}
