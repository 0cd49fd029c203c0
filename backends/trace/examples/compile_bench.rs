//! Compile-time and code-quality benchmark of the trace backend (measures and prints; not a
//! test).
//!
//! `cargo run --release -p vmkit-trace-backend --example compile_bench [reps [traces.txt]]`
//!
//! Times are CPU time of the compiling thread (median and minimum over `reps` runs), so that
//! other load on the machine disturbs them little.
//! - Without a file: compiles a 1-op trace and interpreter-like loop traces of 41 and 309
//!   operations `reps` times (default 200) each and prints the time per trace and per
//!   operation; then runs an array loop for 10^8 iterations (code quality).
//! - With a file of printed traces (`VMKIT_LOG=jit-log-opt` output, "after optimization"), e.g.
//!   `bf_primes_traces.txt` next to this file (the 35 traces, 1079 ops, that the JIT compiles
//!   for `examples/bf/programs/primes.b`): compiles all of them `reps` times, without and with
//!   link tables, and prints the time for all, per trace and per 1000 ops; then runs the first
//!   trace if it is that file's `loop 0` (the BF loop `[->>>+>+<<<<]`, code quality).
//!
//! `BENCH_TIMING=1` also prints Cranelift's time per pass; `BENCH_DUMP=k` (with a file) prints
//! trace `k` with its Cranelift IR and disassembly instead.

use std::time::Duration;
use vmkit_jit_ir::ops::{BinOp, IntTy, Kind, Ty};
use vmkit_jit_ir::trace::{DelayedStore, GuardKind, Op, OpKind, Operand, Trace, Var};
use vmkit_trace_backend::{Env, MemPolicy, TraceCompiler};

struct B {
    t: Trace,
}

fn v(x: Var) -> Operand {
    Operand::Var(x)
}

impl B {
    fn new(name: &str) -> B {
        B {
            t: Trace {
                name: name.into(),
                ..Default::default()
            },
        }
    }
    fn input(&mut self, k: Kind) -> Var {
        let x = self.t.new_var(k);
        self.t.inputs.push(x);
        x
    }
    fn op(&mut self, kind: OpKind, args: Vec<Operand>, results: &[Kind]) -> Vec<Var> {
        let results: Vec<Var> = results.iter().map(|k| self.t.new_var(*k)).collect();
        self.t.ops.push(Op {
            kind,
            args,
            results: results.clone(),
        });
        results
    }
    fn op1(&mut self, kind: OpKind, args: Vec<Operand>, result: Kind) -> Var {
        self.op(kind, args, &[result])[0]
    }
    fn guard(&mut self, kind: GuardKind, index: u32, args: Vec<Operand>, fail: Vec<Operand>) {
        let fail_args = fail;
        self.op(
            OpKind::Guard {
                kind,
                index,
                fail_args,
                stores: Vec::new(),
                virtuals: Vec::new(),
            },
            args,
            &[],
        );
    }
    fn int(&mut self, op: BinOp, it: IntTy, a: Operand, b: Operand) -> Var {
        self.op1(OpKind::IntBin(op, it), vec![a, b], Kind::Int)
    }
}

