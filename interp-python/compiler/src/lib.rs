//! pyvm's front end: compiles Python 3.11 source (parsed by Ruff) into the code objects of
//! `interp-python/docs/bytecode.md` and serialises them for the interpreter.
//!
//! Pipeline: [`parse`](ruff_python_parser) → [`symtable`] (scope analysis) → [`codegen`] with
//! [`expr`] and [`pattern`] (+ [`fold`] for constants) → [`serialize`]. Errors become CPython's
//! text through [`errors`]. [`dis`] prints the result; [`stackcheck`] verifies it.

pub mod code;
pub mod codegen;
pub mod dis;
pub mod errors;
pub mod expr;
pub mod fold;
pub mod opcode;
pub mod pattern;
pub mod serialize;
pub mod stackcheck;
pub mod symtable;

use ruff_python_ast::{Mod, PythonVersion};
use ruff_python_parser::{Mode, ParseOptions};
use ruff_text_size::Ranged;

use crate::code::CodeObject;
use crate::errors::CompileError;

/// Compiles a module; see `interp-python/docs/bytecode.md` for the result's format
/// (`O` + code object, or `E` + the error text CPython would print).
pub fn compile(filename: &str, source: &str, module_name: &str) -> Vec<u8> {
    let run = std::panic::catch_unwind(|| compile_code(filename, source, module_name));
    match run {
        Ok(Ok(code)) => {
            let mut out = vec![b'O'];
            serialize::write_code(&mut out, &code);
            out
        }
        Ok(Err(e)) => {
            let mut out = vec![b'E'];
            out.extend_from_slice(e.render(filename, source).as_bytes());
            out
        }
        Err(_) => {
            let mut out = vec![b'E'];
            out.extend_from_slice(
                format!("  File \"{filename}\", line 1\nSyntaxError: internal error in the pyvm compiler\n")
                    .as_bytes(),
            );
            out
        }
    }
}

/// Parses, analyses and compiles a module into its code object.
pub fn compile_code(
    filename: &str,
    source: &str,
    _module_name: &str,
) -> Result<CodeObject, CompileError> {
    let options = ParseOptions::from(Mode::Module).with_target_version(PythonVersion::PY311);
    let parsed = ruff_python_parser::parse_unchecked(source, options);
    if std::env::var_os("PYVM_DEBUG_PARSE").is_some() {
        eprintln!("{:?}", parsed.errors());
    }
    let first = parsed.errors().iter().min_by_key(|e| e.location.start());
    if let Some(err) = first {
        return Err(errors::from_parse_error(source, err, parsed.syntax()));
    }
    if let Some(e) = errors::eof_bracket_error(source) {
        return Err(e);
    }
    if let Some(u) = parsed
        .unsupported_syntax_errors()
        .iter()
        .min_by_key(|e| e.range.start())
    {
        let (s, e) = codegen::span(u.range());
        return Err(CompileError::syntax("invalid syntax", s, e));
    }
    let Mod::Module(module) = parsed.syntax() else {
        return Err(CompileError::syntax("invalid syntax", 0, 0));
    };
    let table = symtable::build(&module.body)?;
    let mut c = codegen::Compiler::new(source, filename, table);
    c.compile_module(&module.body)
}

pub use dis::disassemble;
