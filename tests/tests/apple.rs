//! Apple outputs, cross-linked on this Linux host and inspected with the `object` crate (nothing
//! here can run a Mach-O binary): the universal2 bf VM has an arm64 and an x86-64 slice, each a
//! PIE executable for macOS with the right minimum version, whose only dylib is libSystem and
//! whose imports all come from it; the arm64 slice carries an (ad-hoc) code signature and an
//! LC_BUILD_VERSION for macOS 11.0 (the x86-64 slice targets macOS 10.12, for which the linker
//! writes LC_VERSION_MIN_MACOSX). The JIT is linked in with the code memory of each target: the
//! arm64 slice imports `pthread_jit_write_protect_np` and `sys_icache_invalidate` (MAP_JIT), the
//! x86-64 slice neither (mprotect).

use object::macho;
use object::read::macho::{FatArch, LoadCommandVariant, MachHeader, MachOFatFile32};
use object::{Endianness, Object, ObjectSegment, ObjectSymbol};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use vmkit_backends::codesign;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf()
}

/// Translates the bf VM for each Apple architecture and merges the slices, as
/// `vmkit translate --target universal2-apple-darwin` does (once per test process: the tests
/// share the outputs). Returns the fat binary; the slices are `<dir>/<triple>/bf`.
fn universal2_bf() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(build_universal2_bf).clone()
}

fn build_universal2_bf() -> PathBuf {
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
    /// Names of the imported symbols (with the `_` prefix).
    imports: Vec<String>,
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
        imports: vec![],
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
    let imports = file.imports().expect("imports");
    s.imports = imports.iter().map(|i| String::from_utf8_lossy(i.name()).into_owned()).collect();
    let libs: Vec<String> = imports.iter().map(|i| String::from_utf8_lossy(i.library()).into_owned()).collect();
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
                // The JIT's code memory is MAP_JIT, written with per-thread write protection off
                // and published with an instruction-cache invalidation.
                for sym in ["_pthread_jit_write_protect_np", "_sys_icache_invalidate", "_mmap"] {
                    assert!(s.imports.iter().any(|i| i == sym), "arm64 slice does not import {sym}");
                }
            }
            macho::CPU_TYPE_X86_64 => {
                assert_eq!(s.minos, (10 << 16) | (12 << 8), "x86-64 minimum macOS 10.12");
                // mprotect-based W^X code memory on x86-64; MAP_JIT's toggle does not even exist
                // before macOS 11.
                assert!(s.imports.iter().any(|i| i == "_mprotect"), "x86-64 slice does not import _mprotect");
                for sym in ["_pthread_jit_write_protect_np", "_sys_icache_invalidate"] {
                    assert!(!s.imports.iter().any(|i| i == sym), "x86-64 slice imports {sym}");
                }
            }
            other => panic!("unexpected cpu type {other:#x}"),
        }
        cpus.push(s.cputype);
    }
    cpus.sort();
    assert_eq!(cpus, vec![macho::CPU_TYPE_X86_64, macho::CPU_TYPE_ARM64]);
}

/// `(dataoff, datasize)` of LC_CODE_SIGNATURE and `(fileoff, filesize, vmsize)` of __LINKEDIT.
fn signature_and_linkedit(data: &[u8]) -> ((u32, u32), (u64, u64, u64)) {
    let header = macho::MachHeader64::<Endianness>::parse(data, 0).expect("Mach-O 64 header");
    let e = header.endian().expect("endianness");
    let (mut sig, mut linkedit) = (None, None);
    let mut cmds = header.load_commands(e, data, 0).expect("load commands");
    while let Some(cmd) = cmds.next().expect("load command") {
        match cmd.variant().expect("variant") {
            LoadCommandVariant::LinkeditData(l) if cmd.cmd() == macho::LC_CODE_SIGNATURE => {
                sig = Some((l.dataoff.get(e), l.datasize.get(e)));
            }
            LoadCommandVariant::Segment64(s, _) if &s.segname[..10] == b"__LINKEDIT" => {
                linkedit = Some((s.fileoff.get(e), s.filesize.get(e), s.vmsize.get(e)));
            }
            _ => {}
        }
    }
    (sig.expect("LC_CODE_SIGNATURE"), linkedit.expect("__LINKEDIT"))
}

