//! The jitcode interpreter end to end: every DSL corpus program and the bf VM on its programs,
//! codewritten in "all" mode (every DSL function a jitcode) and run from their jitcodes, must
//! print exactly the golden output and end with the golden status.

use std::path::{Path, PathBuf};
use vmkit_jit_codewriter::{blackhole, make_jitcodes, make_jitcodes_all};
use vmkit_translator::interp::{MemIo, Outcome};
use vmkit_translator::target::TargetSpec;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

fn read_opt(p: PathBuf) -> Option<Vec<u8>> {
    std::fs::read(p).ok()
}

struct Run {
    stdout: Vec<u8>,
    status: i64,
    fatal: Option<String>,
}

fn jit_run(
    t: &vmkit_translator::driver::Translation,
    p: &vmkit_jit_codewriter::JitProgram,
    args: &[Vec<u8>],
    stdin: Vec<u8>,
) -> Run {
    let mut io = MemIo::new(stdin);
    let (status, fatal) = match blackhole::run(t, p, args, &mut io, &vmkit::host::HOST_FUNCTIONS) {
        Outcome::Exit(s) => (s, None),
        Outcome::Fatal(m) => (101, Some(m)),
    };
    Run {
        stdout: io.stdout,
        status,
        fatal,
    }
}

fn front_end(src: &Path, target: &str) -> vmkit_translator::driver::Translation {
    // Make sure the corpus (and its host functions) is linked into this test binary.
    let _ = vmkit_tests::corpus::lookup("");
    let spec = TargetSpec::load(target).expect("target spec");
    vmkit_translator::driver::front_end(src, &spec)
        .unwrap_or_else(|e| panic!("{} does not translate:\n{}", src.display(), e.render()))
}

fn describe(name: &str, r: &Run, want_out: &[u8], want_status: i64) -> String {
    format!(
        "{name}: status {} (want {want_status}){}\n--- got ---\n{}\n--- want ---\n{}",
        r.status,
        r.fatal
            .as_ref()
            .map(|m| format!(", fatal error: {m}"))
            .unwrap_or_default(),
        String::from_utf8_lossy(&r.stdout),
        String::from_utf8_lossy(want_out)
    )
}

