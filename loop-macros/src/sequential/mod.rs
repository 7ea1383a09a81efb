//! `sequential!`: a named composition of layers, BrainPy's `Sequential(l1=…, l2=relu, l3=…)`.
//! `sequential! { l1: RnnCell::<f64, 100, 20, 128>::new(&mut rng), l2: Relu, l3: … }` is a value of
//! a struct generated for it, with one field per layer (public in this form), that implements
//! `DynamicalSystem` (each layer's output feeds the next) and `States` (children by name, so
//! `l1.state` resolves).
//! A shape mismatch between neighbours is a compile error that names both layers.
//!
//! The named form, `sequential! { pub struct Encoder { l1: RnnCell<f64, 3, 6, 4>, l2: Relu, … } }`,
//! defines that struct as an item instead (its type parameters default to the written layer
//! types, so `Encoder` alone is the concrete type; its fields keep the visibility written), with
//! `Encoder::new(l1, l2, …)` and the snapshot type `EncoderSnapshot`: a type a crate can store
//! in its own structs and name in signatures. Both forms derive `Clone` and `Debug` (the named
//! form unless its own `#[derive]` already does).
//! Parse → validate → expand.

mod ast;
mod expand;
mod expand_backward;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;

/// The macro's entry point.
pub fn expand(input: TokenStream) -> TokenStream {
    let mut cx = Ctxt::new();
    let spec = parse::parse(&mut cx, input);
    validate::validate(&mut cx, &spec);
    match cx.check() {
        Ok(()) => expand::expand(&spec),
        Err(e) if spec.named.is_some() => e.to_compile_error(),
        Err(e) => {
            // Still type-check the layers the user wrote, so their own mistakes show too (and
            // their imports stay used), but build nothing from them: one message per mistake.
            let errors = e.to_compile_error();
            let exprs = spec.expressions();
            quote::quote!({
                #errors
                #[allow(unreachable_code)]
                let _ = || (#(#exprs,)*);
            })
        }
    }
}