/// A loop shaped like a bytecode interpreter's traces: per step, a dispatch guard on the
/// opcode, tape loads and stores with bounds checks, field accesses on a frame object, guards
/// with snapshot-sized fail_args, and now and then a helper call that may collect.
fn interp_trace(min_ops: usize) -> Trace {
    let mut b = B::new(&format!("interp {min_ops}"));
    let frame = b.input(Kind::Ref);
    let code = b.input(Kind::Ref);
    let tape = b.input(Kind::Ref);
    let mut pc = b.input(Kind::Int);
    let mut ptr = b.input(Kind::Int);
    let mut acc = b.input(Kind::Int);
    let i64t = IntTy::I64;
    let mut guard = 0;
    let mut step = 0;
    while b.t.ops.len() + 1 < min_ops {
        let op = b.op1(
            OpKind::ArrayGet {
                width: 1,
                word: 0,
                ty: Ty::Int(IntTy::U8),
            },
            vec![v(code), v(pc)],
            Kind::Int,
        );
        let snapshot = |pc: Var, ptr: Var, acc: Var, k: i64| {
            vec![
                v(frame),
                v(code),
                v(tape),
                v(pc),
                v(ptr),
                v(acc),
                Operand::Int(k),
                Operand::Int(0),
            ]
        };
        b.guard(
            GuardKind::Value,
            guard,
            vec![v(op), Operand::Int(43)],
            snapshot(pc, ptr, acc, 1),
        );
        guard += 1;
        let x = b.op1(
            OpKind::ArrayGet {
                width: 1,
                word: 0,
                ty: Ty::Int(IntTy::U8),
            },
            vec![v(tape), v(ptr)],
            Kind::Int,
        );
        let y = b.int(BinOp::Add, IntTy::U8, v(x), Operand::Int(1));
        b.op(
            OpKind::ArraySet {
                width: 1,
                word: 0,
                ty: Ty::Int(IntTy::U8),
            },
            vec![v(tape), v(ptr), v(y)],
            &[],
        );
        let z = b.op1(
            OpKind::IntCmp(BinOp::Eq, i64t),
            vec![v(y), Operand::Int(0)],
            Kind::Int,
        );
        b.guard(
            GuardKind::False,
            guard,
            vec![v(z)],
            snapshot(pc, ptr, acc, 2),
        );
        guard += 1;
        pc = b.int(BinOp::Add, i64t, v(pc), Operand::Int(1));
        let steps = b.op1(
            OpKind::GetField {
                offset: 16,
                ty: Ty::Int(i64t),
                pure: false,
            },
            vec![v(frame)],
            Kind::Int,
        );
        let steps1 = b.int(BinOp::Add, i64t, v(steps), Operand::Int(1));
        b.op(
            OpKind::SetField {
                offset: 16,
                ty: Ty::Int(i64t),
            },
            vec![v(frame), v(steps1)],
            &[],
        );
        acc = b.int(BinOp::Xor, i64t, v(acc), v(y));
        if step % 3 == 2 {
            ptr = b.int(BinOp::Add, i64t, v(ptr), Operand::Int(1));
            let n = b.op1(OpKind::ArrayLen, vec![v(tape)], Kind::Int);
            let ok = b.op1(
                OpKind::IntCmp(BinOp::Lt, i64t),
                vec![v(ptr), v(n)],
                Kind::Int,
            );
            b.guard(
                GuardKind::True,
                guard,
                vec![v(ok)],
                snapshot(pc, ptr, acc, 3),
            );
            guard += 1;
        }
        if step % 8 == 7 {
            let r = b.op1(
                OpKind::Call {
                    helper: 0,
                    args: vec![Ty::Ref, Ty::Int(i64t)],
                    results: vec![Ty::Int(i64t)],
                    can_collect: true,
                },
                vec![v(frame), v(acc)],
                Kind::Int,
            );
            acc = b.int(BinOp::Add, i64t, v(acc), v(r));
        }
        step += 1;
    }
    b.op(
        OpKind::Jump,
        vec![v(frame), v(code), v(tape), v(pc), v(ptr), v(acc)],
        &[],
    );
    b.t
}

