//! Expand a model struct: the struct itself, its parameters held apart from its states (a
//! `<Name>Params` field, see `expand_params`), the type of one element's states
//! (`<Name>Element`), its constructors and validating builder, `States` (reset, snapshot,
//! introspection by path), monitor probes and `Debug`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Ident};

use super::ast::{ModelStruct, Role};
use super::expand_params::{self, marker_field, new_checks_at_run_time};
use super::generics::mentioned_type_params;
use super::shape::with_element;

/// Everything generated for the struct (the struct included).
pub fn expand(model: &ModelStruct) -> TokenStream {
    let item = model_struct(model);
    let params = expand_params::expand(model);
    let element = element_struct(model);
    let inputs = input_struct(model);
    let constructors = constructors(model);
    let builder = builder(model);
    let states = states_impl(model);
    let probes = probes(model);
    let debug = debug_impl(model);
    quote! {
        #item
        #params
        #element
        #inputs
        #constructors
        #builder
        #states
        #probes
        #debug
    }
}

/// The user's struct with its parameters replaced by one private field, `params`, of the
/// generated parameters type.
fn model_struct(model: &ModelStruct) -> syn::ItemStruct {
    let mut item = model.item.clone();
    let params = model.params_name();
    let (_, ty_generics, _) = model.item.generics.split_for_impl();
    if let syn::Fields::Named(named) = &mut item.fields {
        let kept: Vec<syn::Field> = named
            .named
            .iter()
            .filter(|f| {
                !model
                    .params()
                    .any(|(p, _)| f.ident.as_ref() == Some(&p.ident))
            })
            .cloned()
            .collect();
        let params_field: syn::Field = syn::parse_quote! {
            /// The parameters, apart from the states (read them as fields of the model).
            params: #params #ty_generics
        };
        named.named = core::iter::once(params_field).chain(kept).collect();
    }
    item
}

/// `<Name>Element`: one element's states, when the model is a population of elements (see
/// `ModelStruct::elements`). Generic over the model's type parameters that the elements use.
fn element_struct(model: &ModelStruct) -> TokenStream {
    let Ok(elements) = model.elements() else {
        return TokenStream::new();
    };
    let name = model.name();
    let element = model.element_name();
    let vis = &model.item.vis;
    let types: Vec<&syn::Type> = elements.iter().map(|(_, t)| t).collect();
    let generics = mentioned_type_params(&model.item.generics, &types);
    let fields = elements.iter().map(|(f, elem)| {
        let docs = model
            .source_field(&f.ident)
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"));
        let ident = &f.ident;
        quote!(#(#docs)* pub #ident: #elem)
    });
    let doc = format!(
        "The states of one element of a [`{name}`] (one value of each state): what a per-element `#[update]` reads and writes."
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug, Default, PartialEq)]
        #[allow(dead_code)]
        #vis struct #element <#(#generics),*> {
            #(#fields,)*
        }
    }
}

/// The type of a population's values of one element of type `elem`: the first state's container
/// with that element, or the element itself for a model of scalars.
pub fn container_of(model: &ModelStruct, elem: &syn::Type) -> syn::Type {
    match model.states().next() {
        Some((f, _)) => with_element(&f.ty, elem),
        None => elem.clone(),
    }
}

/// The model's generics kept for a type whose fields are `types`: every const parameter, and
/// the type parameters they mention (with their bounds).
pub fn generics_for(model: &ModelStruct, types: &[&syn::Type]) -> syn::Generics {
    let mentioned = mentioned_type_params(&model.item.generics, types);
    let mut generics = model.item.generics.clone();
    generics.params = generics
        .params
        .into_iter()
        .filter(|p| match p {
            syn::GenericParam::Type(t) => mentioned.contains(&t.ident),
            syn::GenericParam::Const(_) => true,
            syn::GenericParam::Lifetime(_) => false,
        })
        .collect();
    generics.where_clause = None;
    generics
}

