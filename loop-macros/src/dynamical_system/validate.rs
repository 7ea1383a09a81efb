//! Validate: the checks that need the whole model (a state init that reads a later state, a check
//! rule on a non-numeric param, an `#[ode]` naming no state, …). Every problem goes to the
//! [`Ctxt`]; nothing stops at the first.

use std::collections::{HashMap, HashSet};

use quote::ToTokens;
use syn::visit::Visit;
use syn::{Expr, Ident, Type};

use super::ast::{ElementsError, Method, ModelImpl, ModelStruct, Role, UpdateForm};
use super::shape::{element_of, is_container, with_element};
use crate::ctxt::Ctxt;

/// The rule names `check = …` accepts (loop_core::Check).
pub const CHECK_RULES: [(&str, &str); 7] = [
    ("positive", "Positive"),
    ("non_negative", "NonNegative"),
    ("negative", "Negative"),
    ("non_positive", "NonPositive"),
    ("nonzero", "Nonzero"),
    ("finite", "Finite"),
    ("unit_interval", "UnitInterval"),
];

pub fn validate_struct(cx: &mut Ctxt, model: &ModelStruct) {
    let params: Vec<&Ident> = model.params().map(|(f, _)| &f.ident).collect();
    let states: Vec<&Ident> = model.states().map(|(f, _)| &f.ident).collect();

    let mut seen_fields: HashSet<String> = HashSet::new();
    for field in &model.fields {
        if !seen_fields.insert(field.ident.to_string()) {
            cx.error_spanned_by(
                &field.ident,
                format!(
                    "a second field named `{}`: a field is a param, a state or a child once; rename or remove one",
                    field.ident
                ),
            );
        }
    }
    for (field, _) in model.states() {
        if let Some(elem) = element_of(&field.ty)
            && is_integer(&elem)
        {
            cx.error_spanned_by(
                &field.ty,
                format!(
                    "state `{}` holds `{}` numbers, but a state holds f32 or f64 numbers (or bool flags), which the integrators step: make it `{}`",
                    field.ident,
                    pretty(&elem),
                    pretty(with_element(&field.ty, &syn::parse_quote!(f64)))
                ),
            );
        }
    }
    let mut seen_inputs: HashSet<String> = HashSet::new();
    for input in model.inputs.iter().flatten() {
        let name = &input.name;
        if !seen_inputs.insert(name.to_string()) {
            cx.error_spanned_by(
                name,
                format!("input `{name}` is declared twice: declare it once"),
            );
        } else if model.fields.iter().any(|f| f.ident == *name) {
            cx.error_spanned_by(
                name,
                format!(
                    "`{name}` is already a field of `{}`; an input needs a name of its own, or the equations could not tell them apart",
                    model.name()
                ),
            );
        } else if name == "t" {
            cx.error_spanned_by(
                name,
                "`t` is the time (an equation's argument `t` reads it): give the input another name",
            );
        }
    }
    if let Some(field) = model.fields.iter().find(|f| f.ident == "params") {
        cx.error_spanned_by(
            &field.ident,
            format!(
                "`params` is the field where `{}` keeps its parameters apart from its states: give this field another name",
                model.name()
            ),
        );
    }
    for (field, param) in model.params() {
        if let Some(train) = &param.train
            && (!is_numeric(&field.ty, model) || is_flag(&field.ty))
        {
            cx.error_spanned_by(
                train,
                format!(
                    "`train` marks a parameter the optimizers change, a float matrix, vector or scalar; `{}` is a `{}`",
                    field.ident,
                    pretty(&field.ty)
                ),
            );
        }
    }

    for (index, (field, param)) in model.params().enumerate() {
        for rule in &param.checks {
            if !CHECK_RULES.iter().any(|(name, _)| rule == name) {
                let names: Vec<&str> = CHECK_RULES.iter().map(|(n, _)| *n).collect();
                cx.error_spanned_by(
                    rule,
                    format!("unknown check `{rule}`; rules are: {}", names.join(", ")),
                );
            }
        }
        if !param.checks.is_empty() && (!is_numeric(&field.ty, model) || is_flag(&field.ty)) {
            cx.error_spanned_by(
                &field.ty,
                format!(
                    "`check = …` needs a numeric param, but `{}` is a `{}`: remove the check, or make the param a number",
                    field.ident,
                    pretty(&field.ty)
                ),
            );
        }
        if let Some(default) = &param.default {
            later_reference(cx, default, &params[index..], "param", &field.ident);
            for state in &states {
                if mentions(default, state) {
                    cx.error_spanned_by(
                        default,
                        format!(
                            "the default of param `{}` reads state `{state}`; a default may read only params declared above it",
                            field.ident
                        ),
                    );
                }
            }
        }
    }

    let mut state_index = 0;
    for field in &model.fields {
        if let Role::State(state) = &field.role {
            if let Some(init) = &state.init {
                later_reference(cx, init, &states[state_index..], "state", &field.ident);
            }
            state_index += 1;
        }
    }
}

