//! The front end end to end: load → collect → type check → build graphs → lower, with a
//! `tracing` span and a timing per phase, and the dumps behind `vmkit translate --dump`.

use crate::callgraph::CallGraph;
use crate::diag::Diagnostic;
use crate::flow::HlGraph;
use crate::lower::LlProgram;
use crate::program::Program;
use crate::source::SourceMap;
use crate::target::TargetSpec;
use crate::thir::Body;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A front-end error with the sources needed to render it.
pub struct FrontError {
    pub sources: SourceMap,
    pub diag: Diagnostic,
}

impl FrontError {
    pub fn render(&self) -> String {
        self.diag.render(&self.sources)
    }
    pub fn location(&self) -> String {
        self.diag.location(&self.sources)
    }
}

impl std::fmt::Debug for FrontError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

/// Everything the front end produced.
pub struct Translation {
    pub prog: Program,
    pub bodies: Vec<Option<Body>>,
    pub hl: Vec<Option<HlGraph>>,
    pub ll: LlProgram,
    pub callgraph: CallGraph,
    /// (phase, wall time)
    pub timings: Vec<(&'static str, Duration)>,
}

fn timed<T>(
    timings: &mut Vec<(&'static str, Duration)>,
    name: &'static str,
    f: impl FnOnce() -> T,
) -> T {
    let span = tracing::info_span!("phase", name);
    let _g = span.enter();
    let t = Instant::now();
    let r = f();
    let d = t.elapsed();
    tracing::info!(phase = name, ms = d.as_secs_f64() * 1000.0, "done");
    timings.push((name, d));
    r
}

/// Runs the front end on the interpreter whose root file is `root`, for `target`.
pub fn front_end(root: &Path, target: &TargetSpec) -> Result<Translation, FrontError> {
    let mut timings = Vec::new();
    let prog = timed(&mut timings, "parse+collect", || {
        crate::program::collect(root)
    })
    .map_err(|(sources, diag)| FrontError { sources, diag })?;
    let bodies = match timed(&mut timings, "typecheck", || {
        crate::typeck::check_program(&prog)
    }) {
        Ok(b) => b,
        Err(diag) => {
            return Err(FrontError {
                sources: prog.sources,
                diag,
            })
        }
    };
    let hl: Vec<Option<HlGraph>> = timed(&mut timings, "flowgraphs", || {
        bodies
            .iter()
            .map(|b| b.as_ref().map(|b| crate::build::build_graph(&prog, b)))
            .collect()
    });
    for g in hl.iter().flatten() {
        if let Err(e) = g.verify() {
            return Err(FrontError {
                sources: prog.sources,
                diag: Diagnostic::global(format!("internal error: invalid flow graph: {e}")),
            });
        }
    }
    for g in hl.iter().flatten() {
        if let Err(diag) = crate::hints::check_merge_point(&prog, g) {
            return Err(FrontError {
                sources: prog.sources,
                diag,
            });
        }
    }
    let entry = prog.entry.expect("collect checks the entry");
    let callgraph = timed(&mut timings, "callgraph", || {
        CallGraph::build(&prog, &hl, entry)
    });
    let ll = timed(&mut timings, "lower", || {
        crate::lower::lower_program(&prog, &hl, target)
    });
    for g in ll.graphs.iter().flatten() {
        if let Err(e) = g.verify() {
            return Err(FrontError {
                sources: prog.sources,
                diag: Diagnostic::global(format!("internal error: invalid low-level graph: {e}")),
            });
        }
    }
    Ok(Translation {
        prog,
        bodies,
        hl,
        ll,
        callgraph,
        timings,
    })
}

/// What `--dump` can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Dump {
    /// Flow graphs of every reachable function: `<fn>.hl.txt`, `<fn>.ll.txt`, `<fn>.dot`, and
    /// `callgraph.dot`.
    Graphs,
    /// Object layouts for the target (`layouts.ron`).
    Layouts,
}

fn file_name(path: &str) -> String {
    path.replace("::", ".")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Writes the requested dumps under `dir`; returns the files written.
pub fn write_dumps(t: &Translation, dumps: &[Dump], dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let mut write = |name: String, text: String| -> std::io::Result<()> {
        let p = dir.join(name);
        std::fs::write(&p, text)?;
        written.push(p);
        Ok(())
    };
    for d in dumps {
        match d {
            Dump::Graphs => {
                for f in t.callgraph.reachable() {
                    let (Some(hl), Some(ll)) = (&t.hl[f.0 as usize], &t.ll.graphs[f.0 as usize])
                    else {
                        continue;
                    };
                    let base = file_name(&t.prog.func(f).path);
                    write(
                        format!("{base}.hl.txt"),
                        crate::print::hl_graph(&t.prog, hl),
                    )?;
                    write(
                        format!("{base}.ll.txt"),
                        crate::print::ll_graph(&t.ll.fn_names, ll),
                    )?;
                    write(
                        format!("{base}.dot"),
                        crate::print::dot(hl, &|ty| t.prog.ty_str(ty), &|o| {
                            crate::print::hl_op(&t.prog, o)
                        }),
                    )?;
                }
                write("callgraph.dot".into(), t.callgraph.dot(&t.prog))?;
            }
            Dump::Layouts => {
                let text =
                    ron::ser::to_string_pretty(&t.ll.layouts, ron::ser::PrettyConfig::default())
                        .unwrap_or_default();
                write("layouts.ron".into(), text)?;
            }
        }
    }
    Ok(written)
}