/// `for i in i..n { arr[(i+1) & 1023] = u8(acc = (acc + 3 * arr[i & 1023]) ^ (acc >> 7)) }`,
/// with bounds checks and a second, never failing guard.
fn run_trace() -> Trace {
    let mut b = B::new("array loop");
    let arr = b.input(Kind::Ref);
    let i = b.input(Kind::Int);
    let acc = b.input(Kind::Int);
    let n = b.input(Kind::Int);
    let (i64t, u64t) = (IntTy::I64, IntTy::U64);
    let elem = OpKind::ArrayGet {
        width: 1,
        word: 0,
        ty: Ty::Int(i64t),
    };
    let idx = b.int(BinOp::And, i64t, v(i), Operand::Int(1023));
    let x = b.op1(elem, vec![v(arr), v(idx)], Kind::Int);
    let t = b.int(BinOp::Mul, i64t, v(x), Operand::Int(3));
    let a2 = b.int(BinOp::Add, i64t, v(acc), v(t));
    let sh = b.int(BinOp::Shr, u64t, v(a2), Operand::Int(7));
    let a3 = b.int(BinOp::Xor, i64t, v(a2), v(sh));
    let y = b.op1(
        OpKind::Cast(Ty::Int(i64t), Ty::Int(IntTy::U8)),
        vec![v(a3)],
        Kind::Int,
    );
    let i1 = b.int(BinOp::Add, i64t, v(i), Operand::Int(1));
    let idx2 = b.int(BinOp::And, i64t, v(i1), Operand::Int(1023));
    b.op(
        OpKind::ArraySet {
            width: 1,
            word: 0,
            ty: Ty::Int(i64t),
        },
        vec![v(arr), v(idx2), v(y)],
        &[],
    );
    let more = b.op1(
        OpKind::IntCmp(BinOp::Lt, i64t),
        vec![v(i1), v(n)],
        Kind::Int,
    );
    b.guard(GuardKind::True, 0, vec![v(more)], vec![v(i1), v(a3)]);
    let odd = b.op1(
        OpKind::IntCmp(BinOp::Eq, i64t),
        vec![v(y), Operand::Int(-1)],
        Kind::Int,
    );
    b.guard(GuardKind::False, 1, vec![v(odd)], vec![v(i1), v(a3), v(y)]);
    b.op(OpKind::Jump, vec![v(arr), v(i1), v(a3), v(n)], &[]);
    b.t
}

extern "C" fn helper(args: *const u64, results: *mut u64) {
    // SAFETY: the trace passes two argument words and one result word.
    unsafe { *results = *args.add(1) & 1 };
}

extern "C" fn never() {
    eprintln!("compile_bench: unexpected runtime call");
    std::process::exit(1)
}

fn env() -> Env {
    let helpers: &'static [usize] = Box::leak(Box::new([helper as *const () as usize; 64]));
    let stack: &'static mut [u64] = Box::leak(vec![0u64; 1024].into_boxed_slice());
    let top: &'static mut *mut u64 = Box::leak(Box::new(stack.as_mut_ptr()));
    // SAFETY: one past the end of the leaked stack.
    let limit: &'static mut *mut u64 = Box::leak(Box::new(unsafe { (*top).add(1024) }));
    let never = never as *const () as usize;
    Env {
        helpers: helpers.as_ptr(),
        nhelpers: helpers.len(),
        array_get: never,
        array_set: never,
        list_get: never,
        list_set: never,
        str_byte_at: never,
        fatal: never,
        shadow_top: top as *mut *mut u64 as usize,
        shadow_limit: limit as *mut *mut u64 as usize,
        stack_overflow: never,
    }
}

fn host() -> String {
    target_lexicon::Triple::host().to_string()
}

