//! Expand a model's impl: the user's functions, `linearize_<x>` for exponential Euler (derived
//! symbolically), `integrate` (one fused step of every `#[ode]` state, element by element), and the
//! `DynamicalSystem` impl when a function is marked `#[update]`.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{FnArg, GenericArgument, Ident, ImplItem, PathArguments, ReturnType, Type};

use super::ast::{Method, ModelImpl, ModelStruct, Ode, Update};
use super::parse::shared_arg_type;
use crate::symbolic::{self, Scalar};

pub fn expand(model: &ModelStruct, mut imp: ModelImpl) -> TokenStream {
    let krate = imp.krate.clone().unwrap_or_else(|| model.krate.clone());
    let lc = quote!(#krate::__private::loop_core);
    let generic_map = generic_map(model, &imp.item);
    inline_step_functions(&mut imp);

    let mut generated = Vec::new();
    let mut errors = TokenStream::new();
    if !imp.odes.is_empty() {
        if imp.method == Method::ExpEuler {
            for ode in &imp.odes {
                match linearize_fn(&lc, ode) {
                    Ok(f) => generated.push(f),
                    Err(e) => {
                        // Keep `integrate` compiling: one message, not a cascade.
                        generated.push(linearize_stand_in(&lc, ode));
                        errors.extend(e.to_compile_error());
                    }
                }
            }
        }
        generated.push(integrate_fn(&lc, model, &imp, &generic_map));
    }
    let system = imp
        .update
        .take()
        .map(|update| system_impl(&lc, &krate, model, &mut imp, &update));

    let item = &imp.item;
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let self_ty = &item.self_ty;
    quote! {
        #item
        #[allow(dead_code)]
        impl #impl_generics #self_ty #where_clause {
            #(#generated)*
        }
        #system
        #errors
    }
}

/// Marks the `#[update]` and `#[ode]` functions `#[inline(always)]` (unless they say otherwise),
/// so that the whole step is compiled into each instruction-set version of the generated
/// `update` (see `loop_core::simd`) instead of being called from it.
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

/// Struct generic names → the arguments the impl gives them (`Lif<const N>` seen from
/// `impl<const M: usize> Lif<M>` maps N to M), so field types can be written inside the impl.
fn generic_map(model: &ModelStruct, item: &syn::ItemImpl) -> HashMap<String, TokenStream> {
    let mut map = HashMap::new();
    let Type::Path(tp) = &*item.self_ty else {
        return map;
    };
    let Some(PathArguments::AngleBracketed(args)) = tp.path.segments.last().map(|s| &s.arguments)
    else {
        return map;
    };
    let params = model.item.generics.params.iter().filter_map(|p| match p {
        syn::GenericParam::Type(t) => Some(&t.ident),
        syn::GenericParam::Const(c) => Some(&c.ident),
        syn::GenericParam::Lifetime(_) => None,
    });
    let args = args
        .args
        .iter()
        .filter(|a| !matches!(a, GenericArgument::Lifetime(_)));
    for (param, arg) in params.zip(args) {
        let arg = arg.to_token_stream();
        if *param != arg.to_string() {
            map.insert(param.to_string(), arg);
        }
    }
    map
}

/// A struct field type as written inside the impl.
fn in_impl(ty: &Type, map: &HashMap<String, TokenStream>) -> Type {
    struct Rename<'a>(&'a HashMap<String, TokenStream>);
    impl VisitMut for Rename<'_> {
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

