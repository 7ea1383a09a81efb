//! Parse: attribute arguments and annotated items become the [`ast`](super::ast). Malformed
//! attributes are reported to the [`Ctxt`] and parsing goes on, so every error shows at once.

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::visit::Visit;
use syn::{
    Attribute, Expr, Fields, FnArg, Ident, ImplItem, ImplItemFn, ItemImpl, ItemStruct, Pat, Path,
    ReturnType, Token, Type,
};

use super::ast::{
    ChildAttr, DeclaredInput, ElementUpdate, Method, ModelField, ModelImpl, ModelStruct, Ode,
    ParamAttr, Role, StateAttr, Update, UpdateForm,
};
use crate::ctxt::Ctxt;

const STRUCT_OPTIONS: &str = "`inputs(i, …)` and `crate = <path>`";
const IMPL_OPTIONS: &str = "`method = euler | rk2 | rk4 | exp_euler` and `crate = <path>`";

/// The crate's path in generated code, unless `crate = …` says otherwise (see `krate`).
pub fn default_crate() -> Path {
    crate::krate::default_crate()
}

/// `#[dynamical_system(…)]` on a struct.
pub fn parse_struct(cx: &mut Ctxt, args: TokenStream, mut item: ItemStruct) -> ModelStruct {
    let mut krate = None;
    let mut inputs: Option<Vec<DeclaredInput>> = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            krate = Some(meta.value()?.parse()?);
            Ok(())
        } else if meta.path.is_ident("inputs") {
            if inputs.is_some() {
                return Err(meta.error("`inputs(…)` is given twice: list every input in one"));
            }
            let declared = inputs.insert(Vec::new());
            if meta.input.peek(syn::token::Paren) {
                let content;
                syn::parenthesized!(content in meta.input);
                while !content.is_empty() {
                    let name: Ident = content.parse()?;
                    let element = if content.peek(Token![:]) {
                        let _: Token![:] = content.parse()?;
                        Some(content.parse::<Type>()?)
                    } else {
                        None
                    };
                    declared.push(DeclaredInput { name, element });
                    if !content.is_empty() {
                        let _: Token![,] = content.parse()?;
                    }
                }
                Ok(())
            } else {
                Err(meta.error(
                    "`inputs` lists the inputs of the equations: `inputs(i)`, `inputs(i, g: f64)`",
                ))
            }
        } else {
            Err(meta.error(format!(
                "unknown option `{}` for #[dynamical_system] on a struct; options are: {STRUCT_OPTIONS}",
                path_name(&meta.path)
            )))
        }
    });
    if let Err(e) = parser.parse2(args) {
        cx.syn_error(e);
    }

    let mut fields = Vec::new();
    match &mut item.fields {
        Fields::Named(named) => {
            for field in &mut named.named {
                let role = parse_field_role(cx, &mut field.attrs);
                fields.push(ModelField {
                    ident: field.ident.clone().expect("named field"),
                    ty: field.ty.clone(),
                    role,
                });
            }
        }
        Fields::Unnamed(_) => cx.error_spanned_by(
            &item.ident,
            "#[dynamical_system] needs a struct with named fields, so that states and params have names: write `struct Name { v: SVector<f64, N>, … }`",
        ),
        Fields::Unit => cx.error_spanned_by(
            &item.ident,
            "#[dynamical_system] on a unit struct has nothing to integrate: give it named fields with #[state] and #[param]",
        ),
    }
    ModelStruct {
        item,
        krate_written: krate.is_some(),
        krate: krate.unwrap_or_else(default_crate),
        fields,
        inputs,
    }
}

