//! The math an equation or a per-element rule writes, made vectorizable: `x.exp()`, `x.ln()`,
//! `x.sqrt()`, `x.tanh()`, `x.exp_m1()`, `x.powf(y)`, `x.powi(n)`, and calls of functions of
//! those names (`f64::exp(x)`, `T::ln(x)`, `exp(x)`) and of `sigmoid`, become calls of
//! `loop_core::math`'s branch-free versions, which the compiler computes a vector of elements
//! at a time (the platform's are library calls, which keep a loop scalar). Their accuracy is
//! stated in `loop_core::math`. Other calls are left as they are.

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{Expr, Path};

/// The one-argument functions and methods, and the two-argument ones (`x.powf(y)`).
const UNARY: [&str; 5] = ["exp", "exp_m1", "ln", "sqrt", "tanh"];
const BINARY: [&str; 2] = ["powf", "powi"];
/// Functions looptime has that the standard library does not (as calls only).
const FUNCTIONS_ONLY: [&str; 1] = ["sigmoid"];

/// Rewrites the math of `block` to call `math` (the path of `loop_core::math`).
pub fn vectorize_block(block: &mut syn::Block, math: &TokenStream) {
    Rewrite { math }.visit_block_mut(block);
}

/// Rewrites the math of generated code (an expression, or statements).
pub fn vectorize_tokens(tokens: TokenStream, math: &TokenStream) -> TokenStream {
    let wrapped = quote!({ #tokens });
    match syn::parse2::<syn::Block>(wrapped) {
        Ok(mut block) => {
            vectorize_block(&mut block, math);
            let stmts = &block.stmts;
            quote!(#(#stmts)*)
        }
        Err(_) => tokens,
    }
}

struct Rewrite<'a> {
    math: &'a TokenStream,
}

impl VisitMut for Rewrite<'_> {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        // Inner expressions first, so that `x.exp().ln()` rewrites both.
        syn::visit_mut::visit_expr_mut(self, e);
        let math = self.math;
        let replacement = match e {
            Expr::MethodCall(call) => {
                let name = call.method.to_string();
                let receiver = &call.receiver;
                let args: Vec<&Expr> = call.args.iter().collect();
                let method = &call.method;
                match args.as_slice() {
                    [] if UNARY.contains(&name.as_str()) => Some(quote!(#math::#method(#receiver))),
                    [arg] if BINARY.contains(&name.as_str()) => {
                        Some(quote!(#math::#method(#receiver, #arg)))
                    }
                    _ => None,
                }
            }
            Expr::Call(call) => match &*call.func {
                Expr::Path(p) if !already_math(&p.path) => {
                    let last = p.path.segments.last().map(|s| &s.ident);
                    let name = last.map(ToString::to_string).unwrap_or_default();
                    let arity_fits = match call.args.len() {
                        1 => {
                            UNARY.contains(&name.as_str())
                                || FUNCTIONS_ONLY.contains(&name.as_str())
                        }
                        2 => BINARY.contains(&name.as_str()),
                        _ => false,
                    };
                    let args = &call.args;
                    arity_fits.then(|| quote!(#math::#last(#args)))
                }
                _ => None,
            },
            _ => None,
        };
        if let Some(tokens) = replacement
            && let Ok(new) = syn::parse2::<Expr>(tokens)
        {
            *e = new;
        }
    }
}

/// A path that already names looptime's math (`…::math::exp`), left as it is.
fn already_math(path: &Path) -> bool {
    let n = path.segments.len();
    n >= 2 && path.segments[n - 2].ident == "math"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(body: TokenStream) -> String {
        let mut block: syn::Block = syn::parse2(quote!({ #body })).unwrap();
        vectorize_block(&mut block, &quote!(m));
        quote!(#block).to_string()
    }

    #[test]
    fn methods_and_functions_become_looptimes() {
        assert_eq!(
            rewritten(quote!((-v / 10.0).exp() + f64::ln(x) + exp(y) + x.powi(3))),
            quote!({ m::exp((-v / 10.0)) + m::ln(x) + m::exp(y) + m::powi(x, 3) }).to_string()
        );
        assert_eq!(
            rewritten(quote!(x.sqrt().tanh() + sigmoid(z) + a.powf(b))),
            quote!({ m::tanh(m::sqrt(x)) + m::sigmoid(z) + m::powf(a, b) }).to_string()
        );
    }

    #[test]
    fn other_calls_and_looptimes_own_stay() {
        let kept = quote!(x.sin() + other(x) + looptime::math::exp(x) + v.exp(2.0));
        assert_eq!(rewritten(kept.clone()), quote!({ #kept }).to_string());
    }
}