/// `<Name>Input`: several declared inputs by name, the model's input (so that two inputs cannot
/// be swapped).
fn input_struct(model: &ModelStruct) -> TokenStream {
    let Some(inputs) = model.inputs.as_ref().filter(|i| i.len() >= 2) else {
        return TokenStream::new();
    };
    let lc = loop_core(model);
    let name = model.name();
    let input = model.input_name();
    let vis = &model.item.vis;
    let names: Vec<&Ident> = inputs.iter().map(|i| &i.name).collect();
    let types: Vec<syn::Type> = inputs
        .iter()
        .map(|i| {
            let elem = model
                .input_element(i)
                .unwrap_or_else(|| syn::parse_quote!(f64));
            container_of(model, &elem)
        })
        .collect();
    let type_refs: Vec<&syn::Type> = types.iter().collect();
    let generics = generics_for(model, &type_refs);
    let (impl_generics, ty_generics, _) = generics.split_for_impl();
    let doc = format!(
        "The inputs of a [`{name}`] at one step, by name (its equations and rules read them by name; a struct, so that two inputs cannot be swapped)."
    );
    let field_docs: Vec<String> = names
        .iter()
        .map(|n| format!("Input `{n}`, one value per element."))
        .collect();
    let input_ref = model.input_ref_name();
    let ref_doc = format!(
        "The inputs of a [`{name}`] at one step, lent by name: what its `update_lent` (a per-element step) and `integrate` take, so that a step reads each input where it is, with no copy into a [`{input}`] (which lends itself: `From<&{input}>`)."
    );
    let lend_doc = format!("The fields of a [`{input}`], lent.");
    let mut ref_generics = generics.clone();
    ref_generics.params.insert(0, syn::parse_quote!('a));
    let (ref_impl_generics, ref_ty_generics, _) = ref_generics.split_for_impl();
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq)]
        #[allow(dead_code)]
        #vis struct #input #generics {
            #(#[doc = #field_docs] pub #names: #types,)*
        }

        impl #impl_generics #lc::ZeroInput for #input #ty_generics
        where
            #(#types: #lc::ZeroInput,)*
        {
            fn zero_input() -> Self {
                Self { #(#names: <#types as #lc::ZeroInput>::zero_input(),)* }
            }
        }

        #[doc = #ref_doc]
        #[derive(Clone, Copy, Debug)]
        #[allow(dead_code)]
        #vis struct #input_ref #ref_generics {
            #(#[doc = #field_docs] pub #names: &'a #types,)*
        }

        #[doc = #lend_doc]
        impl #ref_impl_generics ::core::convert::From<&'a #input #ty_generics>
            for #input_ref #ref_ty_generics
        {
            #[inline(always)]
            fn from(x: &'a #input #ty_generics) -> Self {
                Self { #(#names: &x.#names,)* }
            }
        }
    }
}