/// Finds this macro's attribute on a field (at most one of param/state/child), removes it and
/// returns the field's role.
fn parse_field_role(cx: &mut Ctxt, attrs: &mut Vec<Attribute>) -> Role {
    let mut role: Option<(Role, String)> = None;
    let mut kept = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        let kind = ["param", "state", "child"]
            .into_iter()
            .find(|k| attr.path().is_ident(k));
        let Some(kind) = kind else {
            kept.push(attr);
            continue;
        };
        let parsed = match kind {
            "param" => Role::Param(parse_param(cx, &attr)),
            "state" => Role::State(StateAttr {
                init: parse_single_key(cx, &attr, "init", "#[state(init = <value>)]"),
            }),
            _ => Role::Child(ChildAttr {
                init: parse_single_key(cx, &attr, "init", "#[child(init = <value>)]"),
            }),
        };
        match &role {
            Some((_, first)) if first == kind => cx.error_spanned_by(
                attr.path(),
                format!("duplicate `#[{kind}]` on this field: keep one"),
            ),
            Some((_, first)) => cx.error_spanned_by(
                attr.path(),
                format!(
                    "this field is already a `#[{first}]`; a field is a param, a state or a child, not two of them"
                ),
            ),
            None => role = Some((parsed, kind.to_string())),
        }
    }
    *attrs = kept;
    role.map_or(Role::Plain, |(r, _)| r)
}

fn parse_param(cx: &mut Ctxt, attr: &Attribute) -> ParamAttr {
    let mut param = ParamAttr {
        default: None,
        checks: Vec::new(),
        train: None,
    };
    if matches!(attr.meta, syn::Meta::Path(_)) {
        return param;
    }
    let result = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("default") {
            if param.default.is_some() {
                return Err(meta.error("`default` is given twice"));
            }
            param.default = Some(key_value(&meta, "default = 10.0")?);
            Ok(())
        } else if meta.path.is_ident("check") {
            let rules = key_value(&meta, "check = positive")?;
            match &rules {
                Expr::Path(p) if p.path.get_ident().is_some() => {
                    param.checks.push(p.path.get_ident().unwrap().clone())
                }
                Expr::Array(list) => {
                    for rule in &list.elems {
                        match rule {
                            Expr::Path(p) if p.path.get_ident().is_some() => {
                                param.checks.push(p.path.get_ident().unwrap().clone())
                            }
                            other => {
                                return Err(syn::Error::new_spanned(
                                    other,
                                    "a check is a rule name such as `positive`",
                                ));
                            }
                        }
                    }
                }
                other => {
                    return Err(syn::Error::new_spanned(
                        other,
                        "`check` takes a rule name (`check = positive`) or a list (`check = [positive, finite]`)",
                    ));
                }
            }
            Ok(())
        } else if meta.path.is_ident("train") && !meta.input.peek(Token![=]) {
            param.train = meta.path.get_ident().cloned();
            Ok(())
        } else {
            Err(meta.error(format!(
                "unknown key `{}` in #[param]; keys are `default = <value>`, `check = <rule>` and `train`",
                path_name(&meta.path)
            )))
        }
    });
    if let Err(e) = result {
        cx.syn_error(e);
    }
    param
}

/// An attribute with at most one key, `key = <expr>` (`#[state(init = …)]`).
fn parse_single_key(cx: &mut Ctxt, attr: &Attribute, key: &str, example: &str) -> Option<Expr> {
    if matches!(attr.meta, syn::Meta::Path(_)) {
        return None;
    }
    let mut value = None;
    let kind = path_name(attr.path());
    let result = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident(key) {
            if value.is_some() {
                return Err(meta.error(format!("`{key}` is given twice")));
            }
            value = Some(key_value(&meta, example)?);
            Ok(())
        } else {
            Err(meta.error(format!(
                "unknown key `{}` in #[{kind}]; the only key is `{key}`: {example}",
                path_name(&meta.path)
            )))
        }
    });
    if let Err(e) = result {
        cx.syn_error(e);
    }
    value
}

/// The `<expr>` of `key = <expr>`, with a message that shows the form when `=` is missing.
fn key_value(meta: &ParseNestedMeta, example: &str) -> syn::Result<Expr> {
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format!(
            "`{}` needs a value: `{example}`",
            path_name(&meta.path)
        )));
    }
    meta.value()?.parse()
}

