//! The rejection corpus: every `tests/reject/<name>.rs` is a single-file DSL program with one
//! construct outside the subset (or one type/hint/entry error). Its first lines say what the
//! translator must report:
//!
//! ```text
//! //! reject: <short description>
//! // error: <a substring of the expected message, exact case>
//! // at: <line>:<col>
//! ```
//!
//! For each file the front end must return an error (never panic) whose location ends with
//! `<name>.rs:<line>:<col>` and whose rendering contains the message and a `help:` line (every
//! rejection suggests what to write instead). All failures are collected and reported together.
//!
//! Each case runs in a child process (this test binary re-run with [`CHILD_TEST`] as the test
//! filter and the case in [`CASE_ENV`]), inside `catch_unwind`: a panic is reported as such, and
//! a crash that cannot be caught (stack overflow, abort) or a hang only fails its own case.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use vmkit_translator::driver::front_end;
use vmkit_translator::target::TargetSpec;

/// The smallest corpus we accept: a shrinking corpus is a bug.
const MIN_CASES: usize = 40;
/// A case that takes longer than this is reported as a hang.
const CASE_TIMEOUT: Duration = Duration::from_secs(60);
/// The test that checks one case when run as a child process.
const CHILD_TEST: &str = "child_checks_one_case";
/// Environment variable naming the case file for the child.
const CASE_ENV: &str = "VMKIT_REJECT_CASE";
/// Environment variable naming the file where the child writes its verdict.
const OUT_ENV: &str = "VMKIT_REJECT_OUT";

fn reject_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/reject"))
}

/// The corpus files, sorted by name.
fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(reject_dir())
        .expect("tests/reject exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("rs"))
        .collect();
    files.sort();
    files
}

/// What a corpus file expects.
struct Expected {
    message: String,
    line: usize,
    col: usize,
}

/// Parses the three header lines of a corpus file.
fn parse_header(text: &str) -> Result<Expected, String> {
    let mut lines = text.lines();
    let mut field = |prefix: &str| -> Result<String, String> {
        let line = lines.next().unwrap_or("");
        line.strip_prefix(prefix)
            .map(|rest| rest.trim().to_string())
            .ok_or_else(|| format!("header line `{prefix} ...` expected, found `{line}`"))
    };
    let description = field("//! reject:")?;
    if description.is_empty() {
        return Err("empty `//! reject:` description".into());
    }
    let message = field("// error:")?;
    if message.is_empty() {
        return Err("empty `// error:` message".into());
    }
    let at = field("// at:")?;
    let (line, col) = at
        .split_once(':')
        .and_then(|(l, c)| Some((l.trim().parse().ok()?, c.trim().parse().ok()?)))
        .ok_or_else(|| format!("`// at:` must be `<line>:<col>`, found `{at}`"))?;
    Ok(Expected { message, line, col })
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_string()
    }
}

/// The file part of a `path:line:col` location, for shorter reports.
fn short(location: &str) -> &str {
    location.rsplit('/').next().unwrap_or(location)
}

/// Checks one corpus file in this process; `Err` describes every mismatch.
fn check_file(path: &Path) -> Result<(), String> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let exp = parse_header(&text)?;
    let want_loc = format!("{name}:{}:{}", exp.line, exp.col);
    let target = TargetSpec::load("x86_64-unknown-linux-gnu").expect("x86_64 target spec");
    let result = catch_unwind(AssertUnwindSafe(|| front_end(path, &target)))
        .map_err(|p| format!("the translator PANICKED: {}", panic_message(&*p)))?;
    let err = match result {
        Ok(_) => {
            return Err(format!(
                "expected `{}` at {want_loc}, but the program was accepted",
                exp.message
            ))
        }
        Err(e) => e,
    };
    // Locating and rendering must not panic either.
    let (location, rendered) = catch_unwind(AssertUnwindSafe(|| (err.location(), err.render())))
        .map_err(|p| format!("rendering the diagnostic PANICKED: {}", panic_message(&*p)))?;
    let mut problems = Vec::new();
    if !location.ends_with(&want_loc) {
        problems.push(format!(
            "location: expected `{want_loc}`, got `{}`",
            short(&location)
        ));
    }
    if !rendered.contains(&exp.message) {
        problems.push(format!("message: expected to contain `{}`", exp.message));
    }
    if !rendered.contains("help:") {
        problems.push("no `help:` line (every rejection must suggest a fix)".to_string());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let first = rendered.lines().next().unwrap_or("");
        problems.push(format!("actual: {}", short(first)));
        Err(problems.join("\n      "))
    }
}

/// Checks one corpus file in a child process, so that crashes and hangs are isolated.
fn check_file_isolated(path: &Path, index: usize) -> Result<(), String> {
    let out = std::env::temp_dir().join(format!(
        "vmkit-reject-{}-{index}.verdict",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&out);
    let mut child = Command::new(std::env::current_exe().expect("test binary path"))
        .args([CHILD_TEST, "--exact", "--nocapture", "--test-threads=1"])
        .env(CASE_ENV, path)
        .env(OUT_ENV, &out)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the child test process: {e}"))?;
    // Drain stderr while the child runs, so that a chatty child cannot block on a full pipe.
    let stderr_reader = child.stderr.take().map(|mut s| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut s, &mut text);
            text
        })
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > CASE_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the translator HUNG (no answer within {}s)",
                    CASE_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for the child test process: {e}")),
        }
    };
    let stderr = stderr_reader
        .and_then(|h| h.join().ok())
        .unwrap_or_default();
    let verdict = std::fs::read_to_string(&out);
    let _ = std::fs::remove_file(&out);
    match verdict {
        Ok(v) if v == "ok" => Ok(()),
        Ok(v) => Err(v),
        Err(_) => {
            let tail: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
            let tail = tail[tail.len().saturating_sub(3)..].join(" | ");
            Err(format!(
                "the translator CRASHED ({status}) without reporting a diagnostic: {tail}"
            ))
        }
    }
}

/// Run as a child process by [`every_rejected_program_reports_its_diagnostic`]; does nothing
/// in a normal test run.
#[test]
fn child_checks_one_case() {
    let (Some(case), Some(out)) = (std::env::var_os(CASE_ENV), std::env::var_os(OUT_ENV)) else {
        return;
    };
    let verdict = match check_file(Path::new(&case)) {
        Ok(()) => "ok".to_string(),
        Err(why) => why,
    };
    std::fs::write(out, verdict).expect("write the verdict");
}

#[test]
fn every_rejected_program_reports_its_diagnostic() {
    if std::env::var_os(CASE_ENV).is_some() {
        return;
    }
    let files = corpus();
    assert!(
        files.len() >= MIN_CASES,
        "the rejection corpus has {} programs, expected at least {MIN_CASES}",
        files.len()
    );
    let mut failures = Vec::new();
    for (i, path) in files.iter().enumerate() {
        if let Err(why) = check_file_isolated(path, i) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            failures.push(format!("  {name}:\n      {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rejection cases failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn headers_are_well_formed() {
    let mut bad = Vec::new();
    for path in corpus() {
        let text = std::fs::read_to_string(&path).expect("readable");
        if let Err(why) = parse_header(&text) {
            bad.push(format!("  {}: {why}", path.display()));
        }
    }
    assert!(bad.is_empty(), "malformed headers:\n{}", bad.join("\n"));
}