/// An init or default that reads itself or a field declared after it.
fn later_reference(cx: &mut Ctxt, expr: &Expr, later: &[&Ident], kind: &str, field: &Ident) {
    for name in later {
        if mentions(expr, name) {
            let what = if *name == field {
                format!("the initial value of {kind} `{field}` reads `{field}` itself")
            } else {
                format!(
                    "the initial value of {kind} `{field}` reads `{name}`, which is declared after it"
                )
            };
            cx.error_spanned_by(
                expr,
                format!("{what}: an init may read params and the {kind}s declared above it; move `{name}` up"),
            );
        }
    }
}

/// Whether `expr` mentions the plain name `name`.
pub fn mentions(expr: &Expr, name: &Ident) -> bool {
    struct Finder<'a> {
        name: &'a Ident,
        found: bool,
    }
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
            self.found |= p.path.is_ident(self.name);
        }
    }
    let mut finder = Finder { name, found: false };
    finder.visit_expr(expr);
    finder.found
}

/// Syntactically a number, a flag or a matrix of them: what `set_param` and `check` accept.
pub fn is_numeric(ty: &Type, model: &ModelStruct) -> bool {
    const NUMBERS: [&str; 15] = [
        "f32",
        "f64",
        "i8",
        "i16",
        "i32",
        "i64",
        "isize",
        "u8",
        "u16",
        "u32",
        "u64",
        "usize",
        "bool",
        "Real",
        "RealField",
    ];
    const MATRICES: [&str; 6] = [
        "SVector",
        "SMatrix",
        "RowSVector",
        "Matrix",
        "OMatrix",
        "Vector",
    ];
    match ty {
        Type::Path(tp) if tp.qself.is_none() => {
            let Some(last) = tp.path.segments.last() else {
                return false;
            };
            let name = last.ident.to_string();
            if tp.path.segments.len() == 1 && NUMBERS.contains(&name.as_str()) {
                return true;
            }
            let is_type_param = tp.path.segments.len() == 1
                && model
                    .item
                    .generics
                    .type_params()
                    .any(|p| p.ident == last.ident);
            let elem_numeric = || match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => match a.args.first() {
                    Some(syn::GenericArgument::Type(t)) => is_numeric(t, model),
                    _ => false,
                },
                _ => false,
            };
            is_type_param || (MATRICES.contains(&name.as_str()) && elem_numeric())
        }
        Type::Paren(p) => is_numeric(&p.elem, model),
        Type::Group(g) => is_numeric(&g.elem, model),
        _ => false,
    }
}

/// Whether a state holds flags (`bool`, or a matrix of them): no ODE can integrate it.
pub fn is_flag(ty: &Type) -> bool {
    match ty {
        Type::Path(tp) => {
            let Some(last) = tp.path.segments.last() else {
                return false;
            };
            if last.ident == "bool" {
                return true;
            }
            match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => {
                    matches!(a.args.first(), Some(syn::GenericArgument::Type(t)) if is_flag(t))
                }
                _ => false,
            }
        }
        _ => false,
    }
}

