//! Behaviour only translated programs have: native stack exhaustion is reported as
//! `fatal error: stack overflow` (status 101) after flushing output, on x86-64 and aarch64.

use std::path::{Path, PathBuf};
use std::process::Command;
use vmkit_translator::target::TargetSpec;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf()
}

#[test]
fn deep_recursion_is_a_fatal_error() {
    let src = root().join("tests/native/deep_recursion.rs");
    for triple in ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"] {
        let spec = TargetSpec::load(triple).expect("spec");
        let t = vmkit_translator::driver::front_end(&src, &spec).unwrap_or_else(|e| panic!("{}", e.render()));
        let out = root().join("target/vmkit-tests").join(triple).join("native");
        let exe =
            vmkit_backends::build::build_executable(&t, &src, &root(), &out.join("deep"), &out.join("deep.build"))
                .expect("build")
                .exe;
        let mut cmd = if triple.starts_with("aarch64") {
            let mut c = Command::new("qemu-aarch64");
            c.arg("-L").arg("/usr/aarch64-linux-gnu").arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        // 1000 frames are fine; 10^8 exceed any stack.
        let ok = cmd.arg("1000").output().expect("run");
        assert_eq!(String::from_utf8_lossy(&ok.stdout), "start\n1000", "[{triple}]");
        let mut cmd = if triple.starts_with("aarch64") {
            let mut c = Command::new("qemu-aarch64");
            c.arg("-L").arg("/usr/aarch64-linux-gnu").arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        let o = cmd.arg("100000000").output().expect("run");
        assert_eq!(o.status.code(), Some(101), "[{triple}] stderr: {}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(String::from_utf8_lossy(&o.stdout), "start\n", "[{triple}] output is flushed");
        assert!(String::from_utf8_lossy(&o.stderr).contains("fatal error: stack overflow"), "[{triple}]");
    }
}
