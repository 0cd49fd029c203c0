//! The differential runner of the fuzzer: builds a batch of generated programs into one scratch
//! crate (untranslated, plain rustc with overflow checks), then runs each program untranslated,
//! on the graph interpreter (x86-64 and aarch64 layouts), translated for x86-64 (natively, also
//! with `VMKIT_GC_STRESS=1`) and optionally translated for aarch64 (under qemu-user), and
//! compares standard output and exit status with the untranslated run.
//!
//! Used by `tests/tests/fuzz.rs` (which includes this file and `gen.rs` through `#[path]`).

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use vmkit_translator::interp::{self, MemIo};
use vmkit_translator::target::TargetSpec;

pub const X86: &str = "x86_64-unknown-linux-gnu";
pub const ARM: &str = "aarch64-unknown-linux-gnu";

/// What one run produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Exit status; `None` when killed by a signal or by the timeout.
    pub status: Option<i32>,
    pub timed_out: bool,
}

/// Which ways to run each program besides untranslated.
#[derive(Clone, Debug)]
pub struct Modes {
    pub graph_x86: bool,
    pub graph_arm: bool,
    pub x86: bool,
    pub x86_stress: bool,
    pub arm: bool,
    pub arm_stress: bool,
}

impl Modes {
    pub fn from_env(default_arm: bool) -> Modes {
        let flag = |name: &str, default: bool| match std::env::var(name) {
            Ok(v) => v != "0" && !v.is_empty(),
            Err(_) => default,
        };
        let arm = flag("VMKIT_FUZZ_AARCH64", default_arm);
        Modes {
            graph_x86: true,
            graph_arm: true,
            x86: true,
            x86_stress: flag("VMKIT_FUZZ_STRESS", true),
            arm,
            arm_stress: arm && flag("VMKIT_FUZZ_AARCH64_STRESS", false),
        }
    }
}

/// A disagreement (or an invalid program) found by [`run_batch`].
#[derive(Debug)]
pub struct Finding {
    pub name: String,
    pub seed: u64,
    pub mode: String,
    pub message: String,
    /// Where the program text was saved.
    pub saved: PathBuf,
}

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf()
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Waits for `child` at most `limit`; kills it after that. Standard output and error were
/// redirected to files by the caller.
fn wait_limited(child: &mut std::process::Child, limit: Duration) -> (Option<i32>, bool) {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(st)) => return (st.code(), false),
            Ok(None) => {
                if start.elapsed() > limit {
                    let _ = child.kill();
                    let _ = child.wait();
                    return (None, true);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(_) => return (None, false),
        }
    }
}

/// Runs a command with empty standard input, output captured in files under `scratch`.
pub fn run_command(mut cmd: Command, scratch: &Path, limit: Duration) -> Outcome {
    std::fs::create_dir_all(scratch).expect("scratch dir");
    let out_p = scratch.join("stdout");
    let err_p = scratch.join("stderr");
    let out_f = std::fs::File::create(&out_p).expect("stdout file");
    let err_f = std::fs::File::create(&err_p).expect("stderr file");
    cmd.stdin(Stdio::null()).stdout(out_f).stderr(err_f);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Outcome {
                stdout: Vec::new(),
                stderr: format!("cannot spawn {:?}: {e}", cmd.get_program()).into_bytes(),
                status: None,
                timed_out: false,
            }
        }
    };
    let (status, timed_out) = wait_limited(&mut child, limit);
    let read = |p: &Path| {
        let mut v = Vec::new();
        if let Ok(mut f) = std::fs::File::open(p) {
            let _ = f.read_to_end(&mut v);
        }
        v
    };
    Outcome { stdout: read(&out_p), stderr: read(&err_p), status, timed_out }
}

