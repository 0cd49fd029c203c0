//! The `vmkit` command line: bad use gets usage help and status 2; `--hardened-runtime`
//! signs the arm64 macOS executable with the allow-jit entitlement and is refused elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command;

fn vmkit() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vmkit"));
    c.current_dir(root());
    c
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace")
}

#[test]
fn bad_use_prints_usage() {
    let out = vmkit().output().expect("run vmkit");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Usage: vmkit"),
        "{out:?}"
    );

    let out = vmkit()
        .args(["translate", "--bogus", "bf"])
        .output()
        .expect("run vmkit");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--bogus") && err.contains("Usage:"), "{err}");
}

#[test]
fn hardened_runtime_is_refused_off_arm64_macos() {
    let out = vmkit()
        .args(["translate", "--hardened-runtime", "--front-end-only", "bf"])
        .output()
        .expect("run vmkit");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--hardened-runtime applies to aarch64-apple-darwin"),
        "{err}"
    );
}

#[test]
fn hardened_runtime_signs_with_the_allow_jit_entitlement() {
    let exe = root().join("target/vmkit-tests/cli/bf-hardened");
    let out = vmkit()
        .args([
            "translate",
            "--target",
            "aarch64-apple-darwin",
            "--hardened-runtime",
            "-o",
        ])
        .arg(&exe)
        .arg("bf")
        .output()
        .expect("run vmkit");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let data = std::fs::read(&exe).expect("executable written");
    let sig = vmkit_backends::codesign::parse(&data).expect("a code signature");
    sig.verify(&data).expect("page hashes match");
    let ent = sig
        .blob(vmkit_backends::codesign::CSSLOT_ENTITLEMENTS)
        .expect("entitlements");
    assert!(String::from_utf8_lossy(ent).contains("com.apple.security.cs.allow-jit"));
    assert_eq!(
        sig.cd_flags & vmkit_backends::codesign::CS_RUNTIME,
        vmkit_backends::codesign::CS_RUNTIME
    );
}
