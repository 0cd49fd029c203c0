//! The `vmkit` command line.
//!
//! - `vmkit translate --target <triple> <interp>`: runs the front end for the target (and, once
//!   the backends exist, produces an executable); `--dump graphs` writes every reachable
//!   function's flow graph as text and Graphviz dot.
//! - `vmkit run <interp> [args...]`: runs the interpreter on the graph interpreter (no
//!   translation to machine code): the reference the translated program is compared with.
//! - `vmkit targets`: lists the known target triples.
//!
//! `VMKIT_LOG=info` prints phase timings (tracing).

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use vmkit_translator::driver::{self, Dump};
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
        /// Target triple (a spec in targets/<triple>.ron), e.g. x86_64-unknown-linux-gnu.
        #[arg(long, default_value = "x86_64-unknown-linux-gnu")]
        target: String,
        /// The interpreter: a crate directory (with src/lib.rs), a .rs file, or a bundled example name (bf).
        interp: PathBuf,
        /// What to dump (comma-separated): graphs, layouts.
        #[arg(long, value_delimiter = ',', value_enum)]
        dump: Vec<Dump>,
        /// Where dumps go (default: target/vmkit/<triple>/<name>/dump).
        #[arg(long)]
        out_dir: Option<PathBuf>,
        /// Print the wall time of each phase.
        #[arg(long)]
        timings: bool,
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
            ExitCode::SUCCESS
        }
        Cmd::Translate {
            target,
            interp,
            dump,
            out_dir,
            timings,
        } => {
            let (spec, t) = match load(&target, &interp) {
                Ok(x) => x,
                Err(c) => return c,
            };
            if timings {
                for (phase, d) in &t.timings {
                    eprintln!("{phase:>14}: {:8.2} ms", d.as_secs_f64() * 1000.0);
                }
            }
            let fns = t.callgraph.reachable().len();
            eprintln!(
                "translated `{}` for {}: {} reachable functions",
                t.prog.name, spec.triple, fns
            );
            if !dump.is_empty() {
                let dir = out_dir.unwrap_or_else(|| {
                    PathBuf::from("target/vmkit")
                        .join(&spec.triple)
                        .join(&t.prog.name)
                        .join("dump")
                });
                match driver::write_dumps(&t, &dump, &dir) {
                    Ok(files) => eprintln!("wrote {} dump files to {}", files.len(), dir.display()),
                    Err(e) => {
                        eprintln!("error: cannot write dumps to {}: {e}", dir.display());
                        return ExitCode::from(1);
                    }
                }
            }
            eprintln!("note: native code generation is not implemented yet (front end only)");
            ExitCode::SUCCESS
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
