//! Text printers for flow graphs (both levels), in a Cranelift-like syntax:
//!
//! ```text
//! fn bf::step(v0: Gc<Program>, v1: usize) -> usize {
//! block0(v0: Gc<Program>, v1: usize):
//!     v2 = const 1_i64
//!     v3 = binary.add v1, v2
//!     return v3
//! }
//! ```

use crate::flow::*;
use crate::program::Program;
use crate::thir::{BinOp, Lit, UnOp, VariantRef};
use std::fmt::Write;

fn var(g_names: &[Option<String>], v: Var) -> String {
    match &g_names[v.0 as usize] {
        Some(n) => format!("v{}", v.0).to_string() + &format!("/*{n}*/"),
        None => format!("v{}", v.0),
    }
}

fn vars(vs: &[Var]) -> String {
    vs.iter()
        .map(|v| format!("v{}", v.0))
        .collect::<Vec<_>>()
        .join(", ")
}

fn link(l: &Link) -> String {
    format!("block{}({})", l.target.0, vars(&l.args))
}

fn exit(e: &Exit) -> String {
    match e {
        Exit::Goto(l) => format!("jump {}", link(l)),
        Exit::If { cond, then, els } => format!("brif v{}, {}, {}", cond.0, link(then), link(els)),
        Exit::Switch {
            value,
            cases,
            default,
        } => {
            let cs: Vec<String> = cases
                .iter()
                .map(|(k, l)| format!("{k} => {}", link(l)))
                .collect();
            format!(
                "switch v{} [{}], default {}",
                value.0,
                cs.join(", "),
                link(default)
            )
        }
        Exit::Return(vs) => format!("return {}", vars(vs)),
        Exit::Fatal(m) => format!("fatal {m:?}"),
    }
}

fn variant(prog: &Program, vr: &VariantRef) -> String {
    match vr {
        VariantRef::Adt(a, i) => {
            let adt = prog.adt(*a);
            format!(
                "{}::{}",
                adt.name,
                adt.variants()
                    .get(*i as usize)
                    .map(|v| v.name.as_str())
                    .unwrap_or("?")
            )
        }
        other => format!("{other:?}"),
    }
}

fn lit(l: &Lit) -> String {
    match l {
        Lit::Int(v, t) => format!("{v}_{}", t.name()),
        Lit::Float(f) => format!("{f:?}"),
        Lit::Bool(b) => b.to_string(),
        Lit::Unit => "()".into(),
        Lit::Str(s) => format!("{:?}", String::from_utf8_lossy(s)),
    }
}

fn binop(op: &BinOp) -> &'static str {
    op.name()
}

pub fn hl_op(prog: &Program, op: &HlOp) -> String {
    match op {
        HlOp::Const(l) => format!("const {}", lit(l)),
        HlOp::Copy => "copy".into(),
        HlOp::Unary(UnOp::Neg) => "neg".into(),
        HlOp::Unary(UnOp::Not) => "not".into(),
        HlOp::Binary(b) => format!("binary.{}", binop(b)),
        HlOp::Cast => "cast".into(),
        HlOp::Call(f) => format!("call {}", prog.func(*f).path),
        HlOp::Host(f) => format!("call_host {}", prog.func(*f).name),
        HlOp::Builtin(b) => format!("builtin.{b:?}"),
        HlOp::Tuple => "tuple".into(),
        HlOp::Struct(a) => format!("struct {}", prog.adt(*a).name),
        HlOp::Variant(vr) => format!("variant {}", variant(prog, vr)),
        HlOp::GcNew(a, None) => format!("gc_new {}", prog.adt(*a).name),
        HlOp::GcNew(a, Some(v)) => format!("gc_new {}", variant(prog, &VariantRef::Adt(*a, *v))),
        HlOp::Field(i) => format!("field .{i}"),
        HlOp::GcField(a, i) => format!(
            "gc_getfield {}.{}",
            prog.adt(*a).name,
            prog.adt(*a).fields()[*i as usize].name
        ),
        HlOp::GcSetField(a, i) => format!(
            "gc_setfield {}.{}",
            prog.adt(*a).name,
            prog.adt(*a).fields()[*i as usize].name
        ),
        HlOp::Tag => "tag".into(),
        HlOp::VariantField(vr, i) => format!("variant_field {}.{i}", variant(prog, vr)),
        HlOp::JitMergePoint(d) => {
            format!("jit_merge_point {}", prog.drivers[d.0 as usize].static_name)
        }
        HlOp::CanEnterJit(d) => format!("can_enter_jit {}", prog.drivers[d.0 as usize].static_name),
    }
}