pub fn validate_impl(cx: &mut Ctxt, model: &ModelStruct, imp: &ModelImpl) {
    validate_element_update(cx, model, imp);
    check_inputs_used(cx, model, imp);
    if !imp.odes.is_empty() && imp.update.is_none() {
        let element = model.element_name();
        cx.error_spanned_by(
            &imp.item.self_ty,
            format!(
                "`{}` has equations but no step: mark one function #[update] — for each element after its equations, `fn fire(&self, sh: &Shared, new: &mut {element}) -> Output`, or for the whole model, `fn step(&mut self, sh: &Shared, x: Input) -> Output`",
                model.name()
            ),
        );
    }
    for ode in &imp.odes {
        for (arg, ty) in &ode.args {
            if is_container(ty) {
                cx.error_spanned_by(
                    ty,
                    format!(
                        "an #[ode] argument is one element's value, `{arg}: {}`, not a `{}`: the equation is written for one element, and the macro steps every element",
                        pretty(element_of(ty).as_ref().unwrap_or(ty)),
                        pretty(ty)
                    ),
                );
            } else if let Some(state) = model.state(arg)
                && let Some(elem) = element_of(&state.ty)
                && is_float(ty)
                && is_float(&elem)
                && pretty(ty) != pretty(&elem)
            {
                cx.error_spanned_by(
                    ty,
                    format!(
                        "state `{arg}` holds `{}` numbers (`{}`): take it as `{arg}: {}`",
                        pretty(&elem),
                        pretty(&state.ty),
                        pretty(&elem)
                    ),
                );
            }
        }
        if let Some(state) = model.state(&ode.state)
            && let Some(elem) = element_of(&state.ty)
            && is_float(&ode.scalar)
            && is_float(&elem)
            && pretty(&ode.scalar) != pretty(&elem)
        {
            cx.error_spanned_by(
                &ode.scalar,
                format!(
                    "`{}` returns `{}`, but state `{}` holds `{}` numbers (`{}`): return `{}`",
                    ode.func.sig.ident,
                    pretty(&ode.scalar),
                    ode.state,
                    pretty(&elem),
                    pretty(&state.ty),
                    pretty(&elem)
                ),
            );
        }
    }
    if let (Some(all), None) = (&imp.update_all, &imp.update) {
        cx.error_spanned_by(
            &all.sig.ident,
            "an #[update_all] replaces the stepping of a no_state run, so the model needs an #[update] too: mark its step function `#[update]`",
        );
    }
    if imp.ode_attributes == 0 && imp.method_written {
        cx.syn_error(syn::Error::new(
            imp.method_span,
            format!(
                "`method = {}` integrates #[ode] functions, but this impl has none: add one per integrated state, `#[ode(v)] fn dv(&self, v: f64, …) -> f64 {{ … }}`, or remove `method`",
                imp.method.name()
            ),
        ));
    }
    let mut seen: HashMap<String, &Ident> = HashMap::new();
    let mut ode_types: Vec<(&Ident, &Type)> = Vec::new();
    let params: HashSet<String> = model.params().map(|(f, _)| f.ident.to_string()).collect();
    let children: HashSet<String> = model.children().map(|(f, _)| f.ident.to_string()).collect();

    for ode in &imp.odes {
        let Some(field) = model.state(&ode.state) else {
            cx.error_spanned_by(
                &ode.state,
                format!(
                    "`#[ode({})]` names no #[state] field of `{}`; states are: {}",
                    ode.state,
                    model.name(),
                    model.state_list()
                ),
            );
            continue;
        };
        if is_flag(&field.ty) {
            cx.error_spanned_by(
                &ode.state,
                format!(
                    "state `{}` holds flags (`{}`); an #[ode] integrates a float state: set flags in the #[update] function instead",
                    ode.state,
                    pretty(&field.ty)
                ),
            );
        }
        if let Some(first) = seen.insert(ode.state.to_string(), &ode.func.sig.ident) {
            cx.error_spanned_by(
                &ode.state,
                format!(
                    "state `{}` already has an equation (`fn {first}`); give each state one #[ode]",
                    ode.state
                ),
            );
        }
        ode_types.push((&ode.state, &field.ty));
        if let (Some(linear), false) = (&ode.linear, imp.method == Method::ExpEuler) {
            cx.error_spanned_by(
                linear,
                format!(
                    "`linear = …` gives ∂f/∂x for exp_euler, but this impl uses `method = {}`: remove it, or use `method = exp_euler`",
                    imp.method.name()
                ),
            );
        }
        for (arg, ty) in &ode.args {
            let name = arg.to_string();
            if params.contains(&name) {
                cx.error_spanned_by(
                    arg,
                    format!(
                        "`{arg}` is a param of `{}`; read it as `self.{arg}` inside the equation instead of taking it as an argument",
                        model.name()
                    ),
                );
            } else if children.contains(&name) {
                cx.error_spanned_by(
                    arg,
                    format!(
                        "`{arg}` is a child system; an #[ode] argument is a state, `t`, or an input"
                    ),
                );
            } else if model.state(arg).is_none() && name != "t" {
                check_input(cx, model, arg, ty);
            }
        }
    }
    if let Some((first_name, first_ty)) = ode_types.first() {
        for (name, ty) in &ode_types[1..] {
            if first_ty.to_token_stream().to_string() != ty.to_token_stream().to_string() {
                cx.error_spanned_by(
                    name,
                    format!(
                        "states integrated together share one shape: `{first_name}` is a `{}` but `{name}` is a `{}`",
                        pretty(first_ty),
                        pretty(ty)
                    ),
                );
            }
        }
    }
    let scalars: Vec<String> = imp
        .odes
        .iter()
        .map(|o| o.scalar.to_token_stream().to_string())
        .collect();
    if let Some(first) = scalars.first() {
        for (ode, scalar) in imp.odes.iter().zip(&scalars).skip(1) {
            if scalar != first {
                cx.error_spanned_by(
                    &ode.scalar,
                    format!("every #[ode] of a model returns the same scalar; the first returns `{first}`"),
                );
            }
        }
    }
}

