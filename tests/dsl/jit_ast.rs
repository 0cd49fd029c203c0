//! JIT test: an AST interpreter in the style of RPython's AST interpreters, where the portal is
//! the evaluation of a `while` node (greens: the condition and body nodes; reds: the environment
//! and an iteration count) and a nested `while` calls the portal recursively. Statements and
//! expressions are GC enums (`match *node`), evaluated by recursive helpers that the tracer
//! inlines several levels deep; blocks run through an `#[unroll_safe]` loop that `promote`s each
//! statement; calls of guest functions allocate a fresh environment (`Gc::new`) and return
//! through a `Flow` value enum; the callee of a call site is a `QuasiImmut` field that the guest
//! program redefines in the middle of a hot loop, inside a `#[dont_look_inside]` function
//! (invalidating compiled code); a `#[dont_look_inside]` mixing function and an `#[elidable]`
//! operator-name lookup with a green argument. The portal returns a value (`Flow`) that its
//! caller inspects. Guest programs: a prime count by trial division (nested loops, the inner
//! exit data-dependent), sums of squares through guest calls with `sq` redefined as `cube`
//! half-way, and recursive `fib`.

use vmkit::io::print;
use vmkit::jit::promote;
use vmkit::{Gc, GcArray, GcList, JitDriver, Mut, QuasiImmut, Str};

enum Expr {
    Num(i64),
    Var(usize),
    Bin(u8, Gc<Expr>, Gc<Expr>),
    Call(Gc<FuncRef>, GcArray<Gc<Expr>>),
    Mix(Gc<Expr>),
}

enum Stmt {
    Assign(usize, Gc<Expr>),
    Block(GcArray<Gc<Stmt>>),
    If(Gc<Expr>, Gc<Stmt>, Gc<Stmt>),
    While(Gc<Expr>, Gc<Stmt>),
    Print(Str, Gc<Expr>),
    Return(Gc<Expr>),
    Redefine(Gc<FuncRef>, Gc<Func>),
    Skip,
}

struct Func {
    name: Str,
    nparams: usize,
    nslots: usize,
    body: Gc<Stmt>,
}

/// A named call target, bound after the functions are built (recursion) and rebound by
/// `Redefine`: read on every call, written rarely.
struct FuncRef {
    func: QuasiImmut<Option<Gc<Func>>>,
}

struct Env {
    slots: GcArray<i64>,
    calls: Mut<i64>,
}

/// What a statement did: fell through, or executed `return`.
#[derive(Clone, Copy)]
enum Flow {
    Normal,
    Return(i64),
}

static DRIVER: JitDriver = JitDriver {
    name: "ast",
    greens: &["cond", "body"],
    reds: &["env", "iterations"],
    virtualizables: &[],
    get_printable_location: Some("location"),
};

fn location(cond: Gc<Expr>, body: Gc<Stmt>) -> Str {
    Str::from("while ").concat(show(cond))
}

/// The name of a binary operator, for logs. Pure.
#[vmkit::elidable]
fn op_name(op: u8) -> Str {
    match op {
        b'&' => Str::from("and"),
        b'l' => Str::from("<="),
        b'e' => Str::from("=="),
        _ => Str::from_byte(op),
    }
}

fn show(e: Gc<Expr>) -> Str {
    match *e {
        Expr::Num(n) => Str::from_i64(n),
        Expr::Var(k) => Str::from("v").concat(Str::from_u64(k as u64)),
        Expr::Bin(op, a, b) => Str::from("(")
            .concat(show(a))
            .concat(Str::from(" "))
            .concat(op_name(op))
            .concat(Str::from(" "))
            .concat(show(b))
            .concat(Str::from(")")),
        Expr::Call(f, _) => match f.func.get() {
            Some(func) => func.name.concat(Str::from("(...)")),
            None => Str::from("?(...)"),
        },
        Expr::Mix(a) => Str::from("mix(").concat(show(a)).concat(Str::from(")")),
    }
}

/// A hash-like mixing function; the JIT leaves it as a call.
#[vmkit::dont_look_inside]
fn mix(x: i64) -> i64 {
    let mut h = x.wrapping_mul(0x9E37_79B9);
    h ^= h >> 15;
    h = h.wrapping_mul(0x85EB_CA6B);
    (h ^ (h >> 13)) & 0xFFFF
}

