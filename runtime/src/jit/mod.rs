//! The JIT: hotness counting, tracing, compilation, running compiled traces, guard failures,
//! bridges. Nothing here knows which interpreter it runs: everything comes from the jitcode
//! program the codewriter derived from the interpreter (see [`program`]).
//!
//! Flow (RPython's warmspot + pyjitpl + compile, simplified):
//! - The AOT code calls [`vmkit_jit_can_enter`] at `can_enter_jit!` (when `vmkit_jit_active`
//!   is set) with the merge point's greens and reds. Compiled code for the greens runs at once;
//!   otherwise a counter per green key counts to `threshold`, then the meta-interpreter traces
//!   from the merge point ([`interp`]).
//! - The hooked portal also calls [`vmkit_jit_portal_entry`] at the first merge point of each
//!   of its calls: portal entries are counted per green key to `function_threshold`, then a
//!   function-entry trace is recorded from there (so that recursive code without loops is
//!   compiled too).
//! - A trace closes when the portal's merge point comes back with the same greens (a loop:
//!   the trace jumps to its own start), or ends by jumping to another green key's compiled code,
//!   by an exit at another loop header, or by an exit returning the portal's results.
//!   Recording stops with an abort after `trace_limit` operations; execution then continues in
//!   the blackhole interpreter.
//! - The trace is submitted ([`submit`]) to be optimized ([`opt`]) and compiled by the trace
//!   backend (`vmkit-trace-backend`): by default both happen on a background compilation
//!   thread ([`run_job`]) while the program goes on in the interpreter, and the code is
//!   installed into W^X code memory by the program's thread at the next poll point
//!   ([`poll`]: `can_enter_jit`, portal entries, merge points outside compiled code, returns
//!   from compiled code); with `compile_thread=0` all of it happens at once. Only then does
//!   anything enter or link to the trace; meanwhile its green key is not traced again, its
//!   guard gets no other bridge (see [`submit`] for the rules). Bridges back to their own
//!   loop are optimized on the program's thread (see [`prepare`]) and may make a trace tree
//!   ([`compile_tree`]).
//! - A failing guard returns to [`run_compiled`], which rebuilds the interpreter frames from
//!   the guard's snapshot and runs the blackhole interpreter to the next merge point (entering
//!   compiled code there if any, else handing the values back to the AOT interpreter). A guard
//!   that failed `trace_eagerness` times gets a bridge: tracing starts from the snapshot, and the
//!   compiled bridge runs directly on later failures.
//! - Compiled code that has not run for `loop_longevity` compilations and that no code in use
//!   can reach is freed ([`free_unused`]).
//!
//! Everything here runs on the program's (mutator) thread except the jobs of submitted traces
//! ([`spawn_worker`], [`run_job`]: optimization, link table, code generation), which see only
//! plain data: the trace, the optimization options, the `Env` of addresses.
//!
//! Parameters come from `VMKIT_JIT` ([`Params::parse`]); logs from `VMKIT_LOG`
//! (`jit-summary`, `jit-log-opt`, `jit-backend`; comma-separated).

pub mod intbounds;
pub mod interp;
pub mod opt;
pub mod program;
pub mod quasi;
pub mod virtuals;

use crate::global::Global;
use crate::object::Obj;
use interp::Snapshot;
use interp::{Interp, Recorder, Stop};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use vmkit_jit_ir::ops::Kind;
use vmkit_jit_ir::trace::{GuardKind, Op, OpKind, Operand, Trace};
use vmkit_trace_backend::{
    CodeGen, CodeMemory, CompiledTrace, Env, MemPolicy, TraceCode, TraceCompiler,
};

/// Whether `can_enter_jit!` calls into the JIT. Read directly by generated code.
#[no_mangle]
pub static mut vmkit_jit_active: u8 = 0;

/// Switchable optimizations (`enable_opts`).
#[derive(Clone, Debug)]
pub struct Opts {
    /// Constant folding, folding of elidable calls, `promote`.
    pub fold: bool,
    /// CSE of pure operations.
    pub cse: bool,
    /// Removal of implied guards.
    pub guards: bool,
    /// Integer bounds: overflow checks and comparisons that ranges decide (`intbounds`).
    pub intbounds: bool,
    /// Dead-code elimination, dead stores.
    pub dce: bool,
    /// Merging of range guards on `base + k` into one check.
    pub bounds: bool,
    /// Loop peeling (`opt::peel`).
    pub peel: bool,
    /// Trace trees: a bridge back to its own loop is compiled into the loop (`build_tree`).
    pub trees: bool,
    /// Delayed stores: a loop body's stores of array elements it carries in loop variables
    /// are done only on guard failure (`opt::sink_stores`).
    pub stores: bool,
    /// Allocation removal: objects that do not escape the trace are not allocated
    /// (`virtuals`).
    pub virtuals: bool,
}

pub const ALL_OPTS: &[&str] = &[
    "fold",
    "cse",
    "intbounds",
    "guards",
    "bounds",
    "peel",
    "dce",
    "trees",
    "stores",
    "virtuals",
];

/// JIT parameters.
#[derive(Clone, Debug)]
pub struct Params {
    pub on: bool,
    pub threshold: u32,
    pub function_threshold: u32,
    pub trace_eagerness: u32,
    pub trace_limit: usize,
    /// Compiled traces not entered during this many later compilations, and not reachable from
    /// code in use, are freed (0: never).
    pub loop_longevity: u32,
    /// Compile traces on a background thread (`compile_thread=1`, the default) while the
    /// program goes on, or on the program's thread at once (`compile_thread=0`).
    pub compile_thread: bool,
    /// Testing: the compilation thread waits this many microseconds before each job
    /// (`compile_delay=N`), which widens the window in which traces are in flight.
    pub compile_delay: u32,
    pub opts: Opts,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            on: true,
            threshold: 1039,
            function_threshold: 1619,
            trace_eagerness: 200,
            trace_limit: 6000,
            loop_longevity: 1000,
            compile_thread: true,
            compile_delay: 0,
            opts: Opts {
                fold: true,
                cse: true,
                intbounds: true,
                guards: true,
                dce: true,
                bounds: true,
                peel: true,
                trees: true,
                stores: true,
                virtuals: true,
            },
        }
    }
}

impl Params {
    /// Parses `VMKIT_JIT`: `threshold=N,function_threshold=N,trace_eagerness=N,trace_limit=N,
    /// loop_longevity=N,compile_thread=0|1,compile_delay=N,enable_opts=a:b,off` (any subset,
    /// any order).
    pub fn parse(s: &str) -> Result<Params, String> {
        let mut p = Params::default();
        for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            if item == "off" {
                p.on = false;
                continue;
            }
            let (k, v) = item.split_once('=').ok_or_else(|| {
                format!("VMKIT_JIT: expected `name=value` or `off`, got `{item}`")
            })?;
            let num = || {
                v.parse::<u32>()
                    .map_err(|_| format!("VMKIT_JIT: `{k}` needs a number, got `{v}`"))
            };
            match k {
                "threshold" => p.threshold = num()?.max(1),
                "function_threshold" => p.function_threshold = num()?.max(1),
                "trace_eagerness" => p.trace_eagerness = num()?.max(1),
                "trace_limit" => p.trace_limit = num()? as usize,
                "loop_longevity" => p.loop_longevity = num()?,
                "compile_thread" => {
                    p.compile_thread = match v {
                        "0" => false,
                        "1" => true,
                        _ => return Err(format!("VMKIT_JIT: `{k}` is 0 or 1, got `{v}`")),
                    }
                }
                "compile_delay" => p.compile_delay = num()?,
                "enable_opts" => {
                    let mut o = Opts {
                        fold: false,
                        cse: false,
                        intbounds: false,
                        guards: false,
                        dce: false,
                        bounds: false,
                        peel: false,
                        trees: false,
                        stores: false,
                        virtuals: false,
                    };
                    for name in v.split(':').filter(|n| !n.is_empty()) {
                        match name {
                            "all" => {
                                o = Params::default().opts;
                            }
                            "fold" => o.fold = true,
                            "cse" => o.cse = true,
                            "intbounds" => o.intbounds = true,
                            "guards" => o.guards = true,
                            "dce" => o.dce = true,
                            "bounds" => o.bounds = true,
                            "peel" => o.peel = true,
                            "trees" => o.trees = true,
                            "stores" => o.stores = true,
                            "virtuals" => o.virtuals = true,
                            _ => {
                                return Err(format!(
                                    "VMKIT_JIT: unknown optimization `{name}` (known: {})",
                                    ALL_OPTS.join(", ")
                                ))
                            }
                        }
                    }
                    p.opts = o;
                }
                _ => {
                    return Err(format!(
                        "VMKIT_JIT: unknown parameter `{k}` (known: threshold, function_threshold, trace_eagerness, trace_limit, loop_longevity, compile_thread, compile_delay, enable_opts, off)"
                    ))
                }
            }
        }
        Ok(p)
    }
}

/// What `VMKIT_LOG` asked for.
#[derive(Clone, Debug, Default)]
pub struct Log {
    pub summary: bool,
    pub opt: bool,
    pub backend: bool,
    /// `jit-wx-check`: after every compilation, check that no mapping of the process is
    /// writable and executable at once (Linux `/proc/self/maps`); report at exit.
    pub wx_check: bool,
    /// `jit-perf-map`: append each compiled trace to `/tmp/perf-<pid>.map` (address, size,
    /// name), so that `perf report` attributes samples to traces.
    pub perf_map: bool,
}

impl Log {
    pub fn parse(s: &str) -> Log {
        let mut l = Log::default();
        for w in s.split(',').map(str::trim) {
            match w {
                "jit-summary" => l.summary = true,
                "jit-log-opt" => l.opt = true,
                "jit-backend" => l.backend = true,
                "jit-wx-check" => l.wx_check = true,
                "jit-perf-map" => l.perf_map = true,
                "jit" => {
                    l.summary = true;
                    l.opt = true;
                }
                _ => {}
            }
        }
        l
    }
}

#[derive(Default, Debug, Clone)]
pub struct Stats {
    pub loops: u32,
    pub bridges: u32,
    pub entry_traces: u32,
    /// Traces started at a portal entry (`function_threshold`), whatever their end.
    pub functions: u32,
    /// Traces whose code was released (`loop_longevity`).
    pub freed: u32,
    /// Trace trees compiled: a loop recompiled with a bridge that comes back to it (the
    /// bridge is counted in `bridges` too).
    pub trees: u32,
    pub aborts: u32,
    /// Traces from a loop header that ended elsewhere and were thrown away to trace that
    /// loop again (see [`MAX_RETRACES`]).
    pub retraces: u32,
    pub guard_failures: u64,
    pub compiled_ops: u64,
    pub tracing: Duration,
    pub optimizing: Duration,
    /// Code generation (Cranelift), on the compilation thread or not, and placing the code in
    /// code memory when the compilation thread does it.
    pub compiling: Duration,
    /// Time the program's thread spent installing compiled traces: placing the code in code
    /// memory (only without the compilation thread), linking it, freeing unused code.
    pub installing: Duration,
    /// Traces compiled on the compilation thread (the others were compiled on the program's).
    pub background: u32,
    /// Measured only with `jit-summary` (see `blackhole`).
    pub blackholing: Duration,
    pub wx_checks: u32,
    /// Exits from compiled code to a merge point handled by the runtime.
    pub interp_exits: u64,
    pub wx_violations: u32,
}

