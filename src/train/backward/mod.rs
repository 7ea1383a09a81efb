//! The backward steps of the built-in layers, one file per layer, each implementing
//! [`Backward`](loop_core::train::Backward) for the layer type defined in `crate::layers`
//! (whose `Trainable` comes from its `#[param(train)]` fields). The forward halves call the
//! layers' own `update`, so trained numbers are the loop's numbers; the backward halves are the
//! local derivatives of MODELS.md's formulas: they recompute the gates with the layer's own
//! functions from the recorded state, scale by the activations' derivatives (the activation
//! table in `layers/activation.rs`), and send the result through the backward step of the
//! forward's affine maps (`train::two_products_plus_bias_backward`).

/// The `Backward` impl of a recurrent cell `$cell<T, IN, OUT, B>`: the forward half records the
/// states before the step (`$before`, read from the cell) and calls the cell's own step (lent
/// the input, which is not copied); the
/// backward half runs the cell's inherent `backward_step` compiled for the widest vector
/// instructions the CPU has. Each cell file writes only its `backward_step`.
macro_rules! recurrent_backward {
    ($cell:ident, record: $record:ty, state_grad: $grad:ty, before: |$c:ident| $before:expr, zero: $zero:expr $(,)?) => {
        impl<A, T: Real, const IN: usize, const OUT: usize, const B: usize> Backward<A>
            for $cell<T, IN, OUT, B>
        {
            /// The states before the step.
            type Record = $record;
            type StateGrad = $grad;

            #[inline]
            fn forward(
                &mut self,
                sh: &Shared<A>,
                x: &SMatrix<T, IN, B>,
            ) -> (SMatrix<T, OUT, B>, Self::Record) {
                let $c = &*self;
                let before = $before;
                (self.update_ref(sh, x), before)
            }

            fn zero_state_grad(&self) -> Self::StateGrad {
                $zero
            }

            fn backward(
                &self,
                _sh: &Shared<A>,
                step: Forward<'_, SMatrix<T, IN, B>, SMatrix<T, OUT, B>, Self::Record>,
                dy: &SMatrix<T, OUT, B>,
                dstate: &mut Self::StateGrad,
                grads: &mut [T],
                dx: Option<&mut SMatrix<T, IN, B>>,
            ) {
                vectorized(
                    dstate,
                    (self, step, dy, grads, dx),
                    #[inline(always)]
                    |dstate, (cell, step, dy, grads, dx)| {
                        cell.backward_step(step, dy, dstate, grads, dx)
                    },
                );
            }
        }
    };
}

mod activation_layer;
mod dense;
mod gru;
mod lstm;
mod rnn;

pub use lstm::LstmStateGrad;
