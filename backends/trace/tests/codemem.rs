//! Code memory: never writable and executable at once; unmapped when the trace is dropped; the
//! policy of every target.

mod common;

use common::*;
use vmkit_jit_ir::ops::{BinOp, IntTy, Kind};
use vmkit_jit_ir::trace::{OpKind, Operand};
use vmkit_trace_backend::MemPolicy;

/// (start, end, perms) of every mapping of this process.
fn maps() -> Vec<(u64, u64, String)> {
    std::fs::read_to_string("/proc/self/maps")
        .expect("/proc/self/maps")
        .lines()
        .map(|l| {
            let mut f = l.split_whitespace();
            let range = f.next().unwrap();
            let perms = f.next().unwrap().to_string();
            let (a, b) = range.split_once('-').unwrap();
            let hex = |s| u64::from_str_radix(s, 16).unwrap();
            (hex(a), hex(b), perms)
        })
        .collect()
}

fn perms_at(addr: u64) -> Option<String> {
    maps()
        .into_iter()
        .find(|(a, b, _)| (*a..*b).contains(&addr))
        .map(|m| m.2)
}

#[test]
fn no_mapping_is_writable_and_executable() {
    let mut c = compiler();
    let e = env();
    let mut traces = Vec::new();
    for k in 0..20 {
        let mut b = B::new(&format!("t{k}"));
        let x = b.input(Kind::Int);
        let y = b.op1(
            OpKind::IntBin(BinOp::Mul, IntTy::I64),
            vec![v(x), Operand::Int(k)],
            Kind::Int,
        );
        traces.push(compile(&mut c, &b.exit(k as u32, vec![v(y)]), &e));
    }
    for (k, ct) in traces.iter().enumerate() {
        let mut frame = [3];
        assert_eq!(run(ct, &mut frame), k as u32);
        assert_eq!(frame[0], 3 * k as u64);
        let perms = perms_at(ct.entry as usize as u64).expect("code is mapped");
        assert!(perms.starts_with("r-x"), "{perms}");
    }
    let wx: Vec<_> = maps()
        .into_iter()
        .filter(|(_, _, p)| p.contains('w') && p.contains('x'))
        .collect();
    assert!(wx.is_empty(), "W+X mappings: {wx:x?}");
}

#[test]
fn dropping_a_trace_unmaps_its_code() {
    let mut b = B::new("drop");
    let x = b.input(Kind::Int);
    let t = b.exit(0, vec![v(x)]);
    let ct = compile(&mut compiler(), &t, &env());
    let addr = ct.entry as usize as u64;
    assert!(perms_at(addr).is_some());
    drop(ct);
    // Another thread may map something at the same address meanwhile; it would not be ours,
    // but then it would not be executable code either.
    assert!(
        !matches!(perms_at(addr), Some(p) if p.contains('x')),
        "still mapped executable"
    );
}

fn times_k(k: i64) -> vmkit_jit_ir::trace::Trace {
    let mut b = B::new(&format!("t{k}"));
    let x = b.input(Kind::Int);
    let y = b.op1(
        OpKind::IntBin(BinOp::Mul, IntTy::I64),
        vec![v(x), Operand::Int(k)],
        Kind::Int,
    );
    b.exit(k as u32, vec![v(y)])
}

/// Traces share code-memory chunks: more traces than fit in one chunk all run, dropping some
/// never unmaps the code of the others, and nothing is ever writable and executable.
#[test]
fn traces_share_chunks_and_outlive_each_other() {
    let mut c = compiler();
    let e = env();
    let mut traces: Vec<Option<_>> = (0..600)
        .map(|k| Some(compile(&mut c, &times_k(k), &e)))
        .collect();
    let check = |traces: &[Option<vmkit_trace_backend::CompiledTrace>]| {
        for (k, ct) in traces.iter().enumerate() {
            if let Some(ct) = ct {
                let mut frame = [5];
                assert_eq!(run(ct, &mut frame), k as u32);
                assert_eq!(frame[0], 5 * k as u64);
                let perms = perms_at(ct.tail_entry as u64).expect("code is mapped");
                assert!(perms.starts_with("r-x"), "{perms}");
            }
        }
    };
    check(&traces);
    // Drop every other trace, then the compiler: the rest still run.
    for t in traces.iter_mut().step_by(2) {
        *t = None;
    }
    drop(c);
    check(&traces);
    let wx: Vec<_> = maps()
        .into_iter()
        .filter(|(_, _, p)| p.contains('w') && p.contains('x'))
        .collect();
    assert!(wx.is_empty(), "W+X mappings: {wx:x?}");
}

/// The policy the runtime picks from a triple is the spec's `jit_memory`, for every target.
#[test]
fn policy_matches_every_target_spec() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../targets");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("targets/") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("spec");
        let field = |name: &str| -> String {
            text.lines()
                .find_map(|l| l.trim().strip_prefix(&format!("{name}:")))
                .unwrap_or_else(|| panic!("{}: no `{name}`", path.display()))
                .trim()
                .trim_end_matches(',')
                .trim_matches('"')
                .to_string()
        };
        let triple = field("triple");
        assert_eq!(
            format!("{:?}", MemPolicy::for_target(&triple)),
            field("jit_memory"),
            "{triple}"
        );
        seen += 1;
    }
    assert!(seen >= 4, "{seen} target specs");
}

/// Where there is no MAP_JIT (here), a compiler with that policy reports an error instead of
/// producing code; the runtime then turns the JIT off.
#[cfg(not(all(target_os = "macos", target_arch = "aarch64")))]
#[test]
fn map_jit_policy_is_an_error_off_apple_arm64() {
    let mut c = vmkit_trace_backend::TraceCompiler::new(HOST, MemPolicy::MapJit).expect("compiler");
    let e = c
        .compile(&times_k(2), &env(), None, false)
        .expect_err("no MAP_JIT here");
    assert!(e.contains("MAP_JIT"), "{e}");
}
