//! The JIT end to end: interpreters (bf and DSL snippets) are translated with their JIT, run
//! with `VMKIT_JIT` settings, and the traces they compile are inspected through the runtime's
//! logs (`VMKIT_LOG=jit-log-opt,jit-summary,...`), which print every trace before and after
//! optimization in a stable text form (`jit_ir::trace`'s printer). The assertions are about trace
//! *shapes* (which operations, how many) and about the JIT's bookkeeping (loops, bridges,
//! aborts), on top of the output, which must always be the untranslated one.
//!
//! Every test here runs x86-64 code natively; `translated.rs` runs all JIT-enabled programs on
//! aarch64 too.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use vmkit_translator::target::TargetSpec;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf()
}

const X86: &str = "x86_64-unknown-linux-gnu";

fn translate(src: &Path, name: &str) -> PathBuf {
    let spec = TargetSpec::load(X86).expect("target spec");
    let t =
        vmkit_translator::driver::front_end(src, &spec).unwrap_or_else(|e| panic!("{}: {}", src.display(), e.render()));
    let out = root().join("target/vmkit-tests/jit/bin");
    let exe = out.join(name);
    vmkit_backends::build::build_executable(&t, src, &root(), &exe, &out.join(format!("{name}.build")))
        .unwrap_or_else(|e| panic!("{}: {e}", src.display()))
        .exe
}

/// The bf VM, translated once for all tests.
fn bf() -> &'static Path {
    static BF: OnceLock<PathBuf> = OnceLock::new();
    BF.get_or_init(|| translate(&root().join("examples/bf/src/lib.rs"), "bf"))
}

/// `tests/dsl/jit_recursion.rs`, translated once for all tests.
fn jit_recursion() -> &'static Path {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| translate(&root().join("tests/dsl/jit_recursion.rs"), "jit_recursion"))
}

/// A DSL snippet written to a file and translated.
fn snippet(name: &str, src: &str) -> PathBuf {
    let dir = root().join("target/vmkit-tests/jit/src");
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join(format!("{name}.rs"));
    std::fs::write(&file, src).expect("write snippet");
    translate(&file, name)
}

struct Run {
    stdout: Vec<u8>,
    stderr: String,
    status: i32,
}

/// Runs with `VMKIT_JIT=jit` and `VMKIT_LOG=log`. Traces are compiled on the program's thread
/// (`compile_thread=0`, prepended) unless `jit` says otherwise: with the background compilation
/// thread, when a trace starts running depends on timing, and so do the trace counts and
/// shapes these tests check.
fn run(exe: &Path, args: &[&str], jit: &str, log: &str) -> Run {
    let jit = if jit.contains("compile_thread") { jit.to_string() } else { format!("compile_thread=0,{jit}") };
    run_as_is(exe, args, &jit, log)
}

/// [`run`] with `jit` as given (background compilation unless it says `compile_thread=0`).
fn run_as_is(exe: &Path, args: &[&str], jit: &str, log: &str) -> Run {
    let mut c = Command::new(exe);
    c.args(args);
    if !jit.is_empty() {
        c.env("VMKIT_JIT", jit);
    }
    if !log.is_empty() {
        c.env("VMKIT_LOG", log);
    }
    let o = c.output().unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
    Run {
        stdout: o.stdout,
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        status: o.status.code().unwrap_or(-1),
    }
}

/// One trace of a `jit-log-opt` log (after optimization): its name and its operations'
/// names (`int_add.usize`, `guard_false`, ...).
#[derive(Debug)]
struct LoggedTrace {
    name: String,
    ops: Vec<String>,
    text: String,
}

impl LoggedTrace {
    fn count(&self, prefix: &str) -> usize {
        self.ops.iter().filter(|o| o.starts_with(prefix)).count()
    }

    /// The operations of a peeled loop's body (after its `label`; empty without one).
    fn body_ops(&self) -> &[String] {
        let start = self.ops.iter().position(|o| o == "label").map_or(self.ops.len(), |l| l + 1);
        &self.ops[start..]
    }
}

fn optimized_traces(stderr: &str) -> Vec<LoggedTrace> {
    let mut out = Vec::new();
    for section in stderr.split("jit-log-opt: ").skip(1) {
        let Some(body) = section.strip_prefix("after optimization\n") else { continue };
        let mut lines = body.lines();
        let name = lines
            .next()
            .and_then(|l| l.strip_prefix("# "))
            .map(|l| l.split(" (").next().unwrap_or(l).to_string())
            .expect("trace header");
        let mut ops = Vec::new();
        let mut text = String::new();
        for l in lines {
            if l.starts_with("jit-") || l.is_empty() {
                break;
            }
            text.push_str(l);
            text.push('\n');
            if l.starts_with('#') || l.starts_with('[') {
                continue;
            }
            // (`=` also appears in a guard's `virtuals {p5 = new(...)}`)
            let op = match l.split_once(" = ") {
                Some((lhs, rhs)) if !lhs.contains('(') => rhs,
                _ => l,
            };
            ops.push(op.split('(').next().unwrap_or(op).to_string());
        }
        out.push(LoggedTrace { name, ops, text });
    }
    out
}

/// `name N` from the `jit-summary` lines.
fn summary(stderr: &str, name: &str) -> u64 {
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("jit-summary: ")).collect();
    assert!(lines.iter().any(|l| l.starts_with("jit-summary: loops")), "no jit-summary in:\n{stderr}");
    lines
        .iter()
        .flat_map(|l| l.split(", "))
        .find_map(|part| {
            let part = part.trim_start_matches("jit-summary: ");
            part.strip_prefix(name).map(|n| n.trim().parse().expect("number"))
        })
        .unwrap_or_else(|| panic!("no `{name}` in {lines:?}"))
}

fn bf_program(name: &str, code: &str) -> PathBuf {
    let dir = root().join("target/vmkit-tests/jit/bf-programs");
    std::fs::create_dir_all(&dir).expect("dir");
    let p = dir.join(format!("{name}.b"));
    std::fs::write(&p, code).expect("write");
    p
}

