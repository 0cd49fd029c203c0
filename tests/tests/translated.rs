//! End-to-end: every DSL corpus program and every bf program is translated to a native
//! executable for x86-64 Linux (run natively) and aarch64 Linux (run under qemu-user), and must
//! print exactly the golden output (which `corpus_untranslated.rs` / `bf_untranslated.rs` check
//! against the untranslated runs) with the same exit status — also with `VMKIT_GC_STRESS=1`.
//!
//! Programs with a JIT driver (bf, the `jit_*` corpus programs) are also run with each of
//! [`JIT_MODES`]: JIT off, threshold 1 with bridges at the first failure, and so on.
//!
//! The aarch64 half needs `qemu-aarch64` and `aarch64-linux-gnu-gcc` (`scripts/setup.sh`
//! installs them); without them the test fails and says so.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use vmkit_translator::target::TargetSpec;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf()
}

const TARGETS: [&str; 2] = ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"];

fn translate(src: &Path, triple: &str, name: &str, variant: &str) -> PathBuf {
    let spec = TargetSpec::load(triple).expect("target spec");
    let t =
        vmkit_translator::driver::front_end(src, &spec).unwrap_or_else(|e| panic!("{}: {}", src.display(), e.render()));
    let out = root().join("target/vmkit-tests").join(triple).join(variant);
    let exe = out.join(name);
    let build = out.join(format!("{name}.build"));
    vmkit_backends::build::build_executable(&t, src, &root(), &exe, &build)
        .unwrap_or_else(|e| panic!("{} [{triple}]: {e}", src.display()))
        .exe
}

struct Out {
    stdout: Vec<u8>,
    status: i32,
    stderr: String,
}

/// JIT settings every program with a JIT driver is also run with (each must print the same
/// bytes; so must runs with each optimization pass disabled in turn, see
/// [`each_pass_disabled`]): the JIT off, tracing from the first iteration with bridges at the first guard
/// failure (also with function-entry traces from the first portal entry), small thresholds with
/// unused traces freed early while a slowed-down compilation thread keeps traces in flight
/// longer (`compile_delay`, microseconds per trace), and all optimizations off with traces
/// compiled on the program's thread (`compile_thread=0`). The default and the other modes
/// compile traces in the background.
const JIT_MODES: [&str; 5] = [
    "off",
    "threshold=1,trace_eagerness=1",
    "threshold=1,function_threshold=1,trace_eagerness=1",
    "threshold=2,function_threshold=2,trace_eagerness=3,loop_longevity=10,compile_delay=100",
    "threshold=1,function_threshold=1,trace_eagerness=1,enable_opts=,compile_thread=0",
];