pub fn path_name(path: &Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// `#[dynamical_system(method = …)]` on an impl.
pub fn parse_impl(cx: &mut Ctxt, args: TokenStream, mut item: ItemImpl) -> ModelImpl {
    let mut method = None;
    let mut krate = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("method") {
            let name: Ident = meta.value()?.parse()?;
            match Method::from_name(&name.to_string()) {
                Some(m) => method = Some((m, name.span())),
                None => {
                    return Err(syn::Error::new(
                        name.span(),
                        format!("unknown method `{name}`; methods are: euler, rk2, rk4, exp_euler"),
                    ));
                }
            }
            Ok(())
        } else if meta.path.is_ident("crate") {
            krate = Some(meta.value()?.parse()?);
            Ok(())
        } else {
            Err(meta.error(format!(
                "unknown option `{}` for #[dynamical_system] on an impl; options are: {IMPL_OPTIONS}",
                path_name(&meta.path)
            )))
        }
    });
    if let Err(e) = parser.parse2(args) {
        cx.syn_error(e);
    }

    let mut odes = Vec::new();
    let mut ode_attributes = 0;
    let mut update: Option<Update> = None;
    let mut update_all: Option<ImplItemFn> = None;
    for impl_item in &mut item.items {
        let ImplItem::Fn(func) = impl_item else {
            continue;
        };
        if let Some(index) = func
            .attrs
            .iter()
            .position(|a| a.path().is_ident("update_all"))
        {
            let attr = func.attrs.remove(index);
            if let Some(f) = parse_update_all(cx, &attr, func) {
                if update_all.is_some() {
                    cx.error_spanned_by(&func.sig.ident, "a second #[update_all]: a model has one");
                } else {
                    update_all = Some(f);
                }
            }
            continue;
        }
        let mut ode_attr = None;
        let mut update_attr = None;
        func.attrs.retain(|attr| {
            if attr.path().is_ident("ode") {
                ode_attr = Some(attr.clone());
                false
            } else if attr.path().is_ident("update") {
                update_attr = Some(attr.clone());
                false
            } else {
                true
            }
        });
        match (ode_attr, update_attr) {
            (Some(a), Some(_)) => cx.error_spanned_by(
                a.path(),
                "a function is an #[ode] or the #[update], not both",
            ),
            (Some(a), None) => {
                ode_attributes += 1;
                if let Some(ode) = parse_ode(cx, &a, func) {
                    odes.push(ode);
                }
                // exp_euler reads the equation through its generated `linearize_*` twin.
                func.attrs.push(syn::parse_quote!(#[allow(dead_code)]));
            }
            (None, Some(a)) => {
                let parsed = parse_update(cx, &a, func);
                if update.is_some() {
                    cx.error_spanned_by(
                        &func.sig.ident,
                        "a second #[update]: a model has one update function",
                    );
                } else {
                    update = parsed;
                }
            }
            (None, None) => {}
        }
    }
    let method_written = method.is_some();
    let (method, method_span) = method.unwrap_or((Method::ExpEuler, Span::call_site()));
    ModelImpl {
        item,
        method,
        method_span,
        method_written,
        krate,
        odes,
        ode_attributes,
        update,
        update_all,
    }
}

fn parse_ode(cx: &mut Ctxt, attr: &Attribute, func: &ImplItemFn) -> Option<Ode> {
    let mut state: Option<Ident> = None;
    let mut linear = None;
    if matches!(attr.meta, syn::Meta::Path(_)) {
        cx.error_spanned_by(
            attr,
            format!(
                "#[ode] must name the state it integrates: `#[ode(v)]` above `fn {}`",
                func.sig.ident
            ),
        );
        return None;
    }
    let result = attr.parse_nested_meta(|meta| {
        if meta.input.peek(Token![=]) {
            if meta.path.is_ident("linear") {
                linear = Some(meta.value()?.parse::<Expr>()?);
                Ok(())
            } else {
                Err(meta.error(format!(
                    "unknown key `{}` in #[ode]; write `#[ode(x)]` or `#[ode(x, linear = <∂f/∂x>)]`",
                    path_name(&meta.path)
                )))
            }
        } else if let Some(ident) = meta.path.get_ident() {
            if let Some(first) = &state {
                Err(meta.error(format!(
                    "one state per #[ode]: this one already integrates `{first}`; write one function per state"
                )))
            } else {
                state = Some(ident.clone());
                Ok(())
            }
        } else {
            Err(meta.error("#[ode] names a state field: `#[ode(v)]`"))
        }
    });
    if let Err(e) = result {
        cx.syn_error(e);
        return None;
    }
    let Some(state) = state else {
        cx.error_spanned_by(
            attr,
            "#[ode] must name the state it integrates: `#[ode(v)]`",
        );
        return None;
    };

    let sig = &func.sig;
    let mut ok = true;
    match sig.inputs.first() {
        Some(FnArg::Receiver(r)) if r.reference.is_some() && r.mutability.is_none() => {}
        _ => {
            cx.error_spanned_by(
                &sig.ident,
                format!(
                    "an #[ode] function reads the model through `&self`, then the values it needs: `fn {}(&self, {state}: f64, …) -> f64`",
                    sig.ident
                ),
            );
            ok = false;
        }
    }
    let mut args = Vec::new();
    for input in sig.inputs.iter().skip(1) {
        match input {
            FnArg::Typed(pt) => match &*pt.pat {
                Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                    args.push((pi.ident.clone(), (*pt.ty).clone()))
                }
                other => {
                    cx.error_spanned_by(
                        other,
                        "an #[ode] argument is a plain name (a state, `t`, or an input): `v: f64`",
                    );
                    ok = false;
                }
            },
            FnArg::Receiver(r) => {
                cx.error_spanned_by(r, "unexpected receiver");
                ok = false;
            }
        }
    }
    let scalar = match &sig.output {
        ReturnType::Type(_, ty) => (**ty).clone(),
        ReturnType::Default => {
            cx.error_spanned_by(
                &sig.ident,
                format!(
                    "an #[ode] function returns d{state}/dt for one element: add `-> f64` (or the model's scalar)"
                ),
            );
            return None;
        }
    };
    if !sig.generics.params.is_empty() {
        cx.error_spanned_by(
            &sig.generics,
            "an #[ode] function cannot have generics of its own; use the impl's",
        );
        ok = false;
    }
    ok.then(|| Ode {
        state,
        linear,
        func: func.clone(),
        args,
        scalar,
    })
}