pub fn loop_core(model: &ModelStruct) -> TokenStream {
    let krate = &model.krate;
    quote!(#krate::__private::loop_core)
}

/// A default or init as a value of the field's type: number literals go through `Lit`, anything
/// else through `InitFrom` (an element broadcast, or a value of the type itself).
pub fn init_value(lc: &TokenStream, ty: &syn::Type, expr: &Expr) -> TokenStream {
    let span = expr.span();
    if is_number_literal(expr) {
        quote_spanned!(span=> <#ty as #lc::InitFrom<#lc::Lit>>::init_from(#lc::Lit::new(#expr)))
    } else {
        quote_spanned!(span=> <#ty as #lc::InitFrom<_>>::init_from(#expr))
    }
}

pub fn is_number_literal(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(l) => matches!(l.lit, syn::Lit::Float(_) | syn::Lit::Int(_)),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => is_number_literal(&u.expr),
        Expr::Paren(p) => is_number_literal(&p.expr),
        Expr::Group(g) => is_number_literal(&g.expr),
        _ => false,
    }
}

/// `let v: Ty = <init>;` for every state, in order (so a state's init can read those above it).
fn state_inits(model: &ModelStruct) -> Vec<TokenStream> {
    let lc = loop_core(model);
    model
        .states()
        .map(|(f, s)| {
            let (ident, ty) = (&f.ident, &f.ty);
            let value = match &s.init {
                Some(init) => init_value(&lc, ty, init),
                None => quote!(<#ty as #lc::ZeroState>::zero_state()),
            };
            quote!(let #ident: #ty = #value;)
        })
        .collect()
}

/// `let tau: f64 = params.tau;` for every parameter, so that inits read them by name.
fn param_bindings(model: &ModelStruct, from: TokenStream) -> Vec<TokenStream> {
    model
        .params()
        .map(|(f, _)| {
            let (ident, ty) = (&f.ident, &f.ty);
            quote!(let #ident: #ty = ::core::clone::Clone::clone(&#from.#ident);)
        })
        .collect()
}

fn constructors(model: &ModelStruct) -> TokenStream {
    let lc = loop_core(model);
    let name = model.name();
    let params = model.params_name();
    let (impl_generics, ty_generics, where_clause) = model.item.generics.split_for_impl();
    let bindings = param_bindings(model, quote!(params));
    let state_inits = state_inits(model);
    let child_inits = model.children().map(|(f, c)| {
        let (ident, ty) = (&f.ident, &f.ty);
        match &c.init {
            Some(init) => quote_spanned!(init.span()=> let #ident: #ty = #init;),
            None => quote!(let #ident: #ty = <#ty as ::core::default::Default>::default();),
        }
    });
    let field_values = model.fields.iter().filter_map(|f| {
        let ident = &f.ident;
        match f.role {
            Role::Plain => Some(quote!(#ident: ::core::default::Default::default())),
            Role::Param(_) => None,
            _ => Some(quote!(#ident)),
        }
    });
    let state_idents: Vec<&Ident> = model.states().map(|(f, _)| &f.ident).collect();
    let state_types: Vec<&syn::Type> = model.states().map(|(f, _)| &f.ty).collect();
    let all_defaulted = model.params().all(|(_, p)| p.default.is_some());
    let new_fn = all_defaulted.then(|| {
        let checked = new_checks_at_run_time(model);
        let doc = format!(
            "A `{name}` with every parameter at its default and every state at its initial value."
        );
        let panics = checked.then(|| {
            quote! {
                #[doc = ""]
                #[doc = "# Panics"]
                #[doc = "When a default that is not a literal breaks its own `check` (literal defaults are checked when compiling)."]
            }
        });
        let body = if checked {
            quote! {
                match Self::from_params(::core::default::Default::default()) {
                    ::core::result::Result::Ok(model) => model,
                    ::core::result::Result::Err(error) => ::core::panic!("{}", error),
                }
            }
        } else {
            quote!(Self::__looptime_with(::core::default::Default::default()))
        };
        quote! {
            #[doc = #doc]
            #panics
            #[must_use]
            pub fn new() -> Self {
                #body
            }
        }
    });
    let builder = format_ident!("{}Builder", name);
    let builder_fields = model.params().map(|(f, _)| {
        let ident = &f.ident;
        quote!(#ident: ::core::option::Option::None)
    });
    let default_impl = all_defaulted.then(|| {
        quote! {
            impl #impl_generics ::core::default::Default for #name #ty_generics #where_clause {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        #[allow(dead_code)]
        impl #impl_generics #name #ty_generics #where_clause {
            #[doc(hidden)]
            #[allow(unused_variables, clippy::redundant_clone)]
            fn __looptime_with(params: #params #ty_generics) -> Self {
                #(#bindings)*
                #(#state_inits)*
                #(#child_inits)*
                Self { params, #(#field_values),* }
            }

            #new_fn

            /// The parameters and every state, borrowed apart (what a generated step works on,
            /// from any module).
            #[doc(hidden)]
            #[inline(always)]
            pub fn __looptime_split(&mut self) -> (&#params #ty_generics, #(&mut #state_types,)*) {
                (&self.params, #(&mut self.#state_idents,)*)
            }

            /// Puts every state back to its initial value (computed from the current
            /// parameters), children included.
            pub fn reset_state(&mut self) {
                #lc::States::reset_states(self)
            }

            /// A builder that sets parameters by name and checks them in `build()`.
            #[must_use]
            pub fn builder() -> #builder #ty_generics {
                #builder {
                    #(#builder_fields,)*
                    __model: ::core::marker::PhantomData,
                }
            }
        }

        #default_impl
    }
}

fn builder(model: &ModelStruct) -> TokenStream {
    let lc = loop_core(model);
    let name = model.name();
    let name_str = name.to_string();
    let vis = &model.item.vis;
    let builder = format_ident!("{}Builder", name);
    let generics = &model.item.generics;
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let fields = model.params().map(|(f, _)| {
        let (ident, ty) = (&f.ident, &f.ty);
        quote!(#ident: ::core::option::Option<#ty>)
    });
    let setters = model.params().map(|(f, p)| {
        let (ident, ty) = (&f.ident, &f.ty);
        let doc = match &p.default {
            Some(d) => format!(
                "Sets `{ident}` (default: `{}`).",
                quote!(#d).to_string().replace(' ', "")
            ),
            None => format!("Sets `{ident}` (required: it has no default)."),
        };
        quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #ident(mut self, value: #ty) -> Self {
                self.#ident = ::core::option::Option::Some(value);
                self
            }
        }
    });
    let takes = model.params().map(|(f, p)| {
        let (ident, ty) = (&f.ident, &f.ty);
        let ident_str = ident.to_string();
        let otherwise = match &p.default {
            Some(d) => init_value(&lc, ty, d),
            None => quote! {
                return ::core::result::Result::Err(#lc::ParamError::Missing {
                    model: #name_str,
                    param: #ident_str,
                })
            },
        };
        quote! {
            let #ident: #ty = match self.#ident {
                ::core::option::Option::Some(value) => value,
                ::core::option::Option::None => #otherwise,
            };
        }
    });
    let param_names = model.params().map(|(f, _)| &f.ident);
    let params = model.params_name();
    let marker = marker_field(model).map(|(ident, _)| quote!(#ident: ::core::marker::PhantomData,));
    let doc = format!("Builds a [`{name}`] parameter by parameter; `build()` checks them.");
    quote! {
        #[doc = #doc]
        #[allow(dead_code)]
        #vis struct #builder #generics #where_clause {
            #(#fields,)*
            __model: ::core::marker::PhantomData<fn() -> #name #ty_generics>,
        }

        #[allow(dead_code)]
        impl #impl_generics #builder #ty_generics #where_clause {
            #(#setters)*

            /// The model, or the first parameter that breaks its `check` rule or was not set.
            pub fn build(self) -> ::core::result::Result<#name #ty_generics, #lc::ParamError> {
                #(#takes)*
                #name::from_params(#params { #(#param_names,)* #marker })
            }
        }
    }
}

fn states_impl(model: &ModelStruct) -> TokenStream {
    let lc = loop_core(model);
    let name = model.name();
    let vis = &model.item.vis;
    let snapshot = format_ident!("{}Snapshot", name);
    let generics = &model.item.generics;
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let states: Vec<(&Ident, &syn::Type)> =
        model.states().map(|(f, _)| (&f.ident, &f.ty)).collect();
    let children: Vec<(&Ident, &syn::Type)> =
        model.children().map(|(f, _)| (&f.ident, &f.ty)).collect();
    let state_idents: Vec<&Ident> = states.iter().map(|(i, _)| *i).collect();
    let state_types: Vec<&syn::Type> = states.iter().map(|(_, t)| *t).collect();
    let state_strs: Vec<String> = state_idents.iter().map(|i| i.to_string()).collect();
    let child_idents: Vec<&Ident> = children.iter().map(|(i, _)| *i).collect();
    let child_types: Vec<&syn::Type> = children.iter().map(|(_, t)| *t).collect();
    let child_strs: Vec<String> = child_idents.iter().map(|i| i.to_string()).collect();
    let param_rebinds = param_bindings(model, quote!(self.params));
    let state_inits = state_inits(model);
    let snapshot_doc = format!(
        "A copy of every state of a [`{name}`], its children's included (see `States::snapshot`)."
    );
    let state_field_docs = state_strs.iter().map(|s| format!("State `{s}`."));
    let child_field_docs = child_strs.iter().map(|s| format!("States of child `{s}`."));
    quote! {
        #[doc = #snapshot_doc]
        #[derive(Clone, Debug, PartialEq)]
        #[allow(dead_code)]
        #vis struct #snapshot #generics #where_clause {
            #(#[doc = #state_field_docs] pub #state_idents: #state_types,)*
            #(#[doc = #child_field_docs] pub #child_idents: <#child_types as #lc::States>::Snapshot,)*
            #[doc(hidden)]
            pub __model: ::core::marker::PhantomData<fn() -> #name #ty_generics>,
        }

        // Not listed among "the following other types implement trait `States`" when a struct
        // lacks the attribute: the message says what to do, and the list would grow with every
        // model in scope (the facade's own neurons and layers included).
        #[diagnostic::do_not_recommend]
        impl #impl_generics #lc::States for #name #ty_generics #where_clause {
            type Snapshot = #snapshot #ty_generics;
            const STATE_NAMES: &'static [&'static str] = &[#(#state_strs),*];
            const CHILD_NAMES: &'static [&'static str] = &[#(#child_strs),*];

            #[allow(unused_variables, clippy::redundant_clone)]
            fn reset_states(&mut self) {
                #(#param_rebinds)*
                #(#state_inits)*
                #(self.#state_idents = #state_idents;)*
                #(#lc::States::reset_states(&mut self.#child_idents);)*
            }

            fn visit_states(&self, visitor: &mut dyn #lc::StateVisitor) {
                #(#lc::VisitState::visit_state(&self.#state_idents, #state_strs, visitor);)*
                #(
                    visitor.enter(#child_strs);
                    #lc::States::visit_states(&self.#child_idents, visitor);
                    visitor.leave();
                )*
            }

            fn snapshot(&self) -> Self::Snapshot {
                #snapshot {
                    #(#state_idents: ::core::clone::Clone::clone(&self.#state_idents),)*
                    #(#child_idents: #lc::States::snapshot(&self.#child_idents),)*
                    __model: ::core::marker::PhantomData,
                }
            }

            #[inline]
            fn snapshot_into(&self, into: &mut Self::Snapshot) {
                #(::core::clone::Clone::clone_from(&mut into.#state_idents, &self.#state_idents);)*
                #(#lc::States::snapshot_into(&self.#child_idents, &mut into.#child_idents);)*
            }

            fn restore(&mut self, snapshot: &Self::Snapshot) {
                #(self.#state_idents = ::core::clone::Clone::clone(&snapshot.#state_idents);)*
                #(#lc::States::restore(&mut self.#child_idents, &snapshot.#child_idents);)*
            }
        }
    }
}

fn probes(model: &ModelStruct) -> TokenStream {
    let lc = loop_core(model);
    let name = model.name();
    let (impl_generics, ty_generics, where_clause) = model.item.generics.split_for_impl();
    let fns = model.states().map(|(f, _)| {
        let (ident, ty) = (&f.ident, &f.ty);
        let ident_str = ident.to_string();
        let probe = format_ident!("probe_{}", ident);
        let doc = format!("A monitor of state `{ident}`, named `\"{ident}\"`, for `LoopOverTime::select`.");
        quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #probe() -> #lc::Probe<fn(&Self) -> #ty> {
                #lc::Probe::new(#ident_str, |model: &Self| ::core::clone::Clone::clone(&model.#ident))
            }
        }
    });
    quote! {
        #[allow(dead_code)]
        impl #impl_generics #name #ty_generics #where_clause {
            #(#fns)*
        }
    }
}

fn debug_impl(model: &ModelStruct) -> TokenStream {
    let name = model.name();
    let name_str = name.to_string();
    let (impl_generics, ty_generics, where_clause) = model.item.generics.split_for_impl();
    let shown = model
        .fields
        .iter()
        .filter(|f| !matches!(f.role, Role::Plain));
    let fields = shown.map(|f| {
        let ident = &f.ident;
        let s = ident.to_string();
        match f.role {
            Role::Param(_) => quote!(.field(#s, &self.params.#ident)),
            _ => quote!(.field(#s, &self.#ident)),
        }
    });
    let finish = if model.fields.iter().any(|f| matches!(f.role, Role::Plain)) {
        quote!(finish_non_exhaustive)
    } else {
        quote!(finish)
    };
    quote! {
        impl #impl_generics ::core::fmt::Debug for #name #ty_generics #where_clause {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#name_str) #(#fields)* .#finish()
            }
        }
    }
}
