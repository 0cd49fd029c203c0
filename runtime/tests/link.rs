//! End-to-end: links `tests/c/prog.c` (a hand-written stand-in for the AOT backend's object
//! file) with the runtime's static library using the system C compiler, runs the executable and
//! checks its output, exit status, GC stress mode, the heap limit and fatal errors.
//!
//! Skipped (with a message) when no C compiler is found or the static library is not found.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn staticlib() -> Option<PathBuf> {
    // The test executable is target/<profile>/deps/link-<hash>. Cargo builds the library (both
    // crate types) into deps/ as libvmkit_runtime-<hash>.a before the integration tests, without
    // copying it to target/<profile>/: take the newest one there.
    let exe = std::env::current_exe().ok()?;
    let deps = exe.parent()?;
    std::fs::read_dir(deps)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with("libvmkit_runtime-") && n.ends_with(".a")
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .max()
        .map(|(_, p)| p)
}

fn build() -> Option<PathBuf> {
    if !cfg!(unix) {
        return None;
    }
    let Some(lib) = staticlib() else {
        eprintln!("skipped: libvmkit_runtime.a not found");
        return None;
    };
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    if Command::new(&cc).arg("--version").output().is_err() {
        eprintln!("skipped: no C compiler `{cc}`");
        return None;
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c/prog.c");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("vmkit-rt-prog-{}", std::process::id()));
    let mut cmd = Command::new(&cc);
    cmd.arg("-o").arg(&out).arg(&src).arg(&lib);
    if cfg!(target_os = "linux") {
        cmd.args([
            "-lgcc_s",
            "-lutil",
            "-lrt",
            "-lpthread",
            "-lm",
            "-ldl",
            "-lc",
        ]);
    }
    let r = cmd.output().expect("running the C compiler");
    assert!(
        r.status.success(),
        "link failed: {}",
        String::from_utf8_lossy(&r.stderr)
    );
    Some(out)
}

fn run(exe: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .env_remove("VMKIT_GC_STRESS")
        .env_remove("VMKIT_GC_MAX_HEAP");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn linked_program() {
    let Some(exe) = build() else { return };

    let out = run(&exe, &["a", "b λ"], &[]);
    assert_eq!(out.status.code(), Some(42), "{out:?}");
    assert_eq!(text(&out.stdout), "hello a\nhello b λ\n3000 442 0.125\n");
    assert_eq!(text(&out.stderr), "hello ");

    let out = run(&exe, &[], &[("VMKIT_GC_STRESS", "1")]);
    assert_eq!(out.status.code(), Some(40), "{out:?}");
    assert_eq!(text(&out.stdout), "3000 442 0.125\n");

    let out = run(
        &exe,
        &["small"],
        &[("VMKIT_GC_STRESS", "1"), ("VMKIT_GC_VERIFY", "1")],
    );
    assert_eq!(out.status.code(), Some(41), "{out:?}");
    assert_eq!(text(&out.stdout), "hello small\n300 442 0.125\n");

    // A small heap limit that the program's live data fits in.
    let out = run(&exe, &["x"], &[("VMKIT_GC_MAX_HEAP", "1M")]);
    assert_eq!(out.status.code(), Some(41), "{out:?}");

    let out = run(&exe, &["oom"], &[("VMKIT_GC_MAX_HEAP", "2M")]);
    assert_eq!(out.status.code(), Some(101), "{out:?}");
    assert_eq!(
        text(&out.stderr),
        "fatal error: out of memory: heap limit of 2097152 bytes exceeded (VMKIT_GC_MAX_HEAP)\n"
    );

    let out = run(&exe, &["fatal"], &[]);
    assert_eq!(out.status.code(), Some(101), "{out:?}");
    assert_eq!(text(&out.stdout), "hello ");
    assert_eq!(text(&out.stderr), "fatal error: assertion failed\n");

    let out = run(&exe, &["host"], &[]);
    assert_eq!(out.status.code(), Some(101), "{out:?}");
    assert_eq!(
        text(&out.stderr),
        "fatal error: host function `no_such_host_fn` is not linked into this executable\n"
    );

    let out = run(&exe, &["deep"], &[]);
    assert_eq!(out.status.code(), Some(101), "{out:?}");
    assert_eq!(text(&out.stderr), "fatal error: stack overflow\n");

    let out = run(&exe, &[], &[("VMKIT_GC_MAX_HEAP", "12X")]);
    assert_eq!(out.status.code(), Some(101), "{out:?}");
    assert!(text(&out.stderr).starts_with("fatal error: invalid VMKIT_GC_MAX_HEAP value `12X`"));

    let _ = std::fs::remove_file(&exe);
}
