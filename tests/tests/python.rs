//! pyvm (interp-python) against CPython 3.11: the conformance suite in `interp-python/tests`
//! (`<area>/<name>.py` with `.out`, `.status`, `.err`, `.in`, `.args` recorded from CPython, see
//! that directory's README) is run with pyvm in every mode CI can run, and each run must match the
//! expectations except for the scripts listed in `interp-python/tests/known_failures.txt`.
//!
//! # What a run is and what is compared
//!
//! Each script runs with its own directory as the working directory, `PYTHONHASHSEED=0`, stdin
//! from `<name>.in` (or empty), the lines of `<name>.args` as arguments and a time limit (60 s
//! natively, 180 s under qemu). A script *passes* when its stdout equals `.out` byte for byte, its
//! exit status equals `.status` (0 when missing) and, for scripts that fail on purpose (non-zero
//! status and a `.err` file), the last line of stderr equals the last line of `.err`
//! (`Type: message`; only the exception type for `syntax/`). This is exactly what
//! `interp-python/tools/conformance.py` checks; a mismatch prints the first differing stdout line,
//! both statuses and the tail of stderr.
//!
//! The modes, one `#[test]` each so they run concurrently:
//!
//! * [`untranslated`]: the `pyvm` binary built by `cargo build -p pyvm` (plain rustc, no JIT).
//! * [`translated_x86_64`]: pyvm translated by vmkit for x86-64 Linux, run natively.
//! * [`translated_x86_64_jit_eager`]: the same executable with
//!   `VMKIT_JIT=threshold=1,trace_eagerness=1` (every loop traced at once, bridges at the first
//!   guard failure), so the JIT runs almost every script.
//! * [`translated_aarch64_qemu`]: pyvm translated for aarch64 Linux, run with
//!   `qemu-aarch64 -L /usr/aarch64-linux-gnu` (`scripts/setup.sh` installs it), on every script.
//! * [`x86_64_each_pass_disabled`]: the same comparison for the JIT at threshold 1 with each
//!   optimization pass disabled in turn (issue 5's "same bytes with each pass disabled").
//! * [`differential`]: for *every* script, known failures included, the stdout and exit status
//!   of each translated mode must equal the untranslated run's. The translator and the JIT must
//!   not change behaviour, even where the interpreter itself is still wrong; a difference here is
//!   a translator or JIT bug, not a pyvm bug.
//!
//! Each mode fails both when a script that is not listed fails *and* when a listed script
//! passes, so the list stays honest.
//!
//! # Updating `known_failures.txt`
//!
//! One script per line, relative to `interp-python/tests` (`bytes/bytes_methods.py`); `#` starts
//! a comment. When a fix makes a script pass, the tests fail with `now passes: remove it from
//! known_failures.txt`: delete its line. When a change breaks a script, fix it (or, if that is
//! intended, add the line). To regenerate the whole list from the untranslated binary:
//!
//! ```sh
//! cargo build -p pyvm
//! python3 interp-python/tools/conformance.py target/debug/pyvm | sed -n 's/^FAIL \([^:]*\):.*/\1/p'
//! ```
//!
//! # How the binaries are obtained
//!
//! * Untranslated: integration tests only see `CARGO_BIN_EXE_*` of their own package, and
//!   depending on the `pyvm` library would not build its binary (and its `entry` ends the process
//!   with `process::exit`, so it cannot run in the test process). The test therefore runs
//!   `$CARGO build -p pyvm --bin pyvm` in the test binary's own target directory and profile and
//!   takes the executable path from cargo's JSON messages: a no-op when the binary is up to date
//!   (cargo locks the target directory, so concurrent builds are safe), and never a stale binary.
//! * Translated: the test translates `interp-python` in process with the translator and
//!   backends, like `translated.rs`, into `target/vmkit-tests/<triple>/pyvm/pyvm`, once per target
//!   (a `OnceLock` shared by the tests). The result is reused while it is newer than every
//!   `.rs`/`.toml`/`.ron` file and `Cargo.lock` in the workspace outside `target/`, `tests/` and
//!   the scripts (a translation takes ~10 s once the runtime for the target is built and cached
//!   in `target/vmkit-rt`, minutes before); `VMKIT_TESTS_RETRANSLATE=1` forces a translation. The
//!   freshness check uses a stamp file written only after a successful build (never a
//!   half-written executable) and dated when the translation started (a source edited during
//!   the translation makes the next run translate again).
//!
//! Scripts run on two threads per mode. Scripts that use fixed paths under `/tmp` (the
//! `fileio` scripts) are serialized across modes with a process-wide lock.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};
use vmkit_translator::target::TargetSpec;

