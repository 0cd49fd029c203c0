//! reject: GC enum variant built without `Gc::new`
// error: a variant of the GC enum `Tree` must be allocated
// at: 12:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

enum Tree {
    Leaf(i64),
    Node(Gc<Tree>, Gc<Tree>),
}

fn leaf() -> i64 {
    let t = Tree::Leaf(1);
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