/// A per-element `#[update]`: the model must be a population of elements, the element type the
/// generated one, and its inputs neither states nor params nor of another type than the
/// equations give them.
fn validate_element_update(cx: &mut Ctxt, model: &ModelStruct, imp: &ModelImpl) {
    let Some(update) = &imp.update else { return };
    let UpdateForm::Element(rules) = &update.form else {
        return;
    };
    let name = &update.func.sig.ident;
    match model.elements() {
        Ok(_) => {}
        Err(ElementsError::NoStates) => cx.error_spanned_by(
            name,
            format!(
                "a per-element #[update] (one taking `&self`) steps the elements of `{}`, but it has no #[state]: add states, or write the whole step as `fn {name}(&mut self, sh: &Shared, x: Input) -> Output`",
                model.name()
            ),
        ),
        Err(ElementsError::Opaque(field)) => cx.error_spanned_by(
            name,
            format!(
                "a per-element #[update] needs the element type of every state, but `{}: {}` does not show one: write it as `SMatrix<T, N, B>`, `SVector<T, N>`, `[T; N]` or a scalar",
                field.ident,
                pretty(&field.ty)
            ),
        ),
        Err(ElementsError::Shapes(first, other)) => cx.error_spanned_by(
            name,
            format!(
                "a per-element #[update] steps every state element by element, so the states share one shape, but `{}` is a `{}` and `{}` a `{}`: write the whole step as `fn {name}(&mut self, sh: &Shared, x: Input) -> Output` instead",
                first.ident,
                pretty(&first.ty),
                other.ident,
                pretty(&other.ty)
            ),
        ),
    }
    let element = model.element_name();
    let names_element = matches!(&rules.element_ty, Type::Path(tp) if tp.path.segments.last().is_some_and(|s| s.ident == element));
    if !names_element {
        cx.error_spanned_by(
            &rules.element_ty,
            format!(
                "the states of one element of `{}` are a `{element}` (generated from its #[state] fields): write `&{element}` and `&mut {element}` here",
                model.name()
            ),
        );
    }
    if let Some((child, _)) = model.children().next() {
        cx.error_spanned_by(
            name,
            format!(
                "`{}` has a child system (`{}`), which a per-element #[update] cannot step: write the whole step as `fn {name}(&mut self, sh: &Shared, x: Input) -> Output`",
                model.name(),
                child.ident
            ),
        );
    }
    if let Some(all) = &imp.update_all {
        cx.error_spanned_by(
            &all.sig.ident,
            "an #[update_all] steps a stateless model over every input at once; a per-element #[update] already steps any number of elements: remove it",
        );
    }
    for (input, ty) in &rules.inputs {
        if model.state(input).is_some() {
            cx.error_spanned_by(
                input,
                format!("`{input}` is a state: read it as `old.{input}` or `new.{input}`"),
            );
        } else if model.params().any(|(f, _)| f.ident == *input) {
            cx.error_spanned_by(
                input,
                format!("`{input}` is a param: read it as `self.{input}`"),
            );
        } else {
            check_input(cx, model, input, ty);
        }
    }
}

