//! Object layouts: enum variants share payload slots of the same scalar type, so an enum (as a
//! GC object or flattened into another type) is as big as its largest variant per scalar type.

use vmkit_translator::driver::front_end;
use vmkit_translator::layout::ObjLayout;
use vmkit_translator::target::TargetSpec;

const PROGRAM: &str = r#"
use vmkit::{Gc, GcList, Str};

#[derive(Clone, Copy)]
enum Val {
    Nothing,
    Int(i64),
    Text(Str),
    Pair(i64, Str),
    Swapped(Str, i64),
    Three(Str, Str, Str),
}

enum Node {
    Leaf(i64),
    Pair(Gc<Node>, Gc<Node>),
    Labeled(Str, i64, Gc<Node>),
}

struct Holder {
    a: Val,
    b: Val,
}

#[derive(Clone, Copy)]
enum Scalar {
    Nil,
    Flag(bool),
    Byte(u8),
    Int(i64),
    Real(f64),
}

struct ScalarBox {
    s: Scalar,
}

#[vmkit::entry]
pub fn entry(_args: GcList<Str>) -> i64 {
    let h = Gc::new(Holder { a: Val::Int(1), b: Val::Three(Str::from("x"), Str::from("y"), Str::from("z")) });
    let n = Gc::new(Node::Labeled(Str::from("l"), 3, Gc::new(Node::Leaf(2))));
    let x = match h.a { Val::Pair(i, _) | Val::Swapped(_, i) | Val::Int(i) => i, _ => 0 };
    let y = match *n { Node::Labeled(_, i, _) => i, _ => 0 };
    let z = match h.b { Val::Three(_, _, s) => s.len() as i64, _ => 0 };
    let sb = Gc::new(ScalarBox { s: Scalar::Flag(true) });
    let w = match sb.s { Scalar::Flag(true) => 1, Scalar::Byte(b) => b as i64, Scalar::Int(i) => i, Scalar::Real(r) => r as i64, _ => 0 };
    x + y + z + w
}
"#;

fn layouts(test: &str) -> Vec<ObjLayout> {
    let dir = std::env::temp_dir().join(format!("vmkit-layout-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    let path = dir.join("layouts.rs");
    std::fs::write(&path, PROGRAM).expect("write program");
    let target = TargetSpec::load("x86_64-unknown-linux-gnu").expect("x86_64 target spec");
    let t = front_end(&path, &target).unwrap_or_else(|e| panic!("rejected:\n{}", e.render()));
    let _ = std::fs::remove_dir_all(&dir);
    t.ll.layouts
}

fn find<'a>(ls: &'a [ObjLayout], name: &str) -> &'a ObjLayout {
    ls.iter()
        .find(|l| l.name == name)
        .unwrap_or_else(|| panic!("no layout for {name}"))
}

#[test]
fn value_enum_fields_share_slots() {
    let ls = layouts("value");
    // Val flattens to tag + one i64 + three references (Three's), not 1 + 1+1+2+2+3 slots.
    let holder = find(&ls, "Holder");
    assert_eq!(holder.slots.len(), 2 * 5, "{holder:#?}");
    // tag u32 at 8, i64 at 16, 3 refs: 40 bytes per Val, 8-byte header.
    assert_eq!(holder.size, 8 + 2 * 40, "{holder:#?}");
    let offsets: Vec<u32> = holder.slots.iter().map(|s| s.offset).collect();
    let mut dedup = offsets.clone();
    dedup.dedup();
    assert_eq!(offsets, dedup, "slots must not overlap: {offsets:?}");
}

#[test]
fn value_enum_integers_and_bools_share_a_word() {
    let ls = layouts("scalar");
    // Scalar: tag, one 64-bit integer slot (bool, u8 and i64 payloads), one f64 slot.
    let b = find(&ls, "ScalarBox");
    assert_eq!(b.slots.len(), 3, "{b:#?}");
    assert_eq!(b.size, 8 + 8 + 8 + 8, "{b:#?}");
}

#[test]
fn gc_enum_variants_share_slots() {
    let ls = layouts("gc");
    let node = find(&ls, "Node");
    // tag, then i64 (Leaf.0 | Labeled.1), ref, ref (Pair / Labeled's Str and Gc<Node>).
    assert_eq!(node.slots.len(), 4, "{node:#?}");
    assert_eq!(node.size, 8 + 8 + 8 + 8 + 8, "{node:#?}");
    // Variant Labeled(Str, i64, Gc<Node>) stores its arguments in slots ref, i64, ref.
    let labeled = node.arg_slots(Some(2));
    assert_eq!(labeled.len(), 3);
    assert_eq!(
        labeled[1],
        node.arg_slots(Some(0))[0],
        "i64 slot shared with Leaf"
    );
    let pair = node.arg_slots(Some(1));
    assert_eq!(
        vec![labeled[0], labeled[2]],
        pair,
        "reference slots shared with Pair"
    );
    // Every variant's argument slots are distinct.
    for v in 0..3 {
        let mut s = node.arg_slots(Some(v));
        s.sort();
        s.dedup();
        assert_eq!(s.len(), node.arg_slots(Some(v)).len());
    }
}
