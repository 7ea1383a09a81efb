//! Parse: `[crate = path;] name: expr, name: expr, …` into the [`ast`](super::ast). A malformed
//! entry is reported to the [`Ctxt`] and parsing goes on at the next comma, so every mistake
//! shows at once.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Expr, Ident, Path, Token};

use super::ast::{Layer, Sequential};
use crate::ctxt::Ctxt;

/// The facade's path in generated code, unless `crate = …;` says otherwise.
fn default_crate() -> Path {
    syn::parse_quote!(::looptime)
}

pub fn parse(cx: &mut Ctxt, input: TokenStream) -> Sequential {
    let span = if input.is_empty() {
        Span::call_site()
    } else {
        input.span()
    };
    let mut spec = Sequential {
        krate: default_crate(),
        layers: Vec::new(),
        span,
    };
    let parser = |stream: ParseStream| -> syn::Result<()> {
        if stream.peek(Token![crate]) && stream.peek2(Token![=]) {
            stream.parse::<Token![crate]>()?;
            stream.parse::<Token![=]>()?;
            spec.krate = stream.parse()?;
            stream.parse::<Token![;]>()?;
        }
        while !stream.is_empty() {
            if let Some(layer) = parse_layer(cx, stream) {
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

/// One `name: expr`; on a mistake, the error and `None`, the stream left at the next comma.
fn parse_layer(cx: &mut Ctxt, stream: ParseStream) -> Option<Layer> {
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
            Ok(expr) => Some(Layer { name, expr }),
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
        skip_to_comma(stream);
        None
    } else {
        // An expression without a name, or stray tokens.
        let start = stream.span();
        let mut tokens = TokenStream::new();
        while !stream.is_empty() && !stream.peek(Token![,]) {
            match stream.parse::<TokenTree>() {
                Ok(tt) => tokens.extend([tt]),
                Err(_) => break,
            }
        }
        let example = if tokens.is_empty() {
            "<layer>".to_string()
        } else {
            tokens.to_string()
        };
        cx.syn_error(syn::Error::new(
            tokens.span().join(start).unwrap_or(start),
            format!(
                "every layer needs a name, which becomes a field of the composition: write `l1: {example}` (its states are then monitored as `l1.state`)"
            ),
        ));
        None
    }
}

/// Skips tokens up to (not including) the next top-level comma.
fn skip_to_comma(stream: ParseStream) {
    while !stream.is_empty() && !stream.peek(Token![,]) {
        if stream.parse::<TokenTree>().is_err() {
            break;
        }
    }
}