/// `[->+<]` (move a cell to the next one) in a hot loop. The loop is peeled: the first
/// iteration (the preamble) loads both cells and checks the tape ends once (the checks of `>`
/// and `<` merged into one range guard on the loop-invariant position); the loop body after the
/// label keeps both cells in loop variables: no load, no range check, no call (the
/// bracket lookup is elidable with constant arguments and folds), no guard on the program
/// counter (a green, constant in the trace), and no store either: both stores are delayed into
/// the failure path of the loop's only guard (`stores`; without it, two stores).
#[test]
fn bf_move_loop_has_no_calls_and_no_pc_guards() {
    // cell0 = 250 (5 * 50); move it to cell1; print cell1 (250)
    let p = bf_program("move", "+++++[>++++++++++<-]>[<+++++>-]<[->+<]>.");
    let r = run(bf(), &[p.to_str().expect("path")], "threshold=3", "jit-log-opt,jit-summary");
    assert_eq!(r.stdout, vec![250u8], "{}", r.stderr);
    let traces = optimized_traces(&r.stderr);
    let mv = traces
        .iter()
        .find(|t| t.name.starts_with("loop") && t.text.lines().nth(1).is_some_and(|l| l.ends_with("op=-")))
        .unwrap_or_else(|| panic!("no loop trace for [->+<] in {traces:#?}"));
    let label = mv.ops.iter().position(|o| o == "label").expect("peeled");
    let (pre, body) = mv.ops.split_at(label);
    let count = |ops: &[String], p: &str| ops.iter().filter(|o| o.starts_with(p)).count();
    assert_eq!(count(pre, "arrayget"), 2, "{}", mv.text);
    assert_eq!(count(pre, "guard_false"), 1, "one merged range guard:\n{}", mv.text);
    assert_eq!(count(body, "arrayget"), 0, "cells carried in loop variables:\n{}", mv.text);
    assert_eq!(count(body, "arrayset"), 0, "stores delayed:\n{}", mv.text);
    assert_eq!(count(body, "guard_false"), 0, "no range check in the body:\n{}", mv.text);
    assert_eq!(count(body, "guard_true"), 1, "only the loop condition:\n{}", mv.text);
    let after_label = mv.text.split(" = label(").nth(1).expect("label line");
    let guard = after_label.lines().find(|l| l.starts_with("guard_true(")).expect("body guard");
    let delayed = guard.split(" delayed {").nth(1).unwrap_or_else(|| panic!("no delayed stores:\n{}", mv.text));
    assert_eq!(delayed.matches("arrayset.u8").count(), 2, "{}", mv.text);
    assert_eq!(mv.count("call"), 0, "{}", mv.text);
    assert_eq!(mv.count("guard_value"), 0, "{}", mv.text);
    assert_eq!(mv.count("strgetitem"), 0, "program bytes fold:\n{}", mv.text);
    assert!(summary(&r.stderr, "loops") >= 1);
    // without delayed stores: the body stores both cells
    let r = run(
        bf(),
        &[p.to_str().expect("path")],
        "threshold=3,enable_opts=fold:cse:intbounds:guards:bounds:peel:dce:trees",
        "jit-log-opt",
    );
    assert_eq!(r.stdout, vec![250u8], "{}", r.stderr);
    let traces = optimized_traces(&r.stderr);
    let mv = traces
        .iter()
        .find(|t| t.name.starts_with("loop") && t.text.lines().nth(1).is_some_and(|l| l.ends_with("op=-")))
        .unwrap_or_else(|| panic!("no loop trace for [->+<] in {traces:#?}"));
    let label = mv.ops.iter().position(|o| o == "label").expect("peeled");
    assert_eq!(count(&mv.ops[label..], "arrayset"), 2, "{}", mv.text);
    assert!(!mv.text.contains("delayed"), "{}", mv.text);
    // without peeling and range-guard merging: one loop, a load per cell, both checks
    let r = run(bf(), &[p.to_str().expect("path")], "threshold=3,enable_opts=fold:cse:guards:dce", "jit-log-opt");
    assert_eq!(r.stdout, vec![250u8], "{}", r.stderr);
    let traces = optimized_traces(&r.stderr);
    let mv = traces
        .iter()
        .find(|t| t.name.starts_with("loop") && t.text.lines().nth(1).is_some_and(|l| l.ends_with("op=-")))
        .unwrap_or_else(|| panic!("no loop trace for [->+<] in {traces:#?}"));
    assert_eq!(mv.count("label"), 0, "{}", mv.text);
    assert_eq!(mv.count("arrayget"), 2, "{}", mv.text);
    assert_eq!(mv.count("arrayset"), 2, "{}", mv.text);
    assert_eq!(mv.count("guard_false"), 2, "{}", mv.text);
}

/// A loop whose traced iteration happens to be its last (the trace leaves the loop and stops at
/// the next loop header) is traced again instead of being compiled as an entry trace (which
/// would turn every later iteration into a guard failure and a bridge back to it): the inner
/// `[-]` at pc 16 runs 3 iterations per visit, and with threshold 4 the first trace records the
/// third, which leaves for the header of the next `[-]`.
#[test]
fn bf_loop_traced_again_when_trace_leaves_it() {
    let p = bf_program("retrace", "++++++++++[>+++[-]>++[-]<<-]++++++++[>++++++++<-]>+.");
    let r = run(bf(), &[p.to_str().expect("path")], "threshold=4", "jit-log-opt,jit-summary");
    assert_eq!(r.stdout, b"A".to_vec(), "{}", r.stderr);
    assert!(summary(&r.stderr, "retraces") >= 1, "{}", r.stderr);
    let traces = optimized_traces(&r.stderr);
    let starts_at_16 = |t: &&LoggedTrace| t.text.lines().nth(1) == Some("# pc=16 op=-");
    let inner: Vec<&LoggedTrace> = traces.iter().filter(starts_at_16).collect();
    assert_eq!(inner.len(), 1, "{traces:#?}");
    assert!(inner[0].name.starts_with("loop"), "{}", inner[0].text);
    assert_eq!(inner[0].count("jump"), 1, "{}", inner[0].text);
}

/// A bridge starts where its guard failed, with the guard's condition among its inputs; that
/// value is known (the one that made the guard fail), so the bridge does not test it again:
/// no bridge begins with a guard on one of its inputs.
#[test]
fn bf_bridges_do_not_recheck_their_guard() {
    let dir = root().join("examples/bf/programs");
    let prog = dir.join("life1d_small.b");
    let want = std::fs::read(dir.join("life1d_small.out")).expect("golden");
    let r = run(bf(), &[prog.to_str().expect("path")], "threshold=3,trace_eagerness=2", "jit-log-opt,jit-summary");
    assert_eq!(r.stdout, want, "{}", r.stderr);
    let traces = optimized_traces(&r.stderr);
    let bridges: Vec<&LoggedTrace> = traces.iter().filter(|t| t.name.starts_with("bridge")).collect();
    assert!(bridges.len() >= 3, "{}", r.stderr);
    for b in bridges {
        let mut lines = b.text.lines().filter(|l| !l.starts_with('#'));
        let inputs = lines.next().expect("inputs");
        let inputs: Vec<&str> = inputs.trim_matches(|c| c == '[' || c == ']').split(", ").collect();
        let first = lines.next().unwrap_or("");
        let rechecks = ["guard_true(", "guard_false("].iter().any(|g| {
            first.strip_prefix(g).and_then(|rest| rest.split(')').next()).is_some_and(|arg| inputs.contains(&arg))
        });
        assert!(!rechecks, "{}", b.text);
    }
}

/// Guards that start failing get bridges; the results do not change.
#[test]
fn bf_bridges_are_compiled_and_results_agree() {
    let dir = root().join("examples/bf/programs");
    let prog = dir.join("primes_small.b");
    let want = std::fs::read(dir.join("primes_small.out")).expect("golden");
    let r = run(bf(), &[prog.to_str().expect("path")], "threshold=1,trace_eagerness=1", "jit-summary");
    assert_eq!(r.stdout, want, "{}", r.stderr);
    assert!(summary(&r.stderr, "loops") >= 3, "{}", r.stderr);
    assert!(summary(&r.stderr, "bridges") >= 3, "{}", r.stderr);
    // with a high eagerness, guard failures go to the blackhole interpreter instead
    let r = run(bf(), &[prog.to_str().expect("path")], "threshold=1,trace_eagerness=1000000", "jit-summary");
    assert_eq!(r.stdout, want, "{}", r.stderr);
    assert_eq!(summary(&r.stderr, "bridges"), 0, "{}", r.stderr);
    assert!(summary(&r.stderr, "guard failures") > 0, "{}", r.stderr);
}

/// A trace longer than `trace_limit` is abandoned; the program still runs to the same end.
#[test]
fn trace_limit_aborts_tracing() {
    let dir = root().join("examples/bf/programs");
    let prog = dir.join("primes_small.b");
    let want = std::fs::read(dir.join("primes_small.out")).expect("golden");
    let r = run(bf(), &[prog.to_str().expect("path")], "threshold=1,trace_limit=3", "jit-summary");
    assert_eq!(r.stdout, want, "{}", r.stderr);
    assert!(summary(&r.stderr, "aborts") > 0, "{}", r.stderr);
    assert_eq!(summary(&r.stderr, "loops"), 0, "{}", r.stderr);
}

