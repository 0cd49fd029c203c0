//! The garbage collector on translated programs: 10^8 short-lived objects run in bounded memory,
//! and a program exceeding `VMKIT_GC_MAX_HEAP` stops with the out-of-memory message.

use std::path::{Path, PathBuf};
use std::process::Command;
use vmkit_translator::target::TargetSpec;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf()
}

fn translate(name: &str) -> PathBuf {
    let src = root().join(format!("tests/dsl/{name}.rs"));
    let spec = TargetSpec::load("x86_64-unknown-linux-gnu").expect("spec");
    let t = vmkit_translator::driver::front_end(&src, &spec).unwrap_or_else(|e| panic!("{}", e.render()));
    let out = root().join("target/vmkit-tests/x86_64-unknown-linux-gnu/gc");
    vmkit_backends::build::build_executable(&t, &src, &root(), &out.join(name), &out.join(format!("{name}.build")))
        .expect("build")
        .exe
}

/// Runs under GNU time; returns (stdout, stderr, status, peak RSS in KiB).
fn run_measured(exe: &Path, args: &[&str], env: &[(&str, &str)]) -> (String, String, i32, u64) {
    let report = std::env::temp_dir().join(format!("vmkit-gc-rss-{}", std::process::id()));
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-f").arg("%M").arg("-o").arg(&report).arg(exe).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("run /usr/bin/time (Debian package `time`)");
    let rss = std::fs::read_to_string(&report)
        .ok()
        .and_then(|s| s.lines().last().and_then(|l| l.trim().parse().ok()))
        .unwrap_or(0);
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
        rss,
    )
}

#[test]
fn hundred_million_short_lived_objects_run_in_bounded_memory() {
    let exe = translate("gc_churn");
    let n: i64 = 100_000_000;
    let (out, err, status, rss_kib) = run_measured(&exe, &["100000000"], &[]);
    assert_eq!(status, 0, "stderr: {err}");
    // Each iteration allocates 3 objects: 3 * 10^8 allocations in total.
    let want = 3 * n * (n - 1) / 2 + (n - 16) * (n - 17) / 2;
    assert_eq!(out, format!("iterations {n}\nchecksum {want}\n"));
    assert!(rss_kib > 0, "no RSS measurement");
    assert!(rss_kib < 64 * 1024, "peak RSS {rss_kib} KiB for a live set of a few objects");
}

#[test]
fn heap_limit_stops_with_out_of_memory() {
    let exe = translate("gc_retain");
    let (out, err, status, _) = run_measured(&exe, &["100000000"], &[("VMKIT_GC_MAX_HEAP", "16M")]);
    assert_ne!(status, 0);
    assert!(err.contains("out of memory"), "stderr: {err}");
    assert!(out.is_empty());
    // Within the limit, the same program runs to completion.
    let (out, err, status, _) = run_measured(&exe, &["1000"], &[("VMKIT_GC_MAX_HEAP", "16M")]);
    assert_eq!(status, 0, "stderr: {err}");
    assert!(out.starts_with("kept 1000, total 499500"), "{out}");
}
