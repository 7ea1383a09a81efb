//! Symbolic differentiation at compile time: the body of an `#[ode(x)]` function (arithmetic,
//! `let` bindings, and calls of exp, ln, sqrt, powi, powf, tanh, sin, cos, recip, exp_m1 and
//! exprel) is differentiated with respect to `x`, giving `∂f/∂x` for exponential Euler. A call
//! whose arguments do not contain `x` is a constant. What cannot be differentiated is an error
//! that points at the sub-expression and names the ways out.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use syn::visit::Visit;
use syn::{BinOp, Block, Expr, Ident, Pat, Stmt, Type, UnOp};

/// A derivative, kept symbolic so that zeros and ones simplify away.
#[derive(Clone)]
enum D {
    Zero,
    One,
    Expr(TokenStream),
}

/// What exponential Euler needs of one equation.
pub struct Linearized {
    /// The body's statements, each `let y = …` followed by `let __d_y = ∂y/∂x` where needed.
    pub stmts: Vec<TokenStream>,
    /// The value of the equation (the body's final expression).
    pub value: TokenStream,
    /// `∂f/∂x`.
    pub derivative: TokenStream,
}

/// How generated code names the scalar and the helpers it calls.
pub struct Scalar<'a> {
    /// The equation's scalar type (`f64`, `T`).
    pub ty: &'a Type,
    /// Path of `loop_core::Real`.
    pub real: TokenStream,
    /// Path of `loop_core::math::exprel_prime`.
    pub exprel_prime: TokenStream,
}

impl Scalar<'_> {
    fn of(&self, x: f64) -> TokenStream {
        let ty = self.ty;
        let real = &self.real;
        let lit = proc_macro2::Literal::f64_suffixed(x);
        quote!(<#ty as #real>::of(#lit))
    }
}

/// Differentiates `body` with respect to `x`.
pub fn linearize(body: &Block, x: &Ident, scalar: &Scalar) -> syn::Result<Linearized> {
    let mut cx = Differentiator {
        env: HashMap::from([(x.to_string(), D::One)]),
        x,
        scalar,
        fresh: 0,
    };
    let Some((last, init)) = body.stmts.split_last() else {
        return Err(syn::Error::new_spanned(
            body,
            format!("an #[ode] body must end with the value of d{x}/dt"),
        ));
    };
    let Stmt::Expr(value, None) = last else {
        return Err(syn::Error::new_spanned(
            last,
            format!("an #[ode] body must end with the value of d{x}/dt, without a semicolon"),
        ));
    };
    let mut stmts = Vec::new();
    for stmt in init {
        cx.statement(stmt, &mut stmts)?;
    }
    forbid_return(value)?;
    let derivative = cx.diff(value)?;
    let derivative = match derivative {
        D::Zero => scalar.of(0.0),
        D::One => scalar.of(1.0),
        D::Expr(t) => t,
    };
    Ok(Linearized {
        stmts,
        value: value.to_token_stream(),
        derivative,
    })
}

struct Differentiator<'a> {
    /// ∂name/∂x of every local in scope that depends on x (and x itself).
    env: HashMap<String, D>,
    x: &'a Ident,
    scalar: &'a Scalar<'a>,
    fresh: usize,
}

