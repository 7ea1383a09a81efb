//! The model's generics as other generated items see them: which type parameters a set of field
//! types mentions (the element type takes only those), and how the struct's parameter names map
//! to the arguments an impl gives them (`Lif<T, N>` seen from `impl<const M: usize> Lif<f64, M>`
//! maps `T` to `f64` and `N` to `M`).

use std::collections::{HashMap, HashSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit_mut::VisitMut;
use syn::{GenericArgument, GenericParam, Generics, Ident, PathArguments, Type};

/// The type parameters of `generics` that appear in any of `types`, in declaration order.
pub fn mentioned_type_params(generics: &Generics, types: &[&Type]) -> Vec<Ident> {
    let mut idents = HashSet::new();
    for ty in types {
        collect_idents(ty.to_token_stream(), &mut idents);
    }
    generics
        .type_params()
        .filter(|p| idents.contains(&p.ident.to_string()))
        .map(|p| p.ident.clone())
        .collect()
}

fn collect_idents(tokens: TokenStream, into: &mut HashSet<String>) {
    for tt in tokens {
        match tt {
            TokenTree::Ident(i) => {
                into.insert(i.to_string());
            }
            TokenTree::Group(g) => collect_idents(g.stream(), into),
            _ => {}
        }
    }
}

/// Struct generic names → the arguments an impl of `self_ty` gives them; a parameter the impl
/// leaves out takes its default. Names the impl passes on unchanged are left out.
pub fn generic_map(generics: &Generics, self_ty: &Type) -> HashMap<String, TokenStream> {
    let mut map = HashMap::new();
    let args: Vec<&GenericArgument> = match self_ty {
        Type::Path(tp) => match tp.path.segments.last().map(|s| &s.arguments) {
            Some(PathArguments::AngleBracketed(args)) => args
                .args
                .iter()
                .filter(|a| !matches!(a, GenericArgument::Lifetime(_)))
                .collect(),
            _ => Vec::new(),
        },
        _ => return map,
    };
    let params = generics.params.iter().filter_map(|p| match p {
        GenericParam::Type(t) => {
            Some((&t.ident, t.default.as_ref().map(ToTokens::to_token_stream)))
        }
        GenericParam::Const(c) => {
            Some((&c.ident, c.default.as_ref().map(ToTokens::to_token_stream)))
        }
        GenericParam::Lifetime(_) => None,
    });
    for (k, (param, default)) in params.enumerate() {
        let arg = match args.get(k) {
            Some(arg) => arg.to_token_stream(),
            None => match default {
                Some(default) => default,
                None => continue,
            },
        };
        if *param != arg.to_string() {
            map.insert(param.to_string(), arg);
        }
    }
    map
}

/// A struct field type as written inside an impl (see [`generic_map`]).
pub fn in_impl(ty: &Type, map: &HashMap<String, TokenStream>) -> Type {
    struct Rename<'a>(&'a HashMap<String, TokenStream>);
    impl VisitMut for Rename<'_> {
        // A const parameter written as an argument (`B` of `SMatrix<T, N, B>`) parses as a type;
        // its value (`1`) does not, so it is put back as a const argument.
        fn visit_generic_argument_mut(&mut self, arg: &mut GenericArgument) {
            if let GenericArgument::Type(Type::Path(tp)) = arg
                && let Some(ident) = tp.path.get_ident()
                && let Some(to) = self.0.get(&ident.to_string())
                && syn::parse2::<Type>(to.clone()).is_err()
                && let Ok(value) = syn::parse2::<syn::Expr>(to.clone())
            {
                *arg = GenericArgument::Const(value);
                return;
            }
            syn::visit_mut::visit_generic_argument_mut(self, arg);
        }

        fn visit_type_mut(&mut self, ty: &mut Type) {
            if let Type::Path(tp) = ty
                && let Some(ident) = tp.path.get_ident()
                && let Some(to) = self.0.get(&ident.to_string())
                && let Ok(new) = syn::parse2::<Type>(to.clone())
            {
                *ty = new;
                return;
            }
            syn::visit_mut::visit_type_mut(self, ty);
        }
        fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
            if let syn::Expr::Path(p) = e
                && let Some(ident) = p.path.get_ident()
                && let Some(to) = self.0.get(&ident.to_string())
                && let Ok(new) = syn::parse2::<syn::Expr>(to.clone())
            {
                *e = new;
                return;
            }
            syn::visit_mut::visit_expr_mut(self, e);
        }
    }
    let mut ty = ty.clone();
    if !map.is_empty() {
        Rename(map).visit_type_mut(&mut ty);
    }
    ty
}

/// `Name<args>` of an impl's self type with its last segment renamed (`Lif<T, N>` →
/// `LifParams<T, N>`): the generated twin type, with the impl's own arguments, named at the
/// impl's token (so that a missing import is reported there).
pub fn renamed_self(self_ty: &Type, name: &Ident) -> Type {
    let mut ty = self_ty.clone();
    if let Type::Path(tp) = &mut ty
        && let Some(last) = tp.path.segments.last_mut()
    {
        last.ident = Ident::new(&name.to_string(), last.ident.span());
    }
    ty
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_impl_maps_names_and_fills_defaults() {
        let generics: Generics = syn::parse_quote!(<T: Real, const N: usize, const B: usize = 1>);
        let self_ty: Type = syn::parse_quote!(Lif<f64, M>);
        let map = generic_map(&generics, &self_ty);
        assert_eq!(map["T"].to_string(), "f64");
        assert_eq!(map["N"].to_string(), "M");
        assert_eq!(map["B"].to_string(), "1");
        let field: Type = syn::parse_quote!(SMatrix<T, N, B>);
        assert_eq!(
            in_impl(&field, &map).to_token_stream().to_string(),
            "SMatrix < f64 , M , 1 >"
        );
        let t: Type = syn::parse_quote!(T);
        let f: Type = syn::parse_quote!(f64);
        let both: Generics = syn::parse_quote!(<T, U, const N: usize>);
        assert_eq!(mentioned_type_params(&both, &[&t, &f]), vec!["T"]);
    }
}