fn parse_update(cx: &mut Ctxt, attr: &Attribute, func: &ImplItemFn) -> Option<Update> {
    let mut needs_t = false;
    let mut needs_i = false;
    let mut needs_written = false;
    if !matches!(attr.meta, syn::Meta::Path(_)) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("needs") {
                needs_written = true;
                // `needs()`: nothing.
                if meta.input.peek(syn::token::Paren) {
                    let fork = meta.input.fork();
                    let content;
                    syn::parenthesized!(content in fork);
                    if content.is_empty() {
                        let _: proc_macro2::Group = meta.input.parse()?;
                        return Ok(());
                    }
                }
                meta.parse_nested_meta(|inner| {
                    if inner.path.is_ident("t") {
                        needs_t = true;
                        Ok(())
                    } else if inner.path.is_ident("i") {
                        needs_i = true;
                        Ok(())
                    } else {
                        Err(inner.error("`needs(…)` lists `t` and/or `i`"))
                    }
                })
            } else {
                Err(meta.error(format!(
                    "unknown key `{}` in #[update]; the only key is `needs(t, i)`",
                    path_name(&meta.path)
                )))
            }
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }

    let sig = &func.sig;
    let form = match sig.inputs.first() {
        Some(FnArg::Receiver(r)) if r.reference.is_some() && r.mutability.is_none() => {
            UpdateForm::Element(Box::new(parse_element_update(cx, func)?))
        }
        _ => {
            let shape_ok = matches!(
                sig.inputs.first(),
                Some(FnArg::Receiver(r)) if r.reference.is_some() && r.mutability.is_some()
            ) && matches!(sig.inputs.iter().nth(1), Some(FnArg::Typed(pt)) if shared_arg_type(&pt.ty).is_some())
                && sig.inputs.len() <= 3;
            if !shape_ok {
                cx.error_spanned_by(
                    &sig.ident,
                    format!(
                        "the #[update] function takes `&mut self`, the shared values and at most one input: `fn {}(&mut self, sh: &Shared, x: Input) -> Output` (bundle several inputs in a tuple); or, for one element's rules after its equations, `&self` (the parameters): `fn {}(&self, sh: &Shared, old: &ModelElement, new: &mut ModelElement, i: f64) -> Output`",
                        sig.ident, sig.ident
                    ),
                );
                return None;
            }
            UpdateForm::Whole
        }
    };
    // The body shows what it reads of the shared values.
    if let Some(FnArg::Typed(pt)) = sig.inputs.iter().nth(1)
        && let Pat::Ident(pi) = &*pt.pat
    {
        let mut reads = SharedReads {
            shared: &pi.ident,
            t: false,
            i: false,
            escapes: false,
        };
        reads.visit_block(&func.block);
        let guessed = reads.escapes && !needs_written;
        needs_t |= reads.t || guessed;
        needs_i |= reads.i || guessed;
    }
    Some(Update {
        func: func.clone(),
        needs_t,
        needs_i,
        form,
    })
}

