//! Validate: the checks that need every layer: at least one, and no name used twice (each name is
//! a field). Shapes are checked by the compiler in the expansion.

use std::collections::HashMap;

use super::ast::Sequential;
use crate::ctxt::Ctxt;

pub fn validate(cx: &mut Ctxt, spec: &Sequential) {
    if spec.layers.is_empty() && !cx.has_errors() {
        let message = match &spec.named {
            None => "`sequential!` needs at least one layer: `sequential! { l1: Dense::<f64, 3, 2>::new(&mut rng), l2: Relu }`".to_string(),
            Some(named) => format!(
                "`{0}` needs at least one layer: `struct {0} {{ l1: Dense<f64, 3, 2>, l2: Relu }}`",
                named.ident
            ),
        };
        cx.syn_error(syn::Error::new(spec.span, message));
    }
    let mut seen: HashMap<String, &syn::Ident> = HashMap::new();
    for layer in &spec.layers {
        let name = layer.name.to_string();
        if seen.contains_key(&name) {
            cx.error_spanned_by(
                &layer.name,
                format!(
                    "layer name `{name}` is used twice: each layer is a field of the composition, so give this one its own name"
                ),
            );
        } else {
            seen.insert(name.clone(), &layer.name);
        }
        if name.starts_with("__") {
            cx.error_spanned_by(
                &layer.name,
                format!("layer name `{name}`: names starting with `__` are reserved for generated code; rename it"),
            );
        }
    }
}