const X86_64: &str = "x86_64-unknown-linux-gnu";
const AARCH64: &str = "aarch64-unknown-linux-gnu";
const JIT_EAGER: &str = "threshold=1,trace_eagerness=1";
const THREADS: usize = 2;
/// Exit status recorded for a run that hit the time limit (as in conformance.py).
const TIMEOUT_STATUS: i32 = -999;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf()
}

fn suite_dir() -> PathBuf {
    root().join("interp-python/tests")
}

// ---------------------------------------------------------------------------------------------
// The scripts and their expectations

struct Script {
    /// `area/name.py`
    rel: String,
    path: PathBuf,
    args: Vec<String>,
    stdin: Option<PathBuf>,
    want_out: Vec<u8>,
    want_status: i32,
    /// Last line of `.err`, for scripts that exit non-zero with a `.err` file.
    want_err_last: Option<String>,
    uses_tmp: bool,
}

fn scripts() -> &'static [Script] {
    static S: OnceLock<Vec<Script>> = OnceLock::new();
    S.get_or_init(|| {
        let dir = suite_dir();
        let mut paths = Vec::new();
        for area in std::fs::read_dir(&dir).expect("interp-python/tests") {
            let area = area.expect("entry").path();
            if !area.is_dir() {
                continue;
            }
            for f in std::fs::read_dir(&area).expect("area") {
                let p = f.expect("entry").path();
                let name = p.file_name().expect("name").to_string_lossy().into_owned();
                if name.ends_with(".py") && !name.ends_with("_mod.py") {
                    paths.push(p);
                }
            }
        }
        paths.sort();
        paths
            .into_iter()
            .map(|p| {
                let rel = p.strip_prefix(&dir).expect("rel").to_string_lossy().into_owned();
                let args = std::fs::read_to_string(p.with_extension("args"))
                    .map(|a| a.lines().map(str::to_string).collect())
                    .unwrap_or_default();
                let stdin = Some(p.with_extension("in")).filter(|i| i.is_file());
                let want_out = std::fs::read(p.with_extension("out"))
                    .unwrap_or_else(|e| panic!("{rel}: no .out file ({e}); run regen.sh"));
                let want_status = std::fs::read_to_string(p.with_extension("status"))
                    .map(|s| s.trim().parse().unwrap_or_else(|_| panic!("{rel}: bad .status")))
                    .unwrap_or(0);
                let want_err_last = std::fs::read(p.with_extension("err"))
                    .ok()
                    .filter(|_| want_status != 0)
                    .and_then(|e| last_line(&e));
                let uses_tmp = std::fs::read_to_string(&p).expect("script").contains("/tmp/");
                Script { rel, path: p, args, stdin, want_out, want_status, want_err_last, uses_tmp }
            })
            .collect()
    })
}

/// Last line of `bytes` after trimming surrounding whitespace (Python's `strip().splitlines()[-1]`).
fn last_line(bytes: &[u8]) -> Option<String> {
    let s = String::from_utf8_lossy(bytes);
    s.trim().lines().last().map(str::to_string)
}