/// `fn fire(&self, sh: &Shared, [old: &ModelElement,] new: &mut ModelElement, inputs…) [-> O]`:
/// one element's rules after its equations' step.
fn parse_element_update(cx: &mut Ctxt, func: &ImplItemFn) -> Option<ElementUpdate> {
    let sig = &func.sig;
    let name = &sig.ident;
    let form = format!(
        "a per-element #[update] reads the parameters through `&self`, then takes the shared values, the element's states before the step and after it, then its inputs by name: `fn {name}(&self, sh: &Shared, old: &ModelElement, new: &mut ModelElement, i: f64) -> Output` (`old` may be left out)"
    );
    let typed: Vec<&syn::PatType> = sig
        .inputs
        .iter()
        .skip(1)
        .filter_map(|a| match a {
            FnArg::Typed(pt) => Some(pt),
            FnArg::Receiver(_) => None,
        })
        .collect();
    match typed.first().map(|pt| shared_arg_type(&pt.ty)) {
        Some(Some(None)) => {}
        Some(Some(Some(args))) => {
            cx.error_spanned_by(
                args,
                "a per-element #[update] sees the shared values without the user's args (`&Shared`): one element's rules run on any core, so they read `t`, `i`, `dt` and `fit` only",
            );
            return None;
        }
        _ => {
            cx.error_spanned_by(name, form);
            return None;
        }
    }
    let element_ref = |ty: &Type| -> Option<(bool, Type)> {
        match ty {
            Type::Reference(r) => Some((r.mutability.is_some(), (*r.elem).clone())),
            _ => None,
        }
    };
    let (takes_old, element_ty, rest) = match (
        typed.get(1).and_then(|pt| element_ref(&pt.ty)),
        typed.get(2).and_then(|pt| element_ref(&pt.ty)),
    ) {
        (Some((false, old)), Some((true, _))) => (true, old, &typed[3..]),
        (Some((true, new)), _) => (false, new, &typed[2..]),
        _ => {
            cx.error_spanned_by(name, form);
            return None;
        }
    };
    let mut inputs = Vec::new();
    for pt in rest {
        match &*pt.pat {
            Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                inputs.push((pi.ident.clone(), (*pt.ty).clone()))
            }
            other => {
                cx.error_spanned_by(
                    other,
                    "an input of a per-element #[update] is a plain name, one element's value: `i: f64`",
                );
                return None;
            }
        }
    }
    let output = match &sig.output {
        ReturnType::Type(_, ty) => Some((**ty).clone()),
        ReturnType::Default => None,
    };
    Some(ElementUpdate {
        takes_old,
        element_ty,
        inputs,
        output,
    })
}

