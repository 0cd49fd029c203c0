//! The codewriter on the bf VM and on the DSL corpus: the policy (what is looked inside), the
//! effect information of call descriptors, and the well-formedness of the bytecode (it decodes
//! exactly; every branch, switch and call is preceded by a `-live-` marker).

use std::path::{Path, PathBuf};
use vmkit_jit_codewriter::dump::{disassemble, Decoded};
use vmkit_jit_codewriter::effects::{CallTarget, EffectLevel};
use vmkit_jit_codewriter::{make_jitcodes, JitProgram};
use vmkit_translator::target::TargetSpec;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

fn codewrite(src: &Path) -> (vmkit_translator::driver::Translation, JitProgram) {
    let spec = TargetSpec::load("x86_64-unknown-linux-gnu").expect("spec");
    let t = vmkit_translator::driver::front_end(src, &spec)
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let p = make_jitcodes(&t).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    (t, p)
}

fn decoded(p: &JitProgram, name: &str) -> Vec<Decoded> {
    let jc = p
        .jitcodes
        .iter()
        .find(|j| j.name == name)
        .unwrap_or_else(|| panic!("no jitcode {name}"));
    disassemble(p, jc).expect("decodes")
}

/// Every guard-able operation is preceded by `-live-`.
fn check_live_markers(p: &JitProgram) {
    for jc in &p.jitcodes {
        let ins = disassemble(p, jc).unwrap_or_else(|e| panic!("{e}"));
        for (i, d) in ins.iter().enumerate() {
            if matches!(
                d.name.as_str(),
                "goto_if_not" | "switch" | "residual_call" | "inline_call" | "jit_merge_point"
            ) {
                assert!(
                    i > 0 && ins[i - 1].name == "-live-",
                    "{}: `{}` at {} has no -live- marker",
                    jc.name,
                    d.name,
                    d.pc
                );
            }
        }
    }
}

#[test]
fn bf_portal_and_residual_bracket_lookup() {
    let (t, p) = codewrite(&root().join("examples/bf/src/lib.rs"));
    let portal = p.portal.expect("bf has a portal") as usize;
    assert_eq!(p.jitcodes[portal].name, "interpret");
    let ins = decoded(&p, "interpret");
    assert_eq!(
        ins.iter().filter(|d| d.name == "jit_merge_point").count(),
        1
    );
    assert!(
        ins.iter().any(|d| d.name == "loop_header"),
        "can_enter_jit! becomes loop_header"
    );
    // matching_bracket is #[elidable]: a residual call with an elidable effect level
    let mb = p
        .descrs
        .calls
        .iter()
        .find(|c| matches!(&c.target, CallTarget::Dsl { name, .. } if name == "matching_bracket"))
        .expect("a call descriptor for matching_bracket");
    assert!(
        matches!(
            mb.effect.level,
            EffectLevel::ElidableCannotRaise | EffectLevel::ElidableCanRaise
        ),
        "{:?}",
        mb.effect
    );
    assert!(
        !p.jitcodes.iter().any(|j| j.name == "matching_bracket"),
        "the JIT must not look inside an elidable function"
    );
    // output goes through a builtin with random effects
    assert!(p
        .descrs
        .builtins
        .iter()
        .any(|b| b.effect.level == EffectLevel::RandomEffects));
    // the tape is read and written through builtins on the GcArray
    let names: Vec<String> = p
        .descrs
        .builtins
        .iter()
        .map(|b| format!("{:?}", b.builtin))
        .collect();
    assert!(
        names.contains(&"ArrayGet".to_string()) && names.contains(&"ArraySet".to_string()),
        "{names:?}"
    );
    check_live_markers(&p);
    let _ = t;
}

