//! Differential tests: every DSL corpus program and every bf program, run on the graph
//! interpreter (the lowered flow graphs, in-process), must print exactly what the untranslated
//! run prints (the golden `.out` files are checked against the untranslated runs by
//! `corpus_untranslated.rs` and `bf_untranslated.rs`) and end with the same status.

use std::path::{Path, PathBuf};
use vmkit_translator::interp::{self, MemIo, Outcome};
use vmkit_translator::target::TargetSpec;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf()
}

struct Run {
    stdout: Vec<u8>,
    status: i64,
    fatal: String,
}

fn graph_run(program: &Path, args: &[Vec<u8>], stdin: Vec<u8>, target: &str) -> Run {
    graph_run_with(program, args, stdin, target, false)
}

/// With `inline`, the graphs are first put through the AOT backend's inliner.
fn graph_run_with(program: &Path, args: &[Vec<u8>], stdin: Vec<u8>, target: &str, inline: bool) -> Run {
    // Make sure the corpus (and its host functions) is linked into this test binary.
    let _ = vmkit_tests::corpus::lookup("");
    let spec = TargetSpec::load(target).expect("target spec");
    let mut t = match vmkit_translator::driver::front_end(program, &spec) {
        Ok(t) => t,
        Err(e) => panic!("{} does not translate:\n{}", program.display(), e.render()),
    };
    if inline {
        t.ll.graphs = vmkit_backends::inline::inline_program(&t.ll.graphs);
        for g in t.ll.graphs.iter().flatten() {
            if let Err(e) = g.verify() {
                panic!("{}: inlining broke `{}`: {e}", program.display(), g.name);
            }
        }
    }
    let mut io = MemIo::new(stdin);
    let (status, fatal) = match interp::run(&t.ll, args, &mut io, &vmkit::host::HOST_FUNCTIONS) {
        Outcome::Exit(s) => (s, String::new()),
        Outcome::Fatal(m) => (101, m),
    };
    Run { stdout: io.stdout, status, fatal }
}

fn read_opt(p: PathBuf) -> Option<Vec<u8>> {
    std::fs::read(p).ok()
}

/// A corpus program's arguments, standard input, expected output and status.
struct Golden {
    args: Vec<Vec<u8>>,
    stdin: Vec<u8>,
    want_out: Vec<u8>,
    want_status: i64,
}

impl Golden {
    fn load(dir: &Path, stem: &str) -> Golden {
        Golden {
            args: read_opt(dir.join(format!("{stem}.args")))
                .map(|a| String::from_utf8_lossy(&a).lines().map(|l| l.as_bytes().to_vec()).collect())
                .unwrap_or_default(),
            stdin: read_opt(dir.join(format!("{stem}.in"))).unwrap_or_default(),
            want_out: read_opt(dir.join(format!("{stem}.out"))).unwrap_or_else(|| panic!("{stem}: missing .out")),
            want_status: read_opt(dir.join(format!("{stem}.status")))
                .map(|s| String::from_utf8_lossy(&s).trim().parse().expect("status"))
                .unwrap_or(0),
        }
    }
}

