//! The byte serialisation of code objects (`docs/bytecode.md`, "Serialisation"), both ways:
//! the compiler writes it, the disassembler and the tests read it back.

use crate::code::{CodeObject, Const, Instr};
use crate::opcode::Op;

/// Appends the serialisation of `code` (without any tag) to `out`.
pub fn write_code(out: &mut Vec<u8>, code: &CodeObject) {
    write_str(out, &code.name);
    write_str(out, &code.qualname);
    write_str(out, &code.filename);
    write_int(out, code.firstlineno as i64);
    write_int(out, code.argcount as i64);
    write_int(out, code.posonlyargcount as i64);
    write_int(out, code.kwonlyargcount as i64);
    write_int(out, code.flags);
    for list in [&code.varnames, &code.cellvars, &code.freevars, &code.names] {
        write_int(out, list.len() as i64);
        for s in list.iter() {
            write_str(out, s);
        }
    }
    write_int(out, code.cell2arg.len() as i64);
    for &c in &code.cell2arg {
        write_int(out, c);
    }
    write_int(out, code.consts.len() as i64);
    for c in &code.consts {
        write_const(out, c);
    }
    write_int(out, code.instrs.len() as i64);
    for i in &code.instrs {
        write_int(out, i.op as i64);
        write_int(out, i.arg);
        write_int(out, i.line as i64);
    }
}

fn write_int(out: &mut Vec<u8>, n: i64) {
    out.extend_from_slice(n.to_string().as_bytes());
    out.push(b';');
}

fn write_bytes(out: &mut Vec<u8>, b: &[u8]) {
    write_int(out, b.len() as i64);
    out.extend_from_slice(b);
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    write_bytes(out, s.as_bytes());
}

/// Rust's `{:?}` of an f64, as the contract requires ("1.0", "inf", "NaN", "1e300").
pub fn float_text(f: f64) -> String {
    format!("{f:?}")
}

fn write_const(out: &mut Vec<u8>, c: &Const) {
    match c {
        Const::None => out.push(b'N'),
        Const::Bool(true) => out.push(b'T'),
        Const::Bool(false) => out.push(b'F'),
        Const::Ellipsis => out.push(b'E'),
        Const::Int(i) => {
            out.push(b'i');
            write_int(out, *i);
        }
        Const::BigInt(s) => {
            out.push(b'I');
            write_str(out, s);
        }
        Const::Float(f) => {
            out.push(b'f');
            write_str(out, &float_text(*f));
        }
        Const::Str(s) => {
            out.push(b's');
            write_str(out, s);
        }
        Const::Bytes(b) => {
            out.push(b'b');
            write_bytes(out, b);
        }
        Const::Tuple(items) | Const::FrozenSet(items) => {
            out.push(if matches!(c, Const::Tuple(_)) {
                b't'
            } else {
                b'z'
            });
            write_int(out, items.len() as i64);
            for it in items {
                write_const(out, it);
            }
        }
        Const::Code(code) => {
            out.push(b'C');
            write_code(out, code);
        }
    }
}

/// A reader over a serialised stream.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// A decoding failure: what was wrong and where.
#[derive(Debug)]
pub struct DecodeError(pub String);