/// Bad `VMKIT_JIT` settings are reported, not ignored.
#[test]
fn bad_jit_parameters_are_errors() {
    let p = bf_program("tiny", "+.");
    for (setting, message) in [
        ("thresold=3", "unknown parameter `thresold`"),
        ("threshold=many", "`threshold` needs a number"),
        ("enable_opts=fold:magic", "unknown optimization `magic`"),
        ("loop_longevity=-1", "`loop_longevity` needs a number"),
    ] {
        let r = run(bf(), &[p.to_str().expect("path")], setting, "");
        assert_eq!(r.status, 101, "{setting}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{setting}: {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
}

/// Every optimization can be left out on its own: the small versions of the long bf workloads
/// print the same bytes with each pass disabled in turn (and tracing from early on, so that the
/// traces cover most of the program). The list of passes is the runtime's own (from its error
/// message for an unknown name), so a new pass is covered without changing this test.
#[test]
fn bf_programs_agree_with_each_pass_disabled_in_turn() {
    let tiny = bf_program("tiny_opts", "+.");
    let r = run(bf(), &[tiny.to_str().expect("path")], "enable_opts=nosuchpass", "");
    let known: Vec<String> = r
        .stderr
        .split("(known: ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap_or_else(|| panic!("no list of passes in: {}", r.stderr))
        .split(", ")
        .map(str::to_string)
        .collect();
    for pass in ["fold", "cse", "intbounds", "guards", "bounds", "peel", "dce", "trees", "stores", "virtuals"] {
        assert!(known.iter().any(|k| k == pass), "{pass} not in {known:?}");
    }
    let dir = root().join("examples/bf/programs");
    for prog in ["life1d_small", "mandel_ascii_small", "primes_small", "digits_small"] {
        let want = std::fs::read(dir.join(format!("{prog}.out"))).expect("golden");
        let path = dir.join(format!("{prog}.b"));
        for skip in &known {
            let opts: Vec<&str> = known.iter().filter(|k| *k != skip).map(String::as_str).collect();
            let jit = format!("threshold=2,trace_eagerness=2,enable_opts={}", opts.join(":"));
            let r = run(bf(), &[path.to_str().expect("path")], &jit, "jit-summary");
            assert_eq!(r.stdout, want, "{prog} without {skip}: {}", r.stderr);
            assert!(summary(&r.stderr, "loops") > 0, "{prog} without {skip}: {}", r.stderr);
        }
    }
}

/// `jit-backend` shows the Cranelift IR and the machine code of every compiled trace.
#[test]
fn backend_log_shows_cranelift_ir() {
    let dir = root().join("examples/bf/programs");
    let prog = dir.join("hello.b");
    let r = run(bf(), &[prog.to_str().expect("path")], "threshold=1", "jit-backend");
    assert_eq!(r.stdout, std::fs::read(dir.join("hello.out")).expect("golden"));
    assert!(r.stderr.contains("jit-backend: loop 0"), "{}", r.stderr);
    assert!(r.stderr.contains("function"), "no Cranelift IR in:\n{}", r.stderr);
}

/// No mapping of a process running compiled traces is ever writable and executable at once:
/// the runtime checks `/proc/self/maps` after every compilation.
#[test]
fn code_memory_is_never_writable_and_executable() {
    let dir = root().join("examples/bf/programs");
    let prog = dir.join("primes_small.b");
    // traces compiled on the program's thread, and in the background (installed by the
    // program's thread: the check runs after each installation)
    for jit in ["compile_thread=0,threshold=1,trace_eagerness=1", "threshold=1,trace_eagerness=1"] {
        let r = run_as_is(bf(), &[prog.to_str().expect("path")], jit, "jit-wx-check,jit-summary");
        let line = r
            .stderr
            .lines()
            .find(|l| l.starts_with("jit-wx-check: ") && l.contains(" checks, "))
            .unwrap_or_else(|| panic!("no wx report in:\n{}", r.stderr));
        let checks: u32 = line["jit-wx-check: ".len()..].split(' ').next().expect("n").parse().expect("number");
        assert!(checks >= 3, "{line}");
        assert!(line.ends_with(" 0 writable+executable mappings"), "{}", r.stderr);
        assert_eq!(
            checks as u64,
            summary(&r.stderr, "loops") + summary(&r.stderr, "bridges") + summary(&r.stderr, "entry traces"),
            "{jit}"
        );
    }
}

const PROMOTE: &str = r#"
use vmkit::io::print;
use vmkit::jit::promote;
use vmkit::{GcList, JitDriver, Str};

static DRIVER: JitDriver = JitDriver {
    name: "count",
    greens: &["pc"],
    reds: &["n", "acc", "step", "limit"],
    virtualizables: &[],
    get_printable_location: None,
};

fn count(limit: i64, step: i64) -> i64 {
    let pc: i64 = 0;
    let mut n: i64 = 0;
    let mut acc: i64 = 0;
    loop {
        vmkit::jit_merge_point!(DRIVER; pc; n, acc, step, limit);
        if n >= limit {
            break;
        }
        let s = promote(step);
        acc = acc.wrapping_add(s * 3 + 1);
        n += 1;
        vmkit::can_enter_jit!(DRIVER; pc; n, acc, step, limit);
    }
    acc
}

#[vmkit::entry]
fn entry(_args: GcList<Str>) -> i64 {
    print(Str::from_i64(count(100000, 7)));
    print(Str::from("\n"));
    0
}
"#;

const QUASI: &str = r#"
use vmkit::io::print;
use vmkit::{Gc, GcList, JitDriver, QuasiImmut, Str};

static DRIVER: JitDriver = JitDriver {
    name: "quasi",
    greens: &["pc", "cfg"],
    reds: &["n", "acc", "limit", "bump_at"],
    virtualizables: &[],
    get_printable_location: None,
};

struct Cfg {
    factor: QuasiImmut<i64>,
}

fn scale(cfg: Gc<Cfg>, limit: i64, bump_at: i64) -> i64 {
    let pc: i64 = 0;
    let mut n: i64 = 0;
    let mut acc: i64 = 0;
    loop {
        vmkit::jit_merge_point!(DRIVER; pc, cfg; n, acc, limit, bump_at);
        if n >= limit {
            break;
        }
        if n == bump_at {
            cfg.factor.set(cfg.factor.get() + 1);
        }
        acc = acc.wrapping_add(n.wrapping_mul(cfg.factor.get()));
        n += 1;
        vmkit::can_enter_jit!(DRIVER; pc, cfg; n, acc, limit, bump_at);
    }
    acc
}

fn show(v: i64) {
    print(Str::from_i64(v).concat(Str::from("\n")));
}

#[vmkit::entry]
fn entry(_args: GcList<Str>) -> i64 {
    let cfg = Gc::new(Cfg { factor: QuasiImmut::new(3) });
    show(scale(cfg, 100000, -1));
    cfg.factor.set(5);
    show(scale(cfg, 100000, -1));
    cfg.factor.set(7);
    show(scale(cfg, 50000, 25000));
    show(scale(cfg, 1000, -1));
    0
}
"#;

/// A `QuasiImmut` field of a constant object folds in traces behind a check of the trace's
/// invalidation cell (`getfield` of the cell + `guard_false`), and every write of the field
/// invalidates the code that folded it: by the AOT code between two runs of the loop, and by
/// the blackhole interpreter in the middle of one (the write is on a path the trace left).
/// Traces that stayed valid would print wrong sums.
#[test]
fn quasi_immutable_fields_fold_and_writes_invalidate() {
    let exe = snippet("quasi", QUASI);
    let sum = |lo: i64, hi: i64| (lo..hi).sum::<i64>();
    let want = format!(
        "{}\n{}\n{}\n{}\n",
        3 * sum(0, 100000),
        5 * sum(0, 100000),
        7 * sum(0, 25000) + 8 * sum(25000, 50000),
        8 * sum(0, 1000)
    );
    let off = run(&exe, &[], "off", "");
    assert_eq!(String::from_utf8_lossy(&off.stdout), want, "{}", off.stderr);
    for jit in ["threshold=5", "threshold=1,trace_eagerness=1", "threshold=5,enable_opts=fold"] {
        let r = run(&exe, &[], jit, "jit-log-opt,jit-summary");
        assert_eq!(String::from_utf8_lossy(&r.stdout), want, "{jit}: {}", r.stderr);
    }
    let r = run(&exe, &[], "threshold=5", "jit-log-opt,jit-summary");
    let traces = optimized_traces(&r.stderr);
    let lp = traces.iter().find(|t| t.name.starts_with("loop")).expect("a loop");
    // factor 3 folded into the multiplication, one cell check per iteration
    assert!(lp.text.contains(", 3)"), "{}", lp.text);
    assert!(lp.count("guard_false") >= 1, "{}", lp.text);
    // without folding, the field is loaded and multiplied
    let r = run(&exe, &[], "threshold=5,enable_opts=", "jit-log-opt");
    assert_eq!(String::from_utf8_lossy(&r.stdout), want, "{}", r.stderr);
    let traces = optimized_traces(&r.stderr);
    let lp = traces.iter().find(|t| t.name.starts_with("loop")).expect("a loop");
    assert!(!lp.text.contains(", 3)"), "{}", lp.text);
}

const BOUNDS: &str = r#"
use vmkit::io::print;
use vmkit::{GcList, JitDriver, Str};

static DRIVER: JitDriver = JitDriver {
    name: "bounds",
    greens: &["pc"],
    reds: &["n", "acc", "limit"],
    virtualizables: &[],
    get_printable_location: None,
};

fn count(limit: i64) -> i64 {
    let pc: i64 = 0;
    let mut n: i64 = 0;
    let mut acc: i64 = 0;
    loop {
        vmkit::jit_merge_point!(DRIVER; pc; n, acc, limit);
        if n >= limit {
            break;
        }
        n = match n.checked_add(1) {
            Some(v) => v,
            None => panic!("overflow"),
        };
        acc = acc.wrapping_add(n & 7);
        vmkit::can_enter_jit!(DRIVER; pc; n, acc, limit);
    }
    acc
}

#[vmkit::entry]
fn entry(_args: GcList<Str>) -> i64 {
    print(Str::from_i64(count(100000)).concat(Str::from("\n")));
    0
}
"#;

const VIRTUALS: &str = r#"
use vmkit::io::print;
use vmkit::{Gc, GcArray, GcList, JitDriver, Mut, Str};

static DRIVER: JitDriver = JitDriver {
    name: "virtuals",
    greens: &["pc"],
    reds: &["n", "acc", "kept", "limit"],
    virtualizables: &[],
    get_printable_location: None,
};

struct Vec2 {
    x: i64,
    y: Mut<i64>,
}

fn add(a: Gc<Vec2>, b: Gc<Vec2>) -> Gc<Vec2> {
    Gc::new(Vec2 { x: a.x + b.x, y: Mut::new(a.y.get() + b.y.get()) })
}

fn run(limit: i64) -> i64 {
    let pc: i64 = 0;
    let mut n: i64 = 0;
    let mut acc: Gc<Vec2> = Gc::new(Vec2 { x: 0, y: Mut::new(0) });
    let kept: GcList<Gc<Vec2>> = GcList::new();
    loop {
        vmkit::jit_merge_point!(DRIVER; pc; n, acc, kept, limit);
        if n >= limit {
            break;
        }
        // temporaries: a step, scaled through a field write, and a sum of two of them
        let step = Gc::new(Vec2 { x: n & 3, y: Mut::new(1) });
        step.y.set(step.y.get() * 2);
        let twice = add(step, step);
        // a guard that fails now and then while `step` and `twice` are live: its failure path
        // makes them for the interpreter (and a bridge, later)
        if n % 97 == 50 {
            kept.push(twice);
        }
        // a temporary array: two elements of a pair of words each
        let pair: GcArray<(i64, i64)> = GcArray::new(2, (7, 1));
        pair.set(1, (step.x, 3));
        let (a, b) = pair.get(1);
        let (c, _) = pair.get(0);
        let same = if twice.x == a + step.x { b - 2 } else { c + pair.len() as i64 };
        acc = add(acc, Gc::new(Vec2 { x: twice.x + same, y: Mut::new(step.y.get()) }));
        n += 1;
        vmkit::can_enter_jit!(DRIVER; pc; n, acc, kept, limit);
    }
    let mut k: usize = 0;
    let mut sum: i64 = 0;
    while k < kept.len() {
        let v = kept.get(k);
        sum = sum * 7 + v.x * 3 + v.y.get();
        k += 1;
    }
    acc.x * 1000003 + acc.y.get() * 11 + sum
}

#[vmkit::entry]
fn entry(_args: GcList<Str>) -> i64 {
    print(Str::from_i64(run(20000)).concat(Str::from("\n")));
    0
}
"#;

/// `virtuals`: objects that do not escape the loop are not allocated. Per iteration the
/// program makes four objects: `step` (and writes its field), `twice`, the argument of the
/// final `add`, and the new `acc`, which goes around the loop, and an array of two pairs. With the pass the loop
/// allocates nothing: the first three are virtual within the iteration, and `acc` goes around
/// the loop as its two fields (loop variables); the guards that see them — among them the one
/// of the rare branch, which keeps `twice` in a list, and the loop's exit — make them on their
/// failure paths. The same bytes in every mode, with bridges (trace_eagerness=1) and without
/// the pass.
#[test]
fn virtuals_remove_allocations_that_do_not_escape() {
    let exe = snippet("virtuals", VIRTUALS);
    let off = run(&exe, &[], "off", "");
    assert_eq!(off.status, 0, "{}", off.stderr);
    let want = off.stdout;
    let mut news = Vec::new();
    for jit in [
        "threshold=5",
        "threshold=5,enable_opts=fold:cse:intbounds:guards:bounds:peel:dce:trees:stores",
        "threshold=1,trace_eagerness=1",
    ] {
        let r = run(&exe, &[], jit, "jit-log-opt,jit-summary");
        assert_eq!(r.stdout, want, "{jit}: {}", r.stderr);
        let traces = optimized_traces(&r.stderr);
        let lp = traces.iter().find(|t| t.name.starts_with("loop")).expect("a loop");
        // the loop body: after the label
        let body = lp.text.split(" = label(").nth(1).expect("a peeled loop");
        let in_body = body.lines().filter(|l| l.split('(').next().is_some_and(|h| h.ends_with("= new"))).count();
        let in_guards = body.matches("virtuals {").count();
        news.push((lp.count("new"), in_body, in_guards, lp.count("new_array")));
        if jit.contains("eagerness") {
            assert!(summary(&r.stderr, "bridges") >= 1, "{}", r.stderr);
        }
    }
    // with the pass: no allocation in the loop (nor in its preamble), guards that make the
    // virtuals
    assert_eq!(news[0].0, 0, "{news:?}");
    assert_eq!(news[0].3, 0, "{news:?}");
    assert_eq!(news[0].1, 0, "{news:?}");
    assert!(news[0].2 >= 2, "{news:?}");
    // without: all four, and no guard makes anything
    assert_eq!(news[1].1, 4, "{news:?}");
    assert_eq!(news[1].2, 0, "{news:?}");
    assert_eq!(news[1].3, 2, "{news:?}");
}

const FRAME: &str = r#"
use vmkit::io::print;
use vmkit::jit::promote;
use vmkit::{Gc, GcArray, GcList, JitDriver, Mut, Str};

#[derive(Clone, Copy)]
enum Val {
    Null,
    Int(i64),
    Float(f64),
}

/// Locals, then the value stack (as pyvm's frames).
#[vmkit::virtualizable]
struct Frame {
    slots: GcArray<Val>,
    sp: Mut<i64>,
}

static DRIVER: JitDriver = JitDriver {
    name: "frame",
    greens: &["pc", "code"],
    reds: &["frame"],
    virtualizables: &["frame"],
    get_printable_location: None,
};

const LOAD: i64 = 0;
const STORE: i64 = 1;
const CONST: i64 = 2;
const ADD: i64 = 3;
const MUL: i64 = 4;
const LT: i64 = 5;
const JUMP_IF_FALSE: i64 = 6;
const JUMP: i64 = 7;
const HALF: i64 = 8;
const RETURN: i64 = 9;

#[vmkit::elidable]
fn at(code: GcList<i64>, pc: i64) -> i64 {
    code.get(pc as usize)
}

/// The stack top, promoted: the stack's slots are constant indices in traces.
fn sp(f: Gc<Frame>) -> i64 {
    promote(f.sp.get())
}

fn push(f: Gc<Frame>, v: Val) {
    let sp = sp(f);
    f.slots.set(sp as usize, v);
    f.sp.set(sp + 1);
}

fn pop(f: Gc<Frame>) -> Val {
    let sp = sp(f) - 1;
    f.sp.set(sp);
    f.slots.get(sp as usize)
}

fn float(v: Val) -> f64 {
    match v {
        Val::Int(n) => n as f64,
        Val::Float(x) => x,
        Val::Null => 0.0,
    }
}

fn arith(op: i64, a: Val, b: Val) -> Val {
    match (a, b) {
        (Val::Int(x), Val::Int(y)) => {
            if op == ADD {
                Val::Int(x.wrapping_add(y))
            } else {
                Val::Int(x.wrapping_mul(y))
            }
        }
        _ => {
            if op == ADD {
                Val::Float(float(a) + float(b))
            } else {
                Val::Float(float(a) * float(b))
            }
        }
    }
}

fn run(code: GcList<i64>, frame: Gc<Frame>) -> Val {
    let mut pc: i64 = 0;
    loop {
        vmkit::jit_merge_point!(DRIVER; pc, code; frame);
        let op = at(code, pc);
        let arg = at(code, pc + 1);
        pc += 2;
        if op == LOAD {
            let v = frame.slots.get(arg as usize);
            push(frame, v);
        } else if op == STORE {
            let v = pop(frame);
            frame.slots.set(arg as usize, v);
        } else if op == CONST {
            push(frame, Val::Int(arg));
        } else if op == HALF {
            let v = pop(frame);
            push(frame, Val::Float(float(v) * 0.5));
        } else if op == ADD || op == MUL {
            let b = pop(frame);
            let a = pop(frame);
            push(frame, arith(op, a, b));
        } else if op == LT {
            let b = pop(frame);
            let a = pop(frame);
            push(frame, Val::Int(if float(a) < float(b) { 1 } else { 0 }));
        } else if op == JUMP_IF_FALSE {
            let c = pop(frame);
            if float(c) == 0.0 {
                pc = arg;
            }
        } else if op == JUMP {
            pc = arg;
            vmkit::can_enter_jit!(DRIVER; pc, code; frame);
        } else {
            return pop(frame);
        }
    }
}

fn emit(code: GcList<i64>, op: i64, arg: i64) {
    code.push(op);
    code.push(arg);
}

/// i = 0; s = 0; f = 0.0; while i < n { s = s + i * 3; f = f + half(i); i = i + 1 }; s + f
fn program() -> GcList<i64> {
    let c: GcList<i64> = GcList::new();
    emit(c, CONST, 0);
    emit(c, STORE, 0);
    emit(c, CONST, 0);
    emit(c, STORE, 1);
    emit(c, CONST, 0);
    emit(c, HALF, 0);
    emit(c, STORE, 3);
    let head = c.len() as i64;
    emit(c, LOAD, 0);
    emit(c, LOAD, 2);
    emit(c, LT, 0);
    let exit = c.len();
    emit(c, JUMP_IF_FALSE, 0);
    emit(c, LOAD, 1);
    emit(c, LOAD, 0);
    emit(c, CONST, 3);
    emit(c, MUL, 0);
    emit(c, ADD, 0);
    emit(c, STORE, 1);
    emit(c, LOAD, 3);
    emit(c, LOAD, 0);
    emit(c, HALF, 0);
    emit(c, ADD, 0);
    emit(c, STORE, 3);
    emit(c, LOAD, 0);
    emit(c, CONST, 1);
    emit(c, ADD, 0);
    emit(c, STORE, 0);
    emit(c, JUMP, head);
    c.set(exit + 1, c.len() as i64);
    emit(c, LOAD, 1);
    emit(c, LOAD, 3);
    emit(c, ADD, 0);
    emit(c, RETURN, 0);
    c
}

#[vmkit::entry]
fn entry(_args: GcList<Str>) -> i64 {
    let code = program();
    let mut n: i64 = 1000;
    while n <= 30000 {
        let frame = Gc::new(Frame { slots: GcArray::new(8, Val::Null), sp: Mut::new(4) });
        frame.slots.set(2, Val::Int(n));
        let r = run(code, frame);
        print(Str::from_f64(float(r)).concat(Str::from("\n")));
        n += 29000;
    }
    0
}
"#;

/// A frame in the style of pyvm's (locals and value stack in one array of a multi-word enum,
/// the stack top a `Mut` field that the interpreter promotes) keeps its slots in registers
/// inside a loop: with loop peeling and delayed stores the loop body has no load or store of
/// the frame or its array on the main path (its guards write them when they fail), the
/// array's pointer is an immutable field read once (`getfield_pure`, in the preamble), and
/// the type tags of the locals the loop keeps ints or floats are constants (no guard on them).
/// Without `stores` the body writes the slots; the same bytes in every mode.
#[test]
fn frame_slots_stay_in_registers_around_loops() {
    let exe = snippet("frame", FRAME);
    let off = run(&exe, &[], "off", "");
    assert_eq!(off.status, 0, "{}", off.stderr);
    let want = off.stdout;
    let mut shapes = Vec::new();
    for jit in [
        "threshold=5",
        "threshold=5,enable_opts=fold:cse:intbounds:guards:bounds:peel:dce:trees:virtuals",
        "threshold=1,trace_eagerness=1",
    ] {
        let r = run(&exe, &[], jit, "jit-log-opt");
        assert_eq!(r.stdout, want, "{jit}: {}", r.stderr);
        let traces = optimized_traces(&r.stderr);
        let lp = traces.iter().find(|t| t.name.starts_with("loop")).expect("a loop");
        let body = lp.text.split(" = label(").nth(1).expect("a peeled loop");
        // the body's main-path operations (a guard's delayed stores are on its line)
        let ops = lp.body_ops();
        let memory = ops
            .iter()
            .filter(|o| ["arrayget", "arrayset", "getfield", "setfield"].iter().any(|m| o.starts_with(m)))
            .count();
        let guard_value = ops.iter().filter(|o| o.starts_with("guard_value")).count();
        let delayed = body.matches("delayed {").count();
        let guards = ops.iter().filter(|o| o.starts_with("guard")).count();
        shapes.push((memory, guard_value, delayed, lp.count("getfield_pure"), guards));
    }
    // with every pass: nothing in memory, the stack top constant (no guard_value), one guard
    // (the loop's condition: the locals' tags are constants) which writes the slots back when
    // it fails, the array's pointer read once
    assert_eq!(shapes[0], (0, 0, 1, 1, 1), "{shapes:?}");
    // without `stores`: the body stores the slots it changes (at least the two words of
    // each of three locals and the stack top)
    assert!(shapes[1].0 >= 7, "{shapes:?}");
    assert_eq!(shapes[1].2, 0, "{shapes:?}");
}

const LISTS: &str = r#"
use vmkit::io::print;
use vmkit::{GcList, JitDriver, Str};

static DRIVER: JitDriver = JitDriver {
    name: "lists",
    greens: &["pc"],
    reds: &["i", "acc", "xs", "limit", "wild"],
    virtualizables: &[],
    get_printable_location: None,
};

/// Reads, writes and measures `xs` every iteration; with `wild` the index runs past the end.
fn run(xs: GcList<i64>, limit: i64, wild: bool) -> i64 {
    let pc: i64 = 0;
    let mut i: i64 = 0;
    let mut acc: i64 = 0;
    loop {
        vmkit::jit_merge_point!(DRIVER; pc; i, acc, xs, limit, wild);
        if i >= limit {
            break;
        }
        let n = xs.len() as i64;
        let k = if wild { i as usize } else { (i % n) as usize };
        let x = xs.get(k);
        xs.set(k, x + 1);
        acc = acc.wrapping_mul(3).wrapping_add(x).wrapping_add(xs.get((k + 1) % xs.len()));
        i += 1;
        vmkit::can_enter_jit!(DRIVER; pc; i, acc, xs, limit, wild);
    }
    acc
}

#[vmkit::entry]
fn entry(args: GcList<Str>) -> i64 {
    let xs: GcList<i64> = GcList::new();
    let mut j: i64 = 0;
    while j < 10 {
        xs.push(j * 3);
        j += 1;
    }
    print(Str::from_i64(run(xs, 100000, false)).concat(Str::from("\n")));
    // the list grows (its storage moves) between runs of the same compiled loop
    while j < 100 {
        xs.push(j);
        j += 1;
    }
    print(Str::from_i64(run(xs, 50000, false)).concat(Str::from("\n")));
    if args.len() > 0 {
        print(Str::from_i64(run(xs, 1000, true)).concat(Str::from("\n")));
    }
    0
}
"#;

/// `GcList` reads, writes and lengths are trace operations (`listget`, `listset`, a
/// `getfield` of the length), not helper calls: the loop calls nothing. Compiled code follows
/// a list whose storage moved, and an index past the end inside compiled code is the same
/// fatal error as in the interpreter.
#[test]
fn list_accesses_are_trace_operations() {
    let exe = snippet("lists", LISTS);
    let off = run(&exe, &[], "off", "");
    assert_eq!(off.status, 0, "{}", off.stderr);
    let oob_off = run(&exe, &["wild"], "off", "");
    assert_ne!(oob_off.status, 0, "{}", oob_off.stderr);
    let message = oob_off.stderr.lines().last().unwrap_or("").to_string();
    assert!(message.contains("index"), "{}", oob_off.stderr);
    for jit in ["threshold=5", "threshold=1,trace_eagerness=1"] {
        let r = run(&exe, &[], jit, "jit-log-opt");
        assert_eq!(r.stdout, off.stdout, "{jit}: {}", r.stderr);
        let traces = optimized_traces(&r.stderr);
        let lp = traces.iter().find(|t| t.name.starts_with("loop")).expect("a loop");
        assert!(lp.count("listget") >= 2, "{}", lp.text);
        assert!(lp.count("listset") >= 1, "{}", lp.text);
        assert_eq!(lp.count("call"), 0, "{}", lp.text);
        let oob = run(&exe, &["wild"], jit, "jit-summary");
        assert_eq!(oob.stdout, oob_off.stdout, "{jit}: {}", oob.stderr);
        assert_eq!(oob.status, oob_off.status, "{jit}: {}", oob.stderr);
        assert!(oob.stderr.contains(&message), "{jit}: {}", oob.stderr);
        assert!(summary(&oob.stderr, "loops") >= 1, "{jit}: {}", oob.stderr);
    }
}

const STRENGTH: &str = r#"
use vmkit::io::print;
use vmkit::{GcList, JitDriver, Str};

static DRIVER: JitDriver = JitDriver {
    name: "strength",
    greens: &["pc"],
    reds: &["n", "acc", "limit"],
    virtualizables: &[],
    get_printable_location: None,
};

fn count(limit: i64) -> i64 {
    let pc: i64 = 0;
    let mut n: i64 = 0;
    let mut acc: i64 = 0;
    loop {
        vmkit::jit_merge_point!(DRIVER; pc; n, acc, limit);
        if n >= limit {
            break;
        }
        let u = n as u64;
        let scaled = n.wrapping_mul(8).wrapping_add(n.wrapping_mul(3));
        acc = acc.wrapping_add(scaled).wrapping_add((u / 4) as i64).wrapping_add((u % 16) as i64);
        acc = acc.wrapping_add(n / 4);
        n += 1;
        vmkit::can_enter_jit!(DRIVER; pc; n, acc, limit);
    }
    acc
}

#[vmkit::entry]
fn entry(_args: GcList<Str>) -> i64 {
    print(Str::from_i64(count(100000)).concat(Str::from("\n")));
    0
}
"#;

/// Strength reduction (with `fold`): multiplications by powers of two become shifts, unsigned
/// division and remainder by them a shift and a mask; `* 3` and the signed `/ 4` stay.
#[test]
fn strength_reduction_turns_powers_of_two_into_shifts_and_masks() {
    let exe = snippet("strength", STRENGTH);
    let want = format!("{}\n", (0..100000i64).map(|n| n * 11 + n / 4 + n % 16 + n / 4).sum::<i64>());
    let mut shapes = Vec::new();
    for jit in ["threshold=5", "threshold=5,enable_opts=cse:intbounds:guards:bounds:peel:dce"] {
        let r = run(&exe, &[], jit, "jit-log-opt");
        assert_eq!(String::from_utf8_lossy(&r.stdout), want, "{jit}: {}", r.stderr);
        let traces = optimized_traces(&r.stderr);
        let lp = traces.iter().find(|t| t.name.starts_with("loop")).expect("a loop");
        shapes.push(["int_mul", "int_shl", "int_div", "int_shr", "int_rem", "int_and"].map(|o| lp.count(o)));
    }
    // preamble and body: one `* 3` and one signed `/ 4` each
    assert_eq!(shapes[0], [2, 2, 2, 2, 0, 2], "{shapes:?}");
    assert_eq!(shapes[1], [4, 0, 4, 0, 2, 0], "{shapes:?}");
}

/// `intbounds`: after the loop's guard `n < limit`, `n + 1` cannot overflow, so the checked
/// addition compiles without its overflow guard; with the pass disabled the guard stays.
#[test]
fn integer_bounds_remove_overflow_checks_that_cannot_fail() {
    let exe = snippet("bounds", BOUNDS);
    let want = format!("{}\n", (1..=100000i64).map(|n| n & 7).sum::<i64>());
    let all = "threshold=5";
    let without = "threshold=5,enable_opts=fold:cse:guards:bounds:peel:dce:trees";
    let mut ovf_guards = Vec::new();
    for jit in [all, without] {
        let r = run(&exe, &[], jit, "jit-log-opt");
        assert_eq!(String::from_utf8_lossy(&r.stdout), want, "{jit}: {}", r.stderr);
        let traces = optimized_traces(&r.stderr);
        let lp = traces.iter().find(|t| t.name.starts_with("loop")).expect("a loop");
        // guards: `n >= limit` and, without the pass, the overflow flags
        ovf_guards.push((lp.count("guard_"), lp.count("int_add_ovf")));
    }
    // with the pass: plain additions (preamble and body), two guards fewer
    assert_eq!(ovf_guards[0].1, 0, "{ovf_guards:?}");
    assert_eq!(ovf_guards[1].1, 2, "{ovf_guards:?}");
    assert_eq!(ovf_guards[1].0, ovf_guards[0].0 + 2, "{ovf_guards:?}");
}

/// `promote` makes a red value a constant behind one guard: the arithmetic on it folds.
#[test]
fn promote_guards_once_and_folds() {
    let exe = snippet("promote", PROMOTE);
    let r = run(&exe, &[], "threshold=5", "jit-log-opt,jit-summary");
    assert_eq!(String::from_utf8_lossy(&r.stdout), "2200000\n", "{}", r.stderr);
    let traces = optimized_traces(&r.stderr);
    let lp = traces.iter().find(|t| t.name.starts_with("loop")).expect("a loop");
    assert_eq!(lp.count("guard_value"), 1, "{}", lp.text);
    assert!(lp.text.contains(", 22)"), "s * 3 + 1 folded to 22:\n{}", lp.text);
    assert_eq!(lp.count("int_mul"), 0, "{}", lp.text);
    // the portal returns through the blackhole interpreter when the loop ends
    assert!(summary(&r.stderr, "guard failures") >= 1);
    // without the optimizations, the same result
    let r = run(&exe, &[], "threshold=5,enable_opts=", "jit-log-opt");
    assert_eq!(String::from_utf8_lossy(&r.stdout), "2200000\n", "{}", r.stderr);
    let traces = optimized_traces(&r.stderr);
    let lp = traces.iter().find(|t| t.name.starts_with("loop")).expect("a loop");
    assert_eq!(lp.count("guard_value"), 0, "{}", lp.text);
    assert_eq!(lp.count("int_mul"), 1, "{}", lp.text);
}

/// Guest functions without loops (recursive `fib`, a tree walk, mutual recursion, Ackermann)
/// in an interpreter whose guest calls are recursive portal calls (`tests/dsl/jit_recursion.rs`)
/// get function-entry traces at `function_threshold`: traced from the portal's first merge
/// point, ending with an exit that returns the portal's result. Later calls, also those made
/// by traced code through the residual portal call, enter them: each such call leaves compiled
/// code through that return exit. The output never changes.
#[test]
fn recursive_functions_get_function_entry_traces() {
    let exe = jit_recursion();
    let want = std::fs::read(root().join("tests/dsl/jit_recursion.out")).expect("golden");
    let off = run(exe, &[], "off", "");
    assert_eq!(off.stdout, want, "{}", off.stderr);
    // only loops: the recursive functions stay in the interpreter
    let r = run(exe, &[], "threshold=1,function_threshold=1000000,trace_eagerness=1", "jit-summary");
    assert_eq!(r.stdout, want, "{}", r.stderr);
    assert_eq!(summary(&r.stderr, "function traces"), 0, "{}", r.stderr);
    let loop_exits = summary(&r.stderr, "exits to the runtime");
    for jit in ["threshold=1,function_threshold=1,trace_eagerness=1", "function_threshold=3"] {
        let r = run(exe, &[], jit, "jit-log-opt,jit-summary");
        assert_eq!(r.stdout, want, "{jit}: {}", r.stderr);
        // fib, tree, even or odd (each inlines the other), ack, sum_to, main
        assert!(summary(&r.stderr, "function traces") >= 5, "{jit}: {}", r.stderr);
        let traces = optimized_traces(&r.stderr);
        let returning: Vec<&LoggedTrace> = traces
            .iter()
            .filter(|t| t.name.starts_with("function") && t.ops.last().is_some_and(|o| o.starts_with("exit")))
            .collect();
        assert!(returning.len() >= 5, "{jit}: {traces:#?}");
        // fib(20) alone is 21891 calls, almost all of them through its trace
        let exits = summary(&r.stderr, "exits to the runtime");
        assert!(exits > loop_exits + 20000, "{jit}: {exits} vs {loop_exits}: {}", r.stderr);
        assert_eq!(summary(&r.stderr, "aborts"), 0, "{jit}: {}", r.stderr);
    }
}

/// Calls of the portal from traced code are inlined (RPython traces through the calls of the
/// interpreted language's functions): `main`'s loop calling the loop-free, non-recursive guest
/// function `sq(n) = n * n + 1` compiles to a loop that multiplies twice (its own `k * 20` and
/// the inlined `n * n`), while calls that recurse (`fib` inside `fib`'s own trace) or loop
/// (`sum_to`) stay residual calls of the portal without aborting any trace.
#[test]
fn portal_calls_are_inlined_unless_recursive() {
    let exe = jit_recursion();
    let want = std::fs::read(root().join("tests/dsl/jit_recursion.out")).expect("golden");
    for jit in ["threshold=7", "threshold=1,function_threshold=1,trace_eagerness=1"] {
        let r = run(exe, &[], jit, "jit-log-opt,jit-summary");
        assert_eq!(r.stdout, want, "{jit}: {}", r.stderr);
        let traces = optimized_traces(&r.stderr);
        let loops: Vec<&LoggedTrace> = traces.iter().filter(|t| t.name.starts_with("loop")).collect();
        assert!(loops.iter().any(|t| t.count("int_mul") >= 2), "{jit}: no loop with sq inlined: {traces:#?}");
        assert_eq!(summary(&r.stderr, "aborts"), 0, "{jit}: {}", r.stderr);
    }
}

/// `loop_longevity`: compiled traces not run during that many later compilations, and not
/// reachable from code that is, are freed. A bf program in phases (each with its own loops,
/// never run again) frees the loops of finished phases with a small longevity and prints the
/// same bytes; with the default longevity nothing is freed in so short a run. Freed function
/// traces of `jit_recursion` (entered again later) are traced again, with the same output.
#[test]
fn unused_loops_are_freed() {
    let code: String = (0..6).map(|i| format!("{}[>{}<-]>.[-]<", "+".repeat(5 + i), "+".repeat(6 + i))).collect();
    let p = bf_program("phases", &code);
    let p = p.to_str().expect("path");
    let want: Vec<u8> = (0..6u32).map(|i| ((5 + i) * (6 + i)) as u8).collect();
    assert_eq!(run(bf(), &[p], "off", "").stdout, want);
    let r = run(bf(), &[p], "threshold=3,loop_longevity=2", "jit-summary,jit-wx-check");
    assert_eq!(r.stdout, want, "{}", r.stderr);
    assert_eq!(summary(&r.stderr, "loops"), 12, "{}", r.stderr);
    assert!(summary(&r.stderr, "freed") >= 8, "{}", r.stderr);
    assert!(r.stderr.contains(" 0 writable+executable mappings"), "{}", r.stderr);
    let r = run(bf(), &[p], "threshold=3", "jit-summary");
    assert_eq!(r.stdout, want, "{}", r.stderr);
    assert_eq!(summary(&r.stderr, "freed"), 0, "{}", r.stderr);
    let r = run(bf(), &[p], "threshold=3,loop_longevity=0", "jit-summary");
    assert_eq!(summary(&r.stderr, "freed"), 0, "{}", r.stderr);

    let exe = jit_recursion();
    let want = std::fs::read(root().join("tests/dsl/jit_recursion.out")).expect("golden");
    let r = run(exe, &[], "threshold=2,function_threshold=2,trace_eagerness=2,loop_longevity=1", "jit-summary");
    assert_eq!(r.stdout, want, "{}", r.stderr);
    let freed = summary(&r.stderr, "freed");
    assert!(freed >= 5, "{}", r.stderr);
    // freed traces that were needed again were compiled again
    let compiled =
        ["loops", "entry traces", "bridges", "function traces"].iter().map(|k| summary(&r.stderr, k)).sum::<u64>();
    let r = run(exe, &[], "threshold=2,function_threshold=2,trace_eagerness=2,loop_longevity=0", "jit-summary");
    assert_eq!(r.stdout, want, "{}", r.stderr);
    let kept =
        ["loops", "entry traces", "bridges", "function traces"].iter().map(|k| summary(&r.stderr, k)).sum::<u64>();
    assert!(compiled > kept, "{compiled} traces with freeing, {kept} without");
}

/// A bridge that comes back to the loop whose guard it starts from is compiled together with
/// that loop as a *trace tree*: the guard's failure path runs the bridge's code inside the
/// loop's own function, and the bridge ends by restarting the loop (`restart`, a branch to
/// the top of the function) instead of leaving through the frame buffer into another trace
/// (`jump_to`). Every tree is its loop's trace (the same main ops, ending in the loop's `jump`)
/// plus one segment per inlined bridge copy; later bridges back to a tree extend it. With
/// `trees` off (`enable_opts` without it) no tree is built and the results are the same.
#[test]
fn bf_bridges_back_to_their_loop_make_trees() {
    let dir = root().join("examples/bf/programs");
    let prog = dir.join("life1d_small.b");
    let want = std::fs::read(dir.join("life1d_small.out")).expect("golden");
    let r = run(bf(), &[prog.to_str().expect("path")], "threshold=3,trace_eagerness=2", "jit-log-opt,jit-summary");
    assert_eq!(r.stdout, want, "{}", r.stderr);
    assert!(summary(&r.stderr, "trees") >= 1, "{}", r.stderr);
    let traces = optimized_traces(&r.stderr);
    let trees: Vec<&LoggedTrace> = traces.iter().filter(|t| t.name.starts_with("tree")).collect();
    assert_eq!(trees.len() as u64, summary(&r.stderr, "trees"), "{}", r.stderr);
    for t in &trees {
        let first_seg = t.ops.iter().position(|o| o == "bridge").unwrap_or_else(|| panic!("no segment:\n{}", t.text));
        let main = &t.ops[..first_seg];
        assert_eq!(main.last().map(String::as_str), Some("jump"), "the main path is a loop:\n{}", t.text);
        assert!(
            traces.iter().any(|l| l.name.starts_with("loop") && l.ops == main),
            "the main path is a compiled loop's trace:\n{}",
            t.text
        );
        // every segment ends by restarting the tree: no transition to another trace
        assert_eq!(t.count("bridge"), t.count("restart"), "{}", t.text);
        assert_eq!(t.count("jump_to"), 0, "{}", t.text);
        assert_eq!(t.count("exit"), 0, "{}", t.text);
        // each segment follows a terminator and names a guard of the tree
        for (k, _) in t.ops.iter().enumerate().filter(|(_, o)| *o == "bridge") {
            assert!(["jump", "restart"].contains(&t.ops[k - 1].as_str()), "{}", t.text);
        }
        for line in t.text.lines().filter(|l| l.starts_with("bridge(#")) {
            let g = line.trim_start_matches("bridge(").split(')').next().expect("guard");
            assert!(t.text.contains(&format!(") {g} [")), "segment of a missing guard {g}:\n{}", t.text);
        }
    }
    // a tree is extended by later bridges back to it: some tree has several segments
    assert!(trees.iter().any(|t| t.count("bridge") >= 2), "{}", r.stderr);
    let r = run(
        bf(),
        &[prog.to_str().expect("path")],
        "threshold=3,trace_eagerness=2,enable_opts=fold:cse:guards:bounds:peel:dce",
        "jit-log-opt,jit-summary",
    );
    assert_eq!(r.stdout, want, "{}", r.stderr);
    assert_eq!(summary(&r.stderr, "trees"), 0, "{}", r.stderr);
    assert!(optimized_traces(&r.stderr).iter().all(|t| t.count("restart") == 0));
}

/// Background compilation (the default, `compile_thread=1`): traces are compiled on a second
/// thread while the program goes on in the interpreter, and installed when done. The output is
/// the same as without the JIT; every trace is compiled there (`background compilations`) and,
/// unless still in flight at exit, installed (counted as a loop, entry trace, function trace
/// or bridge — trees are counted as bridges too) and run (guards fail only in compiled code).
/// With `compile_thread=0` nothing is compiled in the background.
#[test]
fn traces_compiled_in_the_background_are_installed_and_run() {
    let dir = root().join("examples/bf/programs");
    for name in ["primes_medium", "life1d_small", "mandel_ascii_small"] {
        let prog = dir.join(format!("{name}.b"));
        let prog = prog.to_str().expect("path");
        let want = std::fs::read(dir.join(format!("{name}.out"))).expect("golden");
        for jit in ["", "threshold=3,trace_eagerness=2", "threshold=1,function_threshold=1,trace_eagerness=1"] {
            let r = run_as_is(bf(), &[prog], jit, "jit-summary");
            assert_eq!(r.stdout, want, "{name} [{jit}]: {}", r.stderr);
            let background = summary(&r.stderr, "background compilations");
            let installed = ["loops", "entry traces", "function traces", "bridges"]
                .iter()
                .map(|k| summary(&r.stderr, k))
                .sum::<u64>();
            let in_flight = summary(&r.stderr, "in flight at exit");
            assert!(background > 0 && summary(&r.stderr, "loops") > 0, "{name} [{jit}]: {}", r.stderr);
            assert_eq!(background, installed + in_flight, "{name} [{jit}]: {}", r.stderr);
            assert!(summary(&r.stderr, "guard failures") > 0, "{name} [{jit}]: {}", r.stderr);
        }
        let r = run(bf(), &[prog], "threshold=3", "jit-summary");
        assert_eq!(r.stdout, want, "{name}: {}", r.stderr);
        assert_eq!(summary(&r.stderr, "background compilations"), 0, "{}", r.stderr);
        assert!(summary(&r.stderr, "loops") > 0, "{}", r.stderr);
    }
}

/// While a trace is being compiled in the background: its green key is not traced again, its
/// guard gets no second bridge, nothing enters it, and code it jumps to is not freed. A slow
/// compilation thread (`compile_delay`: it waits before each job) keeps traces in flight long
/// enough for every loop header to come back hot many times (`threshold=1`): still at most one
/// trace is installed per loop header, and the output is that of the interpreter, also with
/// unused code freed early (`loop_longevity`) while jobs are in flight. At exit the thread is
/// not waited for: a program whose traces take a second each to compile ends at once.
#[test]
fn traces_in_flight_are_not_traced_twice_nor_entered() {
    // three nested loops, 255 * 255 passes of the innermost header
    let code = "-[>-[>-[-]+++[>+<-]<-]<-]>>>.";
    let p = bf_program("nested3", code);
    let p = p.to_str().expect("path");
    let want = run(bf(), &[p], "off", "").stdout;
    assert_eq!(want.len(), 1);
    let headers = code.matches('[').count() as u64;
    for jit in ["threshold=1,trace_eagerness=1,compile_delay=20000", "threshold=1,trace_eagerness=1,compile_delay=500"]
    {
        let r = run_as_is(bf(), &[p], jit, "jit-summary");
        assert_eq!(r.stdout, want, "[{jit}]: {}", r.stderr);
        let per_key = ["loops", "entry traces", "function traces"].iter().map(|k| summary(&r.stderr, k)).sum::<u64>();
        assert!(per_key <= headers, "[{jit}]: one trace per loop header: {}", r.stderr);
        assert!(summary(&r.stderr, "background compilations") >= 1, "{}", r.stderr);
    }
    // everything else at once, on programs with bridges, trees, function traces and freeing
    let dir = root().join("examples/bf/programs");
    let phases: String = (0..6).map(|i| format!("{}[>{}<-]>.[-]<", "+".repeat(5 + i), "+".repeat(6 + i))).collect();
    let phases = bf_program("phases_in_flight", &phases);
    let mut progs: Vec<(PathBuf, Vec<u8>)> =
        ["primes_medium", "life1d_small", "digits_small", "mandel_ascii_small", "fib"]
            .iter()
            .map(|n| {
                let out = std::fs::read(dir.join(format!("{n}.out"))).expect("golden");
                (dir.join(format!("{n}.b")), out)
            })
            .collect();
    let want = run(bf(), &[phases.to_str().expect("path")], "off", "").stdout;
    progs.push((phases, want));
    for (prog, want) in &progs {
        let prog = prog.to_str().expect("path");
        for jit in [
            "threshold=1,function_threshold=1,trace_eagerness=1,compile_delay=300",
            "threshold=2,trace_eagerness=2,loop_longevity=2,compile_delay=200",
            "threshold=1,trace_eagerness=1,loop_longevity=1,compile_delay=50",
        ] {
            let r = run_as_is(bf(), &[prog], jit, "jit-summary");
            assert_eq!(&r.stdout, want, "{prog} [{jit}]: {}", r.stderr);
            assert_eq!(r.status, 0, "{prog} [{jit}]: {}", r.stderr);
            // no tree or trace the backend refused (a segment for a guard twice, say)
            assert!(!r.stderr.contains("JIT: "), "{prog} [{jit}]: {}", r.stderr);
        }
    }
    // trees keep growing while their loop's bridges are compiled in the background
    let life = dir.join("life1d_small.b");
    let r = run_as_is(
        bf(),
        &[life.to_str().expect("path")],
        "threshold=3,trace_eagerness=2,compile_delay=300",
        "jit-summary",
    );
    assert_eq!(r.stdout, std::fs::read(dir.join("life1d_small.out")).expect("golden"), "{}", r.stderr);
    assert!(!r.stderr.contains("JIT: "), "{}", r.stderr);
    assert!(summary(&r.stderr, "trees") >= 1, "{}", r.stderr);
    let r = run(jit_recursion(), &[], "off", "");
    let want = r.stdout;
    let r = run_as_is(
        jit_recursion(),
        &[],
        "threshold=2,function_threshold=2,trace_eagerness=2,loop_longevity=1,compile_delay=200",
        "jit-summary",
    );
    assert_eq!(r.stdout, want, "{}", r.stderr);
    // exit with jobs in flight
    let hello = dir.join("hello.b");
    let t0 = std::time::Instant::now();
    let r = run_as_is(bf(), &[hello.to_str().expect("path")], "threshold=1,compile_delay=1000000", "jit-summary");
    let took = t0.elapsed();
    assert_eq!(r.stdout, std::fs::read(dir.join("hello.out")).expect("golden"), "{}", r.stderr);
    assert!(summary(&r.stderr, "in flight at exit") >= 1, "{}", r.stderr);
    assert!(took < std::time::Duration::from_millis(900), "the exit waited for the compilation thread: {took:?}");
}