#[test]
fn dsl_corpus_on_graph_interpreter_matches_golden() {
    let dir = root().join("tests/dsl");
    let mut failures = Vec::new();
    let mut n = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/dsl")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    entries.sort();
    for p in entries {
        n += 1;
        let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
        let Golden { args, stdin, want_out, want_status } = Golden::load(&dir, &stem);
        let source = std::fs::read_to_string(&p).expect("source");
        // Foreign calls need machine code: the graph interpreter refuses them clearly.
        if source.contains("use vmkit::ffi;") {
            let r = graph_run(&p, &args, stdin.clone(), "x86_64-unknown-linux-gnu");
            if r.status != 101 || !r.fatal.contains("is not available in the graph interpreter") {
                failures.push(format!(
                    "{stem}: expected the graph interpreter to refuse `vmkit::ffi`, got status {} and {:?}",
                    r.status, r.fatal
                ));
            }
            continue;
        }
        // Host functions may keep state across calls (host_calls.rs counts in a static), so a
        // program with host functions runs once per process: on x86-64 layouts only.
        let has_host = source.contains("#[vmkit::host]");
        let targets: &[&str] = if has_host {
            &["x86_64-unknown-linux-gnu"]
        } else {
            &["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"]
        };
        for &target in targets {
            let r = graph_run(&p, &args, stdin.clone(), target);
            if r.stdout != want_out || r.status != want_status {
                failures.push(format!(
                    "{stem} [{target}]: status {} (want {want_status})\n--- got ---\n{}\n--- want ---\n{}",
                    r.status,
                    String::from_utf8_lossy(&r.stdout),
                    String::from_utf8_lossy(&want_out)
                ));
            }
        }
    }
    assert!(n >= 20, "the DSL corpus has only {n} programs");
    assert!(
        failures.is_empty(),
        "{} corpus program(s) differ on the graph interpreter:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn count_calls(graphs: &[Option<vmkit_translator::flow::LlGraph>]) -> usize {
    graphs
        .iter()
        .flatten()
        .flat_map(|g| &g.blocks)
        .flat_map(|b| &b.ops)
        .filter(|o| matches!(o.op, vmkit_translator::flow::LlOp::Call(_)))
        .count()
}

/// The AOT backend's inliner (`backends/src/inline.rs`) preserves meaning: every corpus program
/// (except FFI and host-function ones), its graphs inlined, prints its golden output on the graph interpreter, and
/// inlining removes calls in most of them.
#[test]
fn dsl_corpus_inlined_matches_golden() {
    let dir = root().join("tests/dsl");
    let mut failures = Vec::new();
    let (mut n, mut fewer_calls) = (0, 0);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/dsl")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    entries.sort();
    let spec = TargetSpec::load("x86_64-unknown-linux-gnu").expect("target spec");
    for p in entries {
        let source = std::fs::read_to_string(&p).expect("source");
        // FFI needs machine code; host functions may keep state per process (see above).
        if source.contains("use vmkit::ffi;") || source.contains("#[vmkit::host]") {
            continue;
        }
        n += 1;
        let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
        let t = vmkit_translator::driver::front_end(&p, &spec).unwrap_or_else(|e| panic!("{}", e.render()));
        if count_calls(&vmkit_backends::inline::inline_program(&t.ll.graphs)) < count_calls(&t.ll.graphs) {
            fewer_calls += 1;
        }
        let Golden { args, stdin, want_out, want_status } = Golden::load(&dir, &stem);
        let r = graph_run_with(&p, &args, stdin, "x86_64-unknown-linux-gnu", true);
        if r.stdout != want_out || r.status != want_status {
            failures.push(format!("{stem}: status {} (want {want_status}), output differs", r.status));
        }
    }
    assert!(n >= 20, "only {n} programs");
    assert!(fewer_calls * 2 >= n, "inlining removed calls in only {fewer_calls} of {n} programs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The bf programs, on the graph interpreter vs the golden outputs (which `bf_untranslated.rs`
/// checks against the untranslated VM).
#[test]
fn bf_programs_on_graph_interpreter_match_golden() {
    let dir = root().join("examples/bf/programs");
    let lib = root().join("examples/bf/src/lib.rs");
    let mut failures = Vec::new();
    let mut n = 0;
    // primes.b (4 * 10^8 commands) is for the translated benchmarks; primes_medium covers > 10^7.
    for name in ["hello", "wrap", "nested", "eof", "rot13", "fib", "sierpinski", "primes_small", "primes_medium"] {
        n += 1;
        let prog = dir.join(format!("{name}.b"));
        let stdin = read_opt(dir.join(format!("{name}.in"))).unwrap_or_default();
        let want = std::fs::read(dir.join(format!("{name}.out"))).expect("golden output");
        let r = graph_run(&lib, &[prog.to_string_lossy().as_bytes().to_vec()], stdin, "x86_64-unknown-linux-gnu");
        if r.stdout != want || r.status != 0 {
            failures.push(format!(
                "{name}: status {}, output differs: got {:?}",
                r.status,
                String::from_utf8_lossy(&r.stdout)
            ));
        }
    }
    assert!(n >= 6);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Error paths of the bf VM: same status on the graph interpreter as untranslated.
#[test]
fn bf_errors_on_graph_interpreter() {
    let dir = root().join("examples/bf/programs/errors");
    let lib = root().join("examples/bf/src/lib.rs");
    let cases = [("unmatched.b", 2), ("unmatched_close.b", 2), ("tape_left.b", 101), ("tape_right.b", 101)];
    for (file, status) in cases {
        let r = graph_run(
            &lib,
            &[dir.join(file).to_string_lossy().as_bytes().to_vec()],
            vec![],
            "x86_64-unknown-linux-gnu",
        );
        assert_eq!(r.status, status, "{file}");
    }
    let r = graph_run(&lib, &[], vec![], "x86_64-unknown-linux-gnu");
    assert_eq!(r.status, 1, "no argument");
    let r = graph_run(&lib, &[b"/nonexistent/x.b".to_vec()], vec![], "x86_64-unknown-linux-gnu");
    assert_eq!(r.status, 1, "missing file");
}
