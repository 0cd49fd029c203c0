//! Target specs: `targets/<triple>.ron`. Everything target-specific the translator and backends
//! need (pointer width, calling convention, object format, linker, JIT memory policy, icache
//! flushing) is read from here; nothing is `#[cfg]`-ed on the host.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Endian {
    Little,
    Big,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObjectFormat {
    Elf,
    MachO,
    Coff,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallConv {
    SystemV,
    AppleAarch64,
    WindowsFastcall,
}

/// How JIT code memory is made executable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JitMemory {
    /// mmap read-write, then mprotect read-execute (never both).
    MprotectWx,
    /// macOS arm64: MAP_JIT with per-thread `pthread_jit_write_protect_np` toggling.
    MapJit,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetSpec {
    pub triple: String,
    pub arch: String,
    pub os: String,
    pub pointer_width: u32,
    pub endian: Endian,
    pub object_format: ObjectFormat,
    pub calling_convention: CallConv,
    pub symbol_prefix: String,
    pub linker: String,
    pub min_os_version: Option<String>,
    pub jit_memory: JitMemory,
    pub icache_flush: bool,
    pub object_alignment: u32,
    pub gc_header_size: u32,
    /// The C compiler cargo's build scripts (cc-rs) use for this target when it is not the
    /// default (`clang` for Apple targets: it cross-compiles Mach-O objects, gcc does not).
    #[serde(default)]
    pub c_compiler: Option<String>,
}

impl TargetSpec {
    /// Loads `targets/<triple>.ron` from the vmkit workspace (or a path to a `.ron` file).
    pub fn load(triple_or_path: &str) -> Result<TargetSpec, String> {
        let p = Path::new(triple_or_path);
        let path: PathBuf = if p.extension().is_some_and(|e| e == "ron") {
            p.to_path_buf()
        } else {
            targets_dir().join(format!("{triple_or_path}.ron"))
        };
        let text = std::fs::read_to_string(&path).map_err(|_| {
            format!(
                "unknown target `{triple_or_path}`: no spec at {}; known targets: {}",
                path.display(),
                known_targets().join(", ")
            )
        })?;
        let spec: TargetSpec = ron::from_str(&text)
            .map_err(|e| format!("{}: invalid target spec: {e}", path.display()))?;
        Ok(spec)
    }
    /// Pointer size in bytes.
    pub fn pointer_bytes(&self) -> u32 {
        self.pointer_width / 8
    }
}

pub fn targets_dir() -> PathBuf {
    crate::source::workspace_dir().join("targets")
}

/// Triples with a spec file.
pub fn known_targets() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(targets_dir())
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    e.file_name()
                        .to_str()
                        .and_then(|n| n.strip_suffix(".ron"))
                        .map(String::from)
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}
