//! Expand: the composition's struct (one field per layer, generic over the layers' types), its
//! `DynamicalSystem` and `States` impls and its snapshot type, and a check that each layer takes
//! what the one before outputs, with a message that names the two layers.
//!
//! The expression form is a block that defines all this, builds the layers in order and returns
//! the value. The named form is items: the user's struct, whose type parameters default to the
//! layer types written (so its name alone is the concrete type), a `new` that takes the layers,
//! and the same impls.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Ident;
use syn::spanned::Spanned;

use super::ast::{Named, Sequential, Source};

pub fn expand(spec: &Sequential) -> TokenStream {
    let n = spec.layers.len();
    // Type parameters are hygienic (mixed-site), so they never capture or shadow the user's names.
    let tys: Vec<Ident> = (0..n)
        .map(|k| Ident::new(&format!("__L{k}"), Span::mixed_site()))
        .collect();
    match &spec.named {
        None => expand_expressions(spec, &tys),
        Some(named) => expand_named(spec, named, &tys),
    }
}

/// The expression form: a block that defines `Sequential` and returns one.
fn expand_expressions(spec: &Sequential, tys: &[Ident]) -> TokenStream {
    let krate = &spec.krate;
    let names: Vec<&Ident> = spec.layers.iter().map(|l| &l.name).collect();
    let name_strs: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let n = names.len();
    // Each local is located at its layer's name, so that errors about it point there.
    let locals: Vec<Ident> = (0..n)
        .map(|k| {
            let at = Span::mixed_site().located_at(spec.layers[k].name.span());
            Ident::new(&format!("__layer{k}"), at)
        })
        .collect();
    let list = name_strs.join(", ");
    let struct_doc = format!(
        "A composition made by `sequential!`: layers {list}, each feeding the next. Each field is a layer; its states are monitored by path (`{}.…`).",
        name_strs[0]
    );
    let ident = Ident::new("Sequential", Span::call_site());
    let snapshot = Ident::new("SequentialSnapshot", Span::call_site());
    let impls = impls(spec, &ident, &snapshot, &quote!(pub), tys);
    let checks = (1..n).map(|k| {
        let (prev, this) = (&locals[k - 1], &locals[k]);
        let prev_ref = quote_spanned!(spec.layers[k - 1].name.span()=> &#prev);
        let this_ref = quote_spanned!(spec.layers[k].name.span()=> &#this);
        check(spec, k, quote!(#prev_ref, #this_ref), false)
    });
    let builds = (0..n).map(|k| {
        let local = &locals[k];
        let Source::Expr(expr) = &spec.layers[k].source else {
            unreachable!("the expression form has expressions")
        };
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

        #impls

        #(#builds)*
        #(#checks)*
        Sequential { #(#names: #locals),* }
    }}
}

/// The named form: the user's struct (type parameters defaulting to the written layer types),
/// `new`, the impls, and the chain checked on the written types.
fn expand_named(spec: &Sequential, named: &Named, tys: &[Ident]) -> TokenStream {
    let krate = &spec.krate;
    let names: Vec<&Ident> = spec.layers.iter().map(|l| &l.name).collect();
    let n = names.len();
    let fields: Vec<_> = spec
        .layers
        .iter()
        .map(|l| match &l.source {
            Source::Field(field) => field,
            Source::Expr(_) => unreachable!("the named form has fields"),
        })
        .collect();
    let chained = quote!(#krate::layers::ChainedLayer);
    let into = quote!(#krate::layers::IntoLayer);
    // Layer k's type: the first as written; the next ones through `IntoLayer` from what the
    // type `prev` before it outputs (a system stays itself, `Relu` becomes
    // `ActivationLayer<Relu, X>`).
    let layer_type = |k: usize, prev: &TokenStream| -> TokenStream {
        let ty = &fields[k].ty;
        if k == 0 {
            quote!(#ty)
        } else {
            quote!(<#ty as #into<<#prev as #chained>::Output>>::Layer)
        }
    };
    // As the struct's defaults, after the type parameter before; and as concrete types, after
    // the concrete type before (for the checks).
    let defaults: Vec<TokenStream> = (0..n)
        .map(|k| {
            let prev = tys[..k].last().map(|t| quote!(#t)).unwrap_or_default();
            layer_type(k, &prev)
        })
        .collect();
    let mut concrete: Vec<TokenStream> = Vec::with_capacity(n);
    for k in 0..n {
        let written = layer_type(k, concrete.last().unwrap_or(&TokenStream::new()));
        concrete.push(written);
    }
    let (attrs, vis, ident) = (&named.attrs, &named.vis, &named.ident);
    let snapshot = format_ident!("{}Snapshot", ident);
    let impls = impls(spec, ident, &snapshot, &quote!(#vis), tys);
    let field_attrs = fields.iter().map(|f| &f.attrs);
    let field_vis = fields.iter().map(|f| &f.vis);
    let written_tys: Vec<_> = fields.iter().map(|f| &f.ty).collect();
    // The check takes two markers of the layers' types, located at the layers' names.
    let checks = (1..n).map(|k| {
        let (prev, this) = (&concrete[k - 1], &concrete[k]);
        let prev_at = spec.layers[k - 1].name.span();
        let this_at = spec.layers[k].name.span();
        let prev_ref = quote_spanned!(prev_at=> &::core::marker::PhantomData::<#prev>);
        let this_ref = quote_spanned!(this_at=> &::core::marker::PhantomData::<#this>);
        check(spec, k, quote!(#prev_ref, #this_ref), true)
    });
    // `new`'s parameters and locals are hygienic, so a constant or unit struct in scope that
    // shares a layer's name cannot turn a parameter into a pattern.
    let params: Vec<Ident> = (0..n)
        .map(|k| Ident::new(&format!("__layer{k}"), Span::mixed_site()))
        .collect();
    let builds = (0..n).map(|k| {
        let param = &params[k];
        if k == 0 {
            quote!(let #param = #krate::layers::first_layer(#param);)
        } else {
            let prev = &params[k - 1];
            quote!(let #param = #krate::layers::next_layer(&#prev, #param);)
        }
    });
    let new_doc =
        format!("A `{ident}` from its layers, first to last (an activation as its value: `Relu`).");
    let derives = missing_derives(attrs);
    quote! {
        #(#attrs)*
        #derives
        #[allow(non_snake_case)]
        #vis struct #ident<#(#tys = #defaults),*> {
            #(
                #(#field_attrs)*
                #field_vis #names: #tys,
            )*
        }

        impl #ident {
            #[doc = #new_doc]
            #[allow(clippy::too_many_arguments)]
            #[must_use]
            #vis fn new(#(#params: #written_tys),*) -> Self {
                #(#builds)*
                Self { #(#names: #params),* }
            }
        }

        #impls

        const _: () = {
            #[allow(dead_code)]
            fn __looptime_check_layers() {
                #(#checks)*
            }
        };
    }
}

/// `#[derive(Clone, Debug)]`, without what the user's own derives already name.
fn missing_derives(attrs: &[syn::Attribute]) -> TokenStream {
    let mut derived: Vec<String> = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last() {
                derived.push(last.ident.to_string());
            }
            Ok(())
        });
    }
    let missing: Vec<Ident> = ["Clone", "Debug"]
        .into_iter()
        .filter(|d| !derived.iter().any(|x| x == d))
        .map(|d| Ident::new(d, Span::call_site()))
        .collect();
    if missing.is_empty() {
        quote!()
    } else {
        quote!(#[derive(#(#missing),*)])
    }
}

/// The snapshot type and the `DynamicalSystem`, `States`, `Trainable` and `Backward` impls of
/// the struct `ident` whose type parameters are `tys`.
fn impls(
    spec: &Sequential,
    ident: &Ident,
    snapshot: &Ident,
    vis: &TokenStream,
    tys: &[Ident],
) -> TokenStream {
    let krate = &spec.krate;
    let lc = quote!(#krate::__private::loop_core);
    let ds = quote!(#lc::DynamicalSystem);
    let names: Vec<&Ident> = spec.layers.iter().map(|l| &l.name).collect();
    let name_strs: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let n = names.len();
    let snaps: Vec<Ident> = (0..n)
        .map(|k| Ident::new(&format!("__S{k}"), Span::mixed_site()))
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

    let snapshot_doc = format!("A copy of every state of a `{ident}`, one field per layer.");
    // Training (`Trainable`, `Backward`): loop_core::train, expanded apart.
    let training = super::expand_backward::expand(spec, ident, tys);

    quote! {
        #[doc = #snapshot_doc]
        #[derive(Clone, Debug, PartialEq)]
        #[allow(non_snake_case)]
        #vis struct #snapshot<#(#snaps),*> {
            #(
                #[doc = concat!("States of layer `", #name_strs, "`.")]
                pub #names: #snaps,
            )*
        }

        impl<#args, #(#tys),*> #ds<#args> for #ident<#(#tys),*>
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

        impl<#(#tys: #lc::States),*> #lc::States for #ident<#(#tys),*> {
            type Snapshot = #snapshot<#(<#tys as #lc::States>::Snapshot),*>;
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
                #snapshot {
                    #(#names: #lc::States::snapshot(&self.#names),)*
                }
            }

            #[inline]
            fn snapshot_into(&self, into: &mut Self::Snapshot) {
                #(#lc::States::snapshot_into(&self.#names, &mut into.#names);)*
            }

            fn restore(&mut self, snapshot: &Self::Snapshot) {
                #(#lc::States::restore(&mut self.#names, &snapshot.#names);)*
            }
        }

        #training
    }
}

/// Layer `k` takes what layer `k - 1` outputs; the message names both. The check is a call of a
/// generic function on two arguments located at the layers' names, so that the error points
/// there: the layers themselves (the expression form), or markers of their types
/// (`PhantomData`, the named form, `markers`).
fn check(spec: &Sequential, k: usize, args: TokenStream, markers: bool) -> TokenStream {
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
    let krate = &spec.krate;
    let chained = quote!(#krate::layers::ChainedLayer);
    let params = if markers {
        quote!(_: &::core::marker::PhantomData<P>, _: &::core::marker::PhantomData<N>)
    } else {
        quote!(_: &P, _: &N)
    };
    quote! {{
        #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
        trait #check_trait<X> {}
        impl<X> #check_trait<X> for X {}
        fn check<P: #chained, N: #chained>(#params)
        where
            <N as #chained>::Input: #check_trait<<P as #chained>::Output>,
        {
        }
        check(#args);
    }}
}