/// A matrix or array field (indexed per element) rather than a lone scalar.
fn is_container(ty: &Type) -> bool {
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

/// `ty` with its element type (first generic argument) replaced by `elem`.
fn with_element(ty: &Type, elem: &Type) -> Type {
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

fn linearize_fn(lc: &TokenStream, ode: &Ode) -> syn::Result<TokenStream> {
    let state = &ode.state;
    let name = format_ident!("linearize_{}", state);
    let scalar = &ode.scalar;
    // The user's own `&self`: the body's `self` must share its hygiene.
    let receiver = ode.func.sig.inputs.first();
    let args = ode.args.iter().map(|(i, t)| quote!(#i: #t));
    let doc = format!(
        "`d{state}/dt` and its derivative with respect to `{state}` (exponential Euler's linear part), at the given values."
    );
    let body = match &ode.linear {
        Some(linear) => {
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
            let stmts = &lin.stmts;
            let value = &lin.value;
            let derivative = &lin.derivative;
            quote! {
                #(#stmts)*
                let __value: #scalar = #value;
                let __derivative: #scalar = #derivative;
                (__value, __derivative)
            }
        }
    };
    Ok(quote! {
        #[doc = #doc]
        #[inline(always)]
        #[allow(unused_variables, unused_parens, clippy::all)]
        pub fn #name(#receiver, #(#args),*) -> (#scalar, #scalar) {
            #body
        }
    })
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

/// What an #[ode] argument is.
enum Arg<'a> {
    State(&'a Ident),
    Time(&'a Type),
    Input(&'a Ident),
}

fn classify<'a>(model: &ModelStruct, name: &'a Ident, ty: &'a Type) -> Arg<'a> {
    if model.state(name).is_some() {
        Arg::State(name)
    } else if name == "t" {
        Arg::Time(ty)
    } else {
        Arg::Input(name)
    }
}

fn integrate_fn(
    lc: &TokenStream,
    model: &ModelStruct,
    imp: &ModelImpl,
    map: &HashMap<String, TokenStream>,
) -> TokenStream {
    let odes = &imp.odes;
    let scalar = &odes[0].scalar;
    let first_state = model.state(&odes[0].state).expect("validated");
    let container = is_container(&first_state.ty);
    let state_ty = in_impl(&first_state.ty, map);

    // Inputs in order of first appearance, each typed like the states (or a scalar).
    let mut inputs: Vec<(&Ident, &Type)> = Vec::new();
    let mut uses_time = false;
    let mut read_states: Vec<&Ident> = odes.iter().map(|o| &o.state).collect();
    for ode in odes {
        for (name, ty) in &ode.args {
            match classify(model, name, ty) {
                Arg::State(s) if !read_states.contains(&s) => read_states.push(s),
                Arg::State(_) => {}
                Arg::Time(_) => uses_time = true,
                Arg::Input(i) if !inputs.iter().any(|(n, _)| *n == i) => inputs.push((i, ty)),
                Arg::Input(_) => {}
            }
        }
    }
    let input_params = inputs
        .iter()
        .map(|(name, ty)| {
            if container {
                let same = ty.to_token_stream().to_string() == scalar.to_token_stream().to_string();
                let full = if same {
                    state_ty.clone()
                } else {
                    with_element(&state_ty, ty)
                };
                quote!(#name: &#full)
            } else {
                quote!(#name: #ty)
            }
        })
        .collect::<Vec<_>>();
    let time_param = uses_time.then(|| quote!(t: f64,));
    let at = |field: &Ident, on_self: bool| -> TokenStream {
        let base = if on_self {
            quote!(self.#field)
        } else {
            quote!(#field)
        };
        let is_matrix = model
            .state(field)
            .map_or(container, |f| is_container(&f.ty));
        if is_matrix {
            quote!(#base[__k])
        } else {
            quote!(#base)
        }
    };
    let reads = read_states.iter().map(|s| {
        let value = at(s, true);
        quote!(let #s = #value;)
    });
    let input_reads = inputs.iter().map(|(name, _)| {
        let value = if container {
            quote!(#name[__k])
        } else {
            quote!(#name)
        };
        quote!(let #name = #value;)
    });
    let call_args = |ode: &Ode, time: &TokenStream| -> Vec<TokenStream> {
        ode.args
            .iter()
            .map(|(name, ty)| match classify(model, name, ty) {
                Arg::Time(ty) => quote!(<#ty as #lc::Real>::of(#time)),
                Arg::State(s) => quote!(#s),
                Arg::Input(i) => quote!(#i),
            })
            .collect()
    };

    let states: Vec<&Ident> = odes.iter().map(|o| &o.state).collect();
    // The new value of every state, all computed from the old values (nothing written yet).
    let (compute, values): (TokenStream, Vec<TokenStream>) = match imp.method {
        Method::ExpEuler => {
            let lins = odes.iter().map(|ode| {
                let lin = format_ident!("linearize_{}", ode.state);
                let f = format_ident!("__f_{}", ode.state);
                let a = format_ident!("__a_{}", ode.state);
                let args = call_args(ode, &quote!(t));
                quote!(let (#f, #a) = self.#lin(#(#args),*);)
            });
            let values = odes
                .iter()
                .map(|ode| {
                    let s = &ode.state;
                    let f = format_ident!("__f_{}", s);
                    let a = format_ident!("__a_{}", s);
                    quote!(#lc::integrate::exp_euler_scalar(#s, __dt, #f, #a))
                })
                .collect();
            (quote!(#(#lins)*), values)
        }
        method => {
            let integrator = format_ident!("{}", method.name());
            let scalars = states.iter().map(|_| scalar);
            let calls = odes.iter().map(|ode| {
                let f = &ode.func.sig.ident;
                let args = call_args(ode, &quote!(__t));
                quote!(self.#f(#(#args),*))
            });
            let t0 = if uses_time { quote!(t) } else { quote!(0.0) };
            let values = (0..states.len())
                .map(|k| {
                    let k = syn::Index::from(k);
                    quote!(__next.#k)
                })
                .collect();
            let compute = quote! {
                let __next = #lc::integrate::#integrator(
                    &(#(#states,)*),
                    #t0,
                    __dt,
                    |__s: &(#(#scalars,)*), __t: f64| {
                        let (#(#states,)*) = *__s;
                        (#(#calls,)*)
                    },
                );
            };
            (compute, values)
        }
    };
    let state_list = states
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = format!(
        "One {} step of dt (ms) of every #[ode] state ({state_list}), element by element, all derivatives taken at the old values.",
        imp.method.name()
    );
    let all_matrices = read_states
        .iter()
        .all(|s| model.state(s).is_some_and(|f| is_container(&f.ty)));
    if container && all_matrices {
        // `integrated`: one element's new values from its old values, through `&self` only.
        // `integrate` runs it over a chunk of elements at a time (slices, so no bounds checks),
        // into small local arrays, then copies the chunk in. Reading and writing in separate
        // loops lets the compiler vectorize the first and hoist what depends only on parameters
        // (exprel(dt·A) of a linear equation) out of it; writing in place would make every
        // parameter a possible alias of the states.
        let arg_type = |name: &Ident| -> TokenStream {
            odes.iter()
                .flat_map(|o| &o.args)
                .find(|(n, _)| n == name)
                .map_or_else(|| scalar.to_token_stream(), |(_, t)| t.to_token_stream())
        };
        let scalars: Vec<&Type> = states.iter().map(|_| scalar).collect();
        let news: Vec<Ident> = states
            .iter()
            .map(|s| format_ident!("__new_{}", s))
            .collect();
        let state_params = read_states.iter().map(|s| {
            let ty = arg_type(s);
            quote!(#s: #ty)
        });
        let value_params = inputs.iter().map(|(name, _)| {
            let ty = arg_type(name);
            quote!(#name: #ty)
        });
        let slices: Vec<Ident> = read_states
            .iter()
            .map(|s| format_ident!("__old_{}", s))
            .chain(
                inputs
                    .iter()
                    .map(|(name, _)| format_ident!("__in_{}", name)),
            )
            .collect();
        let sources = read_states
            .iter()
            .map(|s| quote!(self.#s))
            .chain(inputs.iter().map(|(name, _)| quote!(#name)))
            .collect::<Vec<_>>();
        let time_arg = uses_time.then(|| quote!(t,));
        let arg_list = uses_time
            .then(|| "t".to_string())
            .into_iter()
            .chain(std::iter::once("dt".to_string()))
            .chain(read_states.iter().map(|s| s.to_string()))
            .chain(inputs.iter().map(|(name, _)| name.to_string()))
            .collect::<Vec<_>>()
            .join(", ");
        let at_doc = format!(
            "One {} step of one element: `integrated({arg_list})` gives the new values of ({}) from the element's old values, computed through `&self` only (nothing is written). `integrate` runs it over every element; an update can call it to fuse its own per-element rules with the step.",
            imp.method.name(),
            states
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let first = states[0];
        return quote! {
            #[doc = #at_doc]
            #[inline(always)]
            #[allow(unused_variables, clippy::all)]
            pub fn integrated(&self, #time_param __dt: #scalar, #(#state_params,)* #(#value_params),*) -> (#(#scalars,)*) {
                #compute
                (#(#values,)*)
            }

            #[doc = #doc]
            #[inline(always)]
            #[allow(unused_variables, clippy::all)]
            pub fn integrate(&mut self, #time_param dt: f64, #(#input_params),*) {
                // Chunks of 64 elements (fewer for a smaller model; both are constants once the
                // model's size is known). The last chunk is padded with copies of its first
                // element, so that the compute loop always has the same, vector-friendly length.
                const __MAX: usize = 64;
                let __dt = <#scalar as #lc::Real>::of(dt);
                let __zero = <#scalar as #lc::Real>::of(0.0);
                let __len = self.#first.len();
                let __chunk = if __len < __MAX { __len } else { __MAX };
                let mut __start = 0;
                while __start < __len {
                    let __end = if __len - __start < __chunk { __len } else { __start + __chunk };
                    let __n = __end - __start;
                    #(let mut #news = [__zero; __MAX];)*
                    if __n == __chunk {
                        // A whole chunk: read the states and inputs where they are.
                        #(let #slices = &#sources.as_slice()[__start..__end];)*
                        for __j in 0..__chunk {
                            let (#(#states,)*) = self.integrated(#time_arg __dt, #(#slices[__j]),*);
                            #(#news[__j] = #states;)*
                        }
                    } else {
                        // The last, partial chunk: padded with copies of its first element.
                        #(
                            let #slices = {
                                let __from = &#sources.as_slice()[__start..__end];
                                let mut __padded = [__from[0]; __MAX];
                                __padded[..__n].copy_from_slice(__from);
                                __padded
                            };
                        )*
                        for __j in 0..__chunk {
                            let (#(#states,)*) = self.integrated(#time_arg __dt, #(#slices[__j]),*);
                            #(#news[__j] = #states;)*
                        }
                    }
                    #(self.#states.as_mut_slice()[__start..__end].copy_from_slice(&#news[..__n]);)*
                    __start = __end;
                }
            }
        };
    }
    let writes = states.iter().zip(&values).map(|(s, value)| {
        let target = at(s, true);
        quote!(#target = #value;)
    });
    let body = quote! {
        #(#reads)*
        #(#input_reads)*
        #compute
        // Every derivative at the old values first, then every write.
        #(#writes)*
    };
    let looped = if container {
        let first = states[0];
        quote! {
            for __k in 0..self.#first.len() {
                #body
            }
        }
    } else {
        quote!({ #body })
    };
    quote! {
        #[doc = #doc]
        #[inline(always)]
        #[allow(unused_variables, clippy::all)]
        pub fn integrate(&mut self, #time_param dt: f64, #(#input_params),*) {
            let __dt = <#scalar as #lc::Real>::of(dt);
            #looped
        }
    }
}

/// `impl DynamicalSystem for …`, delegating to the `#[update]` function, `States` and the
/// children. An update written for plain `&Shared` becomes generic over the shared args.
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

    // Find the user's function in the impl to make it generic when it takes plain `&Shared`.
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
                with_args_param(&mut pt.ty);
                f.sig.generics.params.push(syn::parse_quote!(__A));
                impl_generics.params.push(syn::parse_quote!(__A));
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

    let update_all = imp.update_all.as_ref().map(|f| f.sig.ident.clone());
    if let Some(all_ident) = &update_all {
        // Plain `&Shared` becomes `&Shared<__A>` with a generic of the function's own.
        for item in &mut imp.item.items {
            let ImplItem::Fn(f) = item else { continue };
            if f.sig.ident != *all_ident {
                continue;
            }
            if let Some(FnArg::Typed(pt)) = f.sig.inputs.iter_mut().nth(1)
                && let Some(None) = shared_arg_type(&pt.ty)
            {
                with_args_param(&mut pt.ty);
                f.sig.generics.params.push(syn::parse_quote!(__A));
            }
        }
    }
    let update_all = update_all.map(|all_ident| {
        quote! {
            fn update_all(
                &mut self,
                sh: &#lc::Shared<#args_ty>,
                xs: &[Self::Input],
                out: &mut #krate::__private::Vec<Self::Output>,
            ) where
                Self::Input: ::core::clone::Clone,
            {
                Self::#all_ident(self, sh, xs, out)
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
            Self::#fn_ident(this, sh)
        })
    } else if by_ref {
        quote!(Self::#fn_ident(this, sh, &x))
    } else {
        quote!(Self::#fn_ident(this, sh, x))
    };
    // The step compiled for each vector instruction set, chosen at run time.
    let call = quote!(#lc::simd::vectorized(
        self,
        x,
        #[inline(always)]
        move |this: &mut Self, x| #call,
    ));
    let update_ref = by_ref.then(|| {
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
                    move |this: &mut Self, x| Self::#fn_ident(this, sh, x),
                )
            }
        }
    });
    let output_ty: Type = match &sig.output {
        ReturnType::Type(_, t) => (**t).clone(),
        ReturnType::Default => syn::parse_quote!(()),
    };
    let (needs_t, needs_i) = (update.needs_t, update.needs_i);
    let children: Vec<&Ident> = model.children().map(|(f, _)| &f.ident).collect();
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

            #update_ref

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

            #update_all
        }
    }
}

/// `&Shared` as the user wrote it (their path, so their import stays used), made `&Shared<__A>`.
fn with_args_param(ty: &mut Type) {
    if let Type::Reference(r) = ty
        && let Type::Path(tp) = &mut *r.elem
        && let Some(last) = tp.path.segments.last_mut()
    {
        last.arguments = PathArguments::AngleBracketed(syn::parse_quote!(<__A>));
    }
}
