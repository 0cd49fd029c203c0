//! Apple outputs, cross-linked on this Linux host and inspected with the `object` crate (nothing
//! here can run a Mach-O binary): the universal2 bf VM has an arm64 and an x86-64 slice, each a
//! PIE executable for macOS with the right minimum version, whose only dylib is libSystem and
//! whose imports all come from it; the arm64 slice carries an (ad-hoc) code signature and an
//! LC_BUILD_VERSION for macOS 11.0 (the x86-64 slice targets macOS 10.12, for which the linker
//! writes LC_VERSION_MIN_MACOSX).

use object::macho;
use object::read::macho::{FatArch, LoadCommandVariant, MachHeader, MachOFatFile32};
use object::{Endianness, Object, ObjectSymbol};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf()
}

/// Translates the bf VM for each Apple architecture and merges the slices, as
/// `vmkit translate --target universal2-apple-darwin` does.
fn universal2_bf() -> PathBuf {
    let src = root().join("examples/bf/src/lib.rs");
    let out = root().join("target/vmkit-tests/universal2-apple-darwin");
    let mut slices = Vec::new();
    for triple in ["aarch64-apple-darwin", "x86_64-apple-darwin"] {
        let spec = vmkit_translator::target::TargetSpec::load(triple).expect("spec");
        let t = vmkit_translator::driver::front_end(&src, &spec).unwrap_or_else(|e| panic!("{}", e.render()));
        let built = vmkit_backends::build::build_executable(
            &t,
            &src,
            &root(),
            &out.join(triple).join("bf"),
            &out.join(triple).join("bf.build"),
        )
        .unwrap_or_else(|e| panic!("[{triple}] {e}"));
        slices.push(built.exe);
    }
    let fat = out.join("bf");
    vmkit_backends::macos::write_fat(&slices, &fat).expect("fat binary");
    fat
}

struct Slice {
    cputype: u32,
    platform: u32,
    minos: u32,
    dylibs: Vec<String>,
    code_signature: bool,
    undefined_outside_libsystem: Vec<String>,
}

fn inspect(data: &[u8]) -> Slice {
    let header = macho::MachHeader64::<Endianness>::parse(data, 0).expect("Mach-O 64 header");
    let e = header.endian().expect("endianness");
    assert_eq!(header.filetype(e), macho::MH_EXECUTE, "not an executable");
    assert!(header.flags(e) & macho::MH_PIE != 0, "not PIE");
    let mut s = Slice {
        cputype: header.cputype(e),
        platform: 0,
        minos: 0,
        dylibs: vec![],
        code_signature: false,
        undefined_outside_libsystem: vec![],
    };
    let mut cmds = header.load_commands(e, data, 0).expect("load commands");
    while let Some(cmd) = cmds.next().expect("load command") {
        match cmd.variant().expect("variant") {
            LoadCommandVariant::BuildVersion(bv) => {
                s.platform = bv.platform.get(e);
                s.minos = bv.minos.get(e);
            }
            // Below macOS 10.14 the linker writes the older LC_VERSION_MIN_MACOSX instead.
            LoadCommandVariant::VersionMin(vm) if cmd.cmd() == macho::LC_VERSION_MIN_MACOSX => {
                s.platform = macho::PLATFORM_MACOS;
                s.minos = vm.version.get(e);
            }
            LoadCommandVariant::Dylib(d) => {
                if cmd.cmd() == macho::LC_LOAD_DYLIB {
                    let name = cmd.string(e, d.dylib.name).expect("dylib name");
                    s.dylibs.push(String::from_utf8_lossy(name).into_owned());
                }
            }
            LoadCommandVariant::LinkeditData(l) => {
                if cmd.cmd() == macho::LC_CODE_SIGNATURE && l.datasize.get(e) > 0 {
                    s.code_signature = true;
                }
            }
            _ => {}
        }
    }
    let file = object::File::parse(data).expect("object");
    let libs: Vec<String> =
        file.imports().expect("imports").iter().map(|i| String::from_utf8_lossy(i.library()).into_owned()).collect();
    for (i, lib) in libs.iter().enumerate() {
        if !lib.contains("libSystem") {
            s.undefined_outside_libsystem.push(format!("import #{i} from {lib}"));
        }
    }
    for sym in file.symbols() {
        if sym.is_undefined() && libs.is_empty() {
            s.undefined_outside_libsystem.push(sym.name().unwrap_or("?").to_string());
        }
    }
    s
}

#[test]
fn universal2_bf_has_two_valid_slices() {
    let path = universal2_bf();
    let data = std::fs::read(&path).expect("fat binary");
    let fat = MachOFatFile32::parse(&*data).expect("fat Mach-O");
    let arches = fat.arches();
    assert_eq!(arches.len(), 2);
    let mut cpus = Vec::new();
    for a in arches {
        assert_eq!(a.align(), 14, "slices are page aligned (2^14)");
        assert_eq!(a.offset() % (1 << 14), 0);
        let slice = a.data(&*data).expect("slice data");
        let s = inspect(slice);
        assert_eq!(s.cputype, a.cputype());
        assert_eq!(s.platform, macho::PLATFORM_MACOS);
        assert_eq!(s.dylibs, vec!["/usr/lib/libSystem.B.dylib".to_string()]);
        assert!(s.undefined_outside_libsystem.is_empty(), "{:?}", s.undefined_outside_libsystem);
        match s.cputype {
            macho::CPU_TYPE_ARM64 => {
                assert_eq!(s.minos, 11 << 16, "arm64 minimum macOS 11.0");
                assert!(s.code_signature, "arm64 executables must be signed");
            }
            macho::CPU_TYPE_X86_64 => assert_eq!(s.minos, (10 << 16) | (12 << 8), "x86-64 minimum macOS 10.12"),
            other => panic!("unexpected cpu type {other:#x}"),
        }
        cpus.push(s.cputype);
    }
    cpus.sort();
    assert_eq!(cpus, vec![macho::CPU_TYPE_X86_64, macho::CPU_TYPE_ARM64]);
}