fn known_failures() -> &'static BTreeSet<String> {
    static K: OnceLock<BTreeSet<String>> = OnceLock::new();
    K.get_or_init(|| {
        let file = suite_dir().join("known_failures.txt");
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut set = BTreeSet::new();
        let mut problems = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let entry = line.split('#').next().unwrap_or("").trim();
            if entry.is_empty() {
                continue;
            }
            if !suite_dir().join(entry).is_file() {
                problems.push(format!("line {}: `{entry}` is not a script in interp-python/tests", i + 1));
            }
            if !set.insert(entry.to_string()) {
                problems.push(format!("line {}: `{entry}` is listed twice", i + 1));
            }
        }
        assert!(problems.is_empty(), "{}:\n{}", file.display(), problems.join("\n"));
        set
    })
}

// ---------------------------------------------------------------------------------------------
// Running a script

#[derive(Clone)]
struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    /// Exit code, `-signal` when killed by a signal, [`TIMEOUT_STATUS`] on time-out.
    status: i32,
}

/// How to start pyvm: the program, arguments before the script, extra environment.
#[derive(Clone)]
struct Runner {
    label: String,
    program: PathBuf,
    prefix: Vec<OsString>,
    env: Vec<(String, String)>,
    timeout: Duration,
}

impl Runner {
    fn native(label: &str, exe: &Path, jit: Option<&str>) -> Runner {
        Runner {
            label: label.into(),
            program: exe.to_path_buf(),
            prefix: Vec::new(),
            env: jit.map(|j| vec![("VMKIT_JIT".to_string(), j.to_string())]).unwrap_or_default(),
            timeout: Duration::from_secs(60),
        }
    }

    fn qemu_aarch64(label: &str, exe: &Path) -> Runner {
        Runner {
            label: label.into(),
            program: "qemu-aarch64".into(),
            prefix: vec!["-L".into(), "/usr/aarch64-linux-gnu".into(), exe.as_os_str().to_owned()],
            env: Vec::new(),
            timeout: Duration::from_secs(180),
        }
    }

    fn run(&self, s: &Script) -> Outcome {
        static TMP_FILES: Mutex<()> = Mutex::new(());
        let _guard = s.uses_tmp.then(|| TMP_FILES.lock().unwrap_or_else(|e| e.into_inner()));
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.prefix)
            .arg(s.path.file_name().expect("name"))
            .args(&s.args)
            .current_dir(s.path.parent().expect("dir"))
            .env("PYTHONHASHSEED", "0")
            .env_remove("VMKIT_JIT")
            .env_remove("VMKIT_GC_STRESS")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        match &s.stdin {
            Some(p) => cmd.stdin(std::fs::File::open(p).expect("stdin file")),
            None => cmd.stdin(Stdio::null()),
        };
        let mut child =
            cmd.spawn().unwrap_or_else(|e| panic!("cannot run {} ({}): {e}", self.program.display(), self.label));
        let mut out_pipe = child.stdout.take().expect("stdout");
        let mut err_pipe = child.stderr.take().expect("stderr");
        let out_reader = std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = out_pipe.read_to_end(&mut b);
            b
        });
        let err_reader = std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = err_pipe.read_to_end(&mut b);
            b
        });
        let start = Instant::now();
        let mut nap = Duration::from_millis(1);
        let status = loop {
            if let Some(st) = child.try_wait().expect("wait") {
                break st.code().unwrap_or_else(|| -st.signal().unwrap_or(0));
            }
            if start.elapsed() > self.timeout {
                let _ = child.kill();
                let _ = child.wait();
                break TIMEOUT_STATUS;
            }
            std::thread::sleep(nap);
            nap = (nap * 2).min(Duration::from_millis(20));
        };
        let stdout = out_reader.join().expect("stdout reader");
        let mut stderr = err_reader.join().expect("stderr reader");
        if status == TIMEOUT_STATUS {
            stderr.extend_from_slice(format!("\n[timeout after {:?}]", self.timeout).as_bytes());
        }
        Outcome { stdout, stderr, status }
    }

    /// Runs `subset` (indices into [`scripts`]) on [`THREADS`] threads; results in input order.
    fn run_all(&self, subset: &[usize]) -> Vec<Outcome> {
        let all = scripts();
        let next = AtomicUsize::new(0);
        let results: Vec<Mutex<Option<Outcome>>> = subset.iter().map(|_| Mutex::new(None)).collect();
        std::thread::scope(|sc| {
            for _ in 0..THREADS {
                sc.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= subset.len() {
                        break;
                    }
                    let o = self.run(&all[subset[i]]);
                    *results[i].lock().unwrap() = Some(o);
                });
            }
        });
        results.into_iter().map(|m| m.into_inner().unwrap().expect("result")).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing

