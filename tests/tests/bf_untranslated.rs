//! The bf VM run untranslated (plain rustc build, `bf-run` in this crate) against the golden
//! outputs of examples/bf/programs: the other half of the untranslated-vs-graph-interpreter
//! comparison.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf()
}

fn run(args: &[&Path], stdin: &[u8]) -> (Vec<u8>, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bf-run"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn bf-run");
    child.stdin.take().expect("stdin").write_all(stdin).expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    (out.stdout, out.status.code().unwrap_or(-1))
}

#[test]
fn bf_programs_untranslated_match_golden() {
    let dir = root().join("examples/bf/programs");
    let mut n = 0;
    for name in ["hello", "wrap", "nested", "eof", "rot13", "fib", "sierpinski", "primes_small", "primes_medium"] {
        n += 1;
        let stdin = std::fs::read(dir.join(format!("{name}.in"))).unwrap_or_default();
        let want = std::fs::read(dir.join(format!("{name}.out"))).expect("golden");
        let (out, status) = run(&[&dir.join(format!("{name}.b"))], &stdin);
        assert_eq!(status, 0, "{name}");
        assert!(out == want, "{name}: untranslated output differs from the golden file");
    }
    assert!(n >= 6);
}

#[test]
fn bf_errors_untranslated() {
    let dir = root().join("examples/bf/programs/errors");
    for (file, status) in [("unmatched.b", 2), ("unmatched_close.b", 2), ("tape_left.b", 101), ("tape_right.b", 101)] {
        assert_eq!(run(&[&dir.join(file)], b"").1, status, "{file}");
    }
}