#[test]
fn dsl_corpus_through_jitcodes_matches_golden() {
    let dir = root().join("tests/dsl");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/dsl")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    entries.sort();
    let mut failures = Vec::new();
    for p in &entries {
        let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
        let args: Vec<Vec<u8>> = read_opt(dir.join(format!("{stem}.args")))
            .map(|a| {
                String::from_utf8_lossy(&a)
                    .lines()
                    .map(|l| l.as_bytes().to_vec())
                    .collect()
            })
            .unwrap_or_default();
        let stdin = read_opt(dir.join(format!("{stem}.in"))).unwrap_or_default();
        let want_out = read_opt(dir.join(format!("{stem}.out")))
            .unwrap_or_else(|| panic!("{stem}: missing .out"));
        let want_status: i64 = read_opt(dir.join(format!("{stem}.status")))
            .map(|s| String::from_utf8_lossy(&s).trim().parse().expect("status"))
            .unwrap_or(0);
        // Host functions may keep state across calls (host_calls.rs counts in a static): each
        // program runs once in this process.
        let t = front_end(p, "x86_64-unknown-linux-gnu");
        // Foreign calls need machine code: the jitcode interpreter (on the graph
        // interpreter's heap) refuses them.
        if std::fs::read_to_string(p)
            .expect("source")
            .contains("use vmkit::ffi;")
        {
            let jp = make_jitcodes_all(&t).expect("codewriter");
            let r = jit_run(&t, &jp, &args, stdin);
            let refused = r
                .fatal
                .as_deref()
                .is_some_and(|m| m.contains("is not available in the graph interpreter"));
            if r.status != 101 || !refused {
                failures.push(format!(
                    "{stem}: FFI through jitcodes should be refused clearly"
                ));
            }
            continue;
        }
        let jp = match make_jitcodes_all(&t) {
            Ok(jp) => jp,
            Err(e) => {
                failures.push(format!("{stem}: codewriter: {e}"));
                continue;
            }
        };
        let r = jit_run(&t, &jp, &args, stdin);
        if r.stdout != want_out || r.status != want_status {
            failures.push(describe(&stem, &r, &want_out, want_status));
        }
    }
    assert!(
        entries.len() >= 20,
        "the DSL corpus has only {} programs",
        entries.len()
    );
    assert!(
        failures.is_empty(),
        "{} corpus program(s) differ through jitcodes:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn bf_programs_through_jitcodes_match_golden() {
    let dir = root().join("examples/bf/programs");
    let t = front_end(
        &root().join("examples/bf/src/lib.rs"),
        "x86_64-unknown-linux-gnu",
    );
    let jp = make_jitcodes_all(&t).expect("bf codewrites");
    let mut failures = Vec::new();
    for name in [
        "hello",
        "wrap",
        "nested",
        "eof",
        "rot13",
        "fib",
        "sierpinski",
        "primes_small",
    ] {
        let prog = dir.join(format!("{name}.b"));
        let stdin = read_opt(dir.join(format!("{name}.in"))).unwrap_or_default();
        let want = std::fs::read(dir.join(format!("{name}.out"))).expect("golden output");
        let r = jit_run(
            &t,
            &jp,
            &[prog.to_string_lossy().as_bytes().to_vec()],
            stdin,
        );
        if r.stdout != want || r.status != 0 {
            failures.push(describe(name, &r, &want, 0));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Error paths of the bf VM: the same statuses as the graph interpreter and the untranslated VM.
#[test]
fn bf_errors_through_jitcodes() {
    let dir = root().join("examples/bf/programs/errors");
    let t = front_end(
        &root().join("examples/bf/src/lib.rs"),
        "x86_64-unknown-linux-gnu",
    );
    let jp = make_jitcodes_all(&t).expect("bf codewrites");
    let cases = [
        ("unmatched.b", 2),
        ("unmatched_close.b", 2),
        ("tape_left.b", 101),
        ("tape_right.b", 101),
    ];
    for (file, status) in cases {
        let r = jit_run(
            &t,
            &jp,
            &[dir.join(file).to_string_lossy().as_bytes().to_vec()],
            vec![],
        );
        assert_eq!(r.status, status, "{file}: {:?}", r.fatal);
    }
    assert_eq!(jit_run(&t, &jp, &[], vec![]).status, 1, "no argument");
}

/// Static checks on every program: register allocations never clobber a live value
/// (`regalloc::verify`); the policy's jitcodes (what the JIT will trace) and the "all" mode's
/// decode under the interpreter's checks, and their `-live-` markers cover every register read
/// later (`blackhole::check`); "all" mode has a jitcode for every DSL function and keeps the
/// portal.
#[test]
fn policy_and_all_modes_decode() {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(root().join("tests/dsl"))
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    entries.push(root().join("examples/bf/src/lib.rs"));
    entries.sort();
    for e in entries {
        let t = front_end(&e, "x86_64-unknown-linux-gnu");
        let policy = make_jitcodes(&t).expect("policy mode");
        let all = make_jitcodes_all(&t).expect("all mode");
        // A residual call of a DSL function without a jitcode is only an error when run.
        blackhole::check(&t, &policy).unwrap_or_else(|m| panic!("{}: {m}", e.display()));
        blackhole::check(&t, &all).unwrap_or_else(|m| panic!("{}: {m}", e.display()));
        for g in t.ll.graphs.iter().flatten() {
            let alloc = vmkit_jit_codewriter::regalloc::allocate(g).expect("allocates");
            vmkit_jit_codewriter::regalloc::verify(g, &alloc)
                .unwrap_or_else(|m| panic!("{}: {m}", e.display()));
        }
        let graphs = t.ll.graphs.iter().filter(|g| g.is_some()).count();
        assert_eq!(all.jitcodes.len(), graphs, "{}", e.display());
        assert!(
            all.descrs.calls.iter().all(|c| matches!(
                c.target,
                vmkit_jit_codewriter::effects::CallTarget::Host { .. }
            )),
            "{}: in all mode only host calls are residual",
            e.display()
        );
        match (policy.portal, all.portal) {
            (Some(a), Some(b)) => {
                assert_eq!(
                    policy.jitcodes[a as usize].name,
                    all.jitcodes[b as usize].name
                )
            }
            (None, None) => {}
            _ => panic!("{}: the portal differs between modes", e.display()),
        }
    }
}

/// The policy's jitcodes run too: functions without a jitcode (here the entry, and through it
/// everything) run on the graph interpreter.
#[test]
fn policy_mode_jitcodes_run_with_the_graph_interpreter_for_the_rest() {
    let dir = root().join("examples/bf/programs");
    let t = front_end(
        &root().join("examples/bf/src/lib.rs"),
        "x86_64-unknown-linux-gnu",
    );
    let jp = make_jitcodes(&t).expect("bf codewrites");
    let want = std::fs::read(dir.join("hello.out")).expect("golden output");
    let r = jit_run(
        &t,
        &jp,
        &[dir.join("hello.b").to_string_lossy().as_bytes().to_vec()],
        vec![],
    );
    assert_eq!((r.stdout, r.status), (want, 0), "{:?}", r.fatal);
}

/// Programs written for the codewriter (`tests/programs/*.rs`: permuting link moves, switch
/// tables), through jitcodes vs on the graph interpreter (the reference).
#[test]
fn codewriter_stress_programs_match_the_graph_interpreter() {
    let dir = root().join("jit-codewriter/tests/programs");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/programs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty());
    for p in entries {
        let t = front_end(&p, "x86_64-unknown-linux-gnu");
        let mut io = MemIo::new(vec![]);
        let want = vmkit_translator::interp::run(&t.ll, &[], &mut io, &[]);
        assert_eq!(want, Outcome::Exit(0), "{}", p.display());
        assert!(io.stdout.len() > 100, "{}", p.display());
        let jp = make_jitcodes_all(&t).expect("codewrites");
        blackhole::check(&t, &jp).unwrap_or_else(|m| panic!("{}: {m}", p.display()));
        let r = jit_run(&t, &jp, &[], vec![]);
        assert!(
            r.stdout == io.stdout && r.status == 0,
            "{}",
            describe(&p.display().to_string(), &r, &io.stdout, 0)
        );
    }
}