/// `f32` or `f64`, written as such.
fn is_float(ty: &Type) -> bool {
    matches!(ty, Type::Path(tp) if tp.path.is_ident("f32") || tp.path.is_ident("f64"))
}

/// A primitive integer type, written as such.
fn is_integer(ty: &Type) -> bool {
    const INTEGERS: [&str; 12] = [
        "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
    ];
    matches!(ty, Type::Path(tp) if INTEGERS.iter().any(|i| tp.path.is_ident(i)))
}

/// An argument `arg: ty` that is neither a state nor `t`: a declared input, of its declared type.
fn check_input(cx: &mut Ctxt, model: &ModelStruct, arg: &Ident, ty: &Type) {
    match model.input(arg) {
        None if model.inputs.is_none() => cx.error_spanned_by(
            arg,
            format!(
                "`{arg}` is not a state of `{}` (states: {}); if it is an input, declare it on the struct: #[dynamical_system(inputs({arg}))]",
                model.name(),
                model.state_list()
            ),
        ),
        None => cx.error_spanned_by(
            arg,
            format!(
                "`{arg}` is neither a state of `{}` (states: {}) nor a declared input ({}): fix the name, or declare the input in `inputs(…)`",
                model.name(),
                model.state_list(),
                model.input_list()
            ),
        ),
        Some(input) => {
            if let Some(element) = model.input_element(input)
                && pretty(&element) != pretty(ty)
            {
                cx.error_spanned_by(
                    ty,
                    format!(
                        "input `{arg}` holds `{}` for each element: take it as `{arg}: {}`",
                        pretty(&element),
                        pretty(&element)
                    ),
                );
            }
        }
    }
}

/// Every declared input is read by an equation or by the per-element rules of an impl that has
/// either.
fn check_inputs_used(cx: &mut Ctxt, model: &ModelStruct, imp: &ModelImpl) {
    let rules = match &imp.update {
        Some(update) => match &update.form {
            UpdateForm::Element(rules) => Some(rules),
            UpdateForm::Whole => None,
        },
        None => None,
    };
    if imp.odes.is_empty() && rules.is_none() {
        return;
    }
    for input in model.inputs.iter().flatten() {
        let read_by_ode = imp
            .odes
            .iter()
            .flat_map(|o| &o.args)
            .any(|(a, _)| *a == input.name);
        let read_by_rules = rules.is_some_and(|r| r.inputs.iter().any(|(a, _)| *a == input.name));
        if !read_by_ode && !read_by_rules {
            cx.error_spanned_by(
                &input.name,
                format!(
                    "input `{}` is declared, but no equation or rule of `{}` reads it: take it as an argument, or remove it",
                    input.name,
                    model.name()
                ),
            );
        }
    }
}

/// A type or expression as the user wrote it, for messages: `SVector<f64, 3>`, not
/// `SVector < f64, 3 >`.
pub fn pretty<T: ToTokens>(tokens: T) -> String {
    tokens
        .to_token_stream()
        .to_string()
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
}