type R<T> = Result<T, DecodeError>;

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn err<T>(&self, what: &str) -> R<T> {
        Err(DecodeError(format!("{what} at byte {}", self.pos)))
    }

    pub fn byte(&mut self) -> R<u8> {
        match self.bytes.get(self.pos) {
            Some(b) => {
                self.pos += 1;
                Ok(*b)
            }
            None => self.err("unexpected end"),
        }
    }

    pub fn int(&mut self) -> R<i64> {
        let start = self.pos;
        while self.pos < self.bytes.len() && self.bytes[self.pos] != b';' {
            self.pos += 1;
        }
        if self.pos >= self.bytes.len() {
            return self.err("unterminated int");
        }
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).unwrap_or("?");
        self.pos += 1;
        let ok = !text.is_empty()
            && text
                .strip_prefix('-')
                .unwrap_or(text)
                .bytes()
                .all(|b| b.is_ascii_digit())
            && text != "-";
        match (ok, text.parse::<i64>()) {
            (true, Ok(n)) => Ok(n),
            _ => Err(DecodeError(format!("bad int {text:?} at byte {start}"))),
        }
    }

    fn count(&mut self) -> R<usize> {
        let n = self.int()?;
        if n < 0 || n as usize > self.bytes.len() - self.pos.min(self.bytes.len()) + 1_000_000 {
            return self.err("bad count");
        }
        Ok(n as usize)
    }

    fn raw(&mut self) -> R<Vec<u8>> {
        let n = self.count()?;
        if self.pos + n > self.bytes.len() {
            return self.err("string past the end");
        }
        let v = self.bytes[self.pos..self.pos + n].to_vec();
        self.pos += n;
        Ok(v)
    }

    fn string(&mut self) -> R<String> {
        let raw = self.raw()?;
        String::from_utf8(raw)
            .map_err(|_| DecodeError(format!("invalid UTF-8 before {}", self.pos)))
    }

    fn strings(&mut self) -> R<Vec<String>> {
        let n = self.count()?;
        (0..n).map(|_| self.string()).collect()
    }

    pub fn constant(&mut self) -> R<Const> {
        Ok(match self.byte()? {
            b'N' => Const::None,
            b'T' => Const::Bool(true),
            b'F' => Const::Bool(false),
            b'E' => Const::Ellipsis,
            b'i' => Const::Int(self.int()?),
            b'I' => Const::BigInt(self.string()?),
            b'f' => {
                let s = self.string()?;
                match s.parse::<f64>() {
                    Ok(f) => Const::Float(f),
                    Err(_) => return self.err("bad float"),
                }
            }
            b's' => Const::Str(self.string()?),
            b'b' => Const::Bytes(self.raw()?),
            t @ (b't' | b'z') => {
                let n = self.count()?;
                let items = (0..n).map(|_| self.constant()).collect::<R<Vec<_>>>()?;
                if t == b't' {
                    Const::Tuple(items)
                } else {
                    Const::FrozenSet(items)
                }
            }
            b'C' => Const::Code(Box::new(self.code()?)),
            other => return self.err(&format!("unknown constant tag {:?}", other as char)),
        })
    }

    pub fn code(&mut self) -> R<CodeObject> {
        let name = self.string()?;
        let qualname = self.string()?;
        let filename = self.string()?;
        let firstlineno = self.int()? as u32;
        let argcount = self.int()? as u32;
        let posonlyargcount = self.int()? as u32;
        let kwonlyargcount = self.int()? as u32;
        let flags = self.int()?;
        let varnames = self.strings()?;
        let cellvars = self.strings()?;
        let freevars = self.strings()?;
        let names = self.strings()?;
        let ncell = self.count()?;
        let cell2arg = (0..ncell).map(|_| self.int()).collect::<R<Vec<_>>>()?;
        let nconsts = self.count()?;
        let consts = (0..nconsts)
            .map(|_| self.constant())
            .collect::<R<Vec<_>>>()?;
        let ninsns = self.count()?;
        let mut instrs = Vec::with_capacity(ninsns);
        for _ in 0..ninsns {
            let opn = self.int()?;
            let Some(op) = Op::from_number(opn) else {
                return self.err(&format!("unknown opcode {opn}"));
            };
            let arg = self.int()?;
            let line = self.int()? as u32;
            instrs.push(Instr { op, arg, line });
        }
        Ok(CodeObject {
            name,
            qualname,
            filename,
            firstlineno,
            argcount,
            posonlyargcount,
            kwonlyargcount,
            flags,
            varnames,
            cellvars,
            freevars,
            names,
            cell2arg,
            consts,
            instrs,
        })
    }
}

/// The decoded result of `compile`.
#[derive(Debug)]
pub enum Decoded {
    Ok(Box<CodeObject>),
    Err(String),
}

/// Decodes a complete `O...`/`E...` stream.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    match bytes.first() {
        Some(b'O') => {
            let mut r = Reader::new(&bytes[1..]);
            let code = r.code()?;
            if !r.at_end() {
                return Err(DecodeError("trailing bytes after the module code".into()));
            }
            Ok(Decoded::Ok(Box::new(code)))
        }
        Some(b'E') => Ok(Decoded::Err(
            String::from_utf8_lossy(&bytes[1..]).into_owned(),
        )),
        _ => Err(DecodeError("stream does not start with O or E".into())),
    }
}