impl Differentiator<'_> {
    fn statement(&mut self, stmt: &Stmt, out: &mut Vec<TokenStream>) -> syn::Result<()> {
        match stmt {
            Stmt::Local(local) => {
                let init = local.init.as_ref();
                if let Some(init) = init {
                    forbid_return(&init.expr)?;
                    if init.diverge.is_some() && self.depends(&init.expr) {
                        return Err(
                            self.cannot(&init.expr, "a `let … else` on a value that depends on it")
                        );
                    }
                }
                match (pat_ident(&local.pat), init) {
                    (Some(name), Some(init)) => {
                        // The derivative binding comes first: the initializer may mention a name
                        // that this `let` shadows.
                        let d = match self.diff(&init.expr)? {
                            D::Expr(t) => {
                                self.fresh += 1;
                                let dname = format_ident!("__d_{}_{}", name, self.fresh);
                                let ty = self.scalar.ty;
                                out.push(quote!(let #dname: #ty = #t;));
                                D::Expr(dname.to_token_stream())
                            }
                            other => other,
                        };
                        out.push(stmt.to_token_stream());
                        self.env.insert(name.to_string(), d);
                    }
                    _ => {
                        if let Some(init) = init
                            && self.depends(&init.expr)
                        {
                            return Err(self.cannot(
                                &local.pat,
                                "a binding other than `let name = …` of a value that depends on it",
                            ));
                        }
                        out.push(stmt.to_token_stream());
                        for name in pat_names(&local.pat) {
                            self.env.insert(name, D::Zero);
                        }
                    }
                }
                Ok(())
            }
            Stmt::Expr(e, _) => {
                forbid_return(e)?;
                if self.depends(e) {
                    return Err(self.cannot(
                        e,
                        "a statement other than `let` that uses it (an assignment changes the value the derivative sees)",
                    ));
                }
                out.push(stmt.to_token_stream());
                Ok(())
            }
            Stmt::Macro(m) => {
                if self.tokens_depend(&m.mac.tokens) {
                    return Err(self.cannot(m, "a macro, whose expansion cannot be seen"));
                }
                out.push(stmt.to_token_stream());
                Ok(())
            }
            Stmt::Item(_) => {
                out.push(stmt.to_token_stream());
                Ok(())
            }
        }
    }

    /// `true` when `e` mentions x or a local that depends on it.
    fn depends(&self, e: &Expr) -> bool {
        let mut finder = Mentions {
            env: &self.env,
            found: false,
        };
        finder.visit_expr(e);
        finder.found
    }

    fn tokens_depend(&self, tokens: &TokenStream) -> bool {
        tokens.clone().into_iter().any(|tt| match tt {
            proc_macro2::TokenTree::Ident(i) => {
                matches!(self.env.get(&i.to_string()), Some(D::One | D::Expr(_)))
            }
            proc_macro2::TokenTree::Group(g) => self.tokens_depend(&g.stream()),
            _ => false,
        })
    }

    fn cannot<T: ToTokens>(&self, at: T, why: &str) -> syn::Error {
        let x = self.x;
        syn::Error::new_spanned(
            at,
            format!(
                "cannot differentiate this with respect to `{x}` for exp_euler: {why}. \
                 Give the derivative yourself with `#[ode({x}, linear = <∂f/∂{x}>)]`, \
                 or choose another method: `method = euler | rk2 | rk4`"
            ),
        )
    }

    fn diff(&self, e: &Expr) -> syn::Result<D> {
        if !self.depends(e) {
            return Ok(D::Zero);
        }
        match e {
            Expr::Path(p) => Ok(p
                .path
                .get_ident()
                .and_then(|i| self.env.get(&i.to_string()).cloned())
                .unwrap_or(D::Zero)),
            Expr::Paren(p) => self.diff(&p.expr),
            Expr::Group(g) => self.diff(&g.expr),
            Expr::Cast(c) => self.diff(&c.expr),
            Expr::Unary(u) => match u.op {
                UnOp::Neg(_) => Ok(self.neg(self.diff(&u.expr)?)),
                _ => Err(self.cannot(e, "an operator other than `-`")),
            },
            Expr::Binary(b) => {
                let (l, r) = (&*b.left, &*b.right);
                let (dl, dr) = (self.diff(l)?, self.diff(r)?);
                match b.op {
                    BinOp::Add(_) => Ok(self.add(dl, dr)),
                    BinOp::Sub(_) => Ok(self.add(dl, self.neg(dr))),
                    BinOp::Mul(_) => {
                        // d(l r) = dl r + l dr
                        Ok(self.add(times(dl, tokens(r)), times(dr, tokens(l))))
                    }
                    BinOp::Div(_) => {
                        // d(l / r) = dl / r - l dr / r²
                        let r_t = tokens(r);
                        let first = self.divide(dl, &r_t);
                        let second =
                            self.divide(times(dr, tokens(l)), &quote!((#r_t) * (#r_t)));
                        Ok(self.add(first, self.neg(second)))
                    }
                    _ => Err(self.cannot(e, "an operator other than + - * /")),
                }
            }
            Expr::MethodCall(call) => self.method(e, &call.receiver, &call.method, &call.args),
            Expr::Call(call) => {
                let Expr::Path(func) = &*call.func else {
                    return Err(self.cannot(e, "a call of something other than a named function"));
                };
                let name = func.path.segments.last().map(|s| s.ident.to_string());
                let args: Vec<&Expr> = call.args.iter().collect();
                match (name.as_deref(), args.as_slice()) {
                    (Some("exprel"), [z]) => {
                        let exprel_prime = &self.scalar.exprel_prime;
                        let z_t = tokens(z);
                        Ok(times(self.diff(z)?, quote!(#exprel_prime(#z_t))))
                    }
                    (Some("exp" | "exp_m1"), [z]) => {
                        // The function's own `exp` (e.g. `looptime::math::exp`, branch-free):
                        // d exp(z) = d exp_m1(z) = exp(z) dz.
                        let mut exp = func.path.clone();
                        if let Some(last) = exp.segments.last_mut() {
                            last.ident = Ident::new("exp", last.ident.span());
                        }
                        let z_t = tokens(z);
                        Ok(times(self.diff(z)?, quote!(#exp(#z_t))))
                    }
                    (Some("sigmoid"), [z]) => {
                        // d σ(z) = σ(z) (1 - σ(z)) dz, with the function's own σ.
                        let z_t = tokens(z);
                        let one = self.scalar.of(1.0);
                        let path = &func.path;
                        Ok(times(
                            self.diff(z)?,
                            quote!({ let __sigmoid = #path(#z_t); __sigmoid * (#one - __sigmoid) }),
                        ))
                    }
                    (Some(f @ ("ln" | "sqrt" | "tanh" | "sin" | "cos" | "recip")), [z]) => {
                        let method = Ident::new(f, func.path.segments.last().unwrap().ident.span());
                        self.unary_rule(e, z, &method)
                    }
                    (Some(f @ ("powi" | "powf")), [z, p]) => {
                        let method = Ident::new(f, func.path.segments.last().unwrap().ident.span());
                        self.power_rule(z, &method, p)
                    }
                    _ => Err(self.cannot(
                        e,
                        "a function that is not one of exp, ln, sqrt, powi, powf, tanh, sigmoid, sin, cos, recip, exp_m1, exprel",
                    )),
                }
            }
            _ => Err(self.cannot(
                e,
                "this kind of expression (only arithmetic, `let`, and calls of exp, ln, sqrt, powi, powf, tanh, sigmoid, sin, cos, recip, exp_m1 and exprel can be differentiated)",
            )),
        }
    }

    fn method(
        &self,
        e: &Expr,
        receiver: &Expr,
        method: &Ident,
        args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>,
    ) -> syn::Result<D> {
        let args: Vec<&Expr> = args.iter().collect();
        match (method.to_string().as_str(), args.as_slice()) {
            ("exp" | "ln" | "sqrt" | "tanh" | "sin" | "cos" | "exp_m1" | "recip", []) => {
                self.unary_rule(e, receiver, method)
            }
            ("powi" | "powf", [p]) => self.power_rule(receiver, method, p),
            _ => Err(self.cannot(
                e,
                &format!(
                    "`.{method}(…)` is not one of exp, ln, sqrt, powi, powf, tanh, sin, cos, recip, exp_m1"
                ),
            )),
        }
    }

    /// d f(z) = f'(z) dz for the one-argument functions.
    fn unary_rule(&self, e: &Expr, z: &Expr, f: &Ident) -> syn::Result<D> {
        let dz = self.diff(z)?;
        let z = tokens(z);
        let one = self.scalar.of(1.0);
        let two = self.scalar.of(2.0);
        let derivative = match f.to_string().as_str() {
            "exp" | "exp_m1" => quote!((#z).exp()),
            "ln" => quote!(#one / (#z)),
            "sqrt" => quote!(#one / (#two * (#z).sqrt())),
            "tanh" => quote!({ let __tanh = (#z).tanh(); #one - __tanh * __tanh }),
            "sin" => quote!((#z).cos()),
            "cos" => quote!(-(#z).sin()),
            "recip" => quote!(-(#one / ((#z) * (#z)))),
            _ => return Err(self.cannot(e, "an unknown function")),
        };
        Ok(times(dz, derivative))
    }

    /// powi with a constant integer power; powf with any power.
    fn power_rule(&self, z: &Expr, f: &Ident, p: &Expr) -> syn::Result<D> {
        let dz = self.diff(z)?;
        let z_t = tokens(z);
        let p_t = tokens(p);
        let one = self.scalar.of(1.0);
        let ty = self.scalar.ty;
        let real = &self.scalar.real;
        if f == "powi" {
            if self.depends(p) {
                return Err(self.cannot(p, "the integer power of `powi` depends on it; use `powf`"));
            }
            let n = quote!(<#ty as #real>::of(f64::from(#p_t)));
            return Ok(times(dz, quote!(#n * (#z_t).powi((#p_t) - 1))));
        }
        // d z^p = p z^(p-1) dz + z^p ln(z) dp
        let dp = self.diff(p)?;
        let from_base = times(dz, quote!((#p_t) * (#z_t).powf((#p_t) - #one)));
        let from_power = times(dp, quote!((#z_t).powf(#p_t) * (#z_t).ln()));
        Ok(self.add(from_base, from_power))
    }

    fn add(&self, a: D, b: D) -> D {
        match (a, b) {
            (D::Zero, b) => b,
            (a, D::Zero) => a,
            (a, b) => {
                let (a, b) = (self.expr(a), self.expr(b));
                D::Expr(quote!((#a) + (#b)))
            }
        }
    }

    fn neg(&self, d: D) -> D {
        match d {
            D::Zero => D::Zero,
            D::One => D::Expr(self.scalar.of(-1.0)),
            D::Expr(t) => D::Expr(quote!(-(#t))),
        }
    }

    /// `d / divisor`.
    fn divide(&self, d: D, divisor: &TokenStream) -> D {
        match d {
            D::Zero => D::Zero,
            D::One => {
                let one = self.scalar.of(1.0);
                D::Expr(quote!((#one / (#divisor))))
            }
            D::Expr(t) => D::Expr(quote!((#t) / (#divisor))),
        }
    }

    fn expr(&self, d: D) -> TokenStream {
        match d {
            D::Zero => self.scalar.of(0.0),
            D::One => self.scalar.of(1.0),
            D::Expr(t) => t,
        }
    }
}

fn tokens(e: &Expr) -> TokenStream {
    e.to_token_stream()
}

/// `d * factor`.
fn times(d: D, factor: TokenStream) -> D {
    match d {
        D::Zero => D::Zero,
        D::One => D::Expr(quote!((#factor))),
        D::Expr(t) => D::Expr(quote!((#t) * (#factor))),
    }
}

fn pat_ident(pat: &Pat) -> Option<&Ident> {
    match pat {
        Pat::Ident(p) if p.subpat.is_none() => Some(&p.ident),
        Pat::Type(t) => pat_ident(&t.pat),
        _ => None,
    }
}

fn pat_names(pat: &Pat) -> Vec<String> {
    struct Names(Vec<String>);
    impl<'ast> Visit<'ast> for Names {
        fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
            self.0.push(p.ident.to_string());
            syn::visit::visit_pat_ident(self, p);
        }
    }
    let mut names = Names(Vec::new());
    names.visit_pat(pat);
    names.0
}

/// A `return` would make the final expression a lie.
fn forbid_return(e: &Expr) -> syn::Result<()> {
    struct Returns(Option<syn::Error>);
    impl<'ast> Visit<'ast> for Returns {
        fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
            if self.0.is_none() {
                self.0 = Some(syn::Error::new_spanned(
                    r,
                    "no `return` in an #[ode] body: end the body with the value of the derivative",
                ));
            }
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    }
    let mut returns = Returns(None);
    returns.visit_expr(e);
    returns.0.map_or(Ok(()), Err)
}

/// Finds a mention of x or of a local that depends on it.
struct Mentions<'a> {
    env: &'a HashMap<String, D>,
    found: bool,
}

impl<'ast> Visit<'ast> for Mentions<'_> {
    fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
        if let Some(i) = p.path.get_ident()
            && matches!(self.env.get(&i.to_string()), Some(D::One | D::Expr(_)))
        {
            self.found = true;
        }
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        let tokens_mention = |ts: &TokenStream| -> bool {
            fn walk(ts: &TokenStream, env: &HashMap<String, D>) -> bool {
                ts.clone().into_iter().any(|tt| match tt {
                    proc_macro2::TokenTree::Ident(i) => {
                        matches!(env.get(&i.to_string()), Some(D::One | D::Expr(_)))
                    }
                    proc_macro2::TokenTree::Group(g) => walk(&g.stream(), env),
                    _ => false,
                })
            }
            walk(ts, self.env)
        };
        if tokens_mention(&m.tokens) {
            self.found = true;
        }
    }
}
