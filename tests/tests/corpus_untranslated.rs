//! Runs every DSL corpus program (`tests/dsl/<name>.rs`) untranslated through the `dsl-run`
//! binary and compares its standard output with `<name>.out` and its exit status with
//! `<name>.status` (0 when absent). `<name>.args` (one argument per line) and `<name>.in`
//! (standard input) are passed when present.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The smallest corpus we accept: a shrinking corpus is a bug.
const MIN_PROGRAMS: usize = 20;

fn dsl_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dsl")
}

/// Names of the corpus programs (stems of `tests/dsl/*.rs`), sorted.
fn program_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dsl_dir())
        .expect("tests/dsl exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("rs"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

/// What a run of a program produced.
struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: Option<i32>,
}

/// Runs `dsl-run <name> <args from name.args>` with `name.in` (or nothing) on standard input.
fn run_program(name: &str) -> Outcome {
    let dir = dsl_dir();
    let args: Vec<String> = match std::fs::read_to_string(dir.join(format!("{name}.args"))) {
        Ok(text) => text.lines().map(str::to_string).collect(),
        Err(_) => Vec::new(),
    };
    let input: Vec<u8> = std::fs::read(dir.join(format!("{name}.in"))).unwrap_or_default();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dsl-run"))
        .arg(name)
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn dsl-run");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        // A program may exit before reading all of its input: ignore a broken pipe.
        let _ = stdin.write_all(&input);
    }
    let out = child.wait_with_output().expect("wait for dsl-run");
    Outcome { stdout: out.stdout, stderr: out.stderr, status: out.status.code() }
}

/// Compares a run with the expected output and status; `Err` describes the first difference.
fn check(name: &str, outcome: &Outcome, expected_out: &[u8], expected_status: i32) -> Result<(), String> {
    let mut problems = Vec::new();
    if outcome.status != Some(expected_status) {
        problems.push(format!("exit status {:?}, expected {expected_status}", outcome.status));
    }
    if outcome.stdout != expected_out {
        let got = String::from_utf8_lossy(&outcome.stdout);
        let want = String::from_utf8_lossy(expected_out);
        let got: Vec<&str> = got.split('\n').collect();
        let want: Vec<&str> = want.split('\n').collect();
        let line = (0..got.len().max(want.len())).find(|&i| got.get(i) != want.get(i));
        problems.push(match line {
            Some(i) => format!(
                "stdout differs at line {}: got {:?}, expected {:?}",
                i + 1,
                got.get(i).copied().unwrap_or("<end of output>"),
                want.get(i).copied().unwrap_or("<end of output>")
            ),
            None => "stdout differs in non-UTF-8 bytes".to_string(),
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{name}: {}\n--- stderr ---\n{}", problems.join("; "), String::from_utf8_lossy(&outcome.stderr)))
    }
}

fn expected(name: &str) -> (Vec<u8>, i32) {
    let dir = dsl_dir();
    let out = std::fs::read(dir.join(format!("{name}.out")))
        .unwrap_or_else(|_| panic!("{name}: missing golden output tests/dsl/{name}.out"));
    let status = match std::fs::read_to_string(dir.join(format!("{name}.status"))) {
        Ok(text) => text.trim().parse().unwrap_or_else(|_| panic!("{name}: bad {name}.status: {text:?}")),
        Err(_) => 0,
    };
    (out, status)
}

#[test]
fn corpus_matches_golden_files() {
    let names = program_names();
    let mut failures = Vec::new();
    for name in &names {
        let (out, status) = expected(name);
        if let Err(e) = check(name, &run_program(name), &out, status) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus programs failed:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_is_big_enough() {
    let names = program_names();
    assert!(names.len() >= MIN_PROGRAMS, "only {} corpus programs: {names:?}", names.len());
}

#[test]
fn every_program_has_a_golden_output_and_no_stray_files() {
    let names = program_names();
    for entry in std::fs::read_dir(dsl_dir()).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        assert!(matches!(ext, "rs" | "out" | "status" | "in" | "args"), "unexpected file {}", path.display());
        assert!(names.contains(&stem), "{} belongs to no corpus program", path.display());
    }
    for name in &names {
        assert!(dsl_dir().join(format!("{name}.out")).exists(), "{name}.out is missing");
    }
}

/// The checker itself must be able to fail: a wrong golden output or status is reported.
#[test]
fn a_wrong_golden_file_is_detected() {
    let name = program_names().into_iter().next().expect("at least one program");
    let (out, status) = expected(&name);
    let outcome = run_program(&name);
    assert!(check(&name, &outcome, &out, status).is_ok());
    let mut wrong = out.clone();
    wrong.extend_from_slice(b"extra line\n");
    assert!(check(&name, &outcome, &wrong, status).is_err());
    assert!(check(&name, &outcome, &out, status + 1).is_err());
}

#[test]
fn unknown_program_exits_with_status_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_dsl-run")).arg("no_such_program").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("corpus programs:"));
}
