//! Expand a model's impl. The `#[ode]` equations and a per-element `#[update]` read the
//! parameters, so they move to an impl of the parameters type, with `linearize_<x>` for
//! exponential Euler (derived symbolically). The model gets `integrate` (one step of every
//! `#[ode]` state over the population) and, for a per-element `#[update]`, its population step;
//! both are a call of loop-core's element driver with the closures of `expand_step`. The
//! `DynamicalSystem` impl delegates to the `#[update]` function (whole-model form) or to the
//! population step (per-element form).

use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::{FnArg, Ident, ImplItem, ReturnType, Type};

use super::ast::{ElementUpdate, Method, ModelImpl, ModelStruct, Ode, Update, UpdateForm};
use super::expand_step::{ElementStep, driver_call, nest, read_local};
use super::expand_struct::{container_of as struct_container_of, generics_for};
use super::fast_math::{vectorize_block, vectorize_tokens};
use super::generics::{generic_map, in_impl, renamed_self};
use super::parse::shared_arg_type;
use super::shape::{is_container, with_element};
use crate::symbolic::{self, Scalar};

pub fn expand(model: &ModelStruct, mut imp: ModelImpl) -> TokenStream {
    let krate = imp.krate.clone().unwrap_or_else(|| model.krate.clone());
    let lc = quote!(#krate::__private::loop_core);
    let map = generic_map(&model.item.generics, &imp.item.self_ty);
    inline_step_functions(&mut imp);
    vectorize_step_math(&mut imp, &quote!(#lc::math));

    // The equations and a per-element update read the parameters as `self`.
    let mut moved: Vec<Ident> = imp.odes.iter().map(|o| o.func.sig.ident.clone()).collect();
    if let Some(Update {
        form: UpdateForm::Element(_),
        func,
        ..
    }) = &imp.update
    {
        moved.push(func.sig.ident.clone());
    }
    let (on_params, kept): (Vec<ImplItem>, Vec<ImplItem>) = imp
        .item
        .items
        .drain(..)
        .partition(|item| matches!(item, ImplItem::Fn(f) if moved.contains(&f.sig.ident)));
    imp.item.items = kept;

    let mut generated_on_params = Vec::new();
    let mut generated_on_model = Vec::new();
    let mut errors = TokenStream::new();
    // Exponential Euler in two passes when some linear part varies from element to element.
    let mut two_passes = false;
    if imp.method == Method::ExpEuler {
        for ode in &imp.odes {
            match linearize_fn(&lc, ode) {
                Ok((f, constant)) => {
                    generated_on_params.push(f);
                    two_passes |= !constant;
                }
                Err(e) => {
                    // Keep the step compiling: one message, not a cascade.
                    generated_on_params.push(linearize_stand_in(&lc, ode));
                    errors.extend(e.to_compile_error());
                }
            }
        }
    }
    if !imp.odes.is_empty() {
        generated_on_model.push(integrate_fn(&lc, model, &imp, &map, two_passes));
    }
    let system = match imp.update.take() {
        Some(update) => match &update.form {
            UpdateForm::Whole => system_impl(&lc, &krate, model, &mut imp, &update),
            UpdateForm::Element(rules) => {
                let population = Population::new(model, &imp, &update, rules, &map);
                generated_on_model.push(population.step_fn(&lc, model, &imp, two_passes));
                population.system_impl(&lc, model, &imp, &update)
            }
        },
        None => TokenStream::new(),
    };

    let item = &imp.item;
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let self_ty = &item.self_ty;
    let params_ty = renamed_self(self_ty, &model.params_name());
    quote! {
        #item
        #[allow(dead_code)]
        impl #impl_generics #params_ty #where_clause {
            #(#on_params)*
            #(#generated_on_params)*
        }
        #[allow(dead_code)]
        impl #impl_generics #self_ty #where_clause {
            #(#generated_on_model)*
        }
        #system
        #errors
    }
}

/// The math of the equations and of a per-element update, vectorizable (see `fast_math`).
fn vectorize_step_math(imp: &mut ModelImpl, math: &TokenStream) {
    let mut names: Vec<Ident> = Vec::new();
    for ode in &mut imp.odes {
        vectorize_block(&mut ode.func.block, math);
        names.push(ode.func.sig.ident.clone());
    }
    if let Some(Update {
        form: UpdateForm::Element(_),
        func,
        ..
    }) = &mut imp.update
    {
        vectorize_block(&mut func.block, math);
        names.push(func.sig.ident.clone());
    }
    for item in &mut imp.item.items {
        if let ImplItem::Fn(f) = item
            && names.contains(&f.sig.ident)
        {
            vectorize_block(&mut f.block, math);
        }
    }
}

/// Marks the `#[update]` and `#[ode]` functions `#[inline(always)]` (unless they say otherwise),
/// so that the whole step is compiled into each instruction-set version of the step (see
/// `loop_core::simd`) instead of being called from it.
fn inline_step_functions(imp: &mut ModelImpl) {
    let mut names: Vec<Ident> = imp.odes.iter().map(|o| o.func.sig.ident.clone()).collect();
    if let Some(update) = &imp.update {
        names.push(update.func.sig.ident.clone());
    }
    for item in &mut imp.item.items {
        let ImplItem::Fn(f) = item else { continue };
        let has_inline = f.attrs.iter().any(|a| a.path().is_ident("inline"));
        if names.contains(&f.sig.ident) && !has_inline {
            f.attrs.push(syn::parse_quote!(#[inline(always)]));
        }
    }
}

/// `linearize_<x>`, and whether its linear part is the same for every element (it reads no
/// state, input or time, only parameters): then one pass per element computes it (and the
/// compiler hoists what depends only on parameters, such as a leak's `exprel(-dt / tau)`), where
/// a linear part that varies is worth a first pass of its own (see `loop_core::elements`).
fn linearize_fn(lc: &TokenStream, ode: &Ode) -> syn::Result<(TokenStream, bool)> {
    let state = &ode.state;
    let name = format_ident!("linearize_{}", state);
    let scalar = &ode.scalar;
    // The user's own `&self`: the body's `self` must share its hygiene.
    let receiver = ode.func.sig.inputs.first();
    let args = ode.args.iter().map(|(i, t)| quote!(#i: #t));
    let doc = format!(
        "`d{state}/dt` and its derivative with respect to `{state}` (exponential Euler's linear part), at the given values."
    );
    let reads_element = |tokens: TokenStream| {
        let mut idents = std::collections::HashSet::new();
        collect_idents(tokens, &mut idents);
        ode.args
            .iter()
            .any(|(a, _)| idents.contains(&a.to_string()))
    };
    let constant;
    let body = match &ode.linear {
        Some(linear) => {
            constant = !reads_element(linear.to_token_stream());
            let f = &ode.func.sig.ident;
            let arg_names = ode.args.iter().map(|(i, _)| i);
            quote! {
                let derivative: #scalar = #linear;
                (self.#f(#(#arg_names),*), derivative)
            }
        }
        None => {
            let lin = symbolic::linearize(
                &ode.func.block,
                state,
                &Scalar {
                    ty: scalar,
                    real: quote!(#lc::Real),
                    exprel_prime: quote!(#lc::math::exprel_prime),
                },
            )?;
            let math = quote!(#lc::math);
            let stmts: Vec<TokenStream> = lin
                .stmts
                .iter()
                .map(|s| vectorize_tokens(s.clone(), &math))
                .collect();
            let value = &lin.value;
            let derivative = vectorize_tokens(lin.derivative.clone(), &math);
            // Locals may carry a state into the derivative: only a lone expression is judged.
            constant = stmts.is_empty() && !reads_element(derivative.clone());
            quote! {
                #(#stmts)*
                let __value: #scalar = #value;
                let __derivative: #scalar = #derivative;
                (__value, __derivative)
            }
        }
    };
    let f = quote! {
        #[doc = #doc]
        #[inline(always)]
        #[allow(unused_variables, unused_parens, clippy::all)]
        pub fn #name(#receiver, #(#args),*) -> (#scalar, #scalar) {
            #body
        }
    };
    Ok((f, constant))
}

fn collect_idents(tokens: TokenStream, into: &mut std::collections::HashSet<String>) {
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Ident(i) => {
                into.insert(i.to_string());
            }
            proc_macro2::TokenTree::Group(g) => collect_idents(g.stream(), into),
            _ => {}
        }
    }
}

/// `linearize_x` for an equation that could not be differentiated (its error is reported): it
/// only keeps the rest of the expansion compiling.
fn linearize_stand_in(lc: &TokenStream, ode: &Ode) -> TokenStream {
    let name = format_ident!("linearize_{}", ode.state);
    let scalar = &ode.scalar;
    let receiver = ode.func.sig.inputs.first();
    let f = &ode.func.sig.ident;
    let args = ode.args.iter().map(|(i, t)| quote!(#i: #t));
    let arg_names = ode.args.iter().map(|(i, _)| i);
    quote! {
        #[doc(hidden)]
        pub fn #name(#receiver, #(#args),*) -> (#scalar, #scalar) {
            (self.#f(#(#arg_names),*), <#scalar as #lc::Real>::of(0.0))
        }
    }
}

/// Whether `name`, an argument of an equation, is the time (`t`, when no state has that name).
fn is_time(model: &ModelStruct, name: &Ident) -> bool {
    model.state(name).is_none() && name == "t"
}

/// Whether any equation reads the time.
fn odes_read_time(model: &ModelStruct, imp: &ModelImpl) -> bool {
    imp.odes
        .iter()
        .any(|o| o.args.iter().any(|(n, _)| is_time(model, n)))
}

/// The declared inputs (validated: every argument that is neither a state nor `t` is one, and
/// each is read), in declared order, each with one element's type.
fn declared_inputs(model: &ModelStruct) -> Vec<(Ident, Type)> {
    model
        .inputs
        .iter()
        .flatten()
        .map(|input| {
            let element = model
                .input_element(input)
                .unwrap_or_else(|| syn::parse_quote!(f64));
            (input.name.clone(), element)
        })
        .collect()
}

/// The model's input type, as written inside the impl: `()`, the one input's container, or the
/// generated `<Name>Input` holding several by name.
fn model_input_type(
    model: &ModelStruct,
    map: &HashMap<String, TokenStream>,
    inputs: &[(Ident, Type)],
) -> Type {
    match inputs {
        [] => syn::parse_quote!(()),
        [(_, element)] => container_of(model, map, element),
        many => {
            let name = model.input_name();
            let args = input_type_args(model, map, many);
            syn::parse_quote!(#name<#(#args),*>)
        }
    }
}

/// The generated `<Name>InputRef<'lifetime, …>` lending several inputs (as written inside the
/// impl), or `None` for fewer than two.
fn model_input_ref_type(
    model: &ModelStruct,
    map: &HashMap<String, TokenStream>,
    inputs: &[(Ident, Type)],
    lifetime: &syn::Lifetime,
) -> Option<Type> {
    if inputs.len() < 2 {
        return None;
    }
    let name = model.input_ref_name();
    let args = input_type_args(model, map, inputs);
    Some(syn::parse_quote!(#name<#lifetime, #(#args),*>))
}

/// The generic arguments of the generated input types, as written inside the impl.
fn input_type_args(
    model: &ModelStruct,
    map: &HashMap<String, TokenStream>,
    inputs: &[(Ident, Type)],
) -> Vec<TokenStream> {
    let containers: Vec<Type> = inputs
        .iter()
        .map(|(_, e)| struct_container_of(model, e))
        .collect();
    let refs: Vec<&Type> = containers.iter().collect();
    let generics = generics_for(model, &refs);
    generics
        .params
        .iter()
        .filter_map(|p| {
            let ident = match p {
                syn::GenericParam::Type(t) => &t.ident,
                syn::GenericParam::Const(c) => &c.ident,
                syn::GenericParam::Lifetime(_) => return None,
            };
            Some(
                map.get(&ident.to_string())
                    .cloned()
                    .unwrap_or_else(|| quote!(#ident)),
            )
        })
        .collect()
}

/// `let i = x.i; …` (several inputs, from `x: <Name>InputRef`) or `let i = x;` (one, from
/// `x: &Input`): each input bound by reference.
fn bind_inputs(inputs: &[(Ident, Type)]) -> TokenStream {
    match inputs {
        [] => quote!(let () = *x;),
        [(one, _)] => quote!(let #one = x;),
        many => {
            let names = many.iter().map(|(n, _)| n);
            let fields = many.iter().map(|(n, _)| n);
            quote!(#(let #names = x.#fields;)*)
        }
    }
}

/// The local a state's field is bound to by [`bind_fields`].
fn field_local(state: &Ident) -> Ident {
    format_ident!("__c_{}", state, span = Span::call_site())
}

/// `let (__params, __c_v, _, …) = self.__looptime_split();`: the parameters and the states in
/// `states`, borrowed apart (through the struct's own method, so that the impl may live in
/// another module).
fn bind_fields<'a>(
    model: &ModelStruct,
    states: impl IntoIterator<Item = &'a Ident>,
) -> TokenStream {
    let wanted: Vec<&Ident> = states.into_iter().collect();
    let bindings = model.states().map(|(f, _)| {
        if wanted.contains(&&f.ident) {
            let local = field_local(&f.ident);
            quote!(#local)
        } else {
            quote!(_)
        }
    });
    quote!(let (__params, #(#bindings,)*) = self.__looptime_split();)
}

/// The column of a state bound by [`bind_fields`] (a `&mut` to the field).
fn state_column(model: &ModelStruct, state: &Ident, writable: bool) -> TokenStream {
    let container = model.state(state).is_some_and(|f| is_container(&f.ty));
    let local = field_local(state);
    match (container, writable) {
        (true, true) => quote!(#local.as_mut_slice()),
        (true, false) => quote!(#local.as_slice()),
        (false, true) => quote!(::core::slice::from_mut(#local)),
        (false, false) => quote!(::core::slice::from_ref(#local)),
    }
}

/// The column of an input bound by reference.
fn input_column(container: bool, name: &Ident) -> TokenStream {
    if container {
        quote!(#name.as_slice())
    } else {
        quote!(::core::slice::from_ref(#name))
    }
}

/// A population's type of the values of one element of type `elem`: the first state's container
/// with that element (written as inside the impl), or the element itself for a scalar model.
fn container_of(model: &ModelStruct, map: &HashMap<String, TokenStream>, elem: &Type) -> Type {
    let first = model
        .states()
        .next()
        .map(|(f, _)| in_impl(&f.ty, map))
        .unwrap_or_else(|| elem.clone());
    with_element(&first, elem)
}

/// `integrate(&mut self, [t,] dt, inputs…)`: one step of every `#[ode]` state of every element.
fn integrate_fn(
    lc: &TokenStream,
    model: &ModelStruct,
    imp: &ModelImpl,
    map: &HashMap<String, TokenStream>,
    two_passes: bool,
) -> TokenStream {
    let odes = &imp.odes;
    let scalar = &odes[0].scalar;
    let first_state = model.state(&odes[0].state).expect("validated");
    let container = is_container(&first_state.ty);
    let uses_time = odes_read_time(model, imp);
    let declared = declared_inputs(model);
    let inputs: Vec<(Ident, Type)> = declared
        .iter()
        .filter(|(n, _)| imp.odes.iter().flat_map(|o| &o.args).any(|(a, _)| a == n))
        .cloned()
        .collect();

    let written: Vec<Ident> = odes.iter().map(|o| o.state.clone()).collect();
    let mut read_states: Vec<Ident> = Vec::new();
    for (name, _) in odes.iter().flat_map(|o| &o.args) {
        if model.state(name).is_some() && !written.contains(name) && !read_states.contains(name) {
            read_states.push(name.clone());
        }
    }
    // One input by itself, several in the model's `<Name>Input` (by name, never swapped).
    let input_ty = model_input_type(model, map, &declared);
    // Several: lent (`<Name>InputRef`), or a `&<Name>Input`, which lends itself.
    let (input_params, input_binding) = match declared.as_slice() {
        [] => (quote!(), quote!()),
        [(one, _)] => (quote!(#one: &#input_ty), quote!()),
        _ => {
            // A named lifetime: `impl Into<…<'_>>` is not stable.
            let lifetime: syn::Lifetime = syn::parse_quote!('__lent);
            let lent =
                model_input_ref_type(model, map, &declared, &lifetime).expect("several inputs");
            let bind = bind_inputs(&declared);
            (
                quote!(x: impl ::core::convert::Into<#lent>),
                quote!(let x: #lent = ::core::convert::Into::into(x); #bind),
            )
        }
    };
    let lent_generics = (declared.len() >= 2).then(|| quote!(<'__lent>));
    let time_param = uses_time.then(|| quote!(t: f64,));
    let time_binding = uses_time.then(|| quote!(let __t: f64 = t;));
    let step = ElementStep {
        written: written.clone(),
        read: read_states
            .iter()
            .cloned()
            .chain(inputs.iter().map(|(n, _)| n.clone()))
            .collect(),
        odes,
        method: imp.method,
        two_passes,
        rules: None,
        element: None,
    };
    let state_columns = written.iter().map(|s| state_column(model, s, true));
    let read_columns = read_states
        .iter()
        .map(|s| state_column(model, s, false))
        .chain(inputs.iter().map(|(n, _)| input_column(container, n)));
    let call = driver_call(
        lc,
        model,
        &step,
        nest(state_columns.collect()),
        nest(read_columns.collect()),
        quote!(()),
    );
    let state_list = written
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = format!(
        "One {} step of dt (ms) of every #[ode] state ({state_list}) of every element, all derivatives taken at the old values (loop-core's element driver: vector instructions, and two cores for a large population).",
        imp.method.name()
    );
    let bind = bind_fields(model, written.iter().chain(&read_states));
    quote! {
        #[doc = #doc]
        #[inline(always)]
        #[allow(unused_variables, clippy::all)]
        pub fn integrate #lent_generics (&mut self, #time_param dt: f64, #input_params) {
            let __dt = <#scalar as #lc::Real>::of(dt);
            #time_binding
            #input_binding
            #bind
            #call;
        }
    }
}

/// A model stepped one element at a time by a per-element `#[update]` (see `expand_step`).
struct Population<'a> {
    rules: &'a ElementUpdate,
    fn_ident: &'a Ident,
    /// Every state, in order: the element.
    states: Vec<Ident>,
    /// The inputs of the equations, then the rules' others, with one element's type.
    inputs: Vec<(Ident, Type)>,
    /// The model's input type (`()`, a container, or the `<Name>Input` of several).
    input_ty: Type,
    /// `<Name>InputRef<'_, …>`, for several inputs.
    input_ref: Option<Type>,
    /// The model's output type, and one element's output.
    output: Option<(Type, Type)>,
    container: bool,
    element_ty: Type,
}

impl<'a> Population<'a> {
    fn new(
        model: &ModelStruct,
        imp: &'a ModelImpl,
        update: &'a Update,
        rules: &'a ElementUpdate,
        map: &HashMap<String, TokenStream>,
    ) -> Self {
        let states: Vec<Ident> = model.states().map(|(f, _)| f.ident.clone()).collect();
        let container = model
            .states()
            .next()
            .is_some_and(|(f, _)| is_container(&f.ty));
        let _ = imp;
        let inputs = declared_inputs(model);
        let input_ty = model_input_type(model, map, &inputs);
        let input_ref = model_input_ref_type(model, map, &inputs, &syn::parse_quote!('_));
        let output = rules
            .output
            .as_ref()
            .map(|elem| (container_of(model, map, elem), elem.clone()));
        Population {
            rules,
            fn_ident: &update.func.sig.ident,
            states,
            inputs,
            input_ty,
            input_ref,
            output,
            container,
            element_ty: rules.element_ty.clone(),
        }
    }

    /// `__looptime_step(&mut self, sh, x) -> Output`: the population's step.
    fn step_fn(
        &self,
        lc: &TokenStream,
        model: &ModelStruct,
        imp: &ModelImpl,
        two_passes: bool,
    ) -> TokenStream {
        let scalar: Type = imp
            .odes
            .first()
            .map_or_else(|| syn::parse_quote!(f64), |o| o.scalar.clone());
        let time_binding = odes_read_time(model, imp).then(|| quote!(let __t: f64 = sh.time();));
        let fire = self.fn_ident;
        let old = self.rules.takes_old.then(|| quote!(&__old,));
        let rule_inputs = self.rules.inputs.iter().map(|(n, _)| read_local(n));
        let rules = quote!(__params.#fire(&__sh, #old &mut __new, #(#rule_inputs),*));
        let step = ElementStep {
            written: self.states.clone(),
            read: self.inputs.iter().map(|(n, _)| n.clone()).collect(),
            odes: &imp.odes,
            method: imp.method,
            two_passes,
            rules: Some(rules),
            element: Some(self.element_ty.clone()),
        };
        let bind = bind_fields(model, &self.states);
        let state_columns = self.states.iter().map(|s| state_column(model, s, true));
        let input_names: Vec<&Ident> = self.inputs.iter().map(|(n, _)| n).collect();
        let bind_inputs = bind_inputs(&self.inputs);
        let input_columns = input_names.iter().map(|n| input_column(self.container, n));
        // The output is written where the caller keeps it (`__output`, every element of it), so
        // that a loop that does not keep outputs steps into the same one again (`update_into`).
        let (output_ty, make_output, output_column) = match &self.output {
            Some((ty, _)) => {
                let column = if self.container {
                    quote!(__output.as_mut_slice())
                } else {
                    quote!(::core::slice::from_mut(__output))
                };
                (
                    ty.to_token_stream(),
                    quote!(<#ty as #lc::ZeroState>::zero_state()),
                    column,
                )
            }
            None => (quote!(()), quote!(()), quote!(())),
        };
        // Several inputs arrive lent (`<Name>InputRef`); one, or none, by reference.
        let input_ty = match &self.input_ref {
            Some(lent) => lent.to_token_stream(),
            None => {
                let input_ty = &self.input_ty;
                quote!(&#input_ty)
            }
        };
        let call = driver_call(
            lc,
            model,
            &step,
            nest(state_columns.collect()),
            nest(input_columns.collect()),
            output_column,
        );
        let update_lent = self.input_ref.as_ref().map(|lent| {
            let shared = without_args(lc);
            let input = &self.input_ty;
            let doc = format!(
                "One step with the inputs lent, each read where it is: `update_ref` without first gathering them into a `{}`.",
                input.to_token_stream().to_string().replace(' ', "")
            );
            quote! {
                #[doc = #doc]
                #[inline]
                pub fn update_lent<__A>(&mut self, sh: &#lc::Shared<__A>, x: #lent) -> #output_ty {
                    self.__looptime_step(#shared, x)
                }
            }
        });
        quote! {
            #update_lent

            /// One step of every element: the equations, then the per-element `#[update]`.
            #[doc(hidden)]
            #[inline(always)]
            #[allow(unused_mut, clippy::all)]
            fn __looptime_step(&mut self, sh: &#lc::Shared, x: #input_ty) -> #output_ty {
                let mut __output = #make_output;
                self.__looptime_step_into(sh, x, &mut __output);
                __output
            }

            /// [`__looptime_step`](Self::__looptime_step), its output written into `__output`.
            #[doc(hidden)]
            #[inline(always)]
            #[allow(unused_variables, clippy::all)]
            fn __looptime_step_into(&mut self, sh: &#lc::Shared, x: #input_ty, __output: &mut #output_ty) {
                let __dt = <#scalar as #lc::Real>::of(sh.dt);
                #time_binding
                let __sh: #lc::Shared = *sh;
                #bind_inputs
                #bind
                #call;
            }
        }
    }

    /// `impl DynamicalSystem` through the population step, for any shared args.
    fn system_impl(
        &self,
        lc: &TokenStream,
        model: &ModelStruct,
        imp: &ModelImpl,
        update: &Update,
    ) -> TokenStream {
        let mut impl_generics = imp.item.generics.clone();
        impl_generics.params.push(syn::parse_quote!(__A));
        let (impl_generics, _, where_clause) = impl_generics.split_for_impl();
        let self_ty = &imp.item.self_ty;
        let args_ty: Type = syn::parse_quote!(__A);
        let input_ty = &self.input_ty;
        let output_ty = match &self.output {
            Some((ty, _)) => ty.to_token_stream(),
            None => quote!(()),
        };
        let needs_t = update.needs_t || odes_read_time(model, imp);
        let common = common_system_items(lc, model, &args_ty, needs_t, update.needs_i);
        let shared = without_args(lc);
        // Several inputs: the step takes them lent.
        let lend = self
            .input_ref
            .as_ref()
            .map(|_| quote!(::core::convert::From::from));
        quote! {
            impl #impl_generics #lc::DynamicalSystem<#args_ty> for #self_ty #where_clause {
                type Input = #input_ty;
                type Output = #output_ty;

                #[inline]
                fn update(&mut self, sh: &#lc::Shared<#args_ty>, x: Self::Input) -> Self::Output {
                    self.__looptime_step(#shared, #lend(&x))
                }

                #[inline]
                fn update_ref(&mut self, sh: &#lc::Shared<#args_ty>, x: &Self::Input) -> Self::Output
                where
                    Self::Input: ::core::clone::Clone,
                {
                    self.__looptime_step(#shared, #lend(x))
                }

                #[inline]
                fn update_into(&mut self, sh: &#lc::Shared<#args_ty>, x: &Self::Input, out: &mut Self::Output)
                where
                    Self::Input: ::core::clone::Clone,
                {
                    self.__looptime_step_into(#shared, #lend(x), out)
                }

                #common
            }
        }
    }
}

/// The `DynamicalSystem` items both forms share: reset, needs, states, statelessness.
fn common_system_items(
    lc: &TokenStream,
    model: &ModelStruct,
    args_ty: &Type,
    needs_t: bool,
    needs_i: bool,
) -> TokenStream {
    let children: Vec<&Ident> = model.children().map(|(f, _)| &f.ident).collect();
    quote! {
        fn reset_state(&mut self) {
            #lc::States::reset_states(self)
        }

        fn needs(&self) -> #lc::Needs {
            #lc::Needs { t: #needs_t, i: #needs_i }
                #(.union(#lc::DynamicalSystem::<#args_ty>::needs(&self.#children)))*
        }

        fn visit_states(&self, visitor: &mut dyn #lc::StateVisitor) {
            #lc::States::visit_states(self, visitor)
        }

        fn is_stateless(&self) -> bool {
            <Self as #lc::States>::STATE_NAMES.is_empty()
                #(&& #lc::DynamicalSystem::<#args_ty>::is_stateless(&self.#children))*
        }
    }
}

/// `impl DynamicalSystem for …`, delegating to the `#[update]` function, `States` and the
/// children. An update written for plain `&Shared` (no args) steps under any shared args: it
/// sees them as `&Shared` (`Shared<()>`), so it can hand `sh` on to a helper that takes `&Shared`.
fn system_impl(
    lc: &TokenStream,
    krate: &syn::Path,
    model: &ModelStruct,
    imp: &mut ModelImpl,
    update: &Update,
) -> TokenStream {
    let fn_ident = update.func.sig.ident.clone();
    let mut args_ty: Type = syn::parse_quote!(__A);
    let mut impl_generics = imp.item.generics.clone();
    // The shared values as the user's function takes them.
    let mut shared = quote!(sh);

    // Find the user's function in the impl to see which shared args it takes.
    for item in &mut imp.item.items {
        let ImplItem::Fn(f) = item else { continue };
        if f.sig.ident != fn_ident {
            continue;
        }
        let Some(FnArg::Typed(pt)) = f.sig.inputs.iter_mut().nth(1) else {
            continue;
        };
        match shared_arg_type(&pt.ty) {
            Some(None) => {
                impl_generics.params.push(syn::parse_quote!(__A));
                shared = without_args(lc);
            }
            Some(Some(arg)) => {
                let arg = arg.clone();
                let fn_param = f
                    .sig
                    .generics
                    .type_params()
                    .find(|p| matches!(&arg, Type::Path(tp) if tp.path.is_ident(&p.ident)));
                if let Some(p) = fn_param {
                    let mut p = p.clone();
                    p.default = None;
                    impl_generics.params.push(syn::GenericParam::Type(p));
                }
                args_ty = arg;
            }
            None => {}
        }
    }

    let update_all = imp.update_all.as_ref().map(|f| {
        let all_ident = &f.sig.ident;
        let plain = matches!(f.sig.inputs.iter().nth(1), Some(FnArg::Typed(pt)) if matches!(shared_arg_type(&pt.ty), Some(None)));
        let shared = if plain { without_args(lc) } else { quote!(sh) };
        quote! {
            fn update_all(
                &mut self,
                sh: &#lc::Shared<#args_ty>,
                xs: &[Self::Input],
                out: &mut #krate::__private::Vec<Self::Output>,
            ) where
                Self::Input: ::core::clone::Clone,
            {
                Self::#all_ident(self, #shared, xs, out)
            }
        }
    });

    let sig = &update.func.sig;
    let written_input: Type = match sig.inputs.iter().nth(2) {
        Some(FnArg::Typed(pt)) => (*pt.ty).clone(),
        _ => syn::parse_quote!(()),
    };
    // An update that takes `&X` has input type `X`: `update` lends it its input, and
    // `update_ref` (a loop over stored inputs) passes the stored one without a copy.
    let (input_ty, by_ref) = match &written_input {
        Type::Reference(r) if r.mutability.is_none() => ((*r.elem).clone(), true),
        other => (other.clone(), false),
    };
    let call = if sig.inputs.len() != 3 {
        quote!({
            let () = x;
            Self::#fn_ident(this, #shared)
        })
    } else {
        quote!(Self::#fn_ident(this, #shared, x))
    };
    // An input taken by reference is lent to the vectorized step, not moved into it: a move
    // is a copy of the input (20 KB for a batch of 128 samples of 20 units in f64).
    let lent = by_ref.then(|| quote!(&));
    // The step compiled for each vector instruction set, chosen at run time.
    let call = quote!(#lc::simd::vectorized(
        self,
        #lent x,
        #[inline(always)]
        move |this: &mut Self, x| #call,
    ));
    // An input taken by reference: the stored input lent (`update_ref`), and the output written
    // where it is kept (`update_into`).
    let lending = by_ref.then(|| {
        quote! {
            #[inline]
            fn update_ref(&mut self, sh: &#lc::Shared<#args_ty>, x: &Self::Input) -> Self::Output
            where
                Self::Input: ::core::clone::Clone,
            {
                #lc::simd::vectorized(
                    self,
                    x,
                    #[inline(always)]
                    move |this: &mut Self, x| Self::#fn_ident(this, #shared, x),
                )
            }

            // The output written where it is kept, from inside the vectorized step: returned
            // out of it and then assigned, a large output was copied twice.
            #[inline]
            fn update_into(&mut self, sh: &#lc::Shared<#args_ty>, x: &Self::Input, out: &mut Self::Output)
            where
                Self::Input: ::core::clone::Clone,
            {
                #lc::simd::vectorized(
                    self,
                    (x, out),
                    #[inline(always)]
                    move |this: &mut Self, (x, out)| *out = Self::#fn_ident(this, #shared, x),
                )
            }
        }
    });
    let output_ty: Type = match &sig.output {
        ReturnType::Type(_, t) => (**t).clone(),
        ReturnType::Default => syn::parse_quote!(()),
    };
    let common = common_system_items(lc, model, &args_ty, update.needs_t, update.needs_i);
    let (impl_generics, _, where_clause) = impl_generics.split_for_impl();
    let self_ty = &imp.item.self_ty;
    quote! {
        impl #impl_generics #lc::DynamicalSystem<#args_ty> for #self_ty #where_clause {
            type Input = #input_ty;
            type Output = #output_ty;

            #[inline]
            fn update(&mut self, sh: &#lc::Shared<#args_ty>, x: Self::Input) -> Self::Output {
                #call
            }

            #lending

            #common

            #update_all
        }
    }
}

/// `&Shared` without the args, from `sh: &Shared<A>` in scope.
fn without_args(lc: &TokenStream) -> TokenStream {
    quote!(&#lc::Shared { t: sh.t, i: sh.i, dt: sh.dt, fit: sh.fit, args: () })
}
