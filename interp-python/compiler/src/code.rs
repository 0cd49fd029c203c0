//! The compiler's output model: code objects and constants, exactly the fields that
//! `docs/bytecode.md` serialises.

use crate::opcode::Op;

/// A constant of a code object.
#[derive(Clone, Debug)]
pub enum Const {
    None,
    Bool(bool),
    Ellipsis,
    /// An int that fits in i64.
    Int(i64),
    /// Any other int, as decimal digits with an optional leading `-`.
    BigInt(String),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Const>),
    FrozenSet(Vec<Const>),
    Code(Box<CodeObject>),
}

impl Const {
    /// Identity for de-duplication in a code object's constant table: equal keys are
    /// interchangeable constants (so `1`, `1.0`, `True` and `0.0`/`-0.0` stay apart).
    pub fn key(&self) -> Option<String> {
        Some(match self {
            Const::None => "N".into(),
            Const::Bool(b) => format!("B{b}"),
            Const::Ellipsis => "E".into(),
            Const::Int(i) => format!("i{i}"),
            Const::BigInt(s) => format!("I{s}"),
            Const::Float(f) => format!("f{}", f.to_bits()),
            Const::Str(s) => format!("s{}:{s}", s.len()),
            Const::Bytes(b) => format!("b{}:{b:?}", b.len()),
            Const::Tuple(items) => {
                let mut k = format!("t{}(", items.len());
                for it in items {
                    k.push_str(&it.key()?);
                    k.push(',');
                }
                k.push(')');
                k
            }
            Const::FrozenSet(_) | Const::Code(_) => return None,
        })
    }
}

/// One instruction: opcode, argument, source line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instr {
    pub op: Op,
    pub arg: i64,
    pub line: u32,
}

/// A code object (module body, function, lambda, class body or comprehension).
#[derive(Clone, Debug, Default)]
pub struct CodeObject {
    pub name: String,
    pub qualname: String,
    pub filename: String,
    pub firstlineno: u32,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub flags: i64,
    pub varnames: Vec<String>,
    pub cellvars: Vec<String>,
    pub freevars: Vec<String>,
    pub names: Vec<String>,
    /// For each cellvar: index in varnames of the argument that initialises it, or -1.
    pub cell2arg: Vec<i64>,
    pub consts: Vec<Const>,
    pub instrs: Vec<Instr>,
}