/// Rebinds a call target; opaque to the JIT, so the quasi-immutable field changes inside a
/// residual call.
#[vmkit::dont_look_inside]
fn rebind(target: Gc<FuncRef>, func: Gc<Func>) {
    target.func.set(Some(func));
}

fn binop(op: u8, a: i64, b: i64) -> i64 {
    match op {
        b'+' => a.wrapping_add(b),
        b'-' => a.wrapping_sub(b),
        b'*' => a.wrapping_mul(b),
        b'/' => a / b,
        b'%' => a % b,
        b'<' => (a < b) as i64,
        b'l' => (a <= b) as i64,
        b'e' => (a == b) as i64,
        b'&' => (a != 0 && b != 0) as i64,
        _ => panic!("bad operator"),
    }
}

fn eval(e: Gc<Expr>, env: Gc<Env>) -> i64 {
    match *e {
        Expr::Num(n) => n,
        Expr::Var(k) => env.slots.get(k),
        Expr::Bin(op, a, b) => {
            let x = eval(a, env);
            let y = eval(b, env);
            binop(op, x, y)
        }
        Expr::Call(target, args) => {
            let func = match target.func.get() {
                Some(f) => f,
                None => panic!("call of an unbound function"),
            };
            env.calls.set(env.calls.get() + 1);
            call(func, args, env)
        }
        Expr::Mix(a) => mix(eval(a, env)),
    }
}

/// Evaluates the arguments in the caller's environment into a new one and runs the body.
fn call(func: Gc<Func>, args: GcArray<Gc<Expr>>, env: Gc<Env>) -> i64 {
    let callee = Gc::new(Env { slots: GcArray::new(func.nslots, 0), calls: Mut::new(0) });
    bind_args(args, env, callee, func.nparams);
    match exec(func.body, callee) {
        Flow::Return(v) => v,
        Flow::Normal => 0,
    }
}

#[vmkit::unroll_safe]
fn bind_args(args: GcArray<Gc<Expr>>, env: Gc<Env>, callee: Gc<Env>, n: usize) {
    for i in 0..n {
        callee.slots.set(i, eval(args.get(i), env));
    }
}

#[vmkit::unroll_safe]
fn exec_block(stmts: GcArray<Gc<Stmt>>, env: Gc<Env>) -> Flow {
    let n = stmts.len();
    let mut i: usize = 0;
    while i < n {
        let s = promote(stmts.get(i));
        if let Flow::Return(v) = exec(s, env) {
            return Flow::Return(v);
        }
        i += 1;
    }
    Flow::Normal
}

fn exec(s: Gc<Stmt>, env: Gc<Env>) -> Flow {
    match *s {
        Stmt::Assign(k, e) => {
            env.slots.set(k, eval(e, env));
            Flow::Normal
        }
        Stmt::Block(stmts) => exec_block(stmts, env),
        Stmt::If(c, t, f) => {
            if eval(c, env) != 0 {
                exec(t, env)
            } else {
                exec(f, env)
            }
        }
        Stmt::While(c, b) => exec_while(c, b, env),
        Stmt::Print(label, e) => {
            print(label.concat(Str::from_i64(eval(e, env))).concat(Str::from("\n")));
            Flow::Normal
        }
        Stmt::Return(e) => Flow::Return(eval(e, env)),
        Stmt::Redefine(target, func) => {
            rebind(target, func);
            Flow::Normal
        }
        Stmt::Skip => Flow::Normal,
    }
}

/// The portal: a `while` loop. Returns how the loop ended (a `return` inside it, or normally).
fn exec_while(cond: Gc<Expr>, body: Gc<Stmt>, env: Gc<Env>) -> Flow {
    let mut iterations: i64 = 0;
    let flow = loop {
        vmkit::jit_merge_point!(DRIVER; cond, body; env, iterations);
        if eval(cond, env) == 0 {
            break Flow::Normal;
        }
        iterations += 1;
        if let Flow::Return(v) = exec(body, env) {
            break Flow::Return(v);
        }
        vmkit::can_enter_jit!(DRIVER; cond, body; env, iterations);
    };
    if iterations > 1000 {
        print(Str::from("  (long loop: ").concat(Str::from_i64(iterations)).concat(Str::from(" iterations)\n")));
    }
    flow
}

