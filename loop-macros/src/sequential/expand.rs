//! Expand: a block that defines the composition's struct (one public field per layer, generic
//! over the layers' types), its `DynamicalSystem` and `States` impls and its snapshot type, builds
//! the layers in order and checks that each one takes what the one before outputs, with a message
//! that names the two layers.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use super::ast::Sequential;

pub fn expand(spec: &Sequential) -> TokenStream {
    let krate = &spec.krate;
    let lc = quote!(#krate::__private::loop_core);
    let ds = quote!(#lc::DynamicalSystem);
    let names: Vec<&Ident> = spec.layers.iter().map(|l| &l.name).collect();
    let name_strs: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let n = names.len();
    // Type parameters and locals are hygienic (mixed-site), so they never capture or shadow the
    // user's names inside the layer expressions.
    let tys: Vec<Ident> = (0..n)
        .map(|k| Ident::new(&format!("__L{k}"), Span::mixed_site()))
        .collect();
    let snaps: Vec<Ident> = (0..n)
        .map(|k| Ident::new(&format!("__S{k}"), Span::mixed_site()))
        .collect();
    // Each local is located at its layer's name, so that errors about it point there.
    let locals: Vec<Ident> = (0..n)
        .map(|k| {
            let at = Span::mixed_site().located_at(spec.layers[k].name.span());
            Ident::new(&format!("__layer{k}"), at)
        })
        .collect();
    let args = Ident::new("__A", Span::mixed_site());
    let first = &tys[0];
    let last = &tys[n - 1];

    let chain_bounds = (1..n).map(|k| {
        let (prev, this) = (&tys[k - 1], &tys[k]);
        quote!(#this: #ds<#args, Input = <#prev as #ds<#args>>::Output>,)
    });
    let clone_bounds = (0..n - 1).map(|k| {
        let t = &tys[k];
        quote!(<#t as #ds<#args>>::Output: ::core::clone::Clone,)
    });
    let steps = names[..n - 1]
        .iter()
        .map(|name| quote!(let x = #ds::<#args>::update(&mut self.#name, sh, x);));
    let last_name = names[n - 1];
    let first_name = names[0];
    let ref_steps = if n == 1 {
        quote!(#ds::<#args>::update_ref(&mut self.#first_name, sh, x))
    } else {
        let middle = names[1..n - 1]
            .iter()
            .map(|name| quote!(let x = #ds::<#args>::update(&mut self.#name, sh, x);));
        quote! {
            let x = #ds::<#args>::update_ref(&mut self.#first_name, sh, x);
            #(#middle)*
            #ds::<#args>::update(&mut self.#last_name, sh, x)
        }
    };
    let batch_steps = (0..n).map(|k| {
        let name = names[k];
        let input = if k == 0 {
            quote!(xs)
        } else {
            let prev = format_ident!("__ys{}", k - 1);
            quote!(&#prev)
        };
        if k + 1 == n {
            quote!(#ds::<#args>::update_all(&mut self.#name, sh, #input, out);)
        } else {
            let ys = format_ident!("__ys{}", k);
            quote! {
                let mut #ys = #krate::__private::Vec::with_capacity(xs.len());
                #ds::<#args>::update_all(&mut self.#name, sh, #input, &mut #ys);
            }
        }
    });

    let list = name_strs.join(", ");
    let struct_doc = format!(
        "A composition made by `sequential!`: layers {list}, each feeding the next. Each field is a layer; its states are monitored by path (`{}.…`).",
        name_strs[0]
    );
    let checks = (1..n).map(|k| check(spec, &locals, k));
    // Training (`Trainable`, `Backward`): loop_core::train, expanded apart.
    let training = super::expand_backward::expand(spec, &tys);
    let builds = (0..n).map(|k| {
        let local = &locals[k];
        let expr = &spec.layers[k].expr;
        let span = expr.span();
        if k == 0 {
            quote_spanned!(span=> let #local = #krate::layers::first_layer(#expr);)
        } else {
            let prev = &locals[k - 1];
            let prev_name = spec.layers[k - 1].name.span();
            let prev_ref = quote_spanned!(prev_name=> &#prev);
            quote_spanned!(span=> let #local = #krate::layers::next_layer(#prev_ref, #expr);)
        }
    });

    quote! {{
        #[doc = #struct_doc]
        #[derive(Clone, Debug)]
        #[allow(non_snake_case)]
        pub struct Sequential<#(#tys),*> {
            #(
                #[doc = concat!("Layer `", #name_strs, "`.")]
                pub #names: #tys,
            )*
        }

        /// A copy of every state of a `sequential!` composition, one field per layer.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(non_snake_case)]
        pub struct SequentialSnapshot<#(#snaps),*> {
            #(
                #[doc = concat!("States of layer `", #name_strs, "`.")]
                pub #names: #snaps,
            )*
        }

        impl<#args, #(#tys),*> #ds<#args> for Sequential<#(#tys),*>
        where
            #first: #ds<#args>,
            #(#chain_bounds)*
            #(#clone_bounds)*
        {
            type Input = <#first as #ds<#args>>::Input;
            type Output = <#last as #ds<#args>>::Output;

            #[inline]
            fn update(&mut self, sh: &#lc::Shared<#args>, x: Self::Input) -> Self::Output {
                #(#steps)*
                #ds::<#args>::update(&mut self.#last_name, sh, x)
            }

            // The stored input is lent to the first layer (no copy); the rest as `update`.
            #[inline]
            fn update_ref(&mut self, sh: &#lc::Shared<#args>, x: &Self::Input) -> Self::Output
            where
                Self::Input: ::core::clone::Clone,
            {
                #ref_steps
            }

            fn reset_state(&mut self) {
                #(#ds::<#args>::reset_state(&mut self.#names);)*
            }

            fn needs(&self) -> #lc::Needs {
                #lc::Needs::NOTHING
                    #(.union(#ds::<#args>::needs(&self.#names)))*
            }

            fn visit_states(&self, visitor: &mut dyn #lc::StateVisitor) {
                #(
                    visitor.enter(#name_strs);
                    #ds::<#args>::visit_states(&self.#names, visitor);
                    visitor.leave();
                )*
            }

            fn is_stateless(&self) -> bool {
                true #(&& #ds::<#args>::is_stateless(&self.#names))*
            }

            // Layer by layer over every step: each layer's states depend on its own inputs only,
            // so this gives stepping's numbers, and stateless layers get all T x B columns at once.
            fn update_all(
                &mut self,
                sh: &#lc::Shared<#args>,
                xs: &[Self::Input],
                out: &mut #krate::__private::Vec<Self::Output>,
            ) where
                Self::Input: ::core::clone::Clone,
            {
                #(#batch_steps)*
            }
        }

        impl<#(#tys: #lc::States),*> #lc::States for Sequential<#(#tys),*> {
            type Snapshot = SequentialSnapshot<#(<#tys as #lc::States>::Snapshot),*>;
            const STATE_NAMES: &'static [&'static str] = &[];
            const CHILD_NAMES: &'static [&'static str] = &[#(#name_strs),*];

            fn reset_states(&mut self) {
                #(#lc::States::reset_states(&mut self.#names);)*
            }

            fn visit_states(&self, visitor: &mut dyn #lc::StateVisitor) {
                #(
                    visitor.enter(#name_strs);
                    #lc::States::visit_states(&self.#names, visitor);
                    visitor.leave();
                )*
            }

            fn snapshot(&self) -> Self::Snapshot {
                SequentialSnapshot {
                    #(#names: #lc::States::snapshot(&self.#names),)*
                }
            }

            fn restore(&mut self, snapshot: &Self::Snapshot) {
                #(#lc::States::restore(&mut self.#names, &snapshot.#names);)*
            }
        }

        #training

        #(#builds)*
        #(#checks)*
        Sequential { #(#names: #locals),* }
    }}
}

/// Layer `k` takes what layer `k - 1` outputs; the message names both.
fn check(spec: &Sequential, locals: &[Ident], k: usize) -> TokenStream {
    let prev = &spec.layers[k - 1].name;
    let this = &spec.layers[k].name;
    let message = format!(
        "layer `{this}` cannot take the output of layer `{prev}`: `{prev}` outputs `{{X}}`, but `{this}` takes `{{Self}}`"
    );
    let label = format!("`{this}` takes `{{Self}}`, not what `{prev}` outputs");
    let note = format!(
        "make `{this}`'s input the type `{prev}` outputs: the same scalar, the same size (`{this}`'s IN = `{prev}`'s OUT) and the same batch"
    );
    let check_trait = Ident::new(&format!("__LooptimeAfter{k}"), Span::mixed_site());
    let (p, t) = (&locals[k - 1], &locals[k]);
    // The arguments carry the spans of the layers' names, so the error points at them.
    let prev_ref = quote_spanned!(prev.span()=> &#p);
    let this_ref = quote_spanned!(this.span()=> &#t);
    let krate = &spec.krate;
    let chained = quote!(#krate::layers::ChainedLayer);
    quote! {{
        #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
        trait #check_trait<X> {}
        impl<X> #check_trait<X> for X {}
        fn check<P: #chained, N: #chained>(_: &P, _: &N)
        where
            <N as #chained>::Input: #check_trait<<P as #chained>::Output>,
        {
        }
        check(#prev_ref, #this_ref);
    }}
}