#[derive(Clone)]
struct GuardRec {
    snap: std::rc::Rc<Snapshot>,
    failures: u32,
    bridge: Option<u32>,
    bridge_attempts: u32,
    /// The guard this one is a copy of (loop peeling copies guards with their snapshots), or
    /// itself. Copies share failure counts and bridges: their fail arguments line up.
    origin: usize,
    /// Fail arguments whose value is known whenever this guard fails, as (position, value):
    /// the guard's own condition (see [`known_on_failure`]). `None`: the guard is not in the
    /// compiled trace (the optimizer removed it).
    known: Option<Vec<(usize, u64)>>,
    /// A bridge (or a tree) for this guard is being compiled: no other is traced meanwhile.
    bridge_pending: bool,
}

/// Per guard (snapshot index): the fail-argument positions holding the guard's own condition,
/// with the value it has when the guard fails — 0 for `guard_true`, 1 for `guard_false` of a
/// 0/1 word (a comparison or boolean operation); `None` for guards not in `t`. A bridge traced
/// from such a guard starts with that argument as a constant: the branch that failed folds
/// instead of being checked again at every entry into the bridge.
fn known_on_failure(t: &Trace, nguards: usize) -> Vec<Option<Vec<(usize, u64)>>> {
    let is_bool = t.bool_vars();
    let mut known = vec![None; nguards];
    for op in &t.ops {
        let OpKind::Guard {
            kind,
            index,
            fail_args,
            ..
        } = &op.kind
        else {
            continue;
        };
        let value = match (kind, op.args.first()) {
            (GuardKind::True, Some(Operand::Var(c))) => Some((*c, 0)),
            (GuardKind::False, Some(Operand::Var(c))) if is_bool[*c as usize] => Some((*c, 1)),
            _ => None,
        };
        let at: Vec<(usize, u64)> = match value {
            Some((c, x)) => fail_args
                .iter()
                .enumerate()
                .filter(|(_, a)| **a == Operand::Var(c))
                .map(|(p, _)| (p, x))
                .collect(),
            None => Vec::new(),
        };
        if let Some(k) = known.get_mut(*index as usize) {
            *k = Some(at);
        }
    }
    known
}

struct TraceRec {
    entry: unsafe extern "C" fn(*mut u64) -> u32,
    /// Address of the trace in the `tail` convention (for `JumpTo` and link slots).
    tail_entry: usize,
    /// `None` once freed (see [`free_unused`]); the id is not reused.
    code: Option<CompiledTrace>,
    /// The generation (see [`State::generation`]) in which the runtime last ran this trace.
    last_used: u64,
    /// Traces this one may continue in: its `JumpTo` target, its guards' bridges, the code its
    /// exits were linked to.
    succ: Vec<u32>,
    guards: Vec<GuardRec>,
    /// One slot per guard: the `tail_entry` of its bridge once attached (0 before). The
    /// compiled guard's failure path jumps there directly (mutable data outside code memory).
    links: Box<[u64]>,
    /// Exit `guards.len() + k` continues as `exits[k]` says.
    exits: Vec<ExitTo>,
    /// A loop or trace tree: the optimized trace (guard indices local), kept to compile a tree
    /// from it when a bridge comes back to it (see [`build_tree`]); `None` for other traces
    /// and for loops that cannot become trees (collecting calls, too long).
    src: Option<Trace>,
    /// The green key this trace is registered under (loops and trees).
    greens: Option<Vec<u64>>,
    /// The link slot checked on entry (see `Trace::redirect`): set to the tail entry of the
    /// tree that replaced this trace.
    redirect: Option<usize>,
    /// Older versions of this tree whose redirect slot points here.
    redirected_from: Vec<u32>,
    /// Bridges back to this loop or tree compiled on their own, waiting for the next tree
    /// (see [`compile_tree`]): (guard, bridge).
    pending_tree: Vec<(usize, u32)>,
    /// A bridge in some `pending_tree`: its optimized trace (guard indices local).
    bsrc: Option<Trace>,
    /// Submitted for compilation, code not installed yet (see [`submit`]); `code` is `None`
    /// meanwhile and nothing enters or links to the trace.
    pending: Option<Box<Pending>>,
    /// A tree replacing this trace is being compiled: no other tree is built from it meanwhile
    /// (its bridges are compiled on their own).
    tree_pending: bool,
}

/// A trace submitted for compilation whose code is not installed yet.
struct Pending {
    then: Then,
    /// Traces that must stay alive until the code is installed ([`free_unused`] keeps them):
    /// those its code jumps to (`JumpTo`), and the one whose links the installation writes.
    holds: Vec<u32>,
    /// For the logs.
    name: String,
    guards: Guards,
}

/// What the installation of a trace's code does besides registering the code (see
/// [`install`]).
enum Then {
    /// A trace from a merge point (`what`: "loop", "entry" or "function"): the compiled code for
    /// `greens` from now on.
    Register {
        greens: Vec<u64>,
        what: &'static str,
    },
    /// A bridge from guard `guard` (an origin) of trace `from`: attached to every copy of that
    /// guard. `keep`: its optimized trace, kept for `from`'s next tree.
    Attach {
        from: u32,
        guard: usize,
        keep: Option<Trace>,
    },
    /// A tree replacing `from` (see [`compile_tree`]), made for a bridge from `from`'s guard
    /// `guard`; its first `n` guards are `from`'s; `blinks`: link slots to set (guards of
    /// inlined bridges that had bridges); `inlined`: the bridges of `from`'s `pending_tree` it
    /// inlines (the others wait for the next tree).
    Tree {
        from: u32,
        guard: usize,
        n: usize,
        blinks: Vec<(usize, u64)>,
        inlined: Vec<u32>,
    },
}

/// The outcome of [`submit`].
enum Submitted {
    /// Compiled and installed (on this thread).
    Installed(u32),
    /// Sent to the compilation thread; installed by a later [`poll`].
    InFlight,
    /// Not compiled (the backend failed, or the JIT cannot compile).
    Failed,
}

/// A job for the compilation thread (or, without it, run at once): the code of trace `id`
/// (see [`run_job`]).
struct Job {
    id: u32,
    name: String,
    /// Guard indices local; optimized already unless `optimize` is set.
    trace: Trace,
    /// Optimize the trace first, with these options.
    optimize: Option<Opts>,
    /// Guards (snapshots) of `trace` as given.
    nguards: usize,
    nexits: usize,
    /// Keep the optimized trace of a loop for trees (`enable_opts` `trees`).
    trees: bool,
    log_opt: bool,
    env: Env,
    want_text: bool,
    /// `compile_delay`.
    delay: Duration,
}

/// What a [`Job`] made: everything [`install`] needs.
struct Output {
    code: Code,
    /// The link table, whose address the code embeds.
    links: Box<[u64]>,
    src: Option<Trace>,
    redirect: Option<usize>,
    /// Per guard, when optimized by the job: its origin and what it knows on failure (see
    /// [`optimize_trace`]).
    origin: Vec<usize>,
    known: Known,
    /// The largest number of words the trace reads from or writes to the frame.
    words: usize,
    nops: usize,
    opt_log: Option<String>,
    optimizing: Duration,
    generating: Duration,
}

/// A job's machine code: generated (on the program's thread, placed by [`install`]) or
/// already placed in code memory (by the compilation thread).
enum Code {
    Generated(TraceCode),
    Placed(CompiledTrace),
}

/// A finished [`Job`].
struct Done {
    id: u32,
    out: Result<Output, String>,
}

/// The compilation thread's channels (see [`worker`]).
struct Worker {
    jobs: mpsc::Sender<Job>,
    done: mpsc::Receiver<Done>,
}