/// Why `o` does not meet `s`'s expectations, or `None` when it passes.
fn mismatch(s: &Script, o: &Outcome) -> Option<String> {
    let mut why = Vec::new();
    if o.stdout != s.want_out {
        why.push(stdout_diff(&s.want_out, &o.stdout));
    }
    if o.status != s.want_status {
        why.push(format!("exit status {} (want {})", o.status, s.want_status));
    }
    if why.is_empty() {
        if let Some(want) = &s.want_err_last {
            let got = last_line(&o.stderr).unwrap_or_default();
            let (w, g) = if s.rel.starts_with("syntax/") {
                (want.split(':').next().unwrap_or(""), got.split(':').next().unwrap_or(""))
            } else {
                (want.as_str(), got.as_str())
            };
            if w != g {
                why.push(format!("last stderr line {g:?} (want {w:?})"));
            }
        }
    }
    if why.is_empty() {
        None
    } else {
        Some(format!("{}\n    stderr tail: {}", why.join("\n    "), stderr_tail(&o.stderr)))
    }
}

/// The first differing line of two outputs, with its line number.
fn stdout_diff(want: &[u8], got: &[u8]) -> String {
    let want = String::from_utf8_lossy(want);
    let got = String::from_utf8_lossy(got);
    let (wl, gl): (Vec<&str>, Vec<&str>) = (want.split_inclusive('\n').collect(), got.split_inclusive('\n').collect());
    let n = wl.iter().zip(&gl).take_while(|(a, b)| a == b).count();
    let show = |l: Option<&&str>| l.map_or_else(|| "<end of output>".to_string(), |l| format!("{l:?}"));
    format!(
        "stdout differs at line {} ({} lines wanted, {} got):\n      want: {}\n      got:  {}",
        n + 1,
        wl.len(),
        gl.len(),
        show(wl.get(n)),
        show(gl.get(n))
    )
}

fn stderr_tail(stderr: &[u8]) -> String {
    let s = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = s.trim().lines().collect();
    let tail = lines[lines.len().saturating_sub(3)..].join(" | ");
    if tail.is_empty() {
        "<empty>".into()
    } else if tail.len() > 300 {
        format!("{}...", &tail[..tail.char_indices().nth(300).map_or(tail.len(), |(i, _)| i)])
    } else {
        tail
    }
}

/// Checks the outcomes of `subset` against the expectations and the known-failure list.
fn check_expectations(label: &str, subset: &[usize], outcomes: &[Outcome]) {
    let all = scripts();
    let known = known_failures();
    let mut unexpected = Vec::new();
    let mut now_pass = Vec::new();
    let mut passed = 0;
    for (&i, o) in subset.iter().zip(outcomes) {
        let s = &all[i];
        match (mismatch(s, o), known.contains(&s.rel)) {
            (None, false) => passed += 1,
            (None, true) => now_pass.push(format!("{}: now passes: remove it from known_failures.txt", s.rel)),
            (Some(why), false) => unexpected.push(format!("{}: FAIL\n    {why}", s.rel)),
            (Some(_), true) => {}
        }
    }
    eprintln!(
        "[{label}] {}/{} scripts pass ({} listed in known_failures.txt)",
        passed + now_pass.len(),
        subset.len(),
        subset.iter().filter(|&&i| known.contains(&all[i].rel)).count()
    );
    let mut report = Vec::new();
    if !unexpected.is_empty() {
        report.push(format!(
            "{} script(s) fail that are not in interp-python/tests/known_failures.txt:\n{}",
            unexpected.len(),
            unexpected.join("\n")
        ));
    }
    if !now_pass.is_empty() {
        report.push(format!("{} known failure(s) now pass:\n{}", now_pass.len(), now_pass.join("\n")));
    }
    assert!(report.is_empty(), "[{label}]\n{}", report.join("\n\n"));
}

