//! From a front-end [`Translation`] to an executable: AOT compilation, then linking, with the
//! time and peak memory of each phase.

use crate::aot;
use crate::link::{self, HostSource, LinkRequest};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use vmkit_translator::driver::Translation;

pub struct Built {
    pub exe: PathBuf,
    pub clif: Vec<(String, String)>,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Where the sources of the interpreter rooted at `root` come from, for its host functions.
pub fn host_source(t: &Translation, root: &Path) -> Option<HostSource> {
    if !t.prog.fns.iter().any(|f| f.is_host) {
        return None;
    }
    if root.file_name().is_some_and(|n| n == "lib.rs") {
        let dir = root.parent()?.parent()?.to_path_buf();
        let toml = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        let package = toml.lines().find_map(|l| {
            l.trim().strip_prefix("name").map(|r| {
                r.trim()
                    .trim_start_matches('=')
                    .trim()
                    .trim_matches('"')
                    .to_string()
            })
        })?;
        let entry_path = t
            .prog
            .entry
            .map(|e| t.prog.func(e).path.clone())
            .unwrap_or_else(|| "entry".into());
        Some(HostSource::Crate {
            dir,
            package,
            entry_path,
        })
    } else {
        Some(HostSource::File(
            std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        ))
    }
}

/// Translation options.
#[derive(Clone, Debug)]
pub struct Options {
    /// Generate the JIT (jitcodes, helpers, `can_enter_jit` hooks) when the interpreter has a
    /// portal. Without it, the binary is the plain interpreter.
    pub jit: bool,
    /// Keep the runtime's debug information (line tables) in the executable. Off by default:
    /// it makes up most of the file (the runtime contains Cranelift for the JIT).
    pub debuginfo: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            jit: true,
            debuginfo: false,
        }
    }
}

/// Compiles and links `t` into `exe` with the default [`Options`] (JIT included when the
/// interpreter has a portal). `root` is the interpreter's root file.
pub fn build_executable(
    t: &Translation,
    root: &Path,
    workspace: &Path,
    exe: &Path,
    build_dir: &Path,
) -> Result<Built, String> {
    build_executable_with(t, root, workspace, exe, build_dir, &Options::default())
}

/// [`build_executable`] with explicit options.
pub fn build_executable_with(
    t: &Translation,
    root: &Path,
    workspace: &Path,
    exe: &Path,
    build_dir: &Path,
    opts: &Options,
) -> Result<Built, String> {
    let mut timings = Vec::new();
    let start = Instant::now();
    let export = if opts.jit && vmkit_jit_codewriter::policy::portal(t).is_some() {
        let p = vmkit_jit_codewriter::make_jitcodes(t)?;
        let e = vmkit_jit_codewriter::export::export(t, &p)?;
        let blob = e.program.to_bytes();
        Some((e, blob))
    } else {
        None
    };
    if export.is_some() {
        timings.push(("codewriter", start.elapsed()));
    }
    let start = Instant::now();
    let support = export.as_ref().map(|(e, blob)| aot::JitSupport {
        blob,
        helpers: &e.helpers,
    });
    let out = aot::compile(&t.ll, support.as_ref())?;
    timings.push(("codegen", start.elapsed()));
    let start = Instant::now();
    let req = LinkRequest {
        spec: &t.ll.target,
        workspace,
        build_dir,
        object: &out.object,
        exe,
        host: host_source(t, root),
        debuginfo: opts.debuginfo,
    };
    let exe = link::link(&req)?;
    timings.push(("link", start.elapsed()));
    Ok(Built {
        exe,
        clif: out.clif,
        timings,
    })
}
