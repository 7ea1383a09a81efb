//! Expand a model's parameters: the generated `<Name>Params` type (plain data, `Clone`/`Copy`
//! when its fields are, `Debug`, `PartialEq`, `Default` from the defaults, `Params` by name with
//! the `check` rules), and on the model the checked ways to reach it: `params()`, `set_params`,
//! `update_params`, `from_params`, `Deref` to the parameters for reading, and `Params` by name.
//! A literal default that breaks its own `check` is a compile error at the default.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Ident, Type};

use super::ast::ModelStruct;
use super::expand_struct::{init_value, is_number_literal, loop_core};
use super::generics::mentioned_type_params;
use super::shape::element_of;
use super::validate::{CHECK_RULES, is_numeric};

/// The parameters type and everything on the model that reaches it.
pub fn expand(model: &ModelStruct) -> TokenStream {
    let params_struct = params_struct(model);
    let params_traits = params_traits(model);
    let params_by_name = params_by_name(model);
    let access = access(model);
    let literal_checks = literal_default_checks(model);
    let trainable = trainable(model);
    quote! {
        #params_struct
        #params_traits
        #params_by_name
        #access
        #literal_checks
        #trainable
    }
}

/// The hidden marker field of the parameters type, for the model's type parameters that no
/// parameter mentions (`None` when every one is mentioned).
pub fn marker_field(model: &ModelStruct) -> Option<(Ident, TokenStream)> {
    let types: Vec<&Type> = model.params().map(|(f, _)| &f.ty).collect();
    let used = mentioned_type_params(&model.item.generics, &types);
    let unused: Vec<&Ident> = model
        .item
        .generics
        .type_params()
        .map(|p| &p.ident)
        .filter(|p| !used.contains(p))
        .collect();
    (!unused.is_empty()).then(|| {
        (
            syn::parse_quote!(__model),
            quote!(::core::marker::PhantomData<fn() -> (#(#unused,)*)>),
        )
    })
}

fn params_struct(model: &ModelStruct) -> TokenStream {
    let name = model.name();
    let params = model.params_name();
    let vis = &model.item.vis;
    let generics = &model.item.generics;
    let where_clause = &generics.where_clause;
    let fields = model.params().map(|(f, _)| {
        let source = model.source_field(&f.ident);
        let attrs = &source.attrs;
        let (field_vis, ident, ty) = (&source.vis, &f.ident, &f.ty);
        quote!(#(#attrs)* #field_vis #ident: #ty)
    });
    let marker = marker_field(model).map(|(ident, ty)| quote!(#[doc(hidden)] pub #ident: #ty,));
    let doc = format!(
        "The parameters of a [`{name}`]: plain data, checked when a model takes them ([`{name}::from_params`], [`{name}::set_params`], the builder)."
    );
    quote! {
        #[doc = #doc]
        #[allow(dead_code)]
        #vis struct #params #generics #where_clause {
            #(#fields,)*
            #marker
        }
    }
}

/// Clone, Copy, Debug, PartialEq and Default of the parameters, bounded by their fields' types
/// (not by the model's type parameters, as a derive would be).
fn params_traits(model: &ModelStruct) -> TokenStream {
    let params = model.params_name();
    let name_str = params.to_string();
    let (impl_generics, ty_generics, where_clause) = model.item.generics.split_for_impl();
    let idents: Vec<&Ident> = model.params().map(|(f, _)| &f.ident).collect();
    let strs: Vec<String> = idents.iter().map(|i| i.to_string()).collect();
    let types: Vec<&Type> = model.params().map(|(f, _)| &f.ty).collect();
    let marker = marker_field(model).map(|(ident, _)| ident);
    let marker_value = marker
        .as_ref()
        .map(|m| quote!(#m: ::core::marker::PhantomData,));
    let bounded = |bound: TokenStream| {
        let predicates = where_clause.map(|w| &w.predicates);
        quote!(where #predicates #(#types: #bound,)*)
    };
    let clone_where = bounded(quote!(::core::clone::Clone));
    let copy_where = bounded(quote!(::core::marker::Copy));
    let debug_where = bounded(quote!(::core::fmt::Debug));
    let eq_where = bounded(quote!(::core::cmp::PartialEq));
    let lc = loop_core(model);
    let all_defaulted = model.params().all(|(_, p)| p.default.is_some());
    let default = all_defaulted.then(|| {
        let values = model.params().map(|(f, p)| {
            let (ident, ty) = (&f.ident, &f.ty);
            let value = p.default.as_ref().map(|d| init_value(&lc, ty, d));
            quote!(#ident: #value,)
        });
        quote! {
            /// Every parameter at its default.
            impl #impl_generics ::core::default::Default for #params #ty_generics #where_clause {
                #[allow(unused_variables)]
                fn default() -> Self {
                    Self { #(#values)* #marker_value }
                }
            }
        }
    });
    quote! {
        impl #impl_generics ::core::clone::Clone for #params #ty_generics #clone_where {
            fn clone(&self) -> Self {
                Self {
                    #(#idents: ::core::clone::Clone::clone(&self.#idents),)*
                    #marker_value
                }
            }
        }

        impl #impl_generics ::core::marker::Copy for #params #ty_generics #copy_where {}

        impl #impl_generics ::core::fmt::Debug for #params #ty_generics #debug_where {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#name_str) #(.field(#strs, &self.#idents))* .finish()
            }
        }

        impl #impl_generics ::core::cmp::PartialEq for #params #ty_generics #eq_where {
            #[allow(unused_variables)]
            fn eq(&self, other: &Self) -> bool {
                true #(&& self.#idents == other.#idents)*
            }
        }

        #default
    }
}

/// `Params` (by name, with the check rules) for the parameters type, and for the model through
/// its parameters.
fn params_by_name(model: &ModelStruct) -> TokenStream {
    let lc = loop_core(model);
    let name = model.name();
    let name_str = name.to_string();
    let params = model.params_name();
    let (impl_generics, ty_generics, where_clause) = model.item.generics.split_for_impl();
    let names: Vec<String> = model.params().map(|(f, _)| f.ident.to_string()).collect();
    let known = if names.is_empty() {
        "(none)".to_string()
    } else {
        names.join(", ")
    };
    let check_of = |ident: &Ident, checks: &[Ident]| -> Option<TokenStream> {
        if checks.is_empty() {
            return None;
        }
        let ident_str = ident.to_string();
        let rules = checks.iter().filter_map(|rule| check_variant(&lc, rule));
        Some(quote_spanned! {ident.span()=>
            #lc::check_param(#name_str, #ident_str, &self.#ident, &[#(#rules),*])
        })
    };
    let validations = model
        .params()
        .filter_map(|(f, p)| check_of(&f.ident, &p.checks))
        .map(|check| quote!(#check?;));
    let setters = model.params().map(|(f, p)| {
        let (ident, ty) = (&f.ident, &f.ty);
        let ident_str = ident.to_string();
        if is_numeric(ty, model) {
            let check = check_of(ident, &p.checks).map(|c| {
                quote! {
                    if let ::core::result::Result::Err(error) = #c {
                        self.#ident = old;
                        return ::core::result::Result::Err(error);
                    }
                }
            });
            quote! {
                #ident_str => {
                    #[allow(unused_variables)]
                    let old = ::core::mem::replace(
                        &mut self.#ident,
                        <#ty as #lc::ParamValue>::from_f64(value),
                    );
                    #check
                    ::core::result::Result::Ok(())
                }
            }
        } else {
            quote! {
                #ident_str => ::core::result::Result::Err(#lc::ParamError::NotNumeric {
                    model: #name_str,
                    param: #ident_str,
                }),
            }
        }
    });
    let getters = model
        .params()
        .filter(|(f, _)| is_numeric(&f.ty, model))
        .map(|(f, _)| {
            let (ident, ty) = (&f.ident, &f.ty);
            let ident_str = ident.to_string();
            quote!(#ident_str => ::core::option::Option::Some(<#ty as #lc::ParamValue>::first_f64(&self.#ident)),)
        });
    quote! {
        impl #impl_generics #lc::Params for #params #ty_generics #where_clause {
            const PARAM_NAMES: &'static [&'static str] = &[#(#names),*];

            fn validate(&self) -> ::core::result::Result<(), #lc::ParamError> {
                #(#validations)*
                ::core::result::Result::Ok(())
            }

            #[allow(unreachable_code)]
            fn set_param(&mut self, name: &str, value: f64) -> ::core::result::Result<(), #lc::ParamError> {
                match name {
                    #(#setters)*
                    _ => ::core::result::Result::Err(#lc::unknown_param(#name_str, name, #known)),
                }
            }

            fn param(&self, name: &str) -> ::core::option::Option<f64> {
                match name {
                    #(#getters)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl #impl_generics #lc::Params for #name #ty_generics #where_clause {
            const PARAM_NAMES: &'static [&'static str] = &[#(#names),*];

            fn validate(&self) -> ::core::result::Result<(), #lc::ParamError> {
                #lc::Params::validate(&self.params)
            }

            fn set_param(&mut self, name: &str, value: f64) -> ::core::result::Result<(), #lc::ParamError> {
                #lc::Params::set_param(&mut self.params, name, value)
            }

            fn param(&self, name: &str) -> ::core::option::Option<f64> {
                #lc::Params::param(&self.params, name)
            }
        }
    }
}

/// `loop_core::Check::Positive` for the rule written `positive` (unknown rules are reported by
/// validation).
fn check_variant(lc: &TokenStream, rule: &Ident) -> Option<TokenStream> {
    CHECK_RULES
        .iter()
        .find(|(n, _)| rule == n)
        .map(|(_, variant)| {
            let variant = Ident::new(variant, rule.span());
            quote!(#lc::Check::#variant)
        })
}

/// The model's checked access to its parameters.
fn access(model: &ModelStruct) -> TokenStream {
    let lc = loop_core(model);
    let name = model.name();
    let params = model.params_name();
    let (impl_generics, ty_generics, where_clause) = model.item.generics.split_for_impl();
    quote! {
        #[allow(dead_code)]
        impl #impl_generics #name #ty_generics #where_clause {
            /// The model built from `params`, its states at their initial values, or the first
            /// parameter that breaks its `check` rule.
            pub fn from_params(params: #params #ty_generics) -> ::core::result::Result<Self, #lc::ParamError> {
                #lc::Params::validate(&params)?;
                ::core::result::Result::Ok(Self::__looptime_with(params))
            }

            /// The parameters (each one also reads as a field of the model: `model.tau`).
            #[must_use]
            pub fn params(&self) -> &#params #ty_generics {
                &self.params
            }

            /// Replaces every parameter, after checking them; on error nothing changes. The
            /// states keep their values (`reset_state` starts them again from the new
            /// parameters).
            pub fn set_params(&mut self, params: #params #ty_generics) -> ::core::result::Result<(), #lc::ParamError> {
                #lc::Params::validate(&params)?;
                self.params = params;
                ::core::result::Result::Ok(())
            }

            /// Changes the parameters through `change`, then checks them; on error nothing
            /// changes. Returns what `change` returns.
            pub fn update_params<R>(
                &mut self,
                change: impl ::core::ops::FnOnce(&mut #params #ty_generics) -> R,
            ) -> ::core::result::Result<R, #lc::ParamError> {
                let mut params = ::core::clone::Clone::clone(&self.params);
                let result = change(&mut params);
                #lc::Params::validate(&params)?;
                self.params = params;
                ::core::result::Result::Ok(result)
            }
        }

        /// Reading a parameter through the model (`model.tau`); writing goes through
        /// `set_params`, `update_params` or `set_param`, which check it.
        impl #impl_generics ::core::ops::Deref for #name #ty_generics #where_clause {
            type Target = #params #ty_generics;

            fn deref(&self) -> &Self::Target {
                &self.params
            }
        }
    }
}