// ---------------------------------------------------------------------------------------------
// The binaries

/// Builds the untranslated `pyvm` binary with cargo, in this test binary's target directory and
/// profile, and returns its path.
fn untranslated_exe() -> &'static Path {
    static EXE: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let r = EXE.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
        // <target>/<profile>/deps/python-<hash>
        let me = std::env::current_exe().map_err(|e| e.to_string())?;
        let profile_dir = me.parent().and_then(Path::parent).ok_or("no profile dir")?;
        let target_dir = profile_dir.parent().ok_or("no target dir")?;
        let mut cmd = Command::new(cargo);
        cmd.current_dir(root())
            .args(["build", "-p", "pyvm", "--bin", "pyvm", "--message-format=json-render-diagnostics"])
            .arg("--target-dir")
            .arg(target_dir);
        match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => {}
            Some("release") => {
                cmd.arg("--release");
            }
            Some(p) => {
                cmd.args(["--profile", p]);
            }
        }
        let out = cmd.stderr(Stdio::inherit()).output().map_err(|e| format!("cannot run cargo: {e}"))?;
        if !out.status.success() {
            return Err(format!("cargo build -p pyvm failed ({})", out.status));
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        stdout
            .lines()
            .filter(|l| l.contains("\"reason\":\"compiler-artifact\""))
            .find_map(|l| {
                let rest = &l[l.find("\"executable\":\"")? + "\"executable\":\"".len()..];
                Some(PathBuf::from(&rest[..rest.find('"')?]))
            })
            .ok_or_else(|| "cargo build -p pyvm reported no executable".to_string())
    });
    r.as_deref().unwrap_or_else(|e| panic!("untranslated pyvm: {e}"))
}

/// Newest modification time of the translation's inputs: sources, manifests and target specs
/// of the workspace, outside `target/`, the `tests` crate and the conformance scripts.
fn newest_input() -> SystemTime {
    fn walk(dir: &Path, skip: &[PathBuf], newest: &mut SystemTime) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let name = e.file_name();
            if name.to_string_lossy().starts_with('.') || skip.contains(&p) {
                continue;
            }
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() {
                walk(&p, skip, newest);
            } else if matches!(p.extension().and_then(|x| x.to_str()), Some("rs" | "toml" | "ron" | "lock")) {
                if let Ok(m) = meta.modified() {
                    *newest = (*newest).max(m);
                }
            }
        }
    }
    let r = root();
    let skip = [r.join("target"), r.join("tests"), r.join("interp-python/tests")];
    let mut newest = SystemTime::UNIX_EPOCH;
    walk(&r, &skip, &mut newest);
    newest
}

fn translate(triple: &str) -> Result<PathBuf, String> {
    let out = root().join("target/vmkit-tests").join(triple).join("pyvm");
    let exe = out.join("pyvm");
    let stamp = out.join("pyvm.stamp");
    let forced = std::env::var_os("VMKIT_TESTS_RETRANSLATE").is_some_and(|v| !v.is_empty() && v != "0");
    let fresh = !forced
        && exe.is_file()
        && std::fs::metadata(&stamp).and_then(|m| m.modified()).is_ok_and(|t| t > newest_input());
    if fresh {
        eprintln!("[pyvm {triple}] reusing {}", exe.display());
        return Ok(exe);
    }
    let _ = std::fs::remove_file(&stamp);
    let start = Instant::now();
    let started = SystemTime::now();
    let spec = TargetSpec::load(triple).map_err(|e| format!("target spec: {e}"))?;
    let src = vmkit_translator::source::find_root(&root().join("interp-python"))?;
    let t = vmkit_translator::driver::front_end(&src, &spec).map_err(|e| e.render())?;
    let built = vmkit_backends::build::build_executable(&t, &src, &root(), &exe, &out.join("pyvm.build"))?;
    // The stamp is dated when the translation started: a source edited meanwhile is newer.
    std::fs::File::create(&stamp)
        .and_then(|f| f.set_modified(started))
        .map_err(|e| format!("{}: {e}", stamp.display()))?;
    eprintln!("[pyvm {triple}] translated in {:.0?}", start.elapsed());
    Ok(built.exe)
}