/// Writes the scratch crate for `programs` (name, text) under `dir` and builds it; returns the
/// dispatcher executable (`<exe> <name>` runs program `name` untranslated).
pub fn build_untranslated(dir: &Path, programs: &[(String, String)]) -> Result<PathBuf, String> {
    let ws = workspace();
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    let write_if_changed = |p: PathBuf, text: &str| -> Result<(), String> {
        if std::fs::read_to_string(&p).ok().as_deref() != Some(text) {
            std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
        }
        Ok(())
    };
    write_if_changed(
        dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"vmkit-fuzz-scratch\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nvmkit = {{ path = \"{}/vmkit\" }}\n\n\
             [profile.dev]\ndebug = false\nincremental = false\n\n[workspace]\n",
            ws.display()
        ),
    )?;
    // Same dependency versions as the workspace, and no registry access needed.
    if !dir.join("Cargo.lock").exists() {
        std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    }
    // Remove stale program modules.
    for e in std::fs::read_dir(&src).map_err(|e| e.to_string())? {
        let p = e.map_err(|e| e.to_string())?.path();
        if p.extension().is_some_and(|x| x == "rs") && p.file_name().is_some_and(|n| n != "main.rs") {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            if !programs.iter().any(|(n, _)| *n == stem) {
                let _ = std::fs::remove_file(&p);
            }
        }
    }
    let mut main = String::from(
        "//! Generated by tests/fuzz/harness.rs: `vmkit-fuzz-scratch <name>` runs generated program `name`\n\
         //! untranslated.\n#![allow(warnings, arithmetic_overflow, unconditional_panic)]\n\n",
    );
    for (name, text) in programs {
        write_if_changed(src.join(format!("{name}.rs")), text)?;
        main.push_str(&format!("mod {name};\n"));
    }
    main.push_str(
        "\ntype Entry = fn(vmkit::GcList<vmkit::Str>) -> i64;\n\n\
         static SELECTED: std::sync::OnceLock<Entry> = std::sync::OnceLock::new();\n\n\
         fn main() {\n    let name = std::env::args().nth(1).unwrap_or_default();\n    let entry: Entry = match name.as_str() {\n",
    );
    for (name, _) in programs {
        main.push_str(&format!("        {name:?} => {name}::entry,\n"));
    }
    main.push_str(
        "        _ => {\n            eprintln!(\"unknown program {name}\");\n            std::process::exit(2)\n        }\n    };\n\
         \x20   let _ = SELECTED.set(entry);\n    vmkit::run(selected)\n}\n\n\
         fn selected(args: vmkit::GcList<vmkit::Str>) -> i64 {\n    args.remove(0);\n    SELECTED.get().expect(\"selected\")(args)\n}\n",
    );
    write_if_changed(src.join("main.rs"), &main)?;
    let out = Command::new(cargo())
        .current_dir(dir)
        .args(["build", "--quiet", "--offline", "--target-dir"])
        .arg(dir.join("target"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the scratch crate does not compile with rustc:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(dir.join("target/debug/vmkit-fuzz-scratch"))
}

/// Runs `program` on the graph interpreter with `triple`'s layouts, in a thread (abandoned after
/// `limit`). `Err` is a front-end rejection or a translator panic.
pub fn run_graph(program: &Path, triple: &str, limit: Duration) -> Result<Outcome, String> {
    let program = program.to_path_buf();
    let triple = triple.to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let r = std::panic::catch_unwind(|| -> Result<Outcome, String> {
                let spec = TargetSpec::load(&triple).map_err(|e| format!("target spec: {e}"))?;
                let t = vmkit_translator::driver::front_end(&program, &spec)
                    .map_err(|e| format!("front end rejects the program:\n{}", e.render()))?;
                let mut io = MemIo::new(Vec::new());
                let status = match interp::run(&t.ll, &[], &mut io, &vmkit::host::HOST_FUNCTIONS) {
                    interp::Outcome::Exit(s) => s as i32,
                    interp::Outcome::Fatal(m) => {
                        io.stderr.extend_from_slice(format!("fatal error: {m}\n").as_bytes());
                        101
                    }
                };
                Ok(Outcome { stdout: io.stdout, stderr: io.stderr, status: Some(status), timed_out: false })
            });
            let _ = tx.send(match r {
                Ok(r) => r,
                Err(p) => {
                    let msg = p
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    Err(format!("translator panicked: {msg}"))
                }
            });
        })
        .expect("spawn graph interpreter thread");
    match rx.recv_timeout(limit) {
        Ok(r) => r,
        Err(_) => Ok(Outcome { stdout: Vec::new(), stderr: Vec::new(), status: None, timed_out: true }),
    }
}

/// Translates `program` for `triple` into `out/<name>`; `Err` describes the failure.
pub fn translate(program: &Path, triple: &str, out: &Path, name: &str) -> Result<PathBuf, String> {
    let program = program.to_path_buf();
    let out = out.to_path_buf();
    let name = name.to_string();
    let triple = triple.to_string();
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            std::panic::catch_unwind(|| {
                let spec = TargetSpec::load(&triple).map_err(|e| format!("target spec: {e}"))?;
                let t = vmkit_translator::driver::front_end(&program, &spec)
                    .map_err(|e| format!("front end rejects the program:\n{}", e.render()))?;
                vmkit_backends::build::build_executable(
                    &t,
                    &program,
                    &workspace(),
                    &out.join(&name),
                    &out.join(format!("{name}.build")),
                )
                .map(|b| b.exe)
                .map_err(|e| format!("backend: {e}"))
            })
            .unwrap_or_else(|p| {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                Err(format!("translator/backend panicked: {msg}"))
            })
        })
        .expect("spawn")
        .join()
        .unwrap_or_else(|_| Err("translation thread died".into()))
}

