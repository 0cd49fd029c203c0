//! Loading an interpreter's sources: the crate root (`src/lib.rs` of a crate directory, or a
//! single `.rs` file) and every `mod name;` it declares, parsed with syn. Keeps the text of each
//! file for diagnostics.

use crate::diag::Diagnostic;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct FileId(pub u32);

pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<u32>,
}

/// All files of one interpreter.
#[derive(Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let mut line_starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        self.files.push(SourceFile {
            path,
            text,
            line_starts,
        });
        FileId(self.files.len() as u32 - 1)
    }
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }
    pub fn path(&self, f: FileId) -> &Path {
        &self.files[f.0 as usize].path
    }
    pub fn text(&self, f: FileId) -> &str {
        &self.files[f.0 as usize].text
    }
    /// Byte offset of a (1-based line, 0-based char column) position.
    pub fn offset(&self, f: FileId, line: usize, column: usize) -> u32 {
        let file = &self.files[f.0 as usize];
        if line == 0 || line > file.line_starts.len() {
            return 0;
        }
        let start = file.line_starts[line - 1] as usize;
        let rest = &file.text[start..];
        let mut off = start;
        for (n, (i, _)) in rest.char_indices().enumerate() {
            if n == column {
                return (start + i) as u32;
            }
            off = start + i;
        }
        if column == 0 {
            start as u32
        } else {
            (off + 1).min(file.text.len()) as u32
        }
    }
    /// 1-based (line, column) of a byte offset; columns count chars.
    pub fn line_col(&self, f: FileId, offset: u32) -> (usize, usize) {
        let file = &self.files[f.0 as usize];
        let line = match file.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = file.line_starts[line] as usize;
        let col = file.text[start..(offset as usize).min(file.text.len())]
            .chars()
            .count();
        (line + 1, col + 1)
    }
}

/// Resolves an interpreter argument: a crate directory (uses `src/lib.rs`), a `.rs` file, or the
/// name of a bundled example (`bf` → `examples/bf`, `interp-python`).
pub fn find_root(arg: &Path) -> Result<PathBuf, String> {
    let candidates = [
        arg.to_path_buf(),
        Path::new("examples").join(arg),
        workspace_dir().join(arg),
        workspace_dir().join("examples").join(arg),
    ];
    for c in candidates {
        if c.is_file() && c.extension().is_some_and(|e| e == "rs") {
            return Ok(c);
        }
        let lib = c.join("src").join("lib.rs");
        if lib.is_file() {
            return Ok(lib);
        }
    }
    Err(format!(
        "cannot find an interpreter at `{}`: expected a crate directory with src/lib.rs, a .rs file, or a bundled example name (bf)",
        arg.display()
    ))
}

/// The vmkit workspace directory (for bundled examples and target specs).
pub fn workspace_dir() -> PathBuf {
    if let Ok(d) = std::env::var("VMKIT_HOME") {
        return PathBuf::from(d);
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// Parses a file, mapping syn errors to diagnostics.
pub fn parse_file(sources: &mut SourceMap, path: &Path) -> Result<(FileId, syn::File), Diagnostic> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::global(format!("cannot read `{}`: {e}", path.display())))?;
    let id = sources.add(path.to_path_buf(), text.clone());
    match syn::parse_file(&text) {
        Ok(f) => Ok((id, f)),
        Err(e) => {
            let loc = crate::diag::loc_of(sources, id, e.span());
            Err(Diagnostic::new(loc, format!("this is not valid Rust: {e}"))
                .help("the DSL is a subset of Rust: the file must first compile with rustc"))
        }
    }
}
