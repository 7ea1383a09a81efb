//! Expand, training half: the composition's `Trainable` impl (each layer's parameters under its
//! name, in order, so `l1.wi` comes first) and its `Backward` impl (forward layer by layer,
//! keeping each layer's record and the outputs that feed the next layer — `forward_into` writes
//! them in place in a reused record, and tells each layer whether the step before is kept;
//! backward from the last layer to the first, each layer handed its own output and record of the
//! step before, and each layer's input gradient becoming the output gradient of the one before,
//! in a buffer that the state gradient carries from step to step, so a step neither copies nor
//! zeroes one). Both impls apply only when every layer implements the traits.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Ident, Index};

use super::ast::Sequential;

/// The two impls for the composition's struct `ident`, whose type parameters are `tys`.
pub fn expand(spec: &Sequential, ident: &Ident, tys: &[Ident]) -> TokenStream {
    let krate = &spec.krate;
    let lc = quote!(#krate::__private::loop_core);
    let ds = quote!(#lc::DynamicalSystem);
    let tr = quote!(#lc::train::Trainable);
    let bw = quote!(#lc::train::Backward);
    let names: Vec<&Ident> = spec.layers.iter().map(|l| &l.name).collect();
    let name_strs: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let n = names.len();
    let args = Ident::new("__A", Span::mixed_site());
    let first = &tys[0];
    let last = &tys[n - 1];
    let scalar = quote!(<#first as #tr>::Scalar);
    let rest = &tys[1..];
    let idx: Vec<Index> = (0..n).map(Index::from).collect();
    let local = |prefix: &str, k: usize| Ident::new(&format!("{prefix}{k}"), Span::mixed_site());
    let ys: Vec<Ident> = (0..n).map(|k| local("__y", k)).collect();
    let rs: Vec<Ident> = (0..n).map(|k| local("__r", k)).collect();
    let gs: Vec<Ident> = (0..n).map(|k| local("__g", k)).collect();
    // The gradients of the inner outputs: buffers kept in the state gradient, each written
    // over by the backward step of the layer after it.
    let douts = local("__douts", 0);
    let dstates = local("__dstates", 0);
    let inner = &tys[..n - 1];
    let inner_ys = &ys[..n - 1];

    let chain_bounds = (1..n).map(|k| {
        let (prev, this) = (&tys[k - 1], &tys[k]);
        quote!(#this: #bw<#args, Input = <#prev as #ds<#args>>::Output, Scalar = #scalar>,)
    });
    let forwards = (0..n).map(|k| {
        let (name, y, r) = (names[k], &ys[k], &rs[k]);
        let input = if k == 0 {
            quote!(x)
        } else {
            let p = &ys[k - 1];
            quote!(&#p)
        };
        quote!(let (#y, #r) = #bw::<#args>::forward(&mut self.#name, sh, #input);)
    });
    let last_y = &ys[n - 1];
    // forward_into: each layer writes its record into the composition's, and each inner output
    // straight into the record's place for it (`forward_into_output`).
    let recs = Ident::new("__records", Span::mixed_site());
    let outs = Ident::new("__outputs", Span::mixed_site());
    let kept = Ident::new("__previous_kept", Span::mixed_site());
    let forwards_into = (0..n).map(|k| {
        let (name, i) = (names[k], &idx[k]);
        let input = if k == 0 {
            quote!(x)
        } else {
            let p = &idx[k - 1];
            quote!(&#outs.#p)
        };
        if k + 1 == n {
            quote!(#bw::<#args>::forward_into(
                &mut self.#name,
                sh,
                #input,
                &mut #recs.#i,
                #kept,
            ))
        } else {
            quote!(#bw::<#args>::forward_into_output(
                &mut self.#name,
                sh,
                #input,
                &mut #recs.#i,
                &mut #outs.#i,
                #kept,
            );)
        }
    });
    let splits = (0..n).map(|k| {
        let (g, t) = (&gs[k], &tys[k]);
        if k + 1 == n {
            quote!(let #g = __rest;)
        } else {
            quote!(let (#g, __rest) = __rest.split_at_mut(<#t as #tr>::PARAM_COUNT);)
        }
    });
    let backwards = (0..n).rev().map(|k| {
        let (name, r, g, i) = (names[k], &rs[k], &gs[k], &idx[k]);
        let x = if k == 0 {
            quote!(step.x)
        } else {
            let p = &ys[k - 1];
            quote!(#p)
        };
        let y = if k + 1 == n {
            quote!(step.y)
        } else {
            let y = &ys[k];
            quote!(#y)
        };
        let dy = if k + 1 == n {
            quote!(dy)
        } else {
            quote!(&#douts.#i)
        };
        let dx = if k == 0 {
            quote!(dx)
        } else {
            let p = &idx[k - 1];
            quote!(::core::option::Option::Some(&mut #douts.#p))
        };
        // The layer's output and record at the step before, from the composition's.
        let p = Ident::new("__previous", Span::mixed_site());
        let previous_y = if k + 1 == n {
            quote!(#p.y)
        } else {
            quote!(&#p.record.1.#i)
        };
        quote! {
            #bw::<#args>::backward(
                &self.#name,
                sh,
                #lc::train::Forward {
                    x: #x,
                    y: #y,
                    record: #r,
                    previous: step.previous.map(|#p| #lc::train::Previous {
                        y: #previous_y,
                        record: &#p.record.0.#i,
                    }),
                },
                #dy,
                &mut #dstates.#i,
                #g,
                #dx,
            );
        }
    });
    let grads_ident = format_ident!("grads");

    quote! {
        impl<#(#tys),*> #tr for #ident<#(#tys),*>
        where
            #first: #tr,
            #(#rest: #tr<Scalar = #scalar>,)*
        {
            type Scalar = #scalar;
            const PARAM_COUNT: usize = 0 #(+ <#tys as #tr>::PARAM_COUNT)*;

            fn visit_params(&self, visitor: &mut dyn #lc::train::ParamVisitor<Self::Scalar>) {
                #(
                    visitor.enter(#name_strs);
                    #tr::visit_params(&self.#names, visitor);
                    visitor.leave();
                )*
            }

            fn visit_params_mut(&mut self, visitor: &mut dyn #lc::train::ParamVisitorMut<Self::Scalar>) {
                #(
                    visitor.enter(#name_strs);
                    #tr::visit_params_mut(&mut self.#names, visitor);
                    visitor.leave();
                )*
            }
        }

        impl<#args, #(#tys),*> #bw<#args> for #ident<#(#tys),*>
        where
            #first: #bw<#args>,
            #(#chain_bounds)*
            #(<#inner as #ds<#args>>::Output: ::core::clone::Clone + #lc::train::Zeroable,)*
        {
            type Record = (
                (#(<#tys as #bw<#args>>::Record,)*),
                (#(<#inner as #ds<#args>>::Output,)*),
            );
            /// Each layer's state gradient, then the gradients of the inner outputs (buffers).
            type StateGrad = (
                (#(<#tys as #bw<#args>>::StateGrad,)*),
                (#(<#inner as #ds<#args>>::Output,)*),
            );

            #[inline]
            fn forward(
                &mut self,
                sh: &#lc::Shared<#args>,
                x: &<#first as #ds<#args>>::Input,
            ) -> (<#last as #ds<#args>>::Output, Self::Record) {
                #(#forwards)*
                (#last_y, ((#(#rs,)*), (#(#inner_ys,)*)))
            }

            #[inline]
            #[allow(unused_variables)]
            fn forward_into(
                &mut self,
                sh: &#lc::Shared<#args>,
                x: &<#first as #ds<#args>>::Input,
                record: &mut Self::Record,
                #kept: bool,
            ) -> <#last as #ds<#args>>::Output {
                let (#recs, #outs) = record;
                #(#forwards_into)*
            }

            fn zero_state_grad(&self) -> Self::StateGrad {
                (
                    (#(#bw::<#args>::zero_state_grad(&self.#names),)*),
                    (#(<<#inner as #ds<#args>>::Output as #lc::train::Zeroable>::zeroed(),)*),
                )
            }

            #[allow(clippy::needless_borrow)]
            fn backward(
                &self,
                sh: &#lc::Shared<#args>,
                step: #lc::train::Forward<
                    '_,
                    <#first as #ds<#args>>::Input,
                    <#last as #ds<#args>>::Output,
                    Self::Record,
                >,
                dy: &<#last as #ds<#args>>::Output,
                dstate: &mut Self::StateGrad,
                #grads_ident: &mut [#scalar],
                dx: ::core::option::Option<&mut <#first as #ds<#args>>::Input>,
            ) {
                let ((#(#rs,)*), (#(#inner_ys,)*)) = step.record;
                let (#dstates, #douts) = dstate;
                let __rest = #grads_ident;
                #(#splits)*
                #(#backwards)*
            }
        }
    }
}