// ---- AST constructors ---------------------------------------------------------------------

fn num(n: i64) -> Gc<Expr> {
    Gc::new(Expr::Num(n))
}
fn var(k: usize) -> Gc<Expr> {
    Gc::new(Expr::Var(k))
}
fn bin(op: u8, a: Gc<Expr>, b: Gc<Expr>) -> Gc<Expr> {
    Gc::new(Expr::Bin(op, a, b))
}
fn call1(f: Gc<FuncRef>, a: Gc<Expr>) -> Gc<Expr> {
    let args: GcArray<Gc<Expr>> = GcArray::new(1, a);
    Gc::new(Expr::Call(f, args))
}
fn assign(k: usize, e: Gc<Expr>) -> Gc<Stmt> {
    Gc::new(Stmt::Assign(k, e))
}
fn block(list: GcList<Gc<Stmt>>) -> Gc<Stmt> {
    let stmts: GcArray<Gc<Stmt>> = GcArray::new(list.len(), list.get(0));
    for i in 0..list.len() {
        stmts.set(i, list.get(i));
    }
    Gc::new(Stmt::Block(stmts))
}
fn while_(c: Gc<Expr>, body: Gc<Stmt>) -> Gc<Stmt> {
    Gc::new(Stmt::While(c, body))
}
fn if_(c: Gc<Expr>, t: Gc<Stmt>, f: Gc<Stmt>) -> Gc<Stmt> {
    Gc::new(Stmt::If(c, t, f))
}
fn print_(label: Str, e: Gc<Expr>) -> Gc<Stmt> {
    Gc::new(Stmt::Print(label, e))
}
fn ret(e: Gc<Expr>) -> Gc<Stmt> {
    Gc::new(Stmt::Return(e))
}
fn func(name: Str, nparams: usize, nslots: usize, body: Gc<Stmt>) -> Gc<Func> {
    Gc::new(Func { name, nparams, nslots, body })
}
fn unbound() -> Gc<FuncRef> {
    Gc::new(FuncRef { func: QuasiImmut::new(None) })
}

/// `count = 0; n = 2; while n < limit { d = 2; p = 1; while d * d <= n & p { if n % d == 0 { p = 0 };
/// d = d + 1 }; count = count + p; n = n + 1 }; print count`. Slots: count 0, n 1, d 2, p 3.
fn primes(limit: i64) -> Gc<Stmt> {
    let inner: GcList<Gc<Stmt>> = GcList::new();
    inner.push(if_(bin(b'e', bin(b'%', var(1), var(2)), num(0)), assign(3, num(0)), skip()));
    inner.push(assign(2, bin(b'+', var(2), num(1))));
    let outer: GcList<Gc<Stmt>> = GcList::new();
    outer.push(assign(2, num(2)));
    outer.push(assign(3, num(1)));
    outer.push(while_(bin(b'&', bin(b'l', bin(b'*', var(2), var(2)), var(1)), var(3)), block(inner)));
    outer.push(assign(0, bin(b'+', var(0), var(3))));
    outer.push(assign(1, bin(b'+', var(1), num(1))));
    let top: GcList<Gc<Stmt>> = GcList::new();
    top.push(assign(0, num(0)));
    top.push(assign(1, num(2)));
    top.push(while_(bin(b'<', var(1), num(limit)), block(outer)));
    top.push(print_(Str::from("primes below limit: "), var(0)));
    block(top)
}

fn skip() -> Gc<Stmt> {
    Gc::new(Stmt::Skip)
}