/// For each literal default of a checked parameter, a constant that fails to compile, at the
/// default, when the default breaks its own rule.
fn literal_default_checks(model: &ModelStruct) -> TokenStream {
    let lc = loop_core(model);
    let checks = model.params().flat_map(|(f, p)| {
        let lc = &lc;
        let literal = p.default.as_ref().filter(|d| is_number_literal(d));
        literal
            .into_iter()
            .flat_map(move |default| {
                p.checks.iter().filter_map(move |rule| {
                    let variant = check_variant(lc, rule)?;
                    let message = format!(
                        "the default of parameter `{}` breaks its own `check = {rule}`: give a default that passes it",
                        f.ident
                    );
                    Some(literal_check(default, &variant, &message))
                })
            })
            .collect::<Vec<_>>()
    });
    quote!(#(#checks)*)
}

fn literal_check(default: &Expr, variant: &TokenStream, message: &str) -> TokenStream {
    let span = default.span();
    let Some(value) = literal_value(default) else {
        return TokenStream::new();
    };
    let mut value = proc_macro2::Literal::f64_suffixed(value);
    value.set_span(span);
    quote_spanned! {span=>
        const _: () = ::core::assert!(#variant.holds(#value), #message);
    }
}

/// The value of a number literal, perhaps negated or in parentheses.
fn literal_value(expr: &Expr) -> Option<f64> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            syn::Lit::Float(f) => f.base10_parse().ok(),
            syn::Lit::Int(i) => i.base10_parse::<f64>().ok(),
            _ => None,
        },
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => literal_value(&u.expr).map(|x| -x),
        Expr::Paren(p) => literal_value(&p.expr),
        Expr::Group(g) => literal_value(&g.expr),
        _ => None,
    }
}

