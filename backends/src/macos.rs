//! Linking Apple executables from any host: `ld64.lld` (Debian `lld`) against a generated
//! libSystem text stub, and universal2 (fat) binaries.
//!
//! The stub (`usr/lib/libSystem.tbd` under a private sysroot) exports exactly the symbols the
//! program's object and the runtime library leave undefined, so the executable's only dylib is
//! libSystem. lld ad-hoc signs arm64 output by default (`LC_CODE_SIGNATURE`), which macOS
//! requires for arm64 executables.

use object::read::archive::ArchiveFile;
use object::{Object, ObjectSymbol};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use vmkit_translator::target::TargetSpec;

/// `(defined, undefined)` global symbols of an object file.
fn symbols_of(data: &[u8], defined: &mut BTreeSet<String>, undefined: &mut BTreeSet<String>) {
    let Ok(file) = object::File::parse(data) else {
        return;
    };
    for sym in file.symbols() {
        let Ok(name) = sym.name() else { continue };
        if name.is_empty() {
            continue;
        }
        if sym.is_undefined() {
            undefined.insert(name.to_string());
        } else if sym.is_global() {
            defined.insert(name.to_string());
        }
    }
}

/// Symbols the inputs import from outside themselves.
pub fn imported_symbols(inputs: &[PathBuf]) -> Result<BTreeSet<String>, String> {
    let mut defined = BTreeSet::new();
    let mut undefined = BTreeSet::new();
    for p in inputs {
        let data = std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        if let Ok(ar) = ArchiveFile::parse(&*data) {
            for m in ar.members() {
                let m = m.map_err(|e| format!("{}: {e}", p.display()))?;
                let bytes = m
                    .data(&*data)
                    .map_err(|e| format!("{}: {e}", p.display()))?;
                symbols_of(bytes, &mut defined, &mut undefined);
            }
        } else {
            symbols_of(&data, &mut defined, &mut undefined);
        }
    }
    Ok(undefined.difference(&defined).cloned().collect())
}

/// Writes `<sysroot>/usr/lib/libSystem.tbd` exporting `symbols`.
pub fn write_libsystem_stub(sysroot: &Path, symbols: &BTreeSet<String>) -> Result<(), String> {
    let dir = sysroot.join("usr").join("lib");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let list: Vec<String> = symbols.iter().map(|s| format!("'{s}'")).collect();
    let tbd = format!(
        "--- !tapi-tbd\ntbd-version:     4\ntargets:         [ x86_64-macos, arm64-macos ]\ninstall-name:    '/usr/lib/libSystem.B.dylib'\ncurrent-version: 1311\nexports:\n  - targets:         [ x86_64-macos, arm64-macos ]\n    symbols:         [ {} ]\n...\n",
        list.join(", ")
    );
    std::fs::write(dir.join("libSystem.tbd"), tbd)
        .map_err(|e| format!("cannot write the libSystem stub: {e}"))
}

/// The `ld64.lld` to use: the spec's linker if it is on PATH, else a versioned `ld64.lld-N`.
pub fn find_ld64(spec: &TargetSpec) -> Result<String, String> {
    let on_path = |name: &str| -> bool {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
    };
    if on_path(&spec.linker) {
        return Ok(spec.linker.clone());
    }
    for v in (11..=30).rev() {
        let n = format!("{}-{v}", spec.linker);
        if on_path(&n) {
            return Ok(n);
        }
    }
    Err(format!(
        "linker `{}` not found (install Debian's `lld`: scripts/setup.sh)",
        spec.linker
    ))
}

fn arch_flag(spec: &TargetSpec) -> &'static str {
    if spec.arch == "aarch64" {
        "arm64"
    } else {
        "x86_64"
    }
}

/// Links a Mach-O executable.
pub fn link(
    spec: &TargetSpec,
    object: &Path,
    libs: &[PathBuf],
    build_dir: &Path,
    exe: &Path,
    debuginfo: bool,
) -> Result<(), String> {
    let mut inputs = vec![object.to_path_buf()];
    inputs.extend(libs.iter().cloned());
    let mut imports = imported_symbols(&inputs)?;
    // lld's lazy binding refers to dyld's binder, which libSystem provides.
    imports.insert("dyld_stub_binder".to_string());
    let sysroot = build_dir.join("macos-sysroot");
    write_libsystem_stub(&sysroot, &imports)?;
    let ld = find_ld64(spec)?;
    let min = spec.min_os_version.clone().unwrap_or_else(|| "11.0".into());
    let min = if min.matches('.').count() == 1 {
        format!("{min}.0")
    } else {
        min
    };
    let mut cmd = Command::new(&ld);
    cmd.args([
        "-arch",
        arch_flag(spec),
        "-platform_version",
        "macos",
        &min,
        &min,
        "-syslibroot",
    ])
    .arg(&sysroot);
    if !debuginfo {
        cmd.arg("-S");
    }
    cmd.args(["-lSystem", "-dead_strip", "-o"])
        .arg(exe)
        .args(&inputs);
    tracing::info!(?cmd, "linking (Mach-O)");
    let out = cmd.output().map_err(|e| format!("cannot run {ld}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "linking with {ld} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

/// CPU type and subtype of a thin Mach-O file (read from its header).
fn cpu_of(data: &[u8]) -> Result<(u32, u32), String> {
    if data.len() < 12 || data[0..4] != [0xcf, 0xfa, 0xed, 0xfe] {
        return Err("not a 64-bit little-endian Mach-O file".into());
    }
    let cpu = u32::from_le_bytes(data[4..8].try_into().expect("4 bytes"));
    let sub = u32::from_le_bytes(data[8..12].try_into().expect("4 bytes"));
    Ok((cpu, sub))
}

/// Writes a universal (fat) Mach-O from thin slices: big-endian `fat_header` and `fat_arch`
/// records, each slice aligned to 2^14 bytes.
pub fn write_fat(slices: &[PathBuf], out: &Path) -> Result<(), String> {
    const ALIGN: u32 = 14;
    let mut datas = Vec::new();
    for s in slices {
        datas.push(std::fs::read(s).map_err(|e| format!("cannot read {}: {e}", s.display()))?);
    }
    let mut header = Vec::new();
    header.extend_from_slice(&0xCAFE_BABEu32.to_be_bytes());
    header.extend_from_slice(&(datas.len() as u32).to_be_bytes());
    let mut offset = (8 + 20 * datas.len()) as u64;
    let align = 1u64 << ALIGN;
    let mut placed = Vec::new();
    for d in &datas {
        let (cpu, sub) = cpu_of(d)?;
        offset = offset.div_ceil(align) * align;
        header.extend_from_slice(&cpu.to_be_bytes());
        header.extend_from_slice(&sub.to_be_bytes());
        header.extend_from_slice(&(offset as u32).to_be_bytes());
        header.extend_from_slice(&(d.len() as u32).to_be_bytes());
        header.extend_from_slice(&ALIGN.to_be_bytes());
        placed.push(offset);
        offset += d.len() as u64;
    }
    let mut file = header;
    for (d, off) in datas.iter().zip(placed) {
        file.resize(off as usize, 0);
        file.extend_from_slice(d);
    }
    std::fs::write(out, file).map_err(|e| format!("cannot write {}: {e}", out.display()))
}
