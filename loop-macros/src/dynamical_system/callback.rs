//! The hand-off between the two halves of a model. A proc macro sees one item only, so the struct's
//! expansion leaves a `macro_rules!` that carries the struct's tokens; the impl's expansion calls
//! it, and it calls back into [`expand_with_struct`] with both items.
//!
//! The macro is imported under the struct's own name (`use __dynamical_system_struct_Lif as
//! Lif;`: macros and types live in different namespaces), so wherever the struct's name reaches
//! — the same module, a `use crate::m::Lif`, a glob import, a path `crate::m::Lif` — the impl's
//! call `Lif! { … }` reaches the hand-off too.
//!
//! [`expand_with_struct`]: super::expand_with_struct

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, ItemImpl, ItemStruct, Type};

/// The name of the hand-off macro of struct `name`; the compiler shows it when the struct lacks
/// `#[dynamical_system]`, so it says so.
pub fn handoff_name(name: &Ident) -> Ident {
    format_ident!("__dynamical_system_struct_{}", name)
}

/// The hand-off macro the struct's expansion leaves behind.
pub fn handoff_macro(
    krate: &syn::Path,
    krate_written: bool,
    name: &Ident,
    struct_args: &TokenStream,
    original: &TokenStream,
) -> TokenStream {
    let handoff = handoff_name(name);
    let second_half = crate::krate::impl_macro(krate, krate_written);
    quote! {
        #[doc(hidden)]
        #[allow(unused_macros, non_snake_case)]
        macro_rules! #handoff {
            ($($impl_part:tt)*) => {
                #second_half! { [ (#struct_args) #original ] $($impl_part)* }
            };
        }
        #[doc(hidden)]
        #[allow(unused_imports)]
        pub(crate) use #handoff as #name;
    }
}

/// The impl's expansion: a call of its struct's hand-off macro, found by the impl's self type
/// (`impl Lif<N>` calls `Lif!`, `impl crate::m::Lif<N>` calls `crate::m::Lif!`).
pub fn call_struct(args: TokenStream, item: ItemImpl) -> syn::Result<TokenStream> {
    if let Some((_, path, _)) = &item.trait_ {
        return Err(syn::Error::new_spanned(
            path,
            "#[dynamical_system] goes on the model's own impl (`impl Lif<N> { … }`) that holds its #[ode] equations, not on a trait impl",
        ));
    }
    let Type::Path(self_ty) = &*item.self_ty else {
        return Err(syn::Error::new_spanned(
            &item.self_ty,
            "#[dynamical_system] goes on the impl of a struct marked #[dynamical_system]",
        ));
    };
    let mut path = self_ty.path.clone();
    if let Some(last) = path.segments.last_mut() {
        last.arguments = syn::PathArguments::None;
    }
    // When the struct lacks the attribute, the call above finds no macro; this check then says
    // why in words (States' on_unimplemented message).
    let krate = impl_crate(&args);
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let self_ty = &item.self_ty;
    Ok(quote! {
        #path! { (#args) #item }
        #[allow(dead_code)]
        impl #impl_generics #self_ty #where_clause {
            #[doc(hidden)]
            fn __looptime_is_a_model() {
                fn requires<M: ?Sized + #krate::__private::loop_core::States>() {}
                requires::<Self>();
            }
        }
    })
}

/// The `crate = …` of the impl's attribute, or `::looptime`.
fn impl_crate(args: &TokenStream) -> syn::Path {
    let mut krate = super::parse::default_crate();
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            krate = meta.value()?.parse()?;
        } else if meta.input.peek(syn::Token![=]) {
            let _: syn::Expr = meta.value()?.parse()?;
        }
        Ok(())
    });
    let _ = syn::parse::Parser::parse2(parser, args.clone());
    krate
}

/// What the hand-off macro passes back: `[ (struct args) struct ] (impl args) impl`.
pub struct HandOff {
    pub struct_args: TokenStream,
    pub model: ItemStruct,
    pub impl_args: TokenStream,
    pub imp: ItemImpl,
}

impl Parse for HandOff {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let inner;
        syn::bracketed!(inner in input);
        let struct_args;
        syn::parenthesized!(struct_args in inner);
        let model = inner.parse()?;
        let impl_args;
        syn::parenthesized!(impl_args in input);
        let imp = input.parse()?;
        Ok(HandOff {
            struct_args: struct_args.parse()?,
            model,
            impl_args: impl_args.parse()?,
            imp,
        })
    }
}