/// Whether `new()` must check its defaults at run time: a checked parameter whose default is not
/// a literal (literal ones are checked when compiling).
pub fn new_checks_at_run_time(model: &ModelStruct) -> bool {
    model.params().any(|(_, p)| {
        !p.checks.is_empty() && p.default.as_ref().is_some_and(|d| !is_number_literal(d))
    })
}

/// `Trainable` from the `#[param(train)]` fields, in field order: what the optimizers, the
/// gradients and parameter files see. Training writes them without the `check` rules (a
/// diverging run shows as NaN, which the loop's divergence check reports).
fn trainable(model: &ModelStruct) -> TokenStream {
    let trained: Vec<(&Ident, &Type)> = model
        .params()
        .filter(|(_, p)| p.train.is_some())
        .map(|(f, _)| (&f.ident, &f.ty))
        .collect();
    let Some(scalar) = trained.first().and_then(|(_, ty)| element_of(ty)) else {
        return TokenStream::new();
    };
    let lc = loop_core(model);
    let train = quote!(#lc::train);
    let name = model.name();
    let (impl_generics, ty_generics, where_clause) = model.item.generics.split_for_impl();
    let idents: Vec<&Ident> = trained.iter().map(|(i, _)| *i).collect();
    let strs: Vec<String> = idents.iter().map(|i| i.to_string()).collect();
    let types: Vec<&Type> = trained.iter().map(|(_, t)| *t).collect();
    quote! {
        impl #impl_generics #train::Trainable for #name #ty_generics #where_clause {
            type Scalar = #scalar;
            const PARAM_COUNT: usize = 0 #(
                + <#types as #train::TrainableParam<#scalar>>::SHAPE.0
                    * <#types as #train::TrainableParam<#scalar>>::SHAPE.1
            )*;

            fn visit_params(&self, visitor: &mut dyn #train::ParamVisitor<#scalar>) {
                #(visitor.param(
                    #strs,
                    #train::TrainableParam::<#scalar>::values(&self.params.#idents),
                    <#types as #train::TrainableParam<#scalar>>::SHAPE,
                );)*
            }

            fn visit_params_mut(&mut self, visitor: &mut dyn #train::ParamVisitorMut<#scalar>) {
                #(visitor.param(
                    #strs,
                    #train::TrainableParam::<#scalar>::values_mut(&mut self.params.#idents),
                    <#types as #train::TrainableParam<#scalar>>::SHAPE,
                );)*
            }
        }
    }
}
