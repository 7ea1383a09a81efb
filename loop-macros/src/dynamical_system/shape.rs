//! Shapes of a model's fields as the macro sees them: a container (an nalgebra matrix or an
//! array, indexed per element) or a lone scalar, and the type of one element of it. This is what
//! lets the macro write a population's step as the step of one element.

use quote::ToTokens;
use syn::{GenericArgument, PathArguments, Type};

/// A matrix or array field (indexed per element) rather than a lone scalar.
pub fn is_container(ty: &Type) -> bool {
    match ty {
        Type::Path(tp) => tp
            .path
            .segments
            .last()
            .is_some_and(|s| matches!(s.arguments, PathArguments::AngleBracketed(_))),
        Type::Array(_) => true,
        Type::Paren(p) => is_container(&p.elem),
        Type::Group(g) => is_container(&g.elem),
        _ => false,
    }
}

/// The type of one element: the first generic argument of a matrix (`T` of `SMatrix<T, N, B>`),
/// the element of an array, or a scalar itself. `None` for a container whose element cannot be
/// seen (a generic type without a type argument first).
pub fn element_of(ty: &Type) -> Option<Type> {
    match ty {
        Type::Path(tp) => match tp.path.segments.last().map(|s| &s.arguments) {
            Some(PathArguments::AngleBracketed(args)) => match args.args.first() {
                Some(GenericArgument::Type(first)) => Some(first.clone()),
                _ => None,
            },
            _ => Some(ty.clone()),
        },
        Type::Array(a) => Some((*a.elem).clone()),
        Type::Paren(p) => element_of(&p.elem),
        Type::Group(g) => element_of(&g.elem),
        _ => None,
    }
}

/// `ty` with its element type replaced by `elem` (`SMatrix<T, N, B>` with `bool` is
/// `SMatrix<bool, N, B>`); a scalar becomes `elem`.
pub fn with_element(ty: &Type, elem: &Type) -> Type {
    if !is_container(ty) {
        return elem.clone();
    }
    let mut ty = ty.clone();
    match &mut ty {
        Type::Path(tp) => {
            if let Some(PathArguments::AngleBracketed(args)) =
                tp.path.segments.last_mut().map(|s| &mut s.arguments)
                && let Some(GenericArgument::Type(first)) = args.args.first_mut()
            {
                *first = elem.clone();
            }
        }
        Type::Array(a) => *a.elem = elem.clone(),
        _ => {}
    }
    ty
}

/// The shape of a field without its element, as text: two fields of the same shape hold the
/// same number of elements in the same order (`SMatrix<T, N, B>` and `SMatrix<bool, N, B>`).
pub fn shape_key(ty: &Type) -> String {
    let placeholder: Type = syn::parse_quote!(_);
    with_element(ty, &placeholder).to_token_stream().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_and_shapes() {
        let m: Type = syn::parse_quote!(SMatrix<T, N, B>);
        let flags: Type = syn::parse_quote!(SMatrix<bool, N, B>);
        let scalar: Type = syn::parse_quote!(f64);
        let array: Type = syn::parse_quote!([f32; 4]);
        assert!(is_container(&m) && !is_container(&scalar) && is_container(&array));
        assert_eq!(element_of(&m).unwrap().to_token_stream().to_string(), "T");
        assert_eq!(
            element_of(&array).unwrap().to_token_stream().to_string(),
            "f32"
        );
        assert_eq!(
            element_of(&scalar).unwrap().to_token_stream().to_string(),
            "f64"
        );
        assert_eq!(shape_key(&m), shape_key(&flags));
        assert_ne!(shape_key(&m), shape_key(&scalar));
        let b: Type = syn::parse_quote!(bool);
        assert_eq!(
            with_element(&scalar, &b).to_token_stream().to_string(),
            "bool"
        );
    }
}