/// CPU time of this thread (insensitive to other processes' load, unlike wall time).
fn cpu_now() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid out pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Runs `f` `reps` times; returns the median and the minimum CPU time of one run.
fn measure(reps: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..reps.max(1))
        .map(|_| {
            let t0 = cpu_now();
            f();
            cpu_now() - t0
        })
        .collect();
    times.sort();
    (times[times.len() / 2], times[0])
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Prints (and resets) Cranelift's per-pass times when `BENCH_TIMING` is set.
fn pass_times() {
    let t = cranelift_codegen::timing::take_current();
    if std::env::var_os("BENCH_TIMING").is_some() {
        println!("{t}");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reps: usize = args
        .first()
        .map(|s| s.parse().expect("reps"))
        .unwrap_or(200);
    let env = env();
    let t0 = cpu_now();
    let mut c = TraceCompiler::new(&host(), MemPolicy::MprotectWx).expect("host compiler");
    let tiny = {
        let mut b = B::new("tiny");
        let x = b.input(Kind::Int);
        b.op(OpKind::Exit { index: 0 }, vec![v(x)], &[]);
        b.t
    };
    c.compile(&tiny, &env, None, false).expect("compile");
    println!(
        "first compile (TraceCompiler::new, trampoline, 1-op trace): {:.1} us",
        us(cpu_now() - t0)
    );
    if let Some(file) = args.get(1) {
        bench_file(&mut c, &env, file, reps);
        return;
    }
    let small = interp_trace(30);
    let big = interp_trace(300);
    for t in [&tiny, &small, &big] {
        pass_times();
        let mut keep = Vec::with_capacity(reps);
        let mut size = 0;
        let (med, min) = measure(reps, || {
            let ct = c.compile(t, &env, None, false).expect("compile");
            size = ct.code_size;
            keep.push(ct);
        });
        println!(
            "{:4} ops: {:7.1} us per trace (median; min {:.1}), {:.3} ms per 1000 ops, {} bytes of code",
            t.ops.len(),
            us(med),
            us(min),
            us(med) / t.ops.len() as f64,
            size
        );
        pass_times();
    }
    // Code quality: 10^8 iterations of the array loop.
    let ct = c.compile(&run_trace(), &env, None, false).expect("compile");
    let mut arr = vec![0u64; 4 + 1024];
    arr[3] = 1024; // length at offset 24
    for (k, w) in arr[4..].iter_mut().enumerate() {
        *w = k as u64 * 7 % 256;
    }
    let n = 100_000_000u64;
    let mut best = Duration::MAX;
    let mut result = 0;
    for _ in 0..5 {
        let mut frame = [arr.as_mut_ptr() as u64, 0, 1, n];
        let t0 = cpu_now();
        // SAFETY: the frame matches the trace's inputs and exits; `arr` is a valid GcArray.
        let idx = unsafe { (ct.entry)(frame.as_mut_ptr()) };
        best = best.min(cpu_now() - t0);
        assert_eq!((idx, frame[0]), (0, n));
        result = frame[1];
    }
    println!(
        "array loop: {:.3} ns per iteration (best of 5, 10^8 iterations, result {result:#x}, {} bytes of code)",
        best.as_secs_f64() * 1e9 / n as f64,
        ct.code_size
    );
}

// ---- a parser for printed traces (`Display for Trace`, as in `VMKIT_LOG=jit-log-opt`) -----

fn parse_operand(s: &str, kinds: &mut Vec<Option<Kind>>) -> Result<Operand, String> {
    let s = s.trim();
    if let Some(hex) = s
        .strip_prefix("ConstPtr(0x")
        .and_then(|h| h.strip_suffix(')'))
    {
        return u64::from_str_radix(hex, 16)
            .map(Operand::Ref)
            .map_err(|e| format!("{s}: {e}"));
    }
    let kind = match s.as_bytes().first() {
        Some(b'i') if s != "inf" => Some(Kind::Int),
        Some(b'p') => Some(Kind::Ref),
        Some(b'f') => Some(Kind::Float),
        _ => None,
    };
    if let Some(k) = kind {
        let v: Var = s[1..].parse().map_err(|e| format!("{s}: {e}"))?;
        if kinds.len() <= v as usize {
            kinds.resize(v as usize + 1, None);
        }
        kinds[v as usize] = Some(k);
        return Ok(Operand::Var(v));
    }
    if let Ok(i) = s.parse::<i64>() {
        return Ok(Operand::Int(i));
    }
    s.parse::<f64>()
        .map(|f| Operand::Float(f.to_bits()))
        .map_err(|e| format!("operand `{s}`: {e}"))
}

fn parse_list(s: &str, kinds: &mut Vec<Option<Kind>>) -> Result<Vec<Operand>, String> {
    if s.trim().is_empty() {
        return Ok(Vec::new());
    }
    s.split(", ").map(|a| parse_operand(a, kinds)).collect()
}

fn int_ty(s: &str) -> Result<IntTy, String> {
    IntTy::from_name(s).ok_or_else(|| format!("int type `{s}`"))
}

fn ty(s: &str) -> Result<Ty, String> {
    Ty::from_name(s).ok_or_else(|| format!("type `{s}`"))
}

fn binop(s: &str) -> Result<BinOp, String> {
    BinOp::from_name(s).ok_or_else(|| format!("operator `{s}`"))
}

/// `name` of [`vmkit_jit_ir::trace::op_name`] back to an `OpKind` (calls: argument and result
/// types from the operands' kinds).
fn parse_kind(
    name: &str,
    args: &[Operand],
    results: &[Kind],
    kinds: &[Option<Kind>],
) -> Result<OpKind, String> {
    let kind_ty = |k: Kind| match k {
        Kind::Int => Ty::Int(IntTy::I64),
        Kind::Ref => Ty::Ref,
        Kind::Float => Ty::F64,
    };
    let operand_kind = |o: &Operand| match o {
        Operand::Var(v) => kinds[*v as usize].unwrap_or(Kind::Int),
        Operand::Int(_) => Kind::Int,
        Operand::Float(_) => Kind::Float,
        Operand::Ref(_) => Kind::Ref,
    };
    let (base, rest) = name.split_once('.').unwrap_or((name, ""));
    Ok(match base {
        "bool_not" => OpKind::BoolNot,
        "float_neg" => OpKind::FloatNeg,
        "ptr_eq" => OpKind::PtrEq,
        "ptr_is_null" => OpKind::PtrIsNull,
        "arraylen" => OpKind::ArrayLen,
        "strlen" => OpKind::StrLen,
        "strgetitem" => OpKind::StrByteAt,
        "jump" => OpKind::Jump,
        "label" => OpKind::Label,
        "restart" => OpKind::Restart,
        "cast" => {
            let (a, b) = rest.split_once('.').ok_or("cast types")?;
            OpKind::Cast(ty(a)?, ty(b)?)
        }
        "getfield" | "getfield_pure" | "setfield" => {
            let (t, off) = rest.split_once('@').ok_or("field offset")?;
            let (ty, offset) = (ty(t)?, off.parse().map_err(|_| "offset")?);
            if base != "setfield" {
                OpKind::GetField {
                    offset,
                    ty,
                    pure: base == "getfield_pure",
                }
            } else {
                OpKind::SetField { offset, ty }
            }
        }
        "arrayget" | "arrayset" | "listget" | "listset" => {
            let (t, ww) = rest.split_once('[').ok_or("element")?;
            let (word, width) = ww
                .trim_end_matches(']')
                .split_once('/')
                .ok_or("element word")?;
            let (ty, word, width) = (
                ty(t)?,
                word.parse().map_err(|_| "word")?,
                width.parse().map_err(|_| "width")?,
            );
            match base {
                "arrayget" => OpKind::ArrayGet { width, word, ty },
                "arrayset" => OpKind::ArraySet { width, word, ty },
                "listget" => OpKind::ListGet { width, word, ty },
                _ => OpKind::ListSet { width, word, ty },
            }
        }
        _ if base.starts_with("exit#") => OpKind::Exit {
            index: base[5..].parse().map_err(|_| "exit index")?,
        },
        _ if base.starts_with("jump_to") => OpKind::JumpTo { target: 0x1000 },
        _ if base.starts_with("call") => {
            let helper = base
                .split_once("(h")
                .and_then(|(_, h)| h.strip_suffix(')'))
                .ok_or("helper")?
                .parse()
                .map_err(|_| "helper")?;
            OpKind::Call {
                helper,
                args: args.iter().map(|a| kind_ty(operand_kind(a))).collect(),
                results: results.iter().map(|k| kind_ty(*k)).collect(),
                can_collect: base.starts_with("call_may_gc"),
            }
        }
        _ => {
            let (family, op) = base.split_once('_').ok_or_else(|| format!("op `{name}`"))?;
            match family {
                "int" if op == "neg" => OpKind::IntNeg(int_ty(rest)?),
                "int" if op == "not" => OpKind::IntNot(int_ty(rest)?),
                "int" if op.ends_with("_ovf") => {
                    OpKind::IntOvf(binop(op.trim_end_matches("_ovf"))?, int_ty(rest)?)
                }
                "int" => {
                    let b = binop(op)?;
                    if b.is_cmp() {
                        OpKind::IntCmp(b, int_ty(rest)?)
                    } else {
                        OpKind::IntBin(b, int_ty(rest)?)
                    }
                }
                "bool" => OpKind::BoolBin(binop(op)?),
                "float" => {
                    let b = binop(op)?;
                    if b.is_cmp() {
                        OpKind::FloatCmp(b)
                    } else {
                        OpKind::FloatBin(b)
                    }
                }
                _ => return Err(format!("op `{name}`")),
            }
        }
    })
}

/// Parses a guard's printed delayed stores: `arrayset.u8[0/1](p0, i1, i41); ...`.
fn parse_delayed(s: &str, kinds: &mut Vec<Option<Kind>>) -> Result<Vec<DelayedStore>, String> {
    let mut out = Vec::new();
    for st in s.split("; ").filter(|st| !st.is_empty()) {
        let (name, args) = st
            .split_once('(')
            .ok_or_else(|| format!("delayed `{st}`"))?;
        let args = parse_list(args.trim_end_matches(')'), kinds)?;
        out.push(match (parse_kind(name, &args, &[], kinds)?, &args[..]) {
            (OpKind::ArraySet { width, word, ty }, &[array, index, value]) => DelayedStore {
                width,
                word,
                ty,
                array,
                index,
                value,
                field: None,
            },
            (OpKind::SetField { offset, ty }, &[array, value]) => DelayedStore {
                width: 0,
                word: 0,
                ty,
                array,
                index: Operand::Int(0),
                value,
                field: Some(offset),
            },
            _ => return Err(format!("delayed store `{st}`")),
        });
    }
    Ok(out)
}

/// Parses the traces printed in `text` (each starting with `# name (N ops)`).
fn parse_traces(text: &str) -> Result<Vec<Trace>, String> {
    let mut traces = Vec::new();
    let mut lines = text.lines().peekable();
    // Logs hold each trace before and after optimization: only the latter is compiled.
    let mut before = false;
    while let Some(line) = lines.next() {
        if let Some(what) = line.strip_prefix("jit-log-opt: ") {
            before = what.starts_with("before");
            continue;
        }
        let Some(head) = line.strip_prefix("# ").filter(|h| h.ends_with(" ops)")) else {
            continue;
        };
        if before {
            continue;
        }
        let name = head.rsplit_once(" (").map_or(head, |(n, _)| n);
        let mut kinds: Vec<Option<Kind>> = Vec::new();
        let inputs_line = lines.next().ok_or("missing inputs")?;
        let inputs = parse_list(inputs_line.trim_matches(['[', ']']), &mut kinds)?;
        let mut t = Trace {
            name: name.into(),
            inputs: inputs.iter().filter_map(|o| o.as_var()).collect(),
            ..Default::default()
        };
        while let Some(line) = lines.next_if(|l| !l.trim().is_empty()) {
            if line.starts_with('#') {
                continue;
            }
            let (results, rhs) = match line.split_once(" = ") {
                Some((r, rhs)) => (parse_list(r, &mut kinds)?, rhs),
                None => (Vec::new(), line),
            };
            if let Some(g) = rhs.strip_prefix("bridge(#") {
                let guard = g
                    .trim_end_matches("()")
                    .trim_end_matches(')')
                    .parse()
                    .map_err(|_| "bridge guard")?;
                t.ops.push(Op {
                    kind: OpKind::Bridge { guard },
                    args: Vec::new(),
                    results: Vec::new(),
                });
                continue;
            }
            let open = rhs.find('(').ok_or_else(|| format!("`{line}`"))?;
            // `name(args)` or `name(args) #i [fail]`; names may contain `(h3)` or `(0x..)`.
            let (name, after) = if rhs.starts_with("call") || rhs.starts_with("jump_to") {
                let close = rhs.find(')').expect("name");
                rhs.split_at(close + 1)
            } else {
                rhs.split_at(open)
            };
            let close = after.find(')').ok_or_else(|| format!("`{line}`"))?;
            let args = parse_list(&after[1..close], &mut kinds)?;
            let tail = after[close + 1..].trim();
            let result_kinds: Vec<Kind> = results
                .iter()
                .map(|r| kinds[r.as_var().expect("var") as usize].expect("kind"))
                .collect();
            let kind = if let Some(g) = name.strip_prefix("guard_") {
                let (idx, fail) = tail
                    .strip_prefix('#')
                    .and_then(|t| t.split_once(" ["))
                    .ok_or_else(|| format!("guard `{line}`"))?;
                OpKind::Guard {
                    kind: match g {
                        "true" => GuardKind::True,
                        "false" => GuardKind::False,
                        _ => GuardKind::Value,
                    },
                    index: idx.parse().map_err(|_| "guard index")?,
                    fail_args: parse_list(
                        fail.split(" delayed {")
                            .next()
                            .unwrap_or("")
                            .trim_end_matches(']'),
                        &mut kinds,
                    )?,
                    stores: match fail.split_once(" delayed {") {
                        None => Vec::new(),
                        Some((_, d)) => parse_delayed(d.trim_end_matches('}'), &mut kinds)?,
                    },
                    virtuals: Vec::new(),
                }
            } else {
                parse_kind(name, &args, &result_kinds, &kinds)?
            };
            t.ops.push(Op {
                kind,
                args,
                results: results.iter().filter_map(|o| o.as_var()).collect(),
            });
        }
        t.kinds = kinds.into_iter().map(|k| k.unwrap_or(Kind::Int)).collect();
        t.verify().map_err(|e| format!("{}: {e}", t.name))?;
        traces.push(t);
    }
    Ok(traces)
}

/// Compiles every trace of `file` `reps` times; prints the time per trace and per 1000
/// operations (median and minimum over the passes over all traces).
fn bench_file(c: &mut TraceCompiler, env: &Env, file: &str, reps: usize) {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let traces = parse_traces(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let ops: usize = traces.iter().map(|t| t.ops.len()).sum();
    let links = vec![0u64; 1024];
    if let Ok(k) = std::env::var("BENCH_DUMP") {
        let t = &traces[k.parse::<usize>().expect("trace number")];
        let ct = c
            .compile(t, env, Some(links.as_ptr()), true)
            .expect("compile");
        println!("{t}\n{}", ct.text.expect("text"));
        return;
    }
    for (what, links) in [
        ("unlinked", None),
        ("with link tables", Some(links.as_ptr())),
    ] {
        pass_times();
        let mut size = 0;
        let (med, min) = measure(reps, || {
            size = 0;
            for t in &traces {
                let ct = c.compile(t, env, links, false).expect("compile");
                size += ct.code_size;
            }
        });
        let n = traces.len() as f64;
        println!(
            "{file} ({what}): {} traces, {ops} ops: {:.3} ms for all (median; min {:.3}), {:.1} us per trace, {:.3} ms per 1000 ops, {size} bytes of code",
            traces.len(),
            us(med) / 1e3,
            us(min) / 1e3,
            us(med) / n,
            us(med) / ops as f64,
        );
        pass_times();
    }
    // Code quality on a real trace: loop 0 of the BF corpus is `[->>>+>+<<<<]` (it moves a
    // cell into two others); each entry runs it 255 times.
    if traces[0].name == "loop 0" && traces[0].inputs.len() == 2 {
        let ct = c.compile(&traces[0], env, None, false).expect("compile");
        let mut tape = vec![0u64; 4 + 30000];
        tape[3] = 30000;
        let mut best = Duration::MAX;
        let entries = 200_000;
        for _ in 0..5 {
            let t0 = cpu_now();
            for _ in 0..entries {
                tape[4 + 100] = 255;
                let mut frame = [tape.as_mut_ptr() as u64, 100, 0, 0];
                // SAFETY: a GcArray-shaped tape of 30000 cells and a frame for the exits.
                let idx = unsafe { (ct.entry)(frame.as_mut_ptr()) };
                assert_eq!(idx, 8);
            }
            best = best.min(cpu_now() - t0);
        }
        println!(
            "bf loop 0: {:.3} ns per iteration (best of 5, {entries} entries of 255 iterations, {} bytes of code)",
            best.as_secs_f64() * 1e9 / (entries as f64 * 255.0),
            ct.code_size
        );
    }
}