/// `#[update_all] fn f(&mut self, sh: &Shared, xs: &[Input], out: &mut Vec<Output>)`: what a
/// stateless model does over every input of a `no_state` run at once.
fn parse_update_all(cx: &mut Ctxt, attr: &Attribute, func: &ImplItemFn) -> Option<ImplItemFn> {
    if !matches!(attr.meta, syn::Meta::Path(_)) {
        cx.error_spanned_by(attr, "#[update_all] takes no arguments");
        return None;
    }
    let sig = &func.sig;
    let shape_ok = matches!(
        sig.inputs.first(),
        Some(FnArg::Receiver(r)) if r.reference.is_some() && r.mutability.is_some()
    ) && matches!(sig.inputs.iter().nth(1), Some(FnArg::Typed(pt)) if shared_arg_type(&pt.ty).is_some())
        && sig.inputs.len() == 4
        && matches!(sig.output, ReturnType::Default);
    if !shape_ok {
        cx.error_spanned_by(
            &sig.ident,
            format!(
                "the #[update_all] function takes `&mut self`, the shared values, every input and the outputs to append to: `fn {}(&mut self, sh: &Shared, xs: &[Input], out: &mut Vec<Output>)`",
                sig.ident
            ),
        );
        return None;
    }
    Some(func.clone())
}

/// `&Shared` or `&Shared<A>`: the generic argument, if any (`Some(None)` for plain `&Shared`).
pub fn shared_arg_type(ty: &Type) -> Option<Option<&Type>> {
    let Type::Reference(r) = ty else { return None };
    if r.mutability.is_some() {
        return None;
    }
    let Type::Path(tp) = &*r.elem else {
        return None;
    };
    let last = tp.path.segments.last()?;
    if last.ident != "Shared" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::None => Some(None),
        syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => {
            match args.args.first() {
                Some(syn::GenericArgument::Type(t)) => Some(Some(t)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Finds `sh.time()` and `sh.index()` in an update body: they unwrap `t` and `i`, so the model
/// needs them. Reading the fields `sh.t` / `sh.i` handles their absence (they are `Option`s).
///
/// The shared values handed on whole (`helper(sh)`) may be read anywhere, so they count as both
/// `sh.time()` and `sh.index()` unless `#[update(needs(…))]` says what the model needs: a run
/// without `t` or `i` is then refused with a typed error before the first step, never a panic
/// inside the helper.
struct SharedReads<'a> {
    shared: &'a Ident,
    t: bool,
    i: bool,
    escapes: bool,
}

impl<'ast> Visit<'ast> for SharedReads<'_> {
    fn visit_expr(&mut self, e: &'ast Expr) {
        match e {
            Expr::MethodCall(call) if is_ident(&call.receiver, self.shared) => {
                match call.method.to_string().as_str() {
                    "time" => self.t = true,
                    "index" => self.i = true,
                    _ => self.escapes = true,
                }
                for arg in &call.args {
                    self.visit_expr(arg);
                }
            }
            // `sh.t`, `sh.dt`: a field read, which handles an absent `t` itself.
            Expr::Field(field) if is_ident(&field.base, self.shared) => {}
            // A child's step: the child's own `needs` says what it reads.
            Expr::MethodCall(call)
                if ["update", "update_ref", "update_all"]
                    .contains(&call.method.to_string().as_str()) =>
            {
                self.visit_expr(&call.receiver);
                for arg in call.args.iter().filter(|a| !is_ident(a, self.shared)) {
                    self.visit_expr(arg);
                }
            }
            Expr::Path(p) if p.path.is_ident(self.shared) => self.escapes = true,
            _ => syn::visit::visit_expr(self, e),
        }
    }
}

fn is_ident(e: &Expr, ident: &Ident) -> bool {
    matches!(e, Expr::Path(p) if p.path.is_ident(ident))
}
