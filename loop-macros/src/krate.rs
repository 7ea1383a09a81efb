//! Where generated code finds looptime: the facade `looptime` when the calling crate depends on
//! it (under whatever name it gave it), else `loop-core` itself, so that a crate with only
//! `loop-core` and `loop-macros` (an embedded, `#![no_std]` one) can use the macros. Both crates
//! have a hidden `__private` module with what generated code names: `loop_core`, `Vec`,
//! `nalgebra`. A `crate = <path>` option overrides the choice.

use proc_macro_crate::{FoundCrate, crate_name};
use proc_macro2::Span;
use syn::{Ident, Path};

/// The crate generated code names things through: `::looptime` (or its new name), or
/// `::loop_core`. (The package itself — its lib, and its tests and examples, which the search
/// cannot tell apart — uses the crate's own name: the facade declares
/// `extern crate self as looptime`.)
pub fn default_crate() -> Path {
    for (name, own) in [("looptime", "looptime"), ("loop-core", "loop_core")] {
        match crate_name(name) {
            Ok(FoundCrate::Itself) => {
                let ident = Ident::new(own, Span::call_site());
                return syn::parse_quote!(::#ident);
            }
            Ok(FoundCrate::Name(found)) => {
                let ident = Ident::new(&found, Span::call_site());
                return syn::parse_quote!(::#ident);
            }
            Err(_) => {}
        }
    }
    syn::parse_quote!(::looptime)
}

/// The path of the hidden proc macro `__dynamical_system_impl`: through the facade when the crate
/// depends on it (or through `krate`, when `crate = …` is given), else in `loop-macros` itself.
pub fn impl_macro(krate: &Path, written: bool) -> Path {
    if written {
        return syn::parse_quote!(#krate::__private::__dynamical_system_impl);
    }
    match crate_name("looptime") {
        Ok(FoundCrate::Itself) => syn::parse_quote!(::looptime::__private::__dynamical_system_impl),
        Ok(FoundCrate::Name(found)) => {
            let ident = Ident::new(&found, Span::call_site());
            syn::parse_quote!(::#ident::__private::__dynamical_system_impl)
        }
        Err(_) => match crate_name("loop-macros") {
            Ok(FoundCrate::Name(found)) => {
                let ident = Ident::new(&found, Span::call_site());
                syn::parse_quote!(::#ident::__dynamical_system_impl)
            }
            _ => syn::parse_quote!(#krate::__private::__dynamical_system_impl),
        },
    }
}
