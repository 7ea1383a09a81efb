//! Parse: `[crate = path;] name: expr, name: expr, …`, or the named form
//! `[crate = path;] #[attrs] vis struct Name { name: Type, … }`, into the [`ast`](super::ast). A
//! malformed entry is reported to the [`Ctxt`] and parsing goes on at the next comma, so every
//! mistake shows at once.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Expr, Ident, Token};

use super::ast::{Layer, Named, NamedField, Sequential, Source};
use crate::ctxt::Ctxt;

pub fn parse(cx: &mut Ctxt, input: TokenStream) -> Sequential {
    let span = if input.is_empty() {
        Span::call_site()
    } else {
        input.span()
    };
    let mut spec = Sequential {
        named: None,
        krate: crate::krate::default_crate(),
        layers: Vec::new(),
        span,
        stray: Vec::new(),
    };
    let parser = |stream: ParseStream| -> syn::Result<()> {
        if stream.peek(Token![crate]) && stream.peek2(Token![=]) {
            stream.parse::<Token![crate]>()?;
            stream.parse::<Token![=]>()?;
            spec.krate = stream.parse()?;
            stream.parse::<Token![;]>()?;
        }
        if is_named_form(stream) {
            parse_named(cx, stream, &mut spec)?;
            return Ok(());
        }
        while !stream.is_empty() {
            let index = spec.layers.len() + 1;
            if let Some(layer) = parse_layer(cx, stream, index, &mut spec.stray) {
                spec.layers.push(layer);
            }
            if stream.is_empty() {
                break;
            }
            if stream.peek(Token![,]) {
                stream.parse::<Token![,]>()?;
            } else {
                cx.syn_error(
                    stream.error("expected `,` between layers: `sequential! { l1: …, l2: … }`"),
                );
                skip_to_comma(stream);
            }
        }
        Ok(())
    };
    if let Err(e) = parser.parse2(input) {
        cx.syn_error(e);
    }
    spec
}

/// The named form starts like a struct item: attributes, a visibility, or `struct`.
fn is_named_form(stream: ParseStream) -> bool {
    stream.peek(Token![#]) || stream.peek(Token![pub]) || stream.peek(Token![struct])
}

/// `#[attrs] vis struct Name { name: Type, … }`: a struct with named fields and no generic
/// parameters (its layers' types are concrete; the generated struct is generic over them, with
/// the written types as defaults).
fn parse_named(cx: &mut Ctxt, stream: ParseStream, spec: &mut Sequential) -> syn::Result<()> {
    let item: syn::ItemStruct = stream.parse()?;
    if !stream.is_empty() {
        cx.syn_error(stream.error(
            "a named `sequential!` holds one struct and nothing after it: `sequential! { pub struct Net { l1: …, l2: … } }`",
        ));
    }
    if !item.generics.params.is_empty() || item.generics.where_clause.is_some() {
        cx.error_spanned_by(
            &item.generics,
            format!(
                "a named `sequential!` has no generic parameters: write each layer's concrete type, such as `l1: RnnCell<f64, 100, 20, 128>` (the struct `{}` is then one type that can be stored and named)",
                item.ident
            ),
        );
    }
    match item.fields {
        syn::Fields::Named(fields) => {
            for field in fields.named {
                let Some(name) = field.ident else { continue };
                spec.layers.push(Layer {
                    name,
                    source: Source::Field(NamedField {
                        attrs: field.attrs,
                        vis: field.vis,
                        ty: field.ty,
                    }),
                });
            }
        }
        syn::Fields::Unnamed(fields) => cx.error_spanned_by(
            &fields,
            format!(
                "the layers of `{}` need names, which become its fields: `struct {} {{ l1: Dense<f64, 3, 2>, l2: Relu }}`",
                item.ident, item.ident
            ),
        ),
        syn::Fields::Unit => {}
    }
    spec.span = item.ident.span();
    spec.named = Some(Named {
        attrs: item.attrs,
        vis: item.vis,
        ident: item.ident,
    });
    Ok(())
}

/// One `name: expr`; on a mistake, the error and `None`, the stream left at the next comma.
fn parse_layer(
    cx: &mut Ctxt,
    stream: ParseStream,
    index: usize,
    stray: &mut Vec<Expr>,
) -> Option<Layer> {
    let named = stream.peek(Ident) && (stream.peek2(Token![:]) && !stream.peek2(Token![::]));
    if named {
        let name: Ident = stream.parse().ok()?;
        let _: Token![:] = stream.parse().ok()?;
        if stream.is_empty() || stream.peek(Token![,]) {
            cx.error_spanned_by(
                &name,
                format!(
                    "layer `{name}` has no value: write `{name}: <layer>`, such as `{name}: Relu`"
                ),
            );
            return None;
        }
        match stream.parse::<Expr>() {
            Ok(expr) => Some(Layer {
                name,
                source: Source::Expr(expr),
            }),
            Err(e) => {
                cx.syn_error(e);
                skip_to_comma(stream);
                None
            }
        }
    } else if stream.peek(Ident) && stream.peek2(Token![=]) && !stream.peek2(Token![==]) {
        let name: Ident = stream.parse().ok()?;
        let eq: Token![=] = stream.parse().ok()?;
        cx.error_spanned_by(
            eq,
            format!(
                "write `{name}: <layer>` with a colon: BrainPy's `Sequential({name}=…)` is `sequential! {{ {name}: … }}`"
            ),
        );
        match stream.parse::<Expr>() {
            Ok(expr) => stray.push(expr),
            Err(_) => skip_to_comma(stream),
        }
        None
    } else {
        // A layer without a name (or stray tokens): show it with the name it could have.
        let fork = stream.fork();
        let example = match fork.parse::<Expr>() {
            Ok(expr) if fork.is_empty() || fork.peek(Token![,]) => {
                let _: Expr = stream.parse().ok()?;
                let text = quote::ToTokens::to_token_stream(&expr).to_string();
                cx.error_spanned_by(
                    &expr,
                    format!(
                        "every layer needs a name, which becomes a field of the composition: write `l{index}: {}` (its states are then monitored as `l{index}.…`)",
                        tidy(&text)
                    ),
                );
                stray.push(expr);
                return None;
            }
            _ => "<layer>".to_string(),
        };
        let start = stream.span();
        skip_to_comma(stream);
        cx.syn_error(syn::Error::new(
            start,
            format!("expected a layer as `name: layer`, such as `l{index}: {example}`"),
        ));
        None
    }
}

/// Tokens as a person writes them: `Dense::<f64, 3, 2>::new(&mut rng)`.
fn tidy(text: &str) -> String {
    text.replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" ::", "::")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace("& ", "&")
}

/// Skips tokens up to (not including) the next top-level comma.
fn skip_to_comma(stream: ParseStream) {
    while !stream.is_empty() && !stream.peek(Token![,]) {
        if stream.parse::<TokenTree>().is_err() {
            break;
        }
    }
}
