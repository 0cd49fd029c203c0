//! The `vmkit` command line.
//!
//! - `vmkit translate --target <triple> <interp>`: front end, Cranelift AOT compilation and
//!   linking with the runtime; writes `target/vmkit/<triple>/<name>` and prints its path.
//!   `--dump graphs,layouts,clif` writes the flow graphs (text and Graphviz dot), the object
//!   layouts and the Cranelift IR of every function.
//! - `vmkit run <interp> [args...]`: runs the interpreter on the graph interpreter (no
//!   translation to machine code): the reference the translated program is compared with.
//! - `vmkit targets`: lists the known target triples.
//!
//! `VMKIT_LOG=info` prints phase timings (tracing).

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use vmkit_translator::driver::{self, Dump};

/// What `--dump` can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum DumpKind {
    /// Flow graphs of every reachable function (text and Graphviz dot) and the call graph.
    Graphs,
    /// Object layouts for the target.
    Layouts,
    /// Cranelift IR of every compiled function.
    Clif,
    /// The JIT codewriter's output: jitcodes (RON and a disassembly) and descriptors.
    Jitcodes,
}

/// The pseudo-target for macOS universal binaries.
const UNIVERSAL2: &str = "universal2-apple-darwin";

/// Translates separately for each Apple architecture (each slice with its own code generation
/// and runtime), then merges the signed slices into one fat Mach-O.
fn translate_universal2(
    interp: &std::path::Path,
    output: Option<PathBuf>,
    timings: bool,
    no_jit: bool,
    debuginfo: bool,
    hardened_runtime: bool,
) -> ExitCode {
    let me = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot find the vmkit executable: {e}");
            return ExitCode::from(1);
        }
    };
    let mut slices = Vec::new();
    for triple in ["aarch64-apple-darwin", "x86_64-apple-darwin"] {
        let mut cmd = std::process::Command::new(&me);
        cmd.args(["translate", "--target", triple]).arg(interp);
        if timings {
            cmd.arg("--timings");
        }
        if no_jit {
            cmd.arg("--no-jit");
        }
        if debuginfo {
            cmd.arg("--debuginfo");
        }
        if hardened_runtime && triple == "aarch64-apple-darwin" {
            cmd.arg("--hardened-runtime");
        }
        let out = match cmd.stderr(std::process::Stdio::inherit()).output() {
            Ok(o) => o,
            Err(e) => {
                eprintln!("error: cannot run {}: {e}", me.display());
                return ExitCode::from(1);
            }
        };
        if !out.status.success() {
            return ExitCode::from(1);
        }
        slices.push(PathBuf::from(
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
        ));
    }
    let name = slices[0]
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    let out = output.unwrap_or_else(|| PathBuf::from("target/vmkit").join(UNIVERSAL2).join(name));
    if let Some(parent) = out.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    match vmkit_backends::macos::write_fat(&slices, &out) {
        Ok(()) => {
            println!("{}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Peak resident memory of this process so far, in KiB (where the host reports it).
fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
use vmkit_translator::target::{known_targets, TargetSpec};

#[derive(Parser)]
#[command(name = "vmkit", version, about = "vmkit: build a VM with a tracing JIT from an interpreter written in a Rust DSL", long_about = None)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Translate an interpreter for a target.
    Translate {
        /// Target triple (a spec in targets/<triple>.ron), e.g. x86_64-unknown-linux-gnu, or
        /// universal2-apple-darwin for a fat macOS binary.
        #[arg(long, default_value = "x86_64-unknown-linux-gnu")]
        target: String,
        /// The interpreter: a crate directory (with src/lib.rs), a .rs file, or a bundled example name (bf).
        interp: PathBuf,
        /// What to dump (comma-separated): graphs, layouts, clif, jitcodes.
        #[arg(long, value_delimiter = ',', value_enum)]
        dump: Vec<DumpKind>,
        /// Where dumps go (default: target/vmkit/<triple>/<name>.build/dump).
        #[arg(long)]
        out_dir: Option<PathBuf>,
        /// The executable to write (default: target/vmkit/<triple>/<name>).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Stop after the front end (no code generation, no linking).
        #[arg(long)]
        front_end_only: bool,
        /// Print the wall time and peak memory of each phase.
        #[arg(long)]
        timings: bool,
        /// Leave the JIT out: the executable is the plain interpreter (no jitcodes, no
        /// `can_enter_jit` hooks).
        #[arg(long)]
        no_jit: bool,
        /// Keep the runtime's debug information (line tables) in the executable.
        #[arg(long)]
        debuginfo: bool,
        /// Sign the arm64 macOS executable (aarch64-apple-darwin, or the arm64 slice of
        /// universal2) ad hoc for the hardened runtime, with the
        /// `com.apple.security.cs.allow-jit` entitlement the JIT needs there.
        #[arg(long)]
        hardened_runtime: bool,
    },
    /// Run an interpreter on the graph interpreter (in-process, no machine code).
    Run {
        /// Target whose layouts to use.
        #[arg(long, default_value = "x86_64-unknown-linux-gnu")]
        target: String,
        /// The interpreter: a crate directory, a .rs file, or a bundled example name.
        interp: PathBuf,
        /// Arguments passed to the interpreter's entry function.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// List the known targets.
    Targets,
}

fn init_tracing() {
    let filter = std::env::var("VMKIT_LOG").unwrap_or_else(|_| "warn".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .try_init();
}

fn load(
    target: &str,
    interp: &std::path::Path,
) -> Result<(TargetSpec, vmkit_translator::driver::Translation), ExitCode> {
    let spec = TargetSpec::load(target).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    let root = vmkit_translator::source::find_root(interp).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    let t = driver::front_end(&root, &spec).map_err(|e| {
        eprint!("{}", e.render());
        ExitCode::from(1)
    })?;
    Ok((spec, t))
}

fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Targets => {
            for t in known_targets() {
                println!("{t}");
            }
            println!("{UNIVERSAL2} (aarch64-apple-darwin + x86_64-apple-darwin in one fat Mach-O)");
            ExitCode::SUCCESS
        }
        Cmd::Translate {
            target,
            interp,
            dump,
            out_dir,
            output,
            front_end_only,
            timings,
            no_jit,
            debuginfo,
            hardened_runtime,
        } => {
            if target == UNIVERSAL2 {
                return translate_universal2(
                    &interp,
                    output,
                    timings,
                    no_jit,
                    debuginfo,
                    hardened_runtime,
                );
            }
            if hardened_runtime && target != "aarch64-apple-darwin" {
                eprintln!(
                    "error: --hardened-runtime applies to aarch64-apple-darwin and {UNIVERSAL2} only (target: {target})"
                );
                return ExitCode::from(2);
            }
            let spinner = indicatif::ProgressBar::new_spinner();
            spinner.enable_steady_tick(std::time::Duration::from_millis(120));
            spinner.set_message("front end");
            let (spec, t) = match load(&target, &interp) {
                Ok(x) => x,
                Err(c) => {
                    spinner.finish_and_clear();
                    return c;
                }
            };
            let mut phases: Vec<(&'static str, std::time::Duration, Option<u64>)> =
                t.timings.iter().map(|(p, d)| (*p, *d, None)).collect();
            if let Some(last) = phases.last_mut() {
                last.2 = peak_rss_kib();
            }
            let base = PathBuf::from("target/vmkit").join(&spec.triple);
            let build_dir = base.join(format!("{}.build", t.prog.name));
            let graph_dumps: Vec<Dump> = dump
                .iter()
                .filter_map(|d| match d {
                    DumpKind::Graphs => Some(Dump::Graphs),
                    DumpKind::Layouts => Some(Dump::Layouts),
                    DumpKind::Clif | DumpKind::Jitcodes => None,
                })
                .collect();
            let dump_dir = out_dir.unwrap_or_else(|| build_dir.join("dump"));
            if !graph_dumps.is_empty() {
                match driver::write_dumps(&t, &graph_dumps, &dump_dir) {
                    Ok(files) => spinner.println(format!(
                        "wrote {} dump files to {}",
                        files.len(),
                        dump_dir.display()
                    )),
                    Err(e) => {
                        spinner.finish_and_clear();
                        eprintln!("error: cannot write dumps to {}: {e}", dump_dir.display());
                        return ExitCode::from(1);
                    }
                }
            }
            if dump.contains(&DumpKind::Jitcodes) {
                match vmkit_jit_codewriter::make_jitcodes(&t) {
                    Ok(p) => {
                        let _ = std::fs::create_dir_all(&dump_dir);
                        let ok = std::fs::write(
                            dump_dir.join("jitcodes.ron"),
                            vmkit_jit_codewriter::dump::ron(&p),
                        )
                        .and_then(|_| {
                            std::fs::write(
                                dump_dir.join("jitcodes.txt"),
                                vmkit_jit_codewriter::dump::text(&p),
                            )
                        });
                        match ok {
                            Ok(()) => spinner.println(format!(
                                "wrote {} jitcodes to {}",
                                p.jitcodes.len(),
                                dump_dir.join("jitcodes.ron").display()
                            )),
                            Err(e) => {
                                spinner.finish_and_clear();
                                eprintln!("error: cannot write jitcodes: {e}");
                                return ExitCode::from(1);
                            }
                        }
                    }
                    Err(e) => {
                        spinner.finish_and_clear();
                        eprintln!("error: codewriter: {e}");
                        return ExitCode::from(1);
                    }
                }
            }
            let mut code = ExitCode::SUCCESS;
            if !front_end_only {
                spinner.set_message("code generation and linking");
                let root =
                    vmkit_translator::source::find_root(&interp).unwrap_or_else(|_| interp.clone());
                let exe = output.unwrap_or_else(|| base.join(&t.prog.name));
                let ws = vmkit_translator::source::workspace_dir();
                let opts = vmkit_backends::build::Options {
                    jit: !no_jit,
                    debuginfo,
                };
                match vmkit_backends::build::build_executable_with(
                    &t, &root, &ws, &exe, &build_dir, &opts,
                ) {
                    Ok(built) => {
                        if hardened_runtime {
                            if let Err(e) = vmkit_backends::codesign::sign_hardened_jit(&built.exe)
                            {
                                spinner.finish_and_clear();
                                eprintln!("error: signing {}: {e}", built.exe.display());
                                return ExitCode::from(1);
                            }
                        }
                        for (p, d) in &built.timings {
                            phases.push((p, *d, peak_rss_kib()));
                        }
                        if dump.contains(&DumpKind::Clif) {
                            let dir = dump_dir.join("clif");
                            let _ = std::fs::create_dir_all(&dir);
                            for (name, text) in &built.clif {
                                let file =
                                    name.replace("::", ".").replace(['/', '<', '>', ' '], "_");
                                let _ = std::fs::write(dir.join(format!("{file}.clif")), text);
                            }
                            spinner.println(format!(
                                "wrote {} clif files to {}",
                                built.clif.len(),
                                dir.display()
                            ));
                        }
                        spinner.finish_and_clear();
                        println!("{}", built.exe.display());
                    }
                    Err(e) => {
                        spinner.finish_and_clear();
                        eprintln!("error: {e}");
                        code = ExitCode::from(1);
                    }
                }
            } else {
                spinner.finish_and_clear();
                eprintln!(
                    "translated `{}` for {} (front end only): {} reachable functions",
                    t.prog.name,
                    spec.triple,
                    t.callgraph.reachable().len()
                );
            }
            if timings {
                for (phase, d, rss) in &phases {
                    let rss = rss
                        .map(|k| format!("{:7.1} MiB peak", k as f64 / 1024.0))
                        .unwrap_or_default();
                    eprintln!("{phase:>14}: {:9.2} ms  {rss}", d.as_secs_f64() * 1000.0);
                }
            }
            code
        }
        Cmd::Run {
            target,
            interp,
            args,
        } => {
            let (_spec, t) = match load(&target, &interp) {
                Ok(x) => x,
                Err(c) => return c,
            };
            let args: Vec<Vec<u8>> = args.into_iter().map(|a| a.into_bytes()).collect();
            let mut io = vmkit_translator::interp::StdIo::new();
            match vmkit_translator::interp::run(&t.ll, &args, &mut io, &vmkit::host::HOST_FUNCTIONS)
            {
                vmkit_translator::interp::Outcome::Exit(code) => {
                    drop(io);
                    std::process::exit(code as i32)
                }
                vmkit_translator::interp::Outcome::Fatal(msg) => {
                    drop(io);
                    eprintln!("fatal error: {msg}");
                    std::process::exit(101)
                }
            }
        }
    }
}