pub fn ll_op(names: &[String], op: &LlOp) -> String {
    match op {
        LlOp::Const(c) => match c {
            LlConst::Int(v, t) => format!("iconst.{} {v}", t.name()),
            LlConst::F64(f) => format!("fconst {f:?}"),
            LlConst::Bool(b) => format!("bconst {b}"),
            LlConst::Null => "null".into(),
            LlConst::Str(s) => format!("strconst {:?}", String::from_utf8_lossy(s)),
        },
        LlOp::Copy => "copy".into(),
        LlOp::IntBin(b, t) => format!("int_{}.{}", binop(b), t.name()),
        LlOp::IntCmp(b, t) => format!("int_{}.{}", binop(b), t.name()),
        LlOp::IntOvf(b, t) => format!("int_{}_ovf.{}", binop(b), t.name()),
        LlOp::IntNeg(t) => format!("int_neg.{}", t.name()),
        LlOp::IntNot(t) => format!("int_not.{}", t.name()),
        LlOp::BoolBin(b) => format!("bool_{}", binop(b)),
        LlOp::BoolNot => "bool_not".into(),
        LlOp::FloatBin(b) => format!("float_{}", binop(b)),
        LlOp::FloatCmp(b) => format!("float_{}", binop(b)),
        LlOp::FloatNeg => "float_neg".into(),
        LlOp::Cast => "cast".into(),
        LlOp::Call(f) => format!("call {}", names[f.0 as usize]),
        LlOp::Host(f) => format!("call_host {}", names[f.0 as usize]),
        LlOp::New(a, v) => format!(
            "new #{}{}",
            a.0,
            v.map(|v| format!(" variant {v}")).unwrap_or_default()
        ),
        LlOp::GetField(d) => format!(
            "getfield #{}.slot{} @{}{}",
            d.adt.0,
            d.slot,
            d.offset,
            if d.immutable { " immut" } else { "" }
        ),
        LlOp::SetField(d) => format!("setfield #{}.slot{} @{}", d.adt.0, d.slot, d.offset),
        LlOp::PtrEq => "ptr_eq".into(),
        LlOp::PtrIsNull => "ptr_is_null".into(),
        LlOp::Builtin(b, k) => format!(
            "builtin.{b:?}{}",
            k.map(|k| format!(" key={k:?}")).unwrap_or_default()
        ),
        LlOp::NewContainer(b, info) => format!(
            "builtin.{b:?} elem={:?}{}",
            info.elem,
            if info.value.is_empty() {
                String::new()
            } else {
                format!(" value={:?}", info.value)
            }
        ),
        LlOp::JitMergePoint(d) => format!("jit_merge_point #{}", d.0),
        LlOp::CanEnterJit(d) => format!("can_enter_jit #{}", d.0),
    }
}

