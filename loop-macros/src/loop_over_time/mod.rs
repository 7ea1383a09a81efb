//! `loop_over_time!`: the compile-time twin of `LoopOverTime`. The step count is known when the
//! macro is expanded (literal `duration`/`steps`) or from the inputs' array type, so outputs and
//! monitors come back as boxed arrays; the loop is scanned, unrolled by k, or fully unrolled.
//! Parse → validate → expand.

mod ast;
mod expand;
mod parse;
mod validate;

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;

pub fn expand(input: TokenStream) -> TokenStream {
    let mut cx = Ctxt::new();
    let spec = parse::parse(&mut cx, input);
    if let Some(spec) = &spec {
        validate::validate(&mut cx, spec);
    }
    match (cx.check(), spec) {
        (Ok(()), Some(spec)) => expand::expand(&spec),
        (Err(e), _) => e.to_compile_error(),
        (Ok(()), None) => unreachable!("parse reports why it returns None"),
    }
}
