//! `#[dynamical_system]`: on a struct, its constructor, builder, `States`, `Params`, probes and
//! `Debug`; on the impl holding its `#[ode]` equations, `integrate` and (with `#[update]`) the
//! `DynamicalSystem` impl. Each half goes parse → validate → expand.

mod ast;
mod callback;
mod expand_impl;
mod expand_params;
mod expand_step;
mod expand_struct;
mod fast_math;
mod generics;
mod parse;
mod shape;
mod validate;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::Item;

use crate::ctxt::{Ctxt, fallback};

/// The attribute's entry point: dispatches on the item it is on.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Struct(s)) => expand_struct(args, s),
        Ok(Item::Impl(i)) => {
            // Strip nothing here: the struct's hand-off macro brings the impl back to us.
            callback::call_struct(args, i.clone()).unwrap_or_else(|e| fallback(strip_impl(i), e))
        }
        Ok(Item::Enum(e)) => fallback(
            item,
            syn::Error::new_spanned(
                e.enum_token,
                "#[dynamical_system] goes on a struct with named fields (or on the impl holding its #[ode] equations), not on an enum: a system's state is a set of named fields",
            ),
        ),
        Ok(Item::Union(u)) => fallback(
            item,
            syn::Error::new_spanned(
                u.union_token,
                "#[dynamical_system] goes on a struct with named fields (or on the impl holding its #[ode] equations), not on a union",
            ),
        ),
        Ok(other) => fallback(
            item,
            syn::Error::new_spanned(
                kind_token(&other),
                "#[dynamical_system] goes on a struct with named fields, or on the impl holding its #[ode] equations",
            ),
        ),
        Err(e) => fallback(item, e),
    }
}

fn expand_struct(args: TokenStream, item: syn::ItemStruct) -> TokenStream {
    let original = item.to_token_stream();
    let mut cx = Ctxt::new();
    let model = parse::parse_struct(&mut cx, args.clone(), item);
    validate::validate_struct(&mut cx, &model);
    let handoff = callback::handoff_macro(
        &model.krate,
        model.krate_written,
        model.name(),
        &args,
        &original,
    );
    match cx.check() {
        Ok(()) => {
            let expanded = expand_struct::expand(&model);
            quote!(#expanded #handoff)
        }
        Err(e) => {
            let stripped = without_duplicate_fields(model.item.clone()).to_token_stream();
            let fallback = fallback(stripped, e);
            quote!(#fallback #handoff)
        }
    }
}

/// The struct with each field name kept once (the error names the duplicate; the compiler need not
/// say it again).
fn without_duplicate_fields(mut item: syn::ItemStruct) -> syn::ItemStruct {
    if let syn::Fields::Named(named) = &mut item.fields {
        let mut seen = std::collections::HashSet::new();
        named.named = named
            .named
            .iter()
            .filter(|f| seen.insert(f.ident.as_ref().map(ToString::to_string)))
            .cloned()
            .collect();
    }
    item
}

/// The second half: both items, from the struct's hand-off macro.
pub fn expand_with_struct(input: TokenStream) -> TokenStream {
    let handoff: callback::HandOff = match syn::parse2(input) {
        Ok(h) => h,
        Err(e) => return e.to_compile_error(),
    };
    // The struct's own errors were reported by its expansion: parse it silently.
    let mut silent = Ctxt::new();
    let model = parse::parse_struct(&mut silent, handoff.struct_args, handoff.model);
    validate::validate_struct(&mut silent, &model);
    let struct_ok = !silent.has_errors();
    let _ = silent.check();

    let mut cx = Ctxt::new();
    let imp = parse::parse_impl(&mut cx, handoff.impl_args, handoff.imp);
    if struct_ok {
        validate::validate_impl(&mut cx, &model, &imp);
    }
    match cx.check() {
        Ok(()) if struct_ok => expand_impl::expand(&model, imp),
        Ok(()) => imp.item.to_token_stream(),
        Err(e) => fallback(imp.item.to_token_stream(), e),
    }
}

/// The impl without this macro's attributes on its functions, for error fallbacks.
fn strip_impl(mut item: syn::ItemImpl) -> TokenStream {
    for impl_item in &mut item.items {
        if let syn::ImplItem::Fn(f) = impl_item {
            f.attrs.retain(|a| {
                ["ode", "update", "update_all"]
                    .iter()
                    .all(|k| !a.path().is_ident(k))
            });
        }
    }
    item.to_token_stream()
}

/// The keyword that names an item's kind, for errors.
fn kind_token(item: &Item) -> TokenStream {
    match item {
        Item::Fn(f) => f.sig.fn_token.to_token_stream(),
        Item::Trait(t) => t.trait_token.to_token_stream(),
        Item::Mod(m) => m.mod_token.to_token_stream(),
        Item::Type(t) => t.type_token.to_token_stream(),
        Item::Const(c) => c.const_token.to_token_stream(),
        Item::Static(s) => s.static_token.to_token_stream(),
        other => other.to_token_stream(),
    }
}

/// `#[ode]`, `#[update]` or `#[update_all]` expanded on their own: the impl around them lacks
/// `#[dynamical_system]` (which would have removed them). The item comes back with the error.
pub fn outside_impl(attribute: &str, item: TokenStream) -> TokenStream {
    let name = match syn::parse2::<syn::ImplItemFn>(item.clone()) {
        Ok(f) => f.sig.ident.to_token_stream(),
        Err(_) => item.clone(),
    };
    let what = match attribute {
        "ode" => "an equation of a model",
        "update" => "the step of a model",
        _ => "a stateless model's step over every input",
    };
    let method = if attribute == "ode" {
        "(method = exp_euler)"
    } else {
        ""
    };
    let error = syn::Error::new_spanned(
        name,
        format!(
            "#[{attribute}] marks {what}, inside the model's impl: put #[dynamical_system{method}] on the impl around this function (and #[dynamical_system] on its struct)"
        ),
    );
    fallback(item, error)
}