/// The arm64 slice re-signed ad hoc with the `allow-jit` entitlement and the hardened runtime
/// (`vmkit_backends::codesign`): the linker's signature is checked first with the same reader
/// (its page hashes are lld's SHA-256, an independent reference), then ours: an embedded
/// signature (0xfade0cc0) whose CodeDirectory hashes every 4 KiB page of the file up to the
/// signature, an empty Requirements blob and an Entitlements blob with the key, both hashed
/// in their special slots; the load command and __LINKEDIT cover the new data exactly.
#[test]
fn arm64_slice_signed_with_the_allow_jit_entitlement() {
    let dir = universal2_bf().parent().expect("dir").to_path_buf();
    let linked = std::fs::read(dir.join("aarch64-apple-darwin/bf")).expect("arm64 slice");

    let lld = codesign::parse(&linked).expect("lld's signature");
    assert_eq!(lld.magic, codesign::CSMAGIC_EMBEDDED_SIGNATURE);
    lld.verify(&linked).expect("lld's page hashes");
    assert!(lld.blob(codesign::CSSLOT_ENTITLEMENTS).is_none(), "lld signs without entitlements");

    let mut data = linked.clone();
    let opts = codesign::SignOptions { identifier: "bf", entitlements: &[codesign::ALLOW_JIT], hardened_runtime: true };
    codesign::sign_bytes(&mut data, &opts).expect("sign");
    let out = dir.join("bf-arm64-allow-jit");
    std::fs::write(&out, &data).expect("write");

    let sig = codesign::parse(&data).expect("our signature");
    assert_eq!(sig.magic, 0xfade_0cc0);
    let slots: Vec<(u32, u32)> = sig.blobs.iter().map(|b| (b.0, b.1)).collect();
    assert_eq!(slots, vec![(0, 0xfade_0c02), (2, 0xfade_0c01), (5, 0xfade_7171)]);
    assert_eq!(sig.blob(2).expect("requirements"), &[0xfa, 0xde, 0x0c, 0x01, 0, 0, 0, 12, 0, 0, 0, 0]);
    let ent = sig.blob(5).expect("entitlements");
    let xml = std::str::from_utf8(&ent[8..]).expect("UTF-8 plist");
    assert!(xml.contains("<key>com.apple.security.cs.allow-jit</key>\n\t<true/>"), "{xml}");
    assert_eq!(sig.cd_flags, codesign::CS_ADHOC | codesign::CS_RUNTIME);
    assert_eq!(sig.cd_version, 0x20400);
    assert_eq!(sig.identifier, "bf");
    assert_eq!((sig.page_shift, sig.hash_type), (12, 2), "SHA-256 of 4 KiB pages");
    assert_eq!(sig.special.len(), 5);
    assert!(sig.special.iter().enumerate().all(|(i, h)| (i == 1 || i == 4) != (h.iter().all(|&b| b == 0))));
    sig.verify(&data).expect("our page and special-slot hashes");

    // The signature is the end of the file and of __LINKEDIT; the code up to it is unchanged
    // except for the two load commands that describe it.
    let ((dataoff, datasize), (fileoff, filesize, vmsize)) = signature_and_linkedit(&data);
    assert_eq!(sig.code_limit, dataoff as u64);
    assert_eq!(dataoff as usize + datasize as usize, data.len());
    assert_eq!(fileoff + filesize, data.len() as u64);
    assert!(vmsize >= filesize && vmsize % 0x4000 == 0);
    assert_eq!(dataoff % 16, 0);
    let (lld_sig, _) = signature_and_linkedit(&linked);
    assert_eq!(lld_sig.0, dataoff, "signature kept in place");
    let differing = linked[..dataoff as usize].iter().zip(&data[..dataoff as usize]).filter(|(a, b)| a != b).count();
    assert!(differing <= 20, "{differing} bytes changed before the signature");
    // __TEXT is the executable segment the CodeDirectory names.
    let file = object::File::parse(&*data).expect("still a valid Mach-O");
    let text = file.segments().find(|s| s.name().ok().flatten() == Some("__TEXT")).expect("__TEXT");
    let (base, limit, flags) = sig.exec_seg.expect("execSeg fields");
    assert_eq!((base, limit, flags), (text.file_range().0, text.file_range().1, 1));
    // Signing again (e.g. a second translation step) gives the same bytes.
    let mut again = data.clone();
    codesign::sign_bytes(&mut again, &opts).expect("re-sign");
    assert_eq!(again, data);
}

/// The headline command, `vmkit translate --target aarch64-apple-darwin interp-python`, from
/// this Linux host (done through the library the CLI calls): pyvm with its Rust front end
/// (Ruff's parser) as host code, the JIT and the FFI. A PIE for macOS 11 whose only dylib is
/// libSystem, ad-hoc signed, importing MAP_JIT's write-protection toggle and `dlopen`/`dlsym`.
#[test]
fn pyvm_for_arm64_macos() {
    let triple = "aarch64-apple-darwin";
    let src = vmkit_translator::source::find_root(&root().join("interp-python")).expect("pyvm's crate root");
    let out = root().join("target/vmkit-tests").join(triple);
    let spec = vmkit_translator::target::TargetSpec::load(triple).expect("spec");
    let t = vmkit_translator::driver::front_end(&src, &spec).unwrap_or_else(|e| panic!("{}", e.render()));
    let built = vmkit_backends::build::build_executable(&t, &src, &root(), &out.join("pyvm"), &out.join("pyvm.build"))
        .unwrap_or_else(|e| panic!("[{triple}] {e}"));
    let data = std::fs::read(&built.exe).expect("executable");
    let s = inspect(&data);
    assert_eq!(s.cputype, macho::CPU_TYPE_ARM64);
    assert_eq!(s.platform, macho::PLATFORM_MACOS);
    assert_eq!(s.minos, 11 << 16);
    assert_eq!(s.dylibs, vec!["/usr/lib/libSystem.B.dylib".to_string()]);
    assert!(s.undefined_outside_libsystem.is_empty(), "{:?}", s.undefined_outside_libsystem);
    assert!(s.code_signature);
    for sym in ["_pthread_jit_write_protect_np", "_dlopen", "_dlsym"] {
        assert!(s.imports.iter().any(|i| i == sym), "{sym} not imported");
    }
}
