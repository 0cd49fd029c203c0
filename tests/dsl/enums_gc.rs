//! GC enums: `Gc<Expr>` trees with unit and tuple variants carrying integers, `Str` and
//! `Gc<Expr>` payloads, evaluated, printed and simplified recursively with `match *e { ... }`,
//! including literal sub-patterns, wildcards and sharing of unchanged subtrees (`Gc::ptr_eq`).

use vmkit::io::print;
use vmkit::{Gc, GcList, Str};

enum Expr {
    Num(i64),
    Var(Str),
    Add(Gc<Expr>, Gc<Expr>),
    Mul(Gc<Expr>, Gc<Expr>),
    Neg(Gc<Expr>),
    Let(Str, Gc<Expr>, Gc<Expr>),
    IfZero(Gc<Expr>, Gc<Expr>, Gc<Expr>),
    Zero,
}

struct Env {
    name: Str,
    value: i64,
    next: Option<Gc<Env>>,
}

fn lookup(env: Option<Gc<Env>>, name: Str) -> i64 {
    match env {
        Some(e) if e.name == name => e.value,
        Some(e) => lookup(e.next, name),
        None => panic!("unbound variable"),
    }
}

fn eval(e: Gc<Expr>, env: Option<Gc<Env>>) -> i64 {
    match *e {
        Expr::Num(n) => n,
        Expr::Var(name) => lookup(env, name),
        Expr::Add(a, b) => eval(a, env) + eval(b, env),
        Expr::Mul(a, b) => eval(a, env) * eval(b, env),
        Expr::Neg(a) => -eval(a, env),
        Expr::Let(name, value, body) => {
            let v = eval(value, env);
            eval(body, Some(Gc::new(Env { name: name, value: v, next: env })))
        }
        Expr::IfZero(c, t, f) => eval(if eval(c, env) == 0 { t } else { f }, env),
        Expr::Zero => 0,
    }
}

fn show(e: Gc<Expr>) -> Str {
    match *e {
        Expr::Num(n) => Str::from_i64(n),
        Expr::Var(name) => name,
        Expr::Add(a, b) => {
            Str::from("(").concat(show(a)).concat(Str::from(" + ")).concat(show(b)).concat(Str::from(")"))
        }
        Expr::Mul(a, b) => show(a).concat(Str::from("*")).concat(show(b)),
        Expr::Neg(a) => Str::from("-").concat(show(a)),
        Expr::Let(name, v, body) => {
            let head = Str::from("let ").concat(name).concat(Str::from(" = ")).concat(show(v));
            head.concat(Str::from(" in ")).concat(show(body))
        }
        Expr::IfZero(c, t, f) => {
            let head = Str::from("ifz ").concat(show(c)).concat(Str::from(" then "));
            head.concat(show(t)).concat(Str::from(" else ")).concat(show(f))
        }
        Expr::Zero => Str::from("Z"),
    }
}

fn is_num(e: Gc<Expr>, k: i64) -> bool {
    match *e {
        Expr::Num(n) => n == k,
        Expr::Zero => k == 0,
        _ => false,
    }
}

/// `x + 0`, `0 + x`, `x * 1`, `--x` → `x`; unchanged nodes are kept (the same object).
fn simplify(e: Gc<Expr>) -> Gc<Expr> {
    match *e {
        Expr::Add(a, b) => {
            let (sa, sb) = (simplify(a), simplify(b));
            if is_num(sb, 0) {
                sa
            } else if is_num(sa, 0) {
                sb
            } else if Gc::ptr_eq(sa, a) && Gc::ptr_eq(sb, b) {
                e
            } else {
                Gc::new(Expr::Add(sa, sb))
            }
        }
        Expr::Mul(a, b) => {
            let (sa, sb) = (simplify(a), simplify(b));
            if is_num(sb, 1) {
                sa
            } else if Gc::ptr_eq(sa, a) && Gc::ptr_eq(sb, b) {
                e
            } else {
                Gc::new(Expr::Mul(sa, sb))
            }
        }
        Expr::Neg(a) => match *a {
            Expr::Neg(inner) => simplify(inner),
            Expr::Num(0) => a,
            _ => e,
        },
        _ => e,
    }
}

fn line(e: Gc<Expr>, env: Option<Gc<Env>>) {
    print(show(e).concat(Str::from(" => ")).concat(Str::from_i64(eval(e, env))).concat(Str::from("\n")));
}

fn flag(label: Str, v: bool) {
    print(label.concat(if v { Str::from(": yes\n") } else { Str::from(": no\n") }));
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let x = Gc::new(Expr::Var(Str::from("x")));
    let two = Gc::new(Expr::Num(2));
    let sum = Gc::new(Expr::Add(x, two));
    let prod = Gc::new(Expr::Mul(sum, Gc::new(Expr::Num(-3))));
    let env = Some(Gc::new(Env { name: Str::from("x"), value: 5, next: None }));
    line(sum, env);
    line(prod, env);
    line(Gc::new(Expr::Neg(prod)), env);
    let shadow = Gc::new(Expr::Let(Str::from("x"), Gc::new(Expr::Num(10)), prod));
    line(shadow, env);
    let nested = Gc::new(Expr::Let(Str::from("y"), shadow, Gc::new(Expr::Add(Gc::new(Expr::Var(Str::from("y"))), x))));
    line(nested, env);
    line(Gc::new(Expr::IfZero(Gc::new(Expr::Add(x, Gc::new(Expr::Num(-5)))), two, prod)), env);
    line(Gc::new(Expr::IfZero(x, two, Gc::new(Expr::Zero))), env);
    let messy = Gc::new(Expr::Mul(
        Gc::new(Expr::Add(Gc::new(Expr::Zero), Gc::new(Expr::Neg(Gc::new(Expr::Neg(x)))))),
        Gc::new(Expr::Num(1)),
    ));
    line(messy, env);
    let clean = simplify(messy);
    line(clean, env);
    flag(Str::from("simplified to x itself"), Gc::ptr_eq(clean, x));
    flag(Str::from("unchanged tree kept"), Gc::ptr_eq(simplify(prod), prod));
    let zero = Gc::new(Expr::Num(0));
    flag(Str::from("-0 simplifies to the 0 node"), Gc::ptr_eq(simplify(Gc::new(Expr::Neg(zero))), zero));
    flag(Str::from("an equal new node is prod"), Gc::ptr_eq(Gc::new(Expr::Mul(sum, Gc::new(Expr::Num(-3)))), prod));
    0
}