/// `sq(x) { return x * x }`, `cube(x) { return x * x * x }`,
/// `sumsq(k) { s = 0; i = 0; while i < k { s = s + sq(i); i = i + 1 }; return s }`,
/// main: `t = 0; j = 0; while j < 400 { if j == 200 { sq := cube }; t = t + sumsq(j % 50) + mix(j);
/// j = j + 1 }; print t`. Slots of main: t 0, j 1.
fn squares(sq: Gc<FuncRef>) -> Gc<Stmt> {
    let sq_func = func(Str::from("sq"), 1, 1, ret(bin(b'*', var(0), var(0))));
    let cube = func(Str::from("cube"), 1, 1, ret(bin(b'*', var(0), bin(b'*', var(0), var(0)))));
    sq.func.set(Some(sq_func));
    let sumsq_body: GcList<Gc<Stmt>> = GcList::new();
    sumsq_body.push(assign(1, num(0)));
    sumsq_body.push(assign(2, num(0)));
    // Slots of sumsq: k 0, s 1, i 2.
    let l2: GcList<Gc<Stmt>> = GcList::new();
    l2.push(assign(1, bin(b'+', var(1), call1(sq, var(2)))));
    l2.push(assign(2, bin(b'+', var(2), num(1))));
    sumsq_body.push(while_(bin(b'<', var(2), var(0)), block(l2)));
    sumsq_body.push(ret(var(1)));
    let sumsq = unbound();
    sumsq.func.set(Some(func(Str::from("sumsq"), 1, 3, block(sumsq_body))));

    let main: GcList<Gc<Stmt>> = GcList::new();
    main.push(assign(0, num(0)));
    main.push(assign(1, num(0)));
    let body: GcList<Gc<Stmt>> = GcList::new();
    body.push(if_(bin(b'e', var(1), num(200)), Gc::new(Stmt::Redefine(sq, cube)), skip()));
    body.push(assign(0, bin(b'+', var(0), call1(sumsq, bin(b'%', var(1), num(50))))));
    body.push(assign(0, bin(b'+', var(0), Gc::new(Expr::Mix(var(1))))));
    body.push(assign(1, bin(b'+', var(1), num(1))));
    main.push(while_(bin(b'<', var(1), num(400)), block(body)));
    main.push(print_(Str::from("sum of squares, then cubes: "), var(0)));
    block(main)
}

/// `fib(n) { if n < 2 { return n }; return fib(n - 1) + fib(n - 2) }`;
/// main: `i = 0; r = 0; while 1 { if i == 20 { return r }; r = r + fib(i); i = i + 1 }`: the
/// `return` leaves the loop (and the portal) with a value. Slots of main: i 0, r 1.
fn fibs(fib: Gc<FuncRef>) -> Gc<Stmt> {
    let body: GcList<Gc<Stmt>> = GcList::new();
    body.push(if_(bin(b'<', var(0), num(2)), ret(var(0)), skip()));
    body.push(ret(bin(b'+', call1(fib, bin(b'-', var(0), num(1))), call1(fib, bin(b'-', var(0), num(2))))));
    fib.func.set(Some(func(Str::from("fib"), 1, 1, block(body))));
    let loop_body: GcList<Gc<Stmt>> = GcList::new();
    loop_body.push(if_(bin(b'e', var(0), num(20)), ret(var(1)), skip()));
    loop_body.push(assign(1, bin(b'+', var(1), call1(fib, var(0)))));
    loop_body.push(assign(0, bin(b'+', var(0), num(1))));
    let main: GcList<Gc<Stmt>> = GcList::new();
    main.push(assign(0, num(0)));
    main.push(assign(1, num(0)));
    main.push(while_(num(1), block(loop_body)));
    block(main)
}

fn run(label: Str, program: Gc<Stmt>, nslots: usize) -> Gc<Env> {
    let env = Gc::new(Env { slots: GcArray::new(nslots, 0), calls: Mut::new(0) });
    let flow = exec(program, env);
    let how = match flow {
        Flow::Normal => Str::from("normally"),
        Flow::Return(v) => Str::from("returning ").concat(Str::from_i64(v)),
    };
    print(
        label
            .concat(Str::from(" ended "))
            .concat(how)
            .concat(Str::from(" after "))
            .concat(Str::from_i64(env.calls.get()))
            .concat(Str::from(" calls\n")),
    );
    env
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    run(Str::from("primes"), primes(3000), 4);
    let sq = unbound();
    run(Str::from("squares"), squares(sq), 2);
    match sq.func.get() {
        Some(f) => print(Str::from("sq is now ").concat(f.name).concat(Str::from("\n"))),
        None => print(Str::from("sq is unbound\n")),
    }
    let fib = unbound();
    run(Str::from("fibs"), fibs(fib), 2);
    // The primes program again, smaller: compiled loops for the same nodes would not apply (new
    // nodes), but the code paths are warm.
    run(Str::from("primes again"), primes(500), 4);
    0
}