pub fn run_translated(exe: &Path, triple: &str, stress: bool, scratch: &Path, limit: Duration) -> Outcome {
    let mut cmd = if triple.starts_with("aarch64") {
        let mut c = Command::new("qemu-aarch64");
        c.arg("-L").arg("/usr/aarch64-linux-gnu").arg(exe);
        c
    } else {
        Command::new(exe)
    };
    if stress {
        cmd.env("VMKIT_GC_STRESS", "1");
    }
    run_command(cmd, scratch, limit)
}

fn show_bytes(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The `fatal error: ...` line of a run's standard error, if any.
pub fn fatal_line(stderr: &[u8]) -> Option<String> {
    String::from_utf8_lossy(stderr).lines().find(|l| l.starts_with("fatal error:")).map(str::to_string)
}

/// Compares a run with the untranslated reference (standard output, exit status and, when the
/// reference ended with a fatal error, its `fatal error:` line); `Err` says how they differ.
pub fn compare(want: &Outcome, got: &Outcome) -> Result<(), String> {
    let mut problems = Vec::new();
    if want.status == Some(101) && got.status == Some(101) {
        let (w, g) = (fatal_line(&want.stderr), fatal_line(&got.stderr));
        if w != g {
            problems.push(format!("stderr differs: got {g:?}, expected {w:?}"));
        }
    }
    if got.timed_out {
        problems.push("timed out".to_string());
    } else if got.status != want.status {
        problems.push(format!("exit status {:?}, expected {:?}", got.status, want.status));
    }
    if got.stdout != want.stdout {
        let g = show_bytes(&got.stdout);
        let w = show_bytes(&want.stdout);
        let gl: Vec<&str> = g.split('\n').collect();
        let wl: Vec<&str> = w.split('\n').collect();
        match (0..gl.len().max(wl.len())).find(|&i| gl.get(i) != wl.get(i)) {
            Some(i) => problems.push(format!(
                "stdout differs at line {}: got {:?}, expected {:?}",
                i + 1,
                gl.get(i).copied().unwrap_or("<end of output>"),
                wl.get(i).copied().unwrap_or("<end of output>")
            )),
            None => problems.push("stdout differs in non-UTF-8 bytes".to_string()),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let err = show_bytes(&got.stderr);
        let err = err.trim();
        if !err.is_empty() {
            problems.push(format!("stderr: {}", err.chars().take(600).collect::<String>()));
        }
        Err(problems.join("; "))
    }
}

/// Counts of runs per mode (for the report).
#[derive(Default, Debug)]
pub struct Counts {
    pub programs: AtomicUsize,
    pub untranslated: AtomicUsize,
    pub graph_x86: AtomicUsize,
    pub graph_arm: AtomicUsize,
    pub x86: AtomicUsize,
    pub x86_stress: AtomicUsize,
    pub arm: AtomicUsize,
    pub arm_stress: AtomicUsize,
}

impl Counts {
    pub fn summary(&self) -> String {
        let g = |a: &AtomicUsize| a.load(Ordering::Relaxed);
        format!(
            "{} programs; runs: untranslated {}, graph x86-64 {}, graph aarch64 {}, translated x86-64 {}, x86-64 GC stress {}, aarch64 (qemu) {}, aarch64 GC stress {}",
            g(&self.programs),
            g(&self.untranslated),
            g(&self.graph_x86),
            g(&self.graph_arm),
            g(&self.x86),
            g(&self.x86_stress),
            g(&self.arm),
            g(&self.arm_stress)
        )
    }
}

/// Time limit of one run (`VMKIT_FUZZ_TIMEOUT` seconds, default 60); five times that for
/// aarch64 under qemu with GC stress (emulation and a collection at every allocation).
fn limit(triple: &str, stress: bool) -> Duration {
    let secs = std::env::var("VMKIT_FUZZ_TIMEOUT").ok().and_then(|v| v.parse().ok()).unwrap_or(60u64);
    Duration::from_secs(if stress && triple.starts_with("aarch64") { secs * 5 } else { secs })
}

/// Generates programs for `seeds`, builds them untranslated in `dir`, runs every mode and
/// returns the findings. Programs with findings are saved under `dir/findings/`.
pub fn run_batch(
    dir: &Path,
    seeds: &[u64],
    modes: &Modes,
    counts: &Counts,
    generate: &(dyn Fn(u64) -> String + Sync),
) -> Vec<Finding> {
    let programs: Vec<(String, String)> = seeds.iter().map(|&s| (format!("p{s}"), generate(s))).collect();
    let findings_dir = dir.join("findings");
    let save = |name: &str, text: &str| -> PathBuf {
        let _ = std::fs::create_dir_all(&findings_dir);
        let p = findings_dir.join(format!("{name}.rs"));
        let _ = std::fs::write(&p, text);
        p
    };
    let exe = match build_untranslated(dir, &programs) {
        Ok(e) => e,
        Err(e) => {
            return vec![Finding {
                name: "<batch>".into(),
                seed: seeds.first().copied().unwrap_or(0),
                mode: "rustc".into(),
                message: e,
                saved: dir.join("src"),
            }]
        }
    };
    let findings = Mutex::new(Vec::new());
    let next = AtomicUsize::new(0);
    let workers = std::env::var("VMKIT_FUZZ_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2));
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= programs.len() {
                    break;
                }
                let (name, text) = &programs[i];
                let seed = seeds[i];
                let src = dir.join("src").join(format!("{name}.rs"));
                let work = dir.join("work").join(name);
                let mut found: Vec<(String, String)> = Vec::new();
                counts.programs.fetch_add(1, Ordering::Relaxed);

                let mut cmd = Command::new(&exe);
                cmd.arg(name);
                let want = run_command(cmd, &work.join("untranslated"), limit(X86, false));
                counts.untranslated.fetch_add(1, Ordering::Relaxed);
                // A deliberate fatal error ends the program after the line `fatal=next`.
                let deliberate_fatal = want.status == Some(101) && want.stdout.ends_with(b"fatal=next\n");
                let valid = !want.timed_out && (want.status.is_some_and(|s| (0..5).contains(&s)) || deliberate_fatal);
                if !valid {
                    found.push((
                        "untranslated".into(),
                        format!(
                            "invalid generated program: status {:?}{}; stderr: {}",
                            want.status,
                            if want.timed_out { " (timed out)" } else { "" },
                            show_bytes(&want.stderr).trim()
                        ),
                    ));
                } else {
                    for (on, triple, counter) in
                        [(modes.graph_x86, X86, &counts.graph_x86), (modes.graph_arm, ARM, &counts.graph_arm)]
                    {
                        if !on {
                            continue;
                        }
                        counter.fetch_add(1, Ordering::Relaxed);
                        let mode = format!("graph interpreter ({triple})");
                        match run_graph(&src, triple, limit(X86, false)) {
                            Ok(got) => {
                                if let Err(e) = compare(&want, &got) {
                                    found.push((mode, e));
                                }
                            }
                            Err(e) => found.push((mode, e)),
                        }
                    }
                    for (on, triple, stress_on, c, cs) in [
                        (modes.x86, X86, modes.x86_stress, &counts.x86, &counts.x86_stress),
                        (modes.arm, ARM, modes.arm_stress, &counts.arm, &counts.arm_stress),
                    ] {
                        if !on {
                            continue;
                        }
                        let out = work.join(triple);
                        match translate(&src, triple, &out, name) {
                            Err(e) => found.push((format!("translate ({triple})"), e)),
                            Ok(bin) => {
                                for stress in [false, true] {
                                    if stress && !stress_on {
                                        continue;
                                    }
                                    (if stress { cs } else { c }).fetch_add(1, Ordering::Relaxed);
                                    let got = run_translated(
                                        &bin,
                                        triple,
                                        stress,
                                        &out.join(if stress { "run-stress" } else { "run" }),
                                        limit(triple, stress),
                                    );
                                    if let Err(e) = compare(&want, &got) {
                                        found.push((
                                            format!("translated ({triple}{})", if stress { ", GC stress" } else { "" }),
                                            e,
                                        ));
                                    }
                                }
                            }
                        }
                    }
                }
                if found.is_empty() {
                    let _ = std::fs::remove_dir_all(&work);
                } else {
                    let saved = save(name, text);
                    let _ = std::fs::write(findings_dir.join(format!("{name}.out")), &want.stdout);
                    let mut f = findings.lock().unwrap();
                    for (mode, message) in found {
                        f.push(Finding { name: name.clone(), seed, mode, message, saved: saved.clone() });
                    }
                }
            });
        }
    });
    findings.into_inner().unwrap()
}

pub fn render(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!("{} (seed {}) [{}]: {}\n    program: {}", f.name, f.seed, f.mode, f.message, f.saved.display())
        })
        .collect::<Vec<_>>()
        .join("\n")
}