fn translated_exe(triple: &str) -> &'static Path {
    static X86: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    static ARM: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let cell = if triple == X86_64 { &X86 } else { &ARM };
    cell.get_or_init(|| translate(triple))
        .as_deref()
        .unwrap_or_else(|e| panic!("translating interp-python for {triple}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// The modes: each runs once per test process, shared by its own test and `differential`

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Mode {
    Untranslated,
    X86,
    X86JitEager,
    Aarch64,
    Aarch64JitEager,
}

impl Mode {
    fn label(self) -> &'static str {
        match self {
            Mode::Untranslated => "untranslated",
            Mode::X86 => "translated x86-64",
            Mode::X86JitEager => "translated x86-64, VMKIT_JIT=threshold=1,trace_eagerness=1",
            Mode::Aarch64 => "translated aarch64 (qemu)",
            Mode::Aarch64JitEager => "translated aarch64 (qemu), VMKIT_JIT=threshold=1,trace_eagerness=1",
        }
    }

    fn runner(self) -> Runner {
        match self {
            Mode::Untranslated => Runner::native(self.label(), untranslated_exe(), None),
            Mode::X86 => Runner::native(self.label(), translated_exe(X86_64), None),
            Mode::X86JitEager => Runner::native(self.label(), translated_exe(X86_64), Some(JIT_EAGER)),
            Mode::Aarch64 => {
                let ok = Command::new("qemu-aarch64").arg("--version").output().is_ok_and(|o| o.status.success());
                assert!(ok, "qemu-aarch64 not found: run scripts/setup.sh");
                Runner::qemu_aarch64(self.label(), translated_exe(AARCH64))
            }
            Mode::Aarch64JitEager => {
                let mut r = Mode::Aarch64.runner();
                r.label = self.label().into();
                r.env.push(("VMKIT_JIT".into(), JIT_EAGER.into()));
                r
            }
        }
    }

    /// The scripts this mode runs: all of them.
    fn subset(self) -> Vec<usize> {
        (0..scripts().len()).collect()
    }

    /// Runs the mode's scripts (once per process) and returns (indices, outcomes).
    fn outcomes(self) -> &'static (Vec<usize>, Vec<Outcome>) {
        static CELLS: [OnceLock<(Vec<usize>, Vec<Outcome>)>; 5] =
            [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
        CELLS[self as usize].get_or_init(|| {
            let runner = self.runner();
            let subset = self.subset();
            let start = Instant::now();
            let outcomes = runner.run_all(&subset);
            eprintln!("[{}] ran {} scripts in {:.1?}", self.label(), subset.len(), start.elapsed());
            (subset, outcomes)
        })
    }

    fn check(self) {
        let (subset, outcomes) = self.outcomes();
        check_expectations(self.label(), subset, outcomes);
    }
}

#[test]
fn known_failures_list_is_valid() {
    assert!(scripts().len() >= 300, "only {} conformance scripts found", scripts().len());
    known_failures();
}

#[test]
fn untranslated() {
    Mode::Untranslated.check();
}

#[test]
fn translated_x86_64() {
    Mode::X86.check();
}

#[test]
fn translated_x86_64_jit_eager() {
    Mode::X86JitEager.check();
}

#[test]
fn translated_aarch64_qemu() {
    Mode::Aarch64.check();
}

#[test]
fn translated_aarch64_qemu_jit_eager() {
    Mode::Aarch64JitEager.check();
}

/// Every translated mode prints the same stdout and exits with the same status as the
/// untranslated interpreter on every script it runs, known failures included.
#[test]
fn differential() {
    let all = scripts();
    let (base_idx, base) = Mode::Untranslated.outcomes();
    let base: BTreeMap<usize, &Outcome> = base_idx.iter().copied().zip(base).collect();
    let mut diffs = Vec::new();
    for mode in [Mode::X86, Mode::X86JitEager, Mode::Aarch64, Mode::Aarch64JitEager] {
        let (idx, outs) = mode.outcomes();
        for (&i, o) in idx.iter().zip(outs) {
            let u = base[&i];
            if o.stdout == u.stdout && o.status == u.status {
                continue;
            }
            let mut why = Vec::new();
            if o.stdout != u.stdout {
                why.push(stdout_diff(&u.stdout, &o.stdout).replace("want:", "untr:").replace("got: ", "tran:"));
            }
            if o.status != u.status {
                why.push(format!("exit status {} (untranslated {})", o.status, u.status));
            }
            diffs.push(format!(
                "{} [{}]:\n    {}\n    stderr tail (untranslated): {}\n    stderr tail (translated):   {}",
                all[i].rel,
                mode.label(),
                why.join("\n    "),
                stderr_tail(&u.stderr),
                stderr_tail(&o.stderr)
            ));
        }
    }
    assert!(
        diffs.is_empty(),
        "{} run(s) of translated pyvm differ from the untranslated one (translator/JIT bugs):\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

/// The optimizer's passes, each disabled in turn (`VMKIT_JIT=threshold=1,trace_eagerness=1,
/// enable_opts=<all but one>`; the list comes from the runtime's error message for an unknown
/// pass, so a new pass is covered without editing this test): translated x86-64 pyvm prints
/// the same stdout and exits with the same status as the untranslated interpreter on every
/// script. A difference is a bug of the pass that stayed on (or of the disabled one's
/// absence being assumed elsewhere).
#[test]
fn x86_64_each_pass_disabled() {
    let exe = translated_exe(X86_64);
    let probe =
        Command::new(exe).args(["-c", "pass"]).env("VMKIT_JIT", "enable_opts=nosuchpass").output().expect("run pyvm");
    let stderr = String::from_utf8_lossy(&probe.stderr);
    let known: Vec<String> = stderr
        .split("(known: ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap_or_else(|| panic!("no list of passes in: {stderr}"))
        .split(", ")
        .map(str::to_string)
        .collect();
    assert!(known.len() >= 8 && known.iter().any(|k| k == "peel"), "{known:?}");
    let all = scripts();
    let (base_idx, base) = Mode::Untranslated.outcomes();
    let base: BTreeMap<usize, &Outcome> = base_idx.iter().copied().zip(base).collect();
    let subset: Vec<usize> = (0..all.len()).collect();
    let mut diffs = Vec::new();
    for skip in &known {
        let keep: Vec<&str> = known.iter().filter(|k| *k != skip).map(String::as_str).collect();
        let jit = format!("{JIT_EAGER},enable_opts={}", keep.join(":"));
        let label = format!("translated x86-64, VMKIT_JIT={jit}");
        let outs = Runner::native(&label, exe, Some(&jit)).run_all(&subset);
        for (&i, o) in subset.iter().zip(&outs) {
            let u = base[&i];
            if o.stdout != u.stdout || o.status != u.status {
                diffs.push(format!(
                    "{} [without {skip}]: {}exit status {} (untranslated {})\n    stderr tail: {}",
                    all[i].rel,
                    if o.stdout != u.stdout { stdout_diff(&u.stdout, &o.stdout) + "; " } else { String::new() },
                    o.status,
                    u.status,
                    stderr_tail(&o.stderr)
                ));
            }
        }
    }
    assert!(diffs.is_empty(), "{} run(s) differ from the untranslated interpreter:\n{}", diffs.len(), diffs.join("\n"));
}

/// One command-line case: arguments, standard input, the expected exit status, what standard
/// output must be, and a fragment standard error must contain.
struct CliCase<'a> {
    args: &'a [&'a str],
    status: i32,
    stdout: &'static str,
    stderr_has: &'static str,
}

/// Bad input and the command line, as `python3` behaves: usage errors, missing files, `-c`,
/// syntax errors, uncaught exceptions, deep recursion and huge integers end with CPython's
/// messages and exit statuses, never a crash (untranslated and translated x86-64).
#[test]
fn command_line_and_bad_input() {
    let dir = root().join("target/vmkit-tests/pyvm-cli");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let syntax = dir.join("bad_syntax.py");
    std::fs::write(&syntax, "print('before')\nx = (1,\n").expect("write");
    let deep = dir.join("deep.py");
    std::fs::write(
        &deep,
        "import sys\nsys.setrecursionlimit(10**6)\ndef f(n):\n    return f(n + 1)\ntry:\n    f(0)\nexcept RecursionError as e:\n    print('caught', e)\n",
    )
    .expect("write");
    let syntax = syntax.to_string_lossy().into_owned();
    let deep = deep.to_string_lossy().into_owned();
    let syntax_args = [syntax.as_str()];
    let deep_args = [deep.as_str()];
    let cases = [
        CliCase { args: &[], status: 2, stdout: "", stderr_has: "usage: pyvm" },
        CliCase { args: &["--bogus"], status: 2, stdout: "", stderr_has: "unknown option" },
        CliCase {
            args: &["/nonexistent/x.py"],
            status: 2,
            stdout: "",
            stderr_has: "can't open file '/nonexistent/x.py': [Errno 2] No such file or directory",
        },
        CliCase { args: &["-c", "import sys; print(sys.argv[1:], 6 * 7)", "a", "b"], status: 0, stdout: "['a', 'b'] 42\n", stderr_has: "" },
        CliCase { args: &["-c", "raise SystemExit(3)"], status: 3, stdout: "", stderr_has: "" },
        CliCase { args: &["-c", "import sys; sys.exit('bye')"], status: 1, stdout: "", stderr_has: "bye" },
        CliCase {
            args: &["-c", "def f():\n    return 1 // 0\nprint('x')\nf()"],
            status: 1,
            stdout: "x\n",
            stderr_has: "ZeroDivisionError: integer division or modulo by zero",
        },
        CliCase { args: &syntax_args, status: 1, stdout: "", stderr_has: "SyntaxError: '(' was never closed" },
        CliCase { args: &deep_args, status: 0, stdout: "caught maximum recursion depth exceeded\n", stderr_has: "" },
        CliCase {
            args: &["-c", "x = 7 ** 20000\nprint(x % 1000003, (x >> 50000) & 255)\nprint(len(str(x)))"],
            status: 1,
            stdout: "663417 104\n",
            stderr_has: "ValueError: Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit",
        },
        CliCase {
            args: &["-c", "import sys\nsys.set_int_max_str_digits(0)\nprint(len(str(7 ** 20000)))\nsys.set_int_max_str_digits(4300)\nint('1' * 5000)"],
            status: 1,
            stdout: "16902\n",
            stderr_has: "ValueError: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits",
        },
        CliCase { args: &["-c", "open('/nonexistent/f.txt')"], status: 1, stdout: "", stderr_has: "FileNotFoundError: [Errno 2] No such file or directory: '/nonexistent/f.txt'" },
    ];
    let exes = [untranslated_exe().to_path_buf(), translated_exe("x86_64-unknown-linux-gnu").to_path_buf()];
    let mut problems = Vec::new();
    for exe in &exes {
        for c in &cases {
            let out = Command::new(exe)
                .args(c.args)
                .stdin(Stdio::null())
                .output()
                .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let status = out.status.code().unwrap_or(-1);
            if status != c.status
                || stdout != c.stdout
                || !stderr.contains(c.stderr_has)
                || stderr.contains("fatal error")
            {
                problems.push(format!(
                    "{} {:?}: status {status} (want {}), stdout {stdout:?} (want {:?}), stderr {stderr:?} (want it to contain {:?})",
                    exe.display(),
                    c.args,
                    c.status,
                    c.stdout,
                    c.stderr_has
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
