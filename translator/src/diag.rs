//! Diagnostics: every error the front end reports carries a file, a span, a message and (almost
//! always) a `help` line saying what to write instead. Rendered with codespan-reporting as
//! `error: ...` / `--> file:line:col` / a source snippet; [`Diagnostic::location`] gives the
//! `file:line:col` string tests assert on.
//!
//! Invariant: the front end never panics on user input; every rejection is a `Diagnostic`.

use crate::source::{FileId, SourceMap};
use codespan_reporting::diagnostic::{Diagnostic as CsDiag, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use proc_macro2::Span;

/// A source position: file plus byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Loc {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

/// A user-facing error.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// `None` for errors about the invocation itself (a missing file).
    pub loc: Option<Loc>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            loc: Some(loc),
            message: message.into(),
            help: None,
        }
    }
    /// An error without a source position.
    pub fn global(message: impl Into<String>) -> Self {
        Diagnostic {
            loc: None,
            message: message.into(),
            help: None,
        }
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// `path:line:col` (1-based line and column).
    pub fn location(&self, sources: &SourceMap) -> String {
        let Some(loc) = self.loc else {
            return "vmkit".to_string();
        };
        let (line, col) = sources.line_col(loc.file, loc.start);
        format!("{}:{}:{}", sources.path(loc.file).display(), line, col)
    }
    /// The full rendering: header, `-->` location, snippet with the span underlined, help.
    pub fn render(&self, sources: &SourceMap) -> String {
        let Some(loc) = self.loc else {
            let mut s = format!("error: {}\n", self.message);
            if let Some(h) = &self.help {
                s.push_str(&format!("  = help: {h}\n"));
            }
            return s;
        };
        let mut files = SimpleFiles::new();
        let mut ids = Vec::new();
        for f in sources.files() {
            ids.push(files.add(f.path.display().to_string(), f.text.clone()));
        }
        let id = ids[loc.file.0 as usize];
        let mut d = CsDiag::error()
            .with_message(&self.message)
            .with_labels(vec![Label::primary(
                id,
                loc.start as usize..loc.end.max(loc.start) as usize,
            )]);
        if let Some(h) = &self.help {
            d = d.with_notes(vec![format!("help: {h}")]);
        }
        let mut buf = termcolor::NoColor::new(Vec::new());
        let config = term::Config::default();
        let _ = term::emit(&mut buf, &config, &files, &d);
        let mut s = String::from_utf8_lossy(&buf.into_inner()).into_owned();
        // codespan prints `┌─ file:line:col`; add the plain form too for tools and tests.
        s.insert_str(0, &format!("{}: ", self.location(sources)));
        s
    }
}

/// Result type of front-end phases.
pub type DResult<T> = Result<T, Diagnostic>;

/// Converts a proc-macro2 span (line/column) into a [`Loc`] in `file`.
pub fn loc_of(sources: &SourceMap, file: FileId, span: Span) -> Loc {
    let s = span.start();
    let e = span.end();
    let start = sources.offset(file, s.line, s.column);
    let end = sources.offset(file, e.line, e.column);
    Loc {
        file,
        start,
        end: end.max(start),
    }
}