/// Prints a graph with `ty` and `op` formatters.
pub fn graph<T: Clone, Op>(
    g: &Graph<T, Op>,
    ty: &dyn Fn(&T) -> String,
    op: &dyn Fn(&Op) -> String,
) -> String {
    let mut s = String::new();
    let params: Vec<String> = g
        .blocks
        .first()
        .map(|b| {
            b.params
                .iter()
                .map(|p| format!("{}: {}", var(&g.var_names, *p), ty(g.ty(*p))))
                .collect()
        })
        .unwrap_or_default();
    let rets: Vec<String> = g.ret.iter().map(ty).collect();
    let _ = writeln!(
        s,
        "fn {}({}) -> ({}) {{",
        g.name,
        params.join(", "),
        rets.join(", ")
    );
    for (i, b) in g.blocks.iter().enumerate() {
        let ps: Vec<String> = b
            .params
            .iter()
            .map(|p| format!("{}: {}", var(&g.var_names, *p), ty(g.ty(*p))))
            .collect();
        let _ = writeln!(s, "block{i}({}):", ps.join(", "));
        for ins in &b.ops {
            let lhs = if ins.results.is_empty() {
                String::new()
            } else {
                let rs: Vec<String> = ins
                    .results
                    .iter()
                    .map(|r| format!("{}: {}", var(&g.var_names, *r), ty(g.ty(*r))))
                    .collect();
                format!("{} = ", rs.join(", "))
            };
            let _ = writeln!(s, "    {lhs}{} {}", op(&ins.op), vars(&ins.args));
        }
        let _ = writeln!(s, "    {}", exit(&b.exit));
    }
    s.push_str("}\n");
    s
}

pub fn hl_graph(prog: &Program, g: &HlGraph) -> String {
    graph(g, &|t| prog.ty_str(t), &|o| hl_op(prog, o))
}

pub fn ll_graph(names: &[String], g: &LlGraph) -> String {
    graph(
        g,
        &|t| {
            format!("{t:?}")
                .to_lowercase()
                .replace("int(", "")
                .replace(')', "")
        },
        &|o| ll_op(names, o),
    )
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('{', "\\{")
        .replace('}', "\\}")
        .replace('<', "\\<")
        .replace('>', "\\>")
        .replace('|', "\\|")
}

/// Graphviz dot: one record node per block, edges labelled with the branch.
pub fn dot<T: Clone, Op>(
    g: &Graph<T, Op>,
    ty: &dyn Fn(&T) -> String,
    op: &dyn Fn(&Op) -> String,
) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "digraph \"{}\" {{", dot_escape(&g.name));
    let _ = writeln!(
        s,
        "  node [shape=record, fontname=\"monospace\", fontsize=10];"
    );
    let _ = writeln!(s, "  label=\"{}\";", dot_escape(&g.name));
    for (i, b) in g.blocks.iter().enumerate() {
        let ps: Vec<String> = b
            .params
            .iter()
            .map(|p| format!("v{}: {}", p.0, ty(g.ty(*p))))
            .collect();
        let mut lines = vec![format!("block{i}({})", ps.join(", "))];
        for ins in &b.ops {
            let lhs = if ins.results.is_empty() {
                String::new()
            } else {
                format!("{} = ", vars(&ins.results))
            };
            lines.push(format!("{lhs}{} {}", op(&ins.op), vars(&ins.args)));
        }
        lines.push(exit(&b.exit));
        let body: Vec<String> = lines.iter().map(|l| dot_escape(l)).collect();
        let _ = writeln!(s, "  b{i} [label=\"{{{}\\l}}\"];", body.join("\\l"));
        match &b.exit {
            Exit::Goto(l) => {
                let _ = writeln!(s, "  b{i} -> b{};", l.target.0);
            }
            Exit::If { then, els, .. } => {
                let _ = writeln!(s, "  b{i} -> b{} [label=\"true\"];", then.target.0);
                let _ = writeln!(s, "  b{i} -> b{} [label=\"false\"];", els.target.0);
            }
            Exit::Switch { cases, default, .. } => {
                for (k, l) in cases {
                    let _ = writeln!(s, "  b{i} -> b{} [label=\"{k}\"];", l.target.0);
                }
                let _ = writeln!(s, "  b{i} -> b{} [label=\"default\"];", default.target.0);
            }
            _ => {}
        }
    }
    s.push_str("}\n");
    s
}
