//! Every corpus program and the bf VM compile to an object file for every Linux and Apple target
//! (Cranelift's verifier runs on each function), and the object has the format the target spec
//! names.

use std::path::{Path, PathBuf};
use vmkit_translator::target::TargetSpec;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

fn programs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("tests/dsl"))
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    v.sort();
    v.push(root().join("examples/bf/src/lib.rs"));
    v
}

#[test]
fn everything_compiles_for_every_target() {
    let mut failures = Vec::new();
    for triple in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "aarch64-apple-darwin",
        "x86_64-apple-darwin",
    ] {
        let spec = TargetSpec::load(triple).expect("spec");
        for p in programs() {
            let t = match vmkit_translator::driver::front_end(&p, &spec) {
                Ok(t) => t,
                Err(e) => panic!("{}: {}", p.display(), e.render()),
            };
            match vmkit_backends::aot::compile(&t.ll, None) {
                Ok(out) => {
                    let magic_ok = match spec.object_format {
                        vmkit_translator::target::ObjectFormat::Elf => {
                            out.object.starts_with(b"\x7fELF")
                        }
                        vmkit_translator::target::ObjectFormat::MachO => {
                            out.object.starts_with(&[0xcf, 0xfa, 0xed, 0xfe])
                        }
                        vmkit_translator::target::ObjectFormat::Coff => true,
                    };
                    if !magic_ok {
                        failures.push(format!("{} [{triple}]: wrong object format", p.display()));
                    }
                    assert!(!out.clif.is_empty());
                }
                Err(e) => failures.push(format!("{} [{triple}]: {e}", p.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