thread_local! {
    /// Set on the compilation thread (the panic hook leaves its panics to it).
    static ON_WORKER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this is the JIT's compilation thread, which never touches the runtime's state.
pub fn on_compilation_thread() -> bool {
    ON_WORKER.with(|w| w.get())
}

/// Where an exit of a trace (an `Exit` op) continues.
#[derive(Clone, Debug)]
enum ExitTo {
    /// At the portal's merge point with these greens; the reds are in the frame.
    MergePoint(Vec<u64>),
    /// The portal returns its `.0` results, which are in the frame (a trace that finished by
    /// returning from the portal frame it started in).
    Return(usize),
}

/// A map keyed by greens. They are looked up at every back edge counted, and at every merge
/// point the tracer and the blackhole interpreter pass (`compiled_entry`, `is_loop_header`), so
/// the hash is a cheap multiplicative one over the words (keys are the interpreter's own green
/// values, not adversarial input).
type GreenMap<V> = HashMap<Vec<u64>, V, std::hash::BuildHasherDefault<WordHasher>>;

/// FxHash-style hashing of words (see [`GreenMap`]).
#[derive(Default, Clone, Copy)]
struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    fn write_u64(&mut self, w: u64) {
        self.add(w);
    }
    fn write_usize(&mut self, w: usize) {
        self.add(w as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

struct State {
    params: Params,
    log: Log,
    counters: GreenMap<u32>,
    aborts: GreenMap<u32>,
    /// Loop headers whose trace left the loop instead of closing it, and how many times it was
    /// traced again (see [`MAX_RETRACES`]).
    retraces: GreenMap<u32>,
    entries: GreenMap<u32>,
    /// Portal entries per green key (see [`vmkit_jit_portal_entry`]).
    fn_counters: GreenMap<u32>,
    traces: Vec<TraceRec>,
    compiler: Option<TraceCompiler>,
    busy_tracing: bool,
    stats: Stats,
    frame_words: usize,
    broken: bool,
    /// Exits to a merge point without compiled code yet, by greens: (trace, link slot), linked
    /// when code for those greens appears.
    pending_exits: GreenMap<Vec<(u32, usize)>>,
    /// Jitcodes traces call instead of inlining (each chosen after an abort).
    dont_inline: std::collections::HashSet<u16>,
    /// Advanced at every compilation: the clock of `loop_longevity`.
    generation: u64,
    /// The trace each active [`run_compiled`] (innermost last) runs or last returned from:
    /// compiled code that may be on the native stack is reachable from one of them.
    active: Vec<u32>,
    /// Trace ids by `tail_entry` (to find `JumpTo` targets).
    by_tail: HashMap<usize, u32>,
    /// Frames of [`run_compiled`] calls that returned, for reuse.
    frame_pool: Vec<Vec<u64>>,
    /// The compilation thread, once started (see [`worker`]).
    worker: Option<Worker>,
    /// Jobs sent to it and not installed yet.
    in_flight: u32,
    /// Jobs received back from it (see [`JOBS_DONE`]).
    received: u64,
    /// Green keys whose trace is being compiled: not traced again meanwhile.
    pending_greens: GreenMap<()>,
}

static STATE: Global<Option<State>> = Global::new(None);

fn state() -> &'static mut State {
    // SAFETY: mutator thread; callers keep the reference short (never across compiled code,
    // helpers or the interpreter, which may re-enter).
    unsafe { (*STATE.ptr()).as_mut().expect("JIT state") }
}

/// Installs the binary's JIT image and reads `VMKIT_JIT` / `VMKIT_LOG`. Called by `main`.
pub fn init(
    img: program::Image,
    jit_env: Option<&str>,
    log_env: Option<&str>,
) -> Result<(), String> {
    program::install(img);
    let params = match jit_env {
        Some(s) => Params::parse(s)?,
        None => Params::default(),
    };
    let log = Log::parse(log_env.unwrap_or(""));
    let on = params.on && program::has_image();
    // SAFETY: mutator thread, before the program runs.
    unsafe {
        *STATE.ptr() = Some(State {
            params,
            log,
            counters: GreenMap::default(),
            aborts: GreenMap::default(),
            retraces: GreenMap::default(),
            entries: GreenMap::default(),
            fn_counters: GreenMap::default(),
            traces: Vec::new(),
            compiler: None,
            busy_tracing: false,
            stats: Stats::default(),
            // (generous from the start: compiled code running with a frame sized before a
            // bigger trace was installed, in an outer `run_compiled`, may continue in it)
            frame_words: MIN_FRAME_WORDS,
            broken: false,
            dont_inline: Default::default(),
            pending_exits: GreenMap::default(),
            generation: 0,
            active: Vec::new(),
            by_tail: HashMap::new(),
            frame_pool: Vec::new(),
            worker: None,
            in_flight: 0,
            received: 0,
            pending_greens: GreenMap::default(),
        });
        vmkit_jit_active = on as u8;
    }
    Ok(())
}

/// The statistics so far.
pub fn stats() -> Stats {
    state().stats.clone()
}

/// Prints the `jit-summary` log, if asked for. Called at exit.
pub fn at_exit() {
    // SAFETY: mutator thread.
    let Some(st) = (unsafe { (*STATE.ptr()).as_ref() }) else {
        return;
    };
    if st.log.wx_check {
        eprintln!(
            "jit-wx-check: {} checks, {} writable+executable mappings",
            st.stats.wx_checks, st.stats.wx_violations
        );
    }
    if !st.log.summary {
        return;
    }
    let s = &st.stats;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    eprintln!(
        "jit-summary: loops {}, entry traces {}, bridges {}, aborts {}, guard failures {}, exits to the runtime {}, compiled ops {}, retraces {}, function traces {}, freed {}, trees {}",
        s.loops, s.entry_traces, s.bridges, s.aborts, s.guard_failures, s.interp_exits, s.compiled_ops, s.retraces, s.functions, s.freed, s.trees
    );
    eprintln!(
        "jit-summary: tracing {:.3} ms, optimizing {:.3} ms, compiling {:.3} ms, blackholing {:.3} ms, installing {:.3} ms, background compilations {}, in flight at exit {}",
        ms(s.tracing),
        ms(s.optimizing),
        ms(s.compiling),
        ms(s.blackholing),
        ms(s.installing),
        s.background,
        st.in_flight
    );
}

/// Whether these greens are a loop header (counted at `can_enter_jit`).
pub fn is_loop_header(greens: &[u64]) -> bool {
    state().counters.contains_key(greens)
}

/// Makes these greens a loop header (counted like those seen at `can_enter_jit`): a trace
/// passed them twice.
pub fn mark_loop_header(greens: &[u64]) {
    let st = state();
    if !st.counters.contains_key(greens) {
        st.counters.insert(greens.to_vec(), 0);
    }
}

/// The compiled trace entered at a merge point with these greens, if any.
pub fn compiled_entry(greens: &[u64]) -> Option<u32> {
    state().entries.get(greens).copied()
}

/// `can_enter_jit!`: `buf` holds `n` words, greens then reds. Answers 0 (continue as you
/// were), 1 (continue with the merge point values now in `buf`) or 2 (the portal returns the
/// values now in `buf`).
///
/// # Safety
/// `buf` must hold `max(n, portal results)` words as the AOT code lays them out.
#[no_mangle]
pub unsafe extern "C" fn vmkit_jit_can_enter(_driver: u32, buf: *mut u64, n: u32) -> u32 {
    enter(buf, n, false)
}

/// The first `jit_merge_point!` of each call of the (hooked) portal: `buf` holds `n` words,
/// greens then reds; the answers are those of [`vmkit_jit_can_enter`]. Compiled code for the
/// greens runs at once; otherwise portal entries are counted per green key, and at
/// `function_threshold` a *function-entry trace* is recorded from here (it ends by closing a
/// loop, by jumping to compiled code or to another loop header, or by returning from the
/// portal).
///
/// # Safety
/// As for [`vmkit_jit_can_enter`].
#[no_mangle]
pub unsafe extern "C" fn vmkit_jit_portal_entry(_driver: u32, buf: *mut u64, n: u32) -> u32 {
    enter(buf, n, true)
}

/// [`vmkit_jit_can_enter`] (`function` false) and [`vmkit_jit_portal_entry`].
///
/// # Safety
/// As for [`vmkit_jit_can_enter`].
unsafe fn enter(buf: *mut u64, n: u32, function: bool) -> u32 {
    let st = state();
    if st.broken {
        return 0;
    }
    let l = match program::load() {
        Ok(l) => l,
        Err(e) => {
            eprintln!("JIT disabled: {e}");
            st.broken = true;
            vmkit_jit_active = 0;
            return 0;
        }
    };
    poll();
    let st = state();
    let n = n as usize;
    let vals = std::slice::from_raw_parts(buf, n);
    let ng = l.ngreens;
    if let Some(&t) = st.entries.get(&vals[..ng]) {
        return drive(run_compiled(t, &vals[ng..]), buf);
    }
    // While tracing (this is a residual call made by the tracer), compiled code runs, but
    // nothing is counted and no other trace starts.
    if st.busy_tracing {
        return 0;
    }
    let hot = if function {
        count_function(st, &vals[..ng])
    } else {
        count(st, &vals[..ng], true)
    };
    if !hot {
        return 0;
    }
    let vals = vals.to_vec();
    drive(trace_loop(&vals, function), buf)
}

/// Counts one more portal entry at the merge point `greens`; whether it is now hot enough to
/// trace a function-entry trace (and has not failed to trace too often).
fn count_function(st: &mut State, greens: &[u64]) -> bool {
    let c = match st.fn_counters.get_mut(greens) {
        Some(c) => c,
        None => st.fn_counters.entry(greens.to_vec()).or_insert(0),
    };
    *c += 1;
    if *c < st.params.function_threshold {
        return false;
    }
    *c = 0;
    st.aborts.get(greens).copied().unwrap_or(0) < 3 && !st.pending_greens.contains_key(greens)
}

fn write_back(buf: *mut u64, vals: &[u64]) {
    // SAFETY: the AOT buffer has room for the merge point's words and the portal's results.
    unsafe { std::ptr::copy_nonoverlapping(vals.as_ptr(), buf, vals.len()) };
}

/// Counts one more pass at the loop header `greens` (creating its counter when `create`);
/// whether it is now hot enough to trace (and has not failed to trace too often). The lookup
/// does not allocate once the counter exists: this runs at every back edge before tracing.
fn count(st: &mut State, greens: &[u64], create: bool) -> bool {
    let c = match st.counters.get_mut(greens) {
        Some(c) => c,
        None if create => st.counters.entry(greens.to_vec()).or_insert(0),
        None => return false,
    };
    *c += 1;
    if *c < st.params.threshold {
        return false;
    }
    *c = 0;
    st.aborts.get(greens).copied().unwrap_or(0) < 3 && !st.pending_greens.contains_key(greens)
}

/// A recorder with the current parameters and inlining decisions.
fn recorder(st: &State, start_greens: Vec<u64>) -> Recorder {
    let mut rec = Recorder::new(
        start_greens,
        st.params.trace_limit,
        st.params.opts.fold,
        st.params.opts.cse,
    );
    rec.stop_at_compiled = true;
    rec.dont_inline = st.dont_inline.clone();
    rec
}

/// Runs the (blackhole) interpreter to its next stop, counting the time when `jit-summary` is
/// on (this runs at every guard failure without a bridge: reading the clock twice is a
/// measurable part of it).
fn blackhole(it: &mut Interp) -> Stop {
    if !state().log.summary {
        return it.run();
    }
    let t0 = Instant::now();
    let stop = it.run();
    state().stats.blackholing += t0.elapsed();
    stop
}

/// What to do next, outside compiled code.
enum Next {
    /// Run compiled trace `.0` with the reds `.1`.
    Enter(u32, Vec<u64>),
    /// Continue in the AOT interpreter at the merge point with these values (answer 1).
    Interpret(Vec<u64>),
    /// The portal returns these values (answer 2).
    Return(Vec<u64>),
}

/// Runs until control goes back to the AOT code; returns `vmkit_jit_can_enter`'s answer.
/// Iterative, so that long chains of compiled code, exits and blackholing never grow the
/// native stack.
fn drive(mut next: Next, buf: *mut u64) -> u32 {
    loop {
        next = match next {
            Next::Enter(t, reds) => run_compiled(t, &reds),
            Next::Interpret(vals) => {
                write_back(buf, &vals);
                return 1;
            }
            Next::Return(vals) => {
                write_back(buf, &vals);
                return 2;
            }
        }
    }
}

/// Tracing from the merge point with `vals` (greens then reds): from a hot loop header, or,
/// when `function`, from a hot portal entry (a function-entry trace, which need not close a
/// loop: ending in compiled code, at another loop header or by returning are as good).
fn trace_loop(vals: &[u64], function: bool) -> Next {
    let l = program::loaded();
    let ng = l.ngreens;
    let st = state();
    st.busy_tracing = true;
    let t0 = Instant::now();
    let rec = recorder(st, vals[..ng].to_vec());
    let mut it = Interp::new(l, Some(rec));
    it.start_at_merge_point(vals);
    let stop = it.run();
    let st = state();
    st.busy_tracing = false;
    st.stats.tracing += t0.elapsed();
    // installed with its green key (see `install`)
    let then = |what: &'static str| Then::Register {
        greens: vals[..ng].to_vec(),
        what: if function { "function" } else { what },
    };
    let name = |what: &'static str| if function { "function" } else { what };
    if !function
        && matches!(
            stop,
            Stop::EnterCompiled(..) | Stop::ReachedHeader(_) | Stop::Return(_)
        )
        && retrace_later(&vals[..ng])
    {
        // The traced iteration left the loop (or reached an inner loop): drop it and trace
        // from this header again at its next hot pass, hoping for an iteration that closes it.
        drop(it.stop_recording());
        drop(it);
        return match stop {
            Stop::EnterCompiled(now, target) => Next::Enter(target, now[ng..].to_vec()),
            Stop::ReachedHeader(now) => at_merge_point(now),
            Stop::Return(now) => Next::Return(now),
            _ => unreachable!(),
        };
    }
    match stop {
        Stop::CloseLoop(now) => {
            let reds = it.red_boxes();
            let mut rec = it.stop_recording().expect("recorder");
            drop(it);
            rec.trace.ops.push(Op {
                kind: OpKind::Jump,
                args: reds,
                results: vec![],
            });
            compile(rec, name("loop"), Vec::new(), then("loop"));
            at_merge_point(now)
        }
        Stop::EnterCompiled(now, target) => {
            let reds = it.red_boxes();
            let rec = it.stop_recording().expect("recorder");
            drop(it);
            let rec = with_exit(rec, reds, target);
            compile(rec, name("entry"), Vec::new(), then("entry"));
            Next::Enter(target, now[ng..].to_vec())
        }
        Stop::ReachedHeader(now) => {
            let reds = it.red_boxes();
            let rec = it.stop_recording().expect("recorder");
            drop(it);
            let rec = with_interp_exit(rec, reds);
            let exits = vec![ExitTo::MergePoint(now[..ng].to_vec())];
            compile(rec, name("entry"), exits, then("entry"));
            at_merge_point(now)
        }
        Stop::Return(now) => {
            let rec = with_return_exit(&mut it);
            drop(it);
            let exits = vec![ExitTo::Return(now.len())];
            compile(rec, name("entry"), exits, then("entry"));
            Next::Return(now)
        }
        Stop::Abort(_) | Stop::MergePoint(_) => {
            let rec = it.stop_recording();
            let st = state();
            st.stats.aborts += 1;
            if !note_abort(st, rec, &stop) {
                *st.aborts.entry(vals[..ng].to_vec()).or_insert(0) += 1;
            }
            let stop = match stop {
                Stop::Abort(_) => blackhole(&mut it),
                s => s,
            };
            drop(it);
            finish(stop)
        }
    }
}

/// How many times a trace from a loop header that did not close the loop (it ended at another
/// merge point: the traced iteration was the loop's last, or an inner loop came first) is thrown
/// away to trace again, before it is compiled as an entry trace. An entry trace for a loop that
/// usually continues makes every later iteration two transitions (the entry trace's guard to a
/// bridge, the bridge back to the entry trace) instead of a jump inside one compiled loop.
const MAX_RETRACES: u32 = 2;

/// Whether the trace from `greens` that did not close its loop should be dropped and the loop
/// traced again on its next pass through the header (its counter is set one short of the
/// threshold); counts the attempt.
fn retrace_later(greens: &[u64]) -> bool {
    let st = state();
    let n = st.retraces.entry(greens.to_vec()).or_insert(0);
    if *n >= MAX_RETRACES {
        return false;
    }
    *n += 1;
    st.stats.retraces += 1;
    let threshold = st.params.threshold;
    if let Some(c) = st.counters.get_mut(greens) {
        *c = threshold.saturating_sub(1);
    }
    true
}

/// Guard indices returned by compiled code: trace id in the high bits, guard number in the low
/// `GUARD_BITS` (traces jump into each other, so the runtime must learn which one failed).
const GUARD_BITS: u32 = 16;
const GUARD_MASK: usize = (1 << GUARD_BITS) - 1;

/// After a trace became too long: the biggest inlined function is called instead next time.
/// Returns whether such a function was found.
fn note_abort(st: &mut State, rec: Option<Recorder>, stop: &Stop) -> bool {
    if !matches!(stop, Stop::Abort(_)) {
        return false;
    }
    let portal = program::loaded().portal_code;
    match rec.and_then(|r| r.biggest_callee(portal)) {
        Some(c) => st.dont_inline.insert(c),
        None => false,
    }
}

/// Ends a trace with an exit to the runtime at a merge point (exit index: the number of
/// guards, i.e. the first exit).
fn with_interp_exit(mut rec: Recorder, reds: Vec<Operand>) -> Recorder {
    let index = rec.snapshots.len() as u32;
    rec.trace.ops.push(Op {
        kind: OpKind::Exit { index },
        args: reds,
        results: vec![],
    });
    rec
}

/// Ends the trace being recorded by `it`, which stopped at the portal's return
/// ([`Stop::Return`]), with an exit handing the results to the runtime (exit index: the
/// number of guards).
fn with_return_exit(it: &mut Interp) -> Recorder {
    let results = std::mem::take(&mut it.return_boxes);
    let rec = it.stop_recording().expect("recorder");
    with_interp_exit(rec, results)
}

/// Control is at the portal's merge point with `vals` (greens then reds), outside compiled
/// code: enter compiled code, count towards tracing (and trace), or hand back to the AOT code.
fn at_merge_point(vals: Vec<u64>) -> Next {
    poll();
    let ng = program::loaded().ngreens;
    if let Some(t) = compiled_entry(&vals[..ng]) {
        return Next::Enter(t, vals[ng..].to_vec());
    }
    let st = state();
    if !st.busy_tracing && count(st, &vals[..ng], false) {
        return trace_loop(&vals, false);
    }
    Next::Interpret(vals)
}

/// Ends a trace with a jump into trace `target` with `reds`.
fn with_exit(mut rec: Recorder, reds: Vec<Operand>, target: u32) -> Recorder {
    let target = state().traces[target as usize].tail_entry as u64;
    rec.trace.ops.push(Op {
        kind: OpKind::JumpTo { target },
        args: reds,
        results: vec![],
    });
    rec
}

/// After the blackhole interpreter stopped.
fn finish(stop: Stop) -> Next {
    match stop {
        Stop::MergePoint(vals) => at_merge_point(vals),
        Stop::Return(vals) => Next::Return(vals),
        _ => crate::fatal::fatal("JIT: the blackhole interpreter stopped while tracing"),
    }
}

/// Runs compiled trace `t` with inputs `reds` until it leaves compiled code (through an exit or
/// a guard without a bridge), then handles that (blackhole, bridge tracing).
fn run_compiled(t: u32, reds: &[u64]) -> Next {
    let st = state();
    st.active.push(t);
    // frames are reused (entering compiled code is as frequent as the portal's calls when
    // function-entry traces run); stale words are never read: a trace reads its inputs only
    let mut frame = st.frame_pool.pop().unwrap_or_default();
    let need = st.frame_words.max(reds.len()) + 1;
    if frame.len() < need {
        frame.resize(need, 0);
    }
    frame[..reds.len()].copy_from_slice(reds);
    let next = run_compiled_from(t, &mut frame);
    let st = state();
    st.frame_pool.push(frame);
    st.active.pop();
    next
}

/// [`run_compiled`], once `t` is on the stack of active traces.
fn run_compiled_from(t: u32, frame: &mut Vec<u64>) -> Next {
    let l = program::loaded();
    let mut cur = t;
    loop {
        let (entry, words) = {
            let st = state();
            let tr = &mut st.traces[cur as usize];
            if tr.code.is_none() {
                crate::fatal::fatal("JIT: a freed trace was entered");
            }
            tr.last_used = st.generation;
            *st.active.last_mut().expect("active") = cur;
            (tr.entry, st.frame_words)
        };
        if frame.len() < words {
            frame.resize(words, 0);
        }
        // SAFETY: the trace was compiled for this frame layout; the frame has room for every
        // trace it may jump to (`frame_words` is the maximum over all traces).
        let idx = unsafe { entry(frame.as_mut_ptr()) } as usize;
        let st = state();
        // the trace that returned: `cur` or one it jumped to
        cur = (idx >> GUARD_BITS) as u32;
        if cur as usize >= st.traces.len() {
            crate::fatal::fatal("JIT: compiled code returned an unknown exit");
        }
        if st.traces[cur as usize].code.is_none() {
            crate::fatal::fatal("JIT: compiled code returned from a freed trace");
        }
        *st.active.last_mut().expect("active") = cur;
        st.traces[cur as usize].last_used = st.generation;
        // finished compilations are installed here too (`cur` is active: never freed)
        poll();
        let st = state();
        let idx = idx & GUARD_MASK;
        let tr = &mut st.traces[cur as usize];
        if idx >= tr.guards.len() {
            st.stats.interp_exits += 1;
            return match &tr.exits[idx - tr.guards.len()] {
                ExitTo::MergePoint(greens) => {
                    let nreds = l.merge_regs.len() - greens.len();
                    let mut vals = greens.clone();
                    vals.extend_from_slice(&frame[..nreds]);
                    at_merge_point(vals)
                }
                ExitTo::Return(n) => Next::Return(frame[..*n].to_vec()),
            };
        }
        st.stats.guard_failures += 1;
        let eager = st.params.trace_eagerness;
        let idx = tr.guards[idx].origin;
        let g = &mut tr.guards[idx];
        g.failures += 1;
        if let Some(b) = g.bridge {
            cur = b;
            continue;
        }
        let snap = g.snap.clone();
        let nfail = snap.fail_kinds.len();
        let fail = frame[..nfail].to_vec();
        // a trace replaced by a tree only runs until it leaves: no new bridges for it
        let replaced = tr.redirect.is_some_and(|s| tr.links[s] != 0);
        let g = &mut tr.guards[idx];
        let stop = if g.failures >= eager
            && g.bridge_attempts < 3
            && !g.bridge_pending
            && !st.busy_tracing
            && !replaced
        {
            g.bridge_attempts += 1;
            match trace_bridge(cur, idx, &snap, &fail) {
                Ok((vals, target)) => {
                    let reds = &vals[l.ngreens..];
                    frame[..reds.len()].copy_from_slice(reds);
                    cur = target;
                    continue;
                }
                Err(stop) => stop,
            }
        } else {
            // blackhole from the snapshot
            let mut it = Interp::new(l, None);
            it.resume(&snap, &fail, None);
            blackhole(&mut it)
        };
        if let Stop::MergePoint(vals) = &stop {
            if let Some(t2) = compiled_entry(&vals[..l.ngreens]) {
                let reds = &vals[l.ngreens..];
                frame[..reds.len()].copy_from_slice(reds);
                cur = t2;
                continue;
            }
        }
        return finish(stop);
    }
}

/// Traces a bridge from guard `guard` of trace `from`. `Ok((merge point values, trace to
/// enter))` when a bridge ending in compiled code was compiled and attached; otherwise the
/// stop at which execution (finished by the blackhole interpreter if tracing gave up) left the
/// interpreter.
fn trace_bridge(
    from: u32,
    guard: usize,
    snap: &Snapshot,
    fail: &[u64],
) -> Result<(Vec<u64>, u32), Stop> {
    let l = program::loaded();
    let st = state();
    st.busy_tracing = true;
    let t0 = Instant::now();
    let mut rec = recorder(st, Vec::new());
    // what every compiled copy of this guard knows when it fails
    let tr = &st.traces[from as usize];
    let mut known: Option<Vec<(usize, u64)>> = None;
    for g in tr
        .guards
        .iter()
        .enumerate()
        .filter(|(k, g)| *k == guard || g.origin == guard)
    {
        if let Some(k) = &g.1.known {
            known = Some(match known {
                None => k.clone(),
                Some(prev) => prev.into_iter().filter(|x| k.contains(x)).collect(),
            });
        }
    }
    let known = known.unwrap_or_default();
    let mut boxes = Vec::with_capacity(fail.len());
    for (p, k) in snap.fail_kinds.iter().enumerate() {
        let v = rec.trace.new_var(*k);
        rec.trace.inputs.push(v);
        match known.iter().find(|(q, _)| *q == p) {
            // the failing guard's condition (the value actually passed is this one too)
            Some(&(_, x)) if fail.get(p) == Some(&x) => boxes.push(Operand::Int(x as i64)),
            _ => boxes.push(Operand::Var(v)),
        }
    }
    let mut it = Interp::new(l, Some(rec));
    it.resume(snap, fail, Some(&boxes));
    let stop = it.run();
    let st = state();
    st.busy_tracing = false;
    st.stats.tracing += t0.elapsed();
    // attached to the guard when installed (see `install`)
    let attach = Then::Attach {
        from,
        guard,
        keep: None,
    };
    match stop {
        Stop::EnterCompiled(vals, target) => {
            let reds = it.red_boxes();
            let rec = it.stop_recording().expect("recorder");
            drop(it);
            let rec = with_exit(rec, reds, target);
            // a bridge back to its own loop (or tree): recompile them together as a tree — at
            // the first such bridge of a loop, then at every second one (each recompiles the
            // whole tree; the one between waits, compiled on its own)
            let st = state();
            let fr = &st.traces[from as usize];
            let tree_able = target == from && st.params.opts.trees && fr.src.is_some();
            if !tree_able {
                compile(rec, "bridge", Vec::new(), attach);
                return Ok((vals, target));
            }
            // (the decision needs the optimized bridge: optimized here)
            let Some((bt, bguards)) = prepare(rec, "bridge") else {
                return Ok((vals, target));
            };
            let fr = &state().traces[from as usize];
            // (while a tree of `from` is being compiled, the bridge waits for the next one)
            if !fr.tree_pending && (fr.redirected_from.is_empty() || !fr.pending_tree.is_empty()) {
                match compile_tree(from, guard, &bt, &bguards) {
                    Submitted::Installed(tree) => return Ok((vals, tree)),
                    // `from` runs until the tree replaces it
                    Submitted::InFlight => return Ok((vals, target)),
                    Submitted::Failed => {}
                }
            }
            let keep = Some(bt.clone());
            submit(
                bt,
                Guards::Ready(bguards),
                "bridge",
                Vec::new(),
                Then::Attach { from, guard, keep },
            );
            Ok((vals, target))
        }
        Stop::ReachedHeader(vals) => {
            let reds = it.red_boxes();
            let rec = it.stop_recording().expect("recorder");
            drop(it);
            let ng = l.ngreens;
            let rec = with_interp_exit(rec, reds);
            compile(
                rec,
                "bridge",
                vec![ExitTo::MergePoint(vals[..ng].to_vec())],
                attach,
            );
            Err(Stop::MergePoint(vals))
        }
        Stop::Return(vals) => {
            let rec = with_return_exit(&mut it);
            drop(it);
            compile(rec, "bridge", vec![ExitTo::Return(vals.len())], attach);
            Err(Stop::Return(vals))
        }
        stop => {
            let rec = it.stop_recording();
            let st = state();
            st.stats.aborts += 1;
            note_abort(st, rec, &stop);
            let stop = match stop {
                Stop::Abort(_) | Stop::CloseLoop(_) => blackhole(&mut it),
                s => s,
            };
            drop(it);
            Err(stop)
        }
    }
}

/// The printable location of a green key (through the interpreter's location function).
fn location(greens: &[u64]) -> Option<String> {
    let l = program::loaded();
    let h = l.prog.portal.as_ref()?.location?;
    let mut out = [0u64; 1];
    let f = l.helpers[h as usize];
    // SAFETY: the location helper takes the greens and returns a `Str`.
    unsafe {
        let f: unsafe extern "C" fn(*const u64, *mut u64) = std::mem::transmute(f);
        f(greens.as_ptr(), out.as_mut_ptr());
        let s = out[0] as *mut Obj;
        if s.is_null() {
            return None;
        }
        Some(String::from_utf8_lossy(crate::str::str_bytes(s)).into_owned())
    }
}

fn env(l: &program::Loaded) -> Env {
    {
        Env {
            helpers: l.helpers.as_ptr(),
            nhelpers: l.helpers.len(),
            array_get: crate::containers::vmkit_array_get as *const () as usize,
            array_set: crate::containers::vmkit_array_set as *const () as usize,
            list_get: crate::containers::vmkit_list_get as *const () as usize,
            list_set: crate::containers::vmkit_list_set as *const () as usize,
            str_byte_at: crate::str::vmkit_str_byte_at as *const () as usize,
            fatal: crate::fatal::vmkit_fatal as *const () as usize,
            shadow_top: std::ptr::addr_of_mut!(crate::roots::vmkit_shadow_top) as usize,
            shadow_limit: std::ptr::addr_of_mut!(crate::roots::vmkit_shadow_limit) as usize,
            stack_overflow: crate::fatal::vmkit_stack_overflow as *const () as usize,
        }
    }
}

/// Submits a recorded trace for optimization and compilation (see [`submit`]): with the
/// compilation thread, both happen there.
fn compile(mut rec: Recorder, what: &str, exits: Vec<ExitTo>, then: Then) -> Submitted {
    begin(&mut rec, what);
    let snaps = rec.snapshots.into_iter().map(Rc::new).collect();
    submit(rec.trace, Guards::Recorded(snaps), what, exits, then)
}

/// The longest trace tree (in ops) compiled: every bridge added recompiles the whole tree.
const MAX_TREE_OPS: usize = 1000;

/// Whether `t` may be part of a trace tree: no collecting calls (the backend's root slots are
/// computed for straight-line traces only); no allocations, on the main path or in guards'
/// failure paths.
fn tree_able(t: &Trace) -> bool {
    !t.ops.iter().any(vmkit_jit_ir::trace::Op::may_collect)
}

/// What happens to a recorded trace on the program's thread before it is optimized: it is
/// named after the trace id it will get, logged (`jit-log-opt`, with the interpreter's
/// locations), and the constant references it and its snapshots hold become permanent roots
/// (optimizing introduces no other: it only moves, copies and drops operands).
fn begin(rec: &mut Recorder, what: &str) {
    let st = state();
    let id = st.traces.len() as u32;
    rec.trace.name = format!("{what} {id}");
    if st.log.opt {
        let mut comments = Vec::new();
        let mps = std::mem::take(&mut rec.merge_points);
        for (at, greens) in &mps {
            if let Some(s) = location(greens) {
                comments.push((*at, s));
            }
        }
        rec.trace.comments = comments;
        init_helper_names(program::loaded());
        eprint!("{}", log_text("before optimization", &rec.trace));
    }
    // keep constant references alive for as long as the code exists
    for op in &rec.trace.ops {
        let mut consts = |o: &Operand| {
            if let Operand::Ref(a) = o {
                crate::roots::add_permanent_root(*a as *mut Obj);
            }
        };
        op.args.iter().for_each(&mut consts);
        if let OpKind::Guard { fail_args, .. } = &op.kind {
            fail_args.iter().for_each(&mut consts);
        }
    }
    for s in &rec.snapshots {
        for f in &s.frames {
            for (r, v) in &f.regs {
                if let (Kind::Ref, interp::SnapVal::Const(a)) = (r.kind, v) {
                    crate::roots::add_permanent_root(*a as *mut Obj);
                }
            }
        }
    }
}

/// What each guard of an optimized trace knows when it fails (see [`known_on_failure`]).
type Known = Vec<Option<Vec<(usize, u64)>>>;

/// Peels and optimizes a trace with `nguards` recorded guards. Plain data only: runs on either
/// thread. Returns each guard's origin (loop peeling copies guards: a copy's origin is the
/// guard it copies, the others are their own) and what it knows on failure.
fn optimize_trace(trace: &mut Trace, nguards: usize, opts: &Opts) -> (Vec<usize>, Known) {
    let mut origin: Vec<usize> = (0..nguards).collect();
    if opts.peel {
        opt::peel(trace, &mut |i| {
            origin.push(i as usize);
            (origin.len() - 1) as u32
        });
    }
    opt::optimize(trace, opts);
    let known = known_on_failure(trace, origin.len());
    (origin, known)
}

/// The guard records of an optimized trace: guard `g` resumes at the snapshot of the recorded
/// guard it comes from.
fn guard_records(snaps: &[Rc<Snapshot>], origin: &[usize], mut known: Known) -> Vec<GuardRec> {
    (0..origin.len())
        .map(|g| {
            let mut s = g;
            while s >= snaps.len() {
                s = origin[s];
            }
            GuardRec {
                snap: snaps[s].clone(),
                failures: 0,
                bridge: None,
                bridge_attempts: 0,
                origin: origin[g],
                known: known.get_mut(g).and_then(Option::take),
                bridge_pending: false,
            }
        })
        .collect()
}

/// Optimizes a recorded trace on the program's thread (for bridges that may become part of a
/// tree, which is decided on the optimized trace); returns it (guard indices local) with its
/// guard records.
fn prepare(mut rec: Recorder, what: &str) -> Option<(Trace, Vec<GuardRec>)> {
    begin(&mut rec, what);
    let st = state();
    let opts = st.params.opts.clone();
    let t0 = Instant::now();
    let (origin, known) = optimize_trace(&mut rec.trace, rec.snapshots.len(), &opts);
    let st = state();
    st.stats.optimizing += t0.elapsed();
    if st.log.opt {
        eprint!("{}", log_text("after optimization", &rec.trace));
    }
    let snaps: Vec<Rc<Snapshot>> = rec.snapshots.into_iter().map(Rc::new).collect();
    let guards = guard_records(&snaps, &origin, known);
    Some((rec.trace, guards))
}

/// How a submitted trace gets its guard records.
enum Guards {
    /// Optimized already ([`prepare`], trees): its guard records.
    Ready(Vec<GuardRec>),
    /// Recorded, optimized with the code ([`Job::optimize`]): its snapshots, from which the
    /// guard records are made at installation.
    Recorded(Vec<Rc<Snapshot>>),
}

/// Submits a trace (guard indices local to it) for compilation — optimized already or not
/// (`guards`); `exits`: where its `Exit`s (numbered after the guards) continue; `then`: what
/// its installation does (register it under its greens, attach it to a guard, replace a
/// loop).
///
/// The trace id is reserved here (guard indices returned by the code include it) with a
/// [`TraceRec`] in the pending state. With the compilation thread, the job ([`run_job`]:
/// optimization, link table, code generation) is sent there and [`poll`] installs the code
/// later; without, it runs and is installed at once. Until then: the green key is not traced
/// again (`pending_greens`), the guard gets no other bridge (`bridge_pending`), no other tree
/// is built from the loop (`tree_pending`), the traces the code jumps to and the one the
/// installation writes into are kept alive (`Pending::holds`), and nothing enters or links to
/// the trace (it is in no `entries`, `by_tail` or link slot).
fn submit(
    mut trace: Trace,
    guards: Guards,
    what: &str,
    exits: Vec<ExitTo>,
    then: Then,
) -> Submitted {
    let l = program::loaded();
    let st = state();
    let id = st.traces.len() as u32;
    trace.name = format!("{what} {id}");
    if st.log.opt {
        init_helper_names(l);
    }
    if st.log.opt && what == "tree" {
        // (other traces are logged by `begin` and once optimized)
        eprint!("{}", log_text("after optimization", &trace));
    }
    if st.compiler.is_none() {
        match TraceCompiler::new(l.triple, MemPolicy::for_target(l.triple)) {
            Ok(c) => st.compiler = Some(c),
            Err(e) => {
                eprintln!("JIT disabled: {e}");
                st.broken = true;
                // SAFETY: mutator thread.
                unsafe { vmkit_jit_active = 0 };
                return Submitted::Failed;
            }
        }
    }
    if id as u64 >= 1u64 << (32 - GUARD_BITS) {
        eprintln!("JIT: too many traces");
        return Submitted::Failed;
    }
    let succ: Vec<u32> = trace
        .ops
        .iter()
        .filter_map(|op| match op.kind {
            OpKind::JumpTo { target } => st.by_tail.get(&(target as usize)).copied(),
            _ => None,
        })
        .collect();
    let mut holds = succ.clone();
    match &then {
        Then::Register { greens, .. } => {
            st.pending_greens.insert(greens.clone(), ());
        }
        Then::Attach { from, guard, .. } => {
            holds.push(*from);
            st.traces[*from as usize].guards[*guard].bridge_pending = true;
        }
        Then::Tree { from, guard, .. } => {
            holds.push(*from);
            let fr = &mut st.traces[*from as usize];
            fr.tree_pending = true;
            fr.guards[*guard].bridge_pending = true;
        }
    }
    // Frames are sized for every trace that may run: the new one too, from now on (compiled
    // code already running with a smaller frame, in an outer `run_compiled`, may continue in
    // it once installed). Optimizing does not make fail arguments or exits longer.
    st.frame_words = st.frame_words.max(frame_words(&trace) + 1);
    let (nguards, optimize) = match &guards {
        Guards::Ready(g) => (g.len(), None),
        Guards::Recorded(s) => (s.len(), Some(st.params.opts.clone())),
    };
    let job = Job {
        id,
        name: trace.name.clone(),
        trace,
        optimize,
        nguards,
        nexits: exits.len(),
        trees: st.params.opts.trees,
        log_opt: st.log.opt,
        env: env(l),
        want_text: st.log.backend,
        delay: Duration::from_micros(st.params.compile_delay as u64),
    };
    st.traces.push(TraceRec {
        entry: not_compiled,
        tail_entry: 0,
        code: None,
        last_used: 0,
        succ,
        guards: Vec::new(),
        links: Box::new([]),
        exits,
        src: None,
        greens: None,
        redirect: None,
        redirected_from: Vec::new(),
        pending_tree: Vec::new(),
        bsrc: None,
        pending: Some(Box::new(Pending {
            then,
            holds,
            name: job.name.clone(),
            guards,
        })),
        tree_pending: false,
    });
    let job = match worker(st) {
        Some(w) => match w.jobs.send(job) {
            Ok(()) => {
                st.in_flight += 1;
                st.stats.background += 1;
                return Submitted::InFlight;
            }
            // the thread is gone: compile here from now on
            Err(mpsc::SendError(job)) => {
                st.params.compile_thread = false;
                job
            }
        },
        None => job,
    };
    let out = run_job(job, st.compiler.as_mut().expect("compiler").code_gen());
    if finish_job(id, out) {
        Submitted::Installed(id)
    } else {
        Submitted::Failed
    }
}

/// The smallest frame buffer: larger than what nearly every trace needs, so that a trace
/// installed while compiled code runs with an older, smaller frame (during a residual call)
/// does not outgrow that frame when the older code continues into it. (Traces that need more
/// still grow `frame_words`, which leaves that window open for them.)
const MIN_FRAME_WORDS: usize = 1024;

/// The number of frame words trace `t` reads or writes: its inputs, the fail arguments of its
/// guards, the arguments of its exits.
fn frame_words(t: &Trace) -> usize {
    let mut words = t.inputs.len();
    for op in &t.ops {
        if let OpKind::Guard { fail_args, .. } = &op.kind {
            words = words.max(fail_args.len());
        }
        if let OpKind::Exit { .. } = &op.kind {
            words = words.max(op.args.len());
        }
    }
    words
}

/// The entry of a trace whose code is not installed (never called: nothing enters such a
/// trace).
unsafe extern "C" fn not_compiled(_frame: *mut u64) -> u32 {
    crate::fatal::fatal("JIT: a trace was entered before its code was installed")
}

/// The compilation thread, started at the first compilation (when `compile_thread` is on);
/// `None` when off or when it cannot be started (compilations then happen on this thread).
fn worker(st: &mut State) -> Option<&Worker> {
    if !st.params.compile_thread {
        return None;
    }
    if st.worker.is_none() {
        let mem = st.compiler.as_ref().expect("compiler").code_memory();
        match spawn_worker(program::loaded().triple, mem) {
            Ok(w) => st.worker = Some(w),
            Err(e) => {
                if st.log.summary {
                    eprintln!("jit-summary: no compilation thread ({e}): compiling on the program's thread");
                }
                st.params.compile_thread = false;
                return None;
            }
        }
    }
    st.worker.as_ref()
}

/// Jobs the compilation thread finished (sent back), so far: [`poll`] compares it with
/// [`State::received`] (one load, no channel operation, when nothing is new).
static JOBS_DONE: AtomicU64 = AtomicU64::new(0);

/// The helper table's names (`interp::load_global`, `builtin StrConcat`, `new Frame`), for
/// logs; set on the program's thread before the first trace is logged, read on either.
static HELPER_NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// A trace as `jit-log-opt` prints it: the trace, then one `# hN: name` line per helper it
/// calls or allocates with (the printer itself only knows helper indices).
fn log_text(what: &str, trace: &Trace) -> String {
    let mut used: Vec<u32> = Vec::new();
    let mut add = |op: &Op| {
        if let OpKind::Call { helper, .. }
        | OpKind::New { helper, .. }
        | OpKind::NewArray { helper, .. } = &op.kind
        {
            used.push(*helper);
        }
    };
    for op in &trace.ops {
        add(op);
        if let OpKind::Guard { virtuals, .. } = &op.kind {
            virtuals.iter().for_each(&mut add);
        }
    }
    used.sort_unstable();
    used.dedup();
    let mut out = format!("jit-log-opt: {what}\n{trace}");
    let names = HELPER_NAMES.get().map(|v| &v[..]).unwrap_or(&[]);
    for h in used {
        if let Some(n) = names.get(h as usize).filter(|n| !n.is_empty()) {
            out.push_str(&format!("# h{h}: {n}\n"));
        }
    }
    out.push('\n');
    out
}

/// Fills [`HELPER_NAMES`] from the loaded program (program's thread).
fn init_helper_names(l: &program::Loaded) {
    HELPER_NAMES.get_or_init(|| {
        let mut names: Vec<String> = Vec::new();
        for c in &l.prog.calls {
            let h = c.helper as usize;
            if names.len() <= h {
                names.resize(h + 1, String::new());
            }
            if names[h].is_empty() {
                names[h] = c.name.clone();
            }
        }
        names
    });
}

/// Starts the compilation thread: it runs each [`Job`] ([`run_job`], with its own
/// [`CodeGen`]), places the code in fresh code memory ([`CodeMemory::place`]: nothing runs
/// it until the program's thread installs it) and sends the result back; it touches nothing
/// else (no GC object, no JIT state, no code that may run). It is never joined: at exit it is
/// left wherever it is.
fn spawn_worker(triple: &'static str, mem: CodeMemory) -> Result<Worker, String> {
    let (jobs, job_rx) = mpsc::channel::<Job>();
    let (done_tx, done) = mpsc::channel::<Done>();
    std::thread::Builder::new()
        .name("vmkit-jit".into())
        .spawn(move || {
            ON_WORKER.with(|w| w.set(true));
            // (made here, not on the program's thread; the program's `TraceCompiler` for the
            // same target was made first, so this does not fail in practice)
            let mut cg = CodeGen::new(triple);
            while let Ok(job) = job_rx.recv() {
                if !job.delay.is_zero() {
                    std::thread::sleep(job.delay);
                }
                let id = job.id;
                let run =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &mut cg {
                        Ok(cg) => run_job(job, cg).and_then(|out| place(out, &mem)),
                        Err(e) => Err(e.clone()),
                    }));
                let out = run.unwrap_or_else(|p| {
                    // the contexts may be half-used: start afresh
                    cg = CodeGen::new(triple);
                    let msg = p
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| p.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    Err(format!("the compilation thread panicked: {msg}"))
                });
                if done_tx.send(Done { id, out }).is_err() {
                    break;
                }
                JOBS_DONE.fetch_add(1, Ordering::Release);
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(Worker { jobs, done })
}

/// Places a job's generated code in code memory (on the compilation thread), so that the
/// program's thread only links it. Counted as generation time.
fn place(mut out: Output, mem: &CodeMemory) -> Result<Output, String> {
    let t0 = Instant::now();
    if let Code::Generated(code) = out.code {
        out.code = Code::Placed(mem.place(code)?);
    }
    out.generating += t0.elapsed();
    Ok(out)
}

/// Runs a job, on the compilation thread or (without it) on the program's: optimizes the
/// trace if asked, numbers its guards with the trace id, allocates its link table (plain
/// memory, whose address the code embeds; the runtime owns it from installation on) and
/// generates its code.
fn run_job(job: Job, cg: &mut CodeGen) -> Result<Output, String> {
    let Job {
        id,
        name,
        mut trace,
        optimize,
        nguards,
        nexits,
        trees,
        log_opt,
        env,
        want_text,
        ..
    } = job;
    let mut optimizing = Duration::ZERO;
    let mut opt_log = None;
    let (origin, known) = match &optimize {
        Some(opts) => {
            let t0 = Instant::now();
            let r = optimize_trace(&mut trace, nguards, opts);
            optimizing = t0.elapsed();
            if log_opt {
                opt_log = Some(log_text("after optimization", &trace));
            }
            r
        }
        None => ((0..nguards).collect(), Vec::new()),
    };
    let nguards = origin.len();
    // a loop (or tree) can be replaced by a tree: it checks a redirect slot on entry
    let is_loop = main_end(&trace) == Some(OpKind::Jump);
    let src = (trees && is_loop && tree_able(&trace) && trace.ops.len() <= MAX_TREE_OPS)
        .then(|| trace.clone());
    let redirect = src.as_ref().map(|_| nguards + nexits.max(1));
    // guard indices are global: trace `id`'s guard `g` returns `id << GUARD_BITS | g`
    let base = (id as u64) << GUARD_BITS;
    if nguards + nexits + 2 > GUARD_MASK {
        return Err(format!("{name}: too many guards in one trace"));
    }
    for op in trace.ops.iter_mut() {
        if let OpKind::Guard { index, .. }
        | OpKind::Exit { index }
        | OpKind::Bridge { guard: index } = &mut op.kind
        {
            *index = (base | *index as u64) as u32;
        }
    }
    trace.redirect = redirect.map(|r| (base | r as u64) as u32);
    let nlinks = nguards + nexits.max(1) + usize::from(redirect.is_some());
    let links: Box<[u64]> = vec![0u64; nlinks].into_boxed_slice();
    let words = frame_words(&trace);
    let t0 = Instant::now();
    // the backend reads slot `index` (the encoded guard number): shift the table's base so
    // that slot `base | g` is `links[g]`
    let at = links.as_ptr().wrapping_sub(base as usize);
    let code = cg.generate(&trace, &env, Some(at), want_text)?;
    Ok(Output {
        code: Code::Generated(code),
        links,
        src,
        redirect,
        origin,
        known,
        words,
        nops: trace.ops.len(),
        opt_log,
        optimizing,
        generating: t0.elapsed(),
    })
}

/// Installs the jobs the compilation thread finished (a cheap check when none is new).
/// Called where the program's thread is outside compiled code and may change the JIT's state:
/// at `can_enter_jit` and portal entries, at merge points reached outside compiled code, when
/// compiled code returns. Not while tracing (the recorder holds trace ids, and no code is freed
/// under it).
#[inline]
fn poll() {
    let st = state();
    if st.in_flight > 0 && JOBS_DONE.load(Ordering::Acquire) != st.received {
        poll_slow();
    }
}

#[cold]
fn poll_slow() {
    loop {
        let st = state();
        if st.in_flight == 0 || st.busy_tracing {
            return;
        }
        let Some(w) = &st.worker else { return };
        let Ok(d) = w.done.try_recv() else { return };
        st.in_flight -= 1;
        st.received += 1;
        finish_job(d.id, d.out);
    }
}

/// Installs the result of pending trace `id`'s job (see [`install`]), counting the time;
/// whether it was installed.
fn finish_job(id: u32, out: Result<Output, String>) -> bool {
    let t0 = Instant::now();
    let ok = install(id, out);
    state().stats.installing += t0.elapsed();
    ok
}

/// Places the code of pending trace `id` in code memory and makes it reachable: by its tail
/// entry, by the link slots of exits waiting for its greens, and as its [`Then`] says. The
/// job's marks (pending green key, guard, tree) go, installed or not. Then unused code may be
/// freed ([`free_unused`]).
fn install(id: u32, out: Result<Output, String>) -> bool {
    let st = state();
    let Some(p) = st.traces[id as usize].pending.take() else {
        return false;
    };
    let Pending {
        then, name, guards, ..
    } = *p;
    match &then {
        Then::Register { greens, .. } => {
            st.pending_greens.remove(greens);
        }
        Then::Attach { from, guard, .. } => {
            st.traces[*from as usize].guards[*guard].bridge_pending = false;
        }
        Then::Tree { from, guard, .. } => {
            let fr = &mut st.traces[*from as usize];
            fr.tree_pending = false;
            fr.guards[*guard].bridge_pending = false;
        }
    }
    let out = match out {
        Ok(o) => o,
        Err(err) => {
            eprintln!("JIT: cannot compile {name}: {err}");
            return false;
        }
    };
    let Output {
        code,
        links,
        src,
        redirect,
        origin,
        known,
        words,
        nops,
        opt_log,
        optimizing,
        generating,
    } = out;
    st.stats.optimizing += optimizing;
    st.stats.compiling += generating;
    if let Some(log) = opt_log {
        eprint!("{log}");
    }
    let placed = match code {
        Code::Placed(c) => {
            c.acquire();
            Ok(c)
        }
        Code::Generated(code) => st.compiler.as_mut().expect("compiler").install(code),
    };
    let compiled = match placed {
        Ok(c) => c,
        Err(err) => {
            eprintln!("JIT: cannot compile {name}: {err}");
            return false;
        }
    };
    st.stats.compiled_ops += nops as u64;
    if let Some(text) = &compiled.text {
        eprintln!("jit-backend: {name}\n{text}");
    }
    if st.log.wx_check {
        wx_check(st);
    }
    if st.log.perf_map {
        perf_map(compiled.tail_entry, compiled.code_size, &name);
    }
    let guards = match guards {
        Guards::Ready(g) => g,
        Guards::Recorded(snaps) => guard_records(&snaps, &origin, known),
    };
    let nguards = guards.len();
    st.frame_words = st.frame_words.max(words + 1);
    let tail = compiled.tail_entry;
    st.generation += 1;
    let t = &mut st.traces[id as usize];
    t.entry = compiled.entry;
    t.tail_entry = tail;
    t.code = Some(compiled);
    t.last_used = st.generation;
    t.guards = guards;
    t.links = links;
    t.src = src;
    t.redirect = redirect;
    let exits = t.exits.clone();
    st.by_tail.insert(tail, id);
    for (k, e) in exits.into_iter().enumerate() {
        let ExitTo::MergePoint(g) = e else { continue };
        match st.entries.get(&g) {
            // code for those greens was installed while this trace was being compiled
            Some(&to) => {
                let to_tail = st.traces[to as usize].tail_entry as u64;
                let t = &mut st.traces[id as usize];
                t.links[nguards + k] = to_tail;
                t.succ.push(to);
            }
            None => st
                .pending_exits
                .entry(g)
                .or_default()
                .push((id, nguards + k)),
        }
    }
    match then {
        Then::Register { greens, what } => {
            for (t, slot) in st.pending_exits.remove(&greens).unwrap_or_default() {
                st.traces[t as usize].links[slot] = tail as u64;
                st.traces[t as usize].succ.push(id);
            }
            st.traces[id as usize].greens = Some(greens.clone());
            st.entries.insert(greens, id);
            match what {
                "function" => st.stats.functions += 1,
                "loop" => st.stats.loops += 1,
                _ => st.stats.entry_traces += 1,
            }
        }
        Then::Attach { from, guard, keep } => {
            let tr = &mut st.traces[from as usize];
            tr.succ.push(id);
            for k in 0..tr.guards.len() {
                if k == guard || tr.guards[k].origin == guard {
                    tr.guards[k].bridge = Some(id);
                    tr.links[k] = tail as u64;
                }
            }
            st.stats.bridges += 1;
            // `from` was replaced by a tree while this bridge was compiled: the tree's copies of
            // the guard get it too (unless they have a bridge of their own by now), and it
            // waits for the tree's next extension
            let mut to = latest(from);
            if to != from {
                let tt = &mut st.traces[to as usize];
                let mut attached = false;
                for k in 0..tt.guards.len() {
                    let g = &tt.guards[k];
                    if (k == guard || g.origin == guard) && g.bridge.is_none() && !g.bridge_pending
                    {
                        tt.guards[k].bridge = Some(id);
                        tt.links[k] = tail as u64;
                        attached = true;
                    }
                }
                if attached {
                    tt.succ.push(id);
                } else {
                    // that tree's guard got a bridge of its own: this one is not for its trees
                    to = from;
                }
            }
            if let Some(bt) = keep {
                st.traces[id as usize].bsrc = Some(bt);
                st.traces[to as usize].pending_tree.push((guard, id));
            }
        }
        Then::Tree {
            from,
            n,
            blinks,
            inlined,
            ..
        } => tree_installed(id, from, n, blinks, &inlined),
    }
    free_unused(st);
    true
}

fn is_end(k: &OpKind) -> bool {
    matches!(
        k,
        OpKind::Jump | OpKind::Exit { .. } | OpKind::JumpTo { .. } | OpKind::Restart
    )
}

/// The op ending the main path of `t` (before any bridge segment).
fn main_end(t: &Trace) -> Option<OpKind> {
    t.ops
        .iter()
        .find(|o| is_end(&o.kind))
        .map(|o| o.kind.clone())
}

/// A bridge to inline into a tree: the guard it starts from, its optimized trace (guard
/// indices local), its guard records and their link slots.
struct Inline {
    guard: usize,
    bt: Trace,
    guards: Vec<GuardRec>,
    links: Vec<u64>,
}

/// A trace tree: trace `from` (a loop or tree whose source is kept) with each bridge of
/// `bridges` inlined at its guard and at each copy of that guard, the bridge's final jump back
/// to `from` becoming a `Restart`. Returns the tree, its guard records and the link slots to
/// set (the inlined bridges' guards that already have bridges). `None` when not possible (see
/// [`MAX_TREE_OPS`]).
#[allow(clippy::type_complexity)]
fn build_tree(from: u32, bridges: &[Inline]) -> Option<(Trace, Vec<GuardRec>, Vec<(usize, u64)>)> {
    let st = state();
    let fr = &st.traces[from as usize];
    let mut t = fr.src.clone()?;
    let mut guards = fr.guards.clone();
    let mut links = Vec::new();
    for b in bridges {
        let bt = &b.bt;
        let Some(Op {
            kind: OpKind::JumpTo { target },
            ..
        }) = bt.ops.last()
        else {
            return None;
        };
        // (a bridge compiled while `from` was being replaced jumps to the older version, which
        // redirects here: the same inputs)
        let to_this = *target as usize == fr.tail_entry
            || fr
                .redirected_from
                .iter()
                .any(|&o| st.traces[o as usize].tail_entry == *target as usize);
        if !to_this || !tree_able(bt) {
            return None;
        }
        if bt.ops.iter().filter(|o| is_end(&o.kind)).count() != 1 {
            return None;
        }
        // the copies of the guard in the tree, with their fail arguments
        let sites: Vec<(u32, Vec<Operand>)> = t
            .ops
            .iter()
            .filter_map(|o| match &o.kind {
                OpKind::Guard {
                    index, fail_args, ..
                } if *index as usize == b.guard || guards[*index as usize].origin == b.guard => {
                    Some((*index, fail_args.clone()))
                }
                _ => None,
            })
            .collect();
        if sites.is_empty() || t.ops.len() + sites.len() * (bt.ops.len() + 1) > MAX_TREE_OPS {
            return None;
        }
        let first = guards.len();
        for (site, fail_args) in sites {
            if fail_args.len() != bt.inputs.len() {
                return None;
            }
            let base = guards.len();
            let off = t.kinds.len() as u32;
            t.kinds.extend_from_slice(&bt.kinds);
            let mut map: HashMap<u32, Operand> = HashMap::new();
            for (i, a) in bt.inputs.iter().zip(&fail_args) {
                map.insert(*i, *a);
            }
            let sub = |o: Operand| match o {
                Operand::Var(v) => map.get(&v).copied().unwrap_or(Operand::Var(v + off)),
                c => c,
            };
            t.ops.push(Op {
                kind: OpKind::Bridge { guard: site },
                args: vec![],
                results: vec![],
            });
            for op in &bt.ops {
                let mut op = op.clone();
                op.args = op.args.iter().map(|a| sub(*a)).collect();
                op.results = op.results.iter().map(|r| r + off).collect();
                match &mut op.kind {
                    OpKind::Guard {
                        index,
                        fail_args,
                        stores,
                        ..
                    } => {
                        *index += base as u32;
                        for a in fail_args.iter_mut() {
                            *a = sub(*a);
                        }
                        for st in stores.iter_mut() {
                            for a in [&mut st.array, &mut st.index, &mut st.value] {
                                *a = sub(*a);
                            }
                        }
                    }
                    OpKind::JumpTo { .. } => op.kind = OpKind::Restart,
                    _ => {}
                }
                t.ops.push(op);
            }
            for (j, g) in b.guards.iter().enumerate() {
                let mut g = g.clone();
                // copies share failure counts and bridges with the first copy's guards
                g.origin += first;
                guards.push(g);
                if let Some(&l) = b.links.get(j).filter(|l| **l != 0) {
                    links.push((base + j, l));
                }
            }
        }
    }
    Some((t, guards, links))
}

/// Compiles the tree of `from` with bridge `bt` of its guard `guard` and the bridges waiting
/// in `from`'s `pending_tree` (see [`build_tree`]); once installed ([`tree_installed`]), every
/// later entry of `from` (and of the trees it replaced) goes there.
fn compile_tree(from: u32, guard: usize, bt: &Trace, bguards: &[GuardRec]) -> Submitted {
    let st = state();
    let mut bridges = Vec::new();
    let mut inlined = Vec::new();
    // one segment per guard: not for guards that have one (with background compilation, a
    // bridge of the loop a tree replaced may come to wait for that tree's next extension after
    // another bridge of the same guard was inlined into it)
    let fr = &st.traces[from as usize];
    let mut seen: Vec<usize> = fr
        .src
        .iter()
        .flat_map(|t| &t.ops)
        .filter_map(|o| match o.kind {
            OpKind::Bridge { guard } => Some(guard as usize),
            _ => None,
        })
        .flat_map(|site| [site, fr.guards.get(site).map_or(site, |g| g.origin)])
        .collect();
    seen.push(guard);
    for &(g, b) in &fr.pending_tree {
        let br = &st.traces[b as usize];
        if seen.contains(&g) {
            continue;
        }
        if let (Some(src), true) = (&br.bsrc, br.code.is_some()) {
            seen.push(g);
            inlined.push(b);
            bridges.push(Inline {
                guard: g,
                bt: src.clone(),
                guards: br.guards.clone(),
                links: br.links[..br.guards.len()].to_vec(),
            });
        }
    }
    bridges.push(Inline {
        guard,
        bt: bt.clone(),
        guards: bguards.to_vec(),
        links: Vec::new(),
    });
    let Some((tree, guards, blinks)) = build_tree(from, &bridges) else {
        return Submitted::Failed;
    };
    if let Err(e) = tree.verify() {
        eprintln!("JIT: bad trace tree: {e}");
        return Submitted::Failed;
    }
    let n = state().traces[from as usize].guards.len();
    let then = Then::Tree {
        from,
        guard,
        n,
        blinks,
        inlined,
    };
    submit(tree, Guards::Ready(guards), "tree", Vec::new(), then)
}

/// The newest version of loop or tree `t`: following the redirect slots set by the trees that
/// replaced it.
fn latest(mut t: u32) -> u32 {
    let st = state();
    loop {
        let tr = &st.traces[t as usize];
        let next = match (tr.redirect, &tr.code) {
            (Some(s), Some(_)) => st.by_tail.get(&(tr.links[s] as usize)).copied(),
            _ => None,
        };
        match next {
            Some(n) if n != t => t = n,
            _ => return t,
        }
    }
}

/// Tree `id` replacing `from` was installed: it takes over `from`'s bridges (link slots of its
/// first `n` guards, as they are now), the inlined bridges' own bridges (`blinks`), `from`'s
/// green key, and the redirect slots of `from` and of the trees `from` replaced.
fn tree_installed(id: u32, from: u32, n: usize, blinks: Vec<(usize, u64)>, inlined: &[u32]) {
    let st = state();
    st.stats.trees += 1;
    st.stats.bridges += 1;
    let (links, bridges, succ, greens, mut older, waiting) = {
        let fr = &st.traces[from as usize];
        (
            fr.links[..n].to_vec(),
            fr.guards[..n].iter().map(|g| g.bridge).collect::<Vec<_>>(),
            fr.succ.clone(),
            fr.greens.clone(),
            fr.redirected_from.clone(),
            // bridges of `from` compiled (on their own) while the tree was: for the next tree
            fr.pending_tree
                .iter()
                .filter(|(_, b)| !inlined.contains(b))
                .copied()
                .collect::<Vec<_>>(),
        )
    };
    let tail = st.traces[id as usize].tail_entry as u64;
    {
        let by_tail = &st.by_tail;
        let t = &mut st.traces[id as usize];
        t.links[..n].copy_from_slice(&links);
        for (g, b) in t.guards.iter_mut().zip(bridges) {
            g.bridge = b;
        }
        // the guard records were copied while jobs for their guards may have been in flight:
        // those attach to the originals
        for g in t.guards.iter_mut() {
            g.bridge_pending = false;
        }
        for (k, l) in blinks {
            t.links[k] = l;
            t.succ.extend(by_tail.get(&(l as usize)).copied());
        }
        t.succ.extend(succ);
        t.greens = greens.clone();
        t.pending_tree = waiting;
    }
    older.push(from);
    for &o in &older {
        let ot = &mut st.traces[o as usize];
        if let (Some(slot), true) = (ot.redirect, ot.code.is_some()) {
            ot.links[slot] = tail;
            ot.succ.push(id);
        }
    }
    st.traces[id as usize].redirected_from = older;
    if let Some(g) = greens {
        if st.entries.get(&g) == Some(&from) {
            st.entries.insert(g, id);
        }
    }
}

/// Frees compiled code that is no longer used (RPython's `loop_longevity`). Every compilation
/// is a generation; [`run_compiled`] stamps each trace it runs with the current one. Live:
/// the traces run in the last `loop_longevity` generations, those of the active
/// [`run_compiled`] calls, and every trace reachable from a live one through [`TraceRec::succ`]
/// (compiled code only continues in those, so code that may be on the native stack is live).
/// Everything else — a loop with its bridges, say — is freed: its code is dropped (the code
/// memory goes back to its chunk, which is unmapped once all its pieces are gone), its green
/// key gets no compiled entry (it may be traced again when hot), its pending exits are
/// forgotten. Runs every `loop_longevity / 4` generations.
fn free_unused(st: &mut State) {
    let longevity = st.params.loop_longevity as u64;
    if longevity == 0 || st.generation % (longevity / 4).max(1) != 0 {
        return;
    }
    let mut live = vec![false; st.traces.len()];
    let mut work: Vec<u32> = st.active.clone();
    for (i, t) in st.traces.iter().enumerate() {
        if t.code.is_some() && st.generation.saturating_sub(t.last_used) <= longevity {
            work.push(i as u32);
        }
        // what compilations in flight jump to or will write into
        if let Some(p) = &t.pending {
            work.extend(p.holds.iter().copied());
        }
    }
    while let Some(i) = work.pop() {
        if !std::mem::replace(&mut live[i as usize], true) {
            work.extend(st.traces[i as usize].succ.iter().copied());
        }
    }
    let mut freed = 0;
    for (i, t) in st.traces.iter_mut().enumerate() {
        if live[i] || t.code.is_none() {
            continue;
        }
        st.by_tail.remove(&t.tail_entry);
        t.code = None;
        t.guards = Vec::new();
        t.succ = Vec::new();
        t.exits = Vec::new();
        t.links = Box::new([]);
        freed += 1;
    }
    if freed == 0 {
        return;
    }
    st.stats.freed += freed;
    st.entries.retain(|_, t| live[*t as usize]);
    st.pending_exits.retain(|_, v| {
        v.retain(|(t, _)| live[*t as usize]);
        !v.is_empty()
    });
}

/// Appends one line `ADDR SIZE NAME` (hex address and size) to `/tmp/perf-<pid>.map`, the
/// format `perf report` reads for JIT code, and writes the machine code to
/// `/tmp/perf-<pid>/NAME@ADDR.bin` (for `objdump -b binary -m i386:x86-64 --adjust-vma=ADDR -D`,
/// to read per-instruction samples of `perf script -F ip,sym`).
fn perf_map(addr: usize, size: usize, name: &str) {
    use std::io::Write;
    let pid = std::process::id();
    let name = name.replace(' ', "_");
    let path = format!("/tmp/perf-{pid}.map");
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(f, "{addr:x} {size:x} {name}");
    }
    let dir = format!("/tmp/perf-{pid}");
    let _ = std::fs::create_dir_all(&dir);
    // SAFETY: `addr..addr + size` is the trace's code, just compiled, readable and alive.
    let code = unsafe { std::slice::from_raw_parts(addr as *const u8, size) };
    let _ = std::fs::write(format!("{dir}/{name}@{addr:x}.bin"), code);
}

/// Counts the mappings of the process that are writable and executable at once.
fn wx_check(st: &mut State) {
    st.stats.wx_checks += 1;
    match std::fs::read_to_string("/proc/self/maps") {
        Ok(maps) => {
            for line in maps.lines() {
                let perms = line.split_whitespace().nth(1).unwrap_or("");
                if perms.contains('w') && perms.contains('x') {
                    st.stats.wx_violations += 1;
                    eprintln!("jit-wx-check: writable and executable: {line}");
                }
            }
        }
        Err(e) => eprintln!("jit-wx-check: cannot read /proc/self/maps: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_parse_and_reject_typos() {
        let p = Params::parse("threshold=7,trace_eagerness=3,trace_limit=100,enable_opts=fold:dce")
            .expect("valid");
        assert_eq!((p.threshold, p.trace_eagerness, p.trace_limit), (7, 3, 100));
        assert!(p.opts.fold && p.opts.dce && !p.opts.cse && !p.opts.guards && !p.opts.bounds);
        assert!(p.on);
        assert!(!Params::parse("off").expect("valid").on);
        let p = Params::parse("function_threshold=5,loop_longevity=9").expect("valid");
        assert_eq!((p.function_threshold, p.loop_longevity), (5, 9));
        assert_eq!(Params::default().loop_longevity, 1000);
        // background compilation: on by default
        assert!(Params::default().compile_thread);
        assert_eq!(Params::default().compile_delay, 0);
        let p = Params::parse("compile_thread=0,compile_delay=250").expect("valid");
        assert!(!p.compile_thread);
        assert_eq!(p.compile_delay, 250);
        assert!(
            Params::parse("compile_thread=1")
                .expect("valid")
                .compile_thread
        );
        let d = Params::parse("").expect("valid");
        assert_eq!(d.threshold, Params::default().threshold);
        let none = Params::parse("enable_opts=").expect("valid").opts;
        assert!(!none.fold && !none.cse && !none.guards && !none.bounds && !none.dce);
        for (bad, msg) in [
            ("thresold=1", "unknown parameter `thresold`"),
            ("threshold=x", "`threshold` needs a number"),
            ("enable_opts=fold:nope", "unknown optimization `nope`"),
            ("threshold", "expected `name=value`"),
            ("compile_thread=2", "`compile_thread` is 0 or 1"),
            ("compile_thread=yes", "`compile_thread` is 0 or 1"),
            ("compile_delay=-1", "`compile_delay` needs a number"),
        ] {
            let e = Params::parse(bad).expect_err(bad);
            assert!(e.contains(msg), "{bad}: {e}");
        }
    }

    #[test]
    fn logs_parse() {
        let l = Log::parse("info,jit-summary,jit-wx-check");
        assert!(l.summary && l.wx_check && !l.opt && !l.backend);
        let l = Log::parse("jit");
        assert!(l.summary && l.opt);
    }
}
