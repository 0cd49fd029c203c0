//! The disassembler: decodes a serialised `O`/`E` stream and prints every code object (header,
//! names, constants, and one line per instruction with its meaning).

use std::fmt::Write;

use crate::code::{CodeObject, Const};
use crate::opcode::{ArgKind, BinOp, CmpOp, Op};
use crate::serialize::{decode, Decoded};

/// Disassembles the output of [`crate::compile`]; an error stream is returned as its text.
pub fn disassemble(bytes: &[u8]) -> String {
    match decode(bytes) {
        Ok(Decoded::Ok(code)) => {
            let mut out = String::new();
            dis_code(&mut out, &code);
            out
        }
        Ok(Decoded::Err(text)) => text,
        Err(e) => format!("<undecodable stream: {}>\n", e.0),
    }
}

/// A Python-like repr of a constant.
pub fn const_repr(c: &Const) -> String {
    match c {
        Const::None => "None".into(),
        Const::Bool(true) => "True".into(),
        Const::Bool(false) => "False".into(),
        Const::Ellipsis => "Ellipsis".into(),
        Const::Int(i) => i.to_string(),
        Const::BigInt(s) => s.clone(),
        Const::Float(f) => crate::serialize::float_text(*f),
        Const::Str(s) => str_repr(s),
        Const::Bytes(b) => {
            let mut out = String::from("b'");
            for &x in b {
                match x {
                    b'\'' => out.push_str("\\'"),
                    b'\\' => out.push_str("\\\\"),
                    b'\n' => out.push_str("\\n"),
                    b'\t' => out.push_str("\\t"),
                    b'\r' => out.push_str("\\r"),
                    0x20..=0x7e => out.push(x as char),
                    _ => {
                        let _ = write!(out, "\\x{x:02x}");
                    }
                }
            }
            out.push('\'');
            out
        }
        Const::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(const_repr).collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
        Const::FrozenSet(items) => {
            let parts: Vec<String> = items.iter().map(const_repr).collect();
            format!("frozenset({{{}}})", parts.join(", "))
        }
        Const::Code(code) => format!("<code {}>", code.qualname),
    }
}

fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(quote);
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn flag_names(flags: i64) -> String {
    let mut v = Vec::new();
    for (bit, name) in [
        (0x01, "OPTIMIZED"),
        (0x04, "VARARGS"),
        (0x08, "VARKEYWORDS"),
        (0x20, "GENERATOR"),
        (0x100, "CLASS_BODY"),
    ] {
        if flags & bit != 0 {
            v.push(name);
        }
    }
    v.join("|")
}

/// What an instruction's argument means, for the comment column.
pub fn arg_meaning(code: &CodeObject, op: Op, arg: i64) -> String {
    let idx = arg as usize;
    let get = |v: &Vec<String>| {
        v.get(idx)
            .cloned()
            .unwrap_or_else(|| "<out of range>".into())
    };
    match op.arg_kind() {
        ArgKind::None => String::new(),
        ArgKind::Const => code
            .consts
            .get(idx)
            .map(const_repr)
            .unwrap_or_else(|| "<out of range>".into()),
        ArgKind::Local => get(&code.varnames),
        ArgKind::Name => get(&code.names),
        ArgKind::Cell => {
            let nc = code.cellvars.len();
            if idx < nc {
                format!("cell {}", code.cellvars[idx])
            } else {
                code.freevars
                    .get(idx - nc)
                    .map(|f| format!("free {f}"))
                    .unwrap_or_else(|| "<out of range>".into())
            }
        }
        ArgKind::Jump => format!("to {arg}"),
        ArgKind::BinOp => BinOp::ALL
            .get(idx)
            .map(|b| b.symbol().to_string())
            .unwrap_or_default(),
        ArgKind::Cmp => CmpOp::ALL
            .get(idx)
            .map(|b| b.symbol().to_string())
            .unwrap_or_default(),
        ArgKind::Number => match op {
            Op::IS_OP => {
                if arg == 1 {
                    "is not".into()
                } else {
                    "is".into()
                }
            }
            Op::CONTAINS_OP => {
                if arg == 1 {
                    "not in".into()
                } else {
                    "in".into()
                }
            }
            Op::UNPACK_EX => format!("{} before, {} after", arg & 0xff, arg >> 8),
            Op::FORMAT_VALUE => {
                let conv = ["", "str", "repr", "ascii"][(arg & 3) as usize];
                let spec = if arg & 4 != 0 { "with spec" } else { "" };
                [conv, spec]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            }
            Op::MAKE_FUNCTION => {
                let mut v = Vec::new();
                if arg & 1 != 0 {
                    v.push("defaults");
                }
                if arg & 2 != 0 {
                    v.push("kwdefaults");
                }
                if arg & 4 != 0 {
                    v.push("annotations");
                }
                if arg & 8 != 0 {
                    v.push("closure");
                }
                v.join(", ")
            }
            _ => String::new(),
        },
    }
}

fn list(out: &mut String, label: &str, items: &[String]) {
    if !items.is_empty() {
        let _ = writeln!(out, "  {label}: {}", items.join(", "));
    }
}

fn dis_code(out: &mut String, code: &CodeObject) {
    let _ = writeln!(
        out,
        "code {} (qualname {}, file {:?}, line {})",
        code.name, code.qualname, code.filename, code.firstlineno
    );
    let header = format!(
        "  args {} posonly {} kwonly {}  flags 0x{:x} {}",
        code.argcount,
        code.posonlyargcount,
        code.kwonlyargcount,
        code.flags,
        flag_names(code.flags)
    );
    let _ = writeln!(out, "{}", header.trim_end());
    list(out, "varnames", &code.varnames);
    list(out, "cellvars", &code.cellvars);
    if code.cell2arg.iter().any(|c| *c >= 0) {
        let v: Vec<String> = code.cell2arg.iter().map(|c| c.to_string()).collect();
        list(out, "cell2arg", &v);
    }
    list(out, "freevars", &code.freevars);
    list(out, "names", &code.names);
    if !code.consts.is_empty() {
        let _ = writeln!(out, "  consts:");
        for (i, c) in code.consts.iter().enumerate() {
            let _ = writeln!(out, "    {i:>3}: {}", const_repr(c));
        }
    }
    let targets: std::collections::HashSet<i64> = code
        .instrs
        .iter()
        .filter(|i| i.op.arg_kind() == ArgKind::Jump)
        .map(|i| i.arg)
        .collect();
    let mut last_line = 0;
    for (i, ins) in code.instrs.iter().enumerate() {
        let line = if ins.line != last_line {
            ins.line.to_string()
        } else {
            String::new()
        };
        last_line = ins.line;
        let mark = if targets.contains(&(i as i64)) {
            ">>"
        } else {
            "  "
        };
        let meaning = arg_meaning(code, ins.op, ins.arg);
        let arg = if ins.op.arg_kind() == ArgKind::None {
            String::new()
        } else {
            ins.arg.to_string()
        };
        let mut row = format!("{line:>5} {mark}{i:>4}  {:<22} {arg:>4}", ins.op.name());
        if !meaning.is_empty() {
            let _ = write!(row, "  ({meaning})");
        }
        let _ = writeln!(out, "{}", row.trim_end());
    }
    for c in &code.consts {
        if let Const::Code(inner) = c {
            out.push('\n');
            dis_code(out, inner);
        }
    }
}