#[test]
fn corpus_hints_drive_the_policy() {
    let (_, p) = codewrite(&root().join("tests/dsl/jit_hints.rs"));
    assert_eq!(
        p.jitcodes[p.portal.expect("portal") as usize].name,
        "interpret"
    );
    let looked_inside: Vec<&str> = p.jitcodes.iter().map(|j| j.name.as_str()).collect();
    assert!(
        looked_inside.contains(&"table_sum"),
        "#[unroll_safe] with a loop is looked inside: {looked_inside:?}"
    );
    for residual in ["weight", "checksum"] {
        assert!(
            !looked_inside.contains(&residual),
            "{residual} must be residual: {looked_inside:?}"
        );
    }
    let level = |n: &str| {
        p.descrs
            .calls
            .iter()
            .find(|c| matches!(&c.target, CallTarget::Dsl { name, .. } if name == n))
            .map(|c| c.effect.level)
    };
    assert!(matches!(
        level("weight"),
        Some(EffectLevel::ElidableCannotRaise | EffectLevel::ElidableCanRaise)
    ));
    assert_eq!(
        level("bonus_of"),
        None,
        "bonus_of is looked inside (no loop), so it has no call descriptor"
    );
    check_live_markers(&p);
}

#[test]
fn every_corpus_program_codewrites() {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(root().join("tests/dsl"))
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    entries.sort();
    let mut with_portal = 0;
    for e in entries {
        let (_, p) = codewrite(&e);
        if p.portal.is_some() {
            with_portal += 1;
        }
        check_live_markers(&p);
        let text = vmkit_jit_codewriter::dump::text(&p);
        assert!(!text.contains("cannot decode"), "{}", e.display());
        assert!(!vmkit_jit_codewriter::dump::ron(&p).starts_with("/*"));
    }
    assert!(
        with_portal >= 1,
        "the corpus has an interpreter with a JIT driver"
    );
}

/// The runtime's form of the bf program: the portal's merge point has the two greens first,
/// the serialized program reads back identically, every helper call names a helper that
/// exists, and container reads (which depend on mutable contents) are never elidable.
#[test]
fn bf_export_for_the_runtime() {
    use vmkit_jit_ir::jitcode::{Insn, Program};
    let (t, p) = codewrite(&root().join("examples/bf/src/lib.rs"));
    let e = vmkit_jit_codewriter::export::export(&t, &p).expect("export");
    let portal = e.program.portal.as_ref().expect("portal");
    assert_eq!(portal.ngreens, 2);
    assert_eq!(portal.kinds.len(), 4, "pc, program; tape, pos");
    assert!(
        portal.location.is_some(),
        "bf names a printable-location function"
    );
    let bytes = e.program.to_bytes();
    let back = Program::from_bytes(&bytes).expect("round trip");
    assert_eq!(back.jitcodes.len(), e.program.jitcodes.len());
    assert_eq!(
        format!("{:?}", back.jitcodes),
        format!("{:?}", e.program.jitcodes)
    );
    assert!(Program::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    for d in &e.program.calls {
        assert!((d.helper as usize) < e.helpers.len(), "{}", d.name);
        assert_eq!(
            d.args.len(),
            e.helpers[d.helper as usize].args.len(),
            "{}",
            d.name
        );
    }
    let by_name = |n: &str| e.program.calls.iter().find(|c| c.name == n);
    assert!(by_name("ArrayGet").is_some_and(|c| !c.effects.elidable));
    assert!(by_name("StrByteAt").is_some_and(|c| c.effects.elidable));
    assert!(e
        .program
        .calls
        .iter()
        .any(|c| c.name.ends_with("matching_bracket") && c.effects.elidable));
    let jc = &e.program.jitcodes[portal.jitcode as usize];
    let mps = jc
        .insns
        .iter()
        .filter(|i| matches!(i, Insn::JitMergePoint(..)))
        .count();
    assert_eq!(mps, 1);
    for (k, ins) in jc.insns.iter().enumerate() {
        if matches!(
            ins,
            Insn::GotoIfNot(..) | Insn::Switch(..) | Insn::JitMergePoint(..)
        ) {
            assert!(
                matches!(jc.insns[k - 1], Insn::Live(_)),
                "no liveness before {ins:?}"
            );
        }
    }
}