fn run_env(exe: &Path, triple: &str, args: &[Vec<u8>], stdin: &[u8], stress: bool, jit: Option<&str>) -> Out {
    let mut cmd = if triple.starts_with("aarch64") {
        let mut c = Command::new("qemu-aarch64");
        c.arg("-L").arg("/usr/aarch64-linux-gnu").arg(exe);
        c
    } else {
        Command::new(exe)
    };
    for a in args {
        cmd.arg(String::from_utf8_lossy(a).into_owned());
    }
    if stress {
        cmd.env("VMKIT_GC_STRESS", "1");
    }
    if let Some(j) = jit {
        cmd.env("VMKIT_JIT", j);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {} ({triple}): {e}", exe.display()));
    child.stdin.take().expect("stdin").write_all(stdin).expect("stdin");
    let o = child.wait_with_output().expect("wait");
    Out {
        stdout: o.stdout,
        status: o.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// The optimization passes `exe`'s runtime knows, from its error message for an unknown one.
fn passes(exe: &Path, triple: &str) -> Vec<String> {
    let o = run_env(exe, triple, &[], &[], false, Some("enable_opts=nosuchpass"));
    let list = o
        .stderr
        .split("(known: ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap_or_else(|| panic!("no list of passes in: {}", o.stderr));
    list.split(", ").map(str::to_string).collect()
}

/// `VMKIT_JIT` settings that run a program with every pass but `skip` (each in turn).
fn each_pass_disabled(known: &[String]) -> Vec<String> {
    known
        .iter()
        .map(|skip| {
            let keep: Vec<&str> = known.iter().filter(|k| *k != skip).map(String::as_str).collect();
            format!("threshold=1,trace_eagerness=1,enable_opts={}", keep.join(":"))
        })
        .collect()
}

fn read_opt(p: PathBuf) -> Option<Vec<u8>> {
    std::fs::read(p).ok()
}

fn check_corpus(triple: &str, stress: bool) {
    let dir = root().join("tests/dsl");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/dsl")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    entries.sort();
    let mut failures = Vec::new();
    // (filled at the first program with a JIT driver)
    let mut pass_modes: Vec<String> = Vec::new();
    for p in &entries {
        let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
        let exe = translate(p, triple, &stem, if stress { "stress" } else { "plain" });
        let args: Vec<Vec<u8>> = read_opt(dir.join(format!("{stem}.args")))
            .map(|a| String::from_utf8_lossy(&a).lines().map(|l| l.as_bytes().to_vec()).collect())
            .unwrap_or_default();
        let stdin = read_opt(dir.join(format!("{stem}.in"))).unwrap_or_default();
        let want = read_opt(dir.join(format!("{stem}.out"))).expect("golden");
        let want_status: i32 = read_opt(dir.join(format!("{stem}.status")))
            .map(|s| String::from_utf8_lossy(&s).trim().parse().expect("status"))
            .unwrap_or(0);
        let has_jit = std::fs::read_to_string(p).expect("source").contains("jit_merge_point!");
        if has_jit && !stress && pass_modes.is_empty() {
            pass_modes = each_pass_disabled(&passes(&exe, triple));
            assert!(pass_modes.len() >= 10, "{pass_modes:?}");
        }
        let modes: Vec<Option<&str>> = if has_jit && stress {
            vec![None, Some(JIT_MODES[1])]
        } else if has_jit {
            // every mode, and each optimization pass disabled in turn
            let each = pass_modes.iter().map(|m| Some(m.as_str()));
            std::iter::once(None).chain(JIT_MODES.iter().map(|m| Some(*m))).chain(each).collect()
        } else {
            vec![None]
        };
        for mode in modes {
            let o = run_env(&exe, triple, &args, &stdin, stress, mode);
            if o.stdout != want || o.status != want_status {
                failures.push(format!(
                    "{stem} [{triple}{}, VMKIT_JIT={}]: status {} (want {want_status}); stderr: {}\n--- got ---\n{}",
                    if stress { ", GC stress" } else { "" },
                    mode.unwrap_or("default"),
                    o.status,
                    o.stderr.trim(),
                    String::from_utf8_lossy(&o.stdout)
                ));
            }
        }
    }
    assert!(entries.len() >= 20);
    assert!(failures.is_empty(), "{} program(s) differ:\n{}", failures.len(), failures.join("\n\n"));
}

fn check_bf(triple: &str, stress: bool) {
    let lib = root().join("examples/bf/src/lib.rs");
    let exe = translate(&lib, triple, "bf", "bf");
    let dir = root().join("examples/bf/programs");
    let mut failures = Vec::new();
    for name in
        ["hello", "wrap", "nested", "eof", "rot13", "fib", "sierpinski", "primes_small", "primes_medium", "primes"]
    {
        if stress && name == "primes" {
            continue;
        }
        let stdin = read_opt(dir.join(format!("{name}.in"))).unwrap_or_default();
        let want = std::fs::read(dir.join(format!("{name}.out"))).expect("golden");
        let prog = dir.join(format!("{name}.b")).to_string_lossy().as_bytes().to_vec();
        let modes: Vec<Option<&str>> = if name == "primes" && triple.starts_with("aarch64") {
            vec![None, Some("off")]
        } else if stress || (name == "primes_medium" && triple.starts_with("aarch64")) {
            vec![None, Some(JIT_MODES[1])]
        } else {
            std::iter::once(None).chain(JIT_MODES.iter().map(|m| Some(*m))).collect()
        };
        for mode in modes {
            let o = run_env(&exe, triple, &[prog.clone()], &stdin, stress, mode);
            if o.stdout != want || o.status != 0 {
                failures.push(format!(
                    "{name} [{triple}, VMKIT_JIT={}]: status {}; stderr: {}",
                    mode.unwrap_or("default"),
                    o.status,
                    o.stderr.trim()
                ));
            }
        }
    }
    for (file, status) in [
        ("errors/unmatched.b", 2),
        ("errors/unmatched_close.b", 2),
        ("errors/tape_left.b", 101),
        ("errors/tape_right.b", 101),
    ] {
        for mode in [None, Some(JIT_MODES[1])] {
            let arg = dir.join(file).to_string_lossy().as_bytes().to_vec();
            let o = run_env(&exe, triple, &[arg], b"", stress, mode);
            if o.status != status {
                failures.push(format!("{file} [{triple}, VMKIT_JIT={mode:?}]: status {} (want {status})", o.status));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_translated_x86_64() {
    check_corpus(TARGETS[0], false);
}

#[test]
fn corpus_translated_x86_64_gc_stress() {
    check_corpus(TARGETS[0], true);
}

#[test]
fn corpus_translated_aarch64_qemu() {
    check_corpus(TARGETS[1], false);
}

#[test]
fn corpus_translated_aarch64_qemu_gc_stress() {
    check_corpus(TARGETS[1], true);
}

#[test]
fn bf_translated_x86_64() {
    check_bf(TARGETS[0], false);
    check_bf(TARGETS[0], true);
}

#[test]
fn bf_translated_aarch64_qemu() {
    check_bf(TARGETS[1], false);
    check_bf(TARGETS[1], true);
}
