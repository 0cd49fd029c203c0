//! Compile errors and their CPython 3.11 rendering (`  File "x", line N` / source line /
//! carets / `SyntaxError: msg`), plus the translation of Ruff's parse errors into CPython's
//! messages (including the tokenizer's bracket diagnostics, which Ruff does not produce).

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{Expr, Mod};
use ruff_python_parser::{
    InterpolatedStringErrorType, LexicalErrorType, ParseError, ParseErrorType,
};
use ruff_text_size::Ranged;

/// `SyntaxError` or `IndentationError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Syntax,
    Indentation,
}

/// A compile-time error with the source span CPython would underline.
#[derive(Clone, Debug)]
pub struct CompileError {
    pub kind: ErrorKind,
    pub msg: String,
    /// Byte offsets into the source.
    pub start: usize,
    pub end: usize,
    /// Whether a caret line is printed (not for `unexpected indent`).
    pub caret: bool,
}

impl CompileError {
    pub fn syntax(msg: impl Into<String>, start: usize, end: usize) -> Self {
        CompileError {
            kind: ErrorKind::Syntax,
            msg: msg.into(),
            start,
            end,
            caret: true,
        }
    }

    pub fn indentation(msg: impl Into<String>, start: usize, end: usize) -> Self {
        CompileError {
            kind: ErrorKind::Indentation,
            msg: msg.into(),
            start,
            end,
            caret: true,
        }
    }

    /// An error for a construct pyvm does not implement yet.
    pub fn unsupported(what: &str, start: usize, end: usize) -> Self {
        Self::syntax(format!("{what} is not supported by pyvm yet"), start, end)
    }

    /// Renders the error the way CPython prints it on stderr.
    pub fn render(&self, filename: &str, source: &str) -> String {
        let lines = LineMap::new(source);
        let start = self.start.min(source.len());
        let lineno = lines.line_of(start);
        let (ls, le) = lines.line_bounds(lineno, source);
        let text = &source[ls..le];
        let stripped = text.trim_start_matches([' ', '\t', '\x0c']);
        let indent = text.len() - stripped.len();
        let shown = stripped.trim_end_matches(['\r', '\n', ' ', '\t']);
        let kind = match self.kind {
            ErrorKind::Syntax => "SyntaxError",
            ErrorKind::Indentation => "IndentationError",
        };
        let mut out = format!("  File \"{filename}\", line {lineno}\n");
        if !shown.is_empty() {
            out.push_str("    ");
            out.push_str(shown);
            out.push('\n');
            if self.caret {
                let col = char_count(source, ls, start).saturating_sub(indent);
                let end = self.end.clamp(start, le.max(start));
                let width = char_count(source, start, end).max(1);
                let width = width.min(shown.chars().count().saturating_sub(col).max(1));
                out.push_str("    ");
                out.push_str(&" ".repeat(col));
                out.push_str(&"^".repeat(width));
                out.push('\n');
            }
        }
        out.push_str(kind);
        out.push_str(": ");
        out.push_str(&self.msg);
        out.push('\n');
        out
    }
}

fn char_count(source: &str, from: usize, to: usize) -> usize {
    let to = to.min(source.len());
    if from >= to {
        return 0;
    }
    source
        .get(from..to)
        .map(|s| s.chars().count())
        .unwrap_or(to - from)
}

/// Byte offset → 1-based line number.
pub struct LineMap {
    starts: Vec<usize>,
}

impl LineMap {
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i + 1);
            }
        }
        LineMap { starts }
    }

    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> u32 {
        match self.starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }

    /// Byte range of a line, without its newline.
    pub fn line_bounds(&self, line: u32, source: &str) -> (usize, usize) {
        let i = (line.max(1) - 1) as usize;
        let s = self
            .starts
            .get(i)
            .copied()
            .unwrap_or(source.len())
            .min(source.len());
        let mut e = self
            .starts
            .get(i + 1)
            .copied()
            .unwrap_or(source.len())
            .min(source.len());
        while e > s && matches!(source.as_bytes()[e - 1], b'\n' | b'\r') {
            e -= 1;
        }
        (s, e)
    }
}

/// An open bracket seen by the bracket scanner.
#[derive(Clone, Copy, Debug)]
struct Open {
    ch: u8,
    offset: usize,
}

/// Tokenizer-level bracket diagnostics up to `limit` (CPython reports these before the parser's
/// generic errors): an unmatched or mismatched closer, or (at `limit`) the innermost bracket still
/// open from an earlier line.
fn bracket_error(source: &str, limit: usize, at_eof: bool) -> Option<CompileError> {
    let b = source.as_bytes();
    let lines = LineMap::new(source);
    let mut stack: Vec<Open> = Vec::new();
    let mut i = 0;
    while i < b.len() && i < limit {
        let c = b[i];
        match c {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'\'' | b'"' => {
                let triple = i + 2 < b.len() && b[i + 1] == c && b[i + 2] == c;
                let raw = {
                    let mut j = i;
                    let mut raw = false;
                    while j > 0 && b[j - 1].is_ascii_alphabetic() {
                        j -= 1;
                        if matches!(b[j], b'r' | b'R') {
                            raw = true;
                        }
                    }
                    raw
                };
                i += if triple { 3 } else { 1 };
                loop {
                    if i >= b.len() {
                        return None;
                    }
                    if b[i] == b'\\' && !raw {
                        i += 2;
                        continue;
                    }
                    if b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if !triple && b[i] == b'\n' {
                        return None; // unterminated: the lexer reports it
                    }
                    if b[i] == c && (!triple || (i + 2 < b.len() && b[i + 1] == c && b[i + 2] == c))
                    {
                        i += if triple { 3 } else { 1 };
                        break;
                    }
                    i += 1;
                }
                continue;
            }
            b'(' | b'[' | b'{' => stack.push(Open { ch: c, offset: i }),
            b')' | b']' | b'}' => {
                let want = match c {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                match stack.pop() {
                    None => {
                        return Some(CompileError::syntax(
                            format!("unmatched '{}'", c as char),
                            i,
                            i + 1,
                        ))
                    }
                    Some(open) if open.ch != want => {
                        let ol = lines.line_of(open.offset);
                        let cl = lines.line_of(i);
                        let msg = if ol != cl {
                            format!(
                                "closing parenthesis '{}' does not match opening parenthesis '{}' on line {}",
                                c as char, open.ch as char, ol
                            )
                        } else {
                            format!(
                                "closing parenthesis '{}' does not match opening parenthesis '{}'",
                                c as char, open.ch as char
                            )
                        };
                        return Some(CompileError::syntax(msg, i, i + 1));
                    }
                    Some(_) => {}
                }
            }
            _ => {}
        }
        i += 1;
    }
    let open = stack.last()?;
    if at_eof || lines.line_of(open.offset) < lines.line_of(limit.min(source.len())) {
        return Some(CompileError::syntax(
            format!("'{}' was never closed", open.ch as char),
            open.offset,
            open.offset + 1,
        ));
    }
    None
}

/// CPython's name for an expression that cannot be assigned to / deleted.
pub fn expr_kind_name(e: &Expr) -> &'static str {
    match e {
        Expr::Call(_) => "function call",
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::EllipsisLiteral(_) => "literal",
        Expr::BooleanLiteral(b) => {
            if b.value {
                "True"
            } else {
                "False"
            }
        }
        Expr::NoneLiteral(_) => "None",
        Expr::Compare(_) => "comparison",
        Expr::Lambda(_) => "lambda",
        Expr::If(_) => "conditional expression",
        Expr::Named(_) => "named expression",
        Expr::Yield(_) | Expr::YieldFrom(_) => "yield expression",
        Expr::Await(_) => "await expression",
        Expr::Generator(_) => "generator expression",
        Expr::ListComp(_) => "list comprehension",
        Expr::SetComp(_) => "set comprehension",
        Expr::DictComp(_) => "dict comprehension",
        Expr::Dict(_) => "dict literal",
        Expr::Set(_) => "set display",
        Expr::FString(_) => "f-string expression",
        _ => "expression",
    }
}

struct FindExpr<'a> {
    start: u32,
    end: u32,
    found: Option<&'a Expr>,
}

impl<'a> Visitor<'a> for FindExpr<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let r = expr.range();
        if self.found.is_none()
            && u32::from(r.start()) == self.start
            && u32::from(r.end()) == self.end
        {
            self.found = Some(expr);
            return;
        }
        walk_expr(self, expr);
    }
}

fn find_expr(module: &Mod, start: u32, end: u32) -> Option<&Expr> {
    let mut f = FindExpr {
        start,
        end,
        found: None,
    };
    if let Mod::Module(m) = module {
        for s in &m.body {
            ruff_python_ast::visitor::walk_stmt(&mut f, s);
        }
    }
    f.found
}

/// The statement keyword that starts the line before `line` (for "expected an indented block
/// after 'if' statement on line N").
fn block_opener(source: &str, lines: &LineMap, line: u32) -> Option<(String, u32)> {
    let mut l = line;
    while l > 1 {
        l -= 1;
        let (s, e) = lines.line_bounds(l, source);
        let t = source[s..e].trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let word: String = t.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let what = match word.as_str() {
            "def" => "function definition".to_string(),
            "class" => "class definition".to_string(),
            "if" | "elif" | "else" | "for" | "while" | "try" | "except" | "finally" | "with"
            | "match" | "case" => format!("'{word}' statement"),
            _ => return None,
        };
        return Some((what, l));
    }
    None
}

/// Translates the first of Ruff's parse errors into CPython's error.
pub fn from_parse_error(source: &str, err: &ParseError, module: &Mod) -> CompileError {
    let start = u32::from(err.location.start()) as usize;
    let end = u32::from(err.location.end()) as usize;
    let lines = LineMap::new(source);
    // Tokenizer-level bracket problems before the error win.
    let at_eof = start >= source.trim_end().len();
    if let Some(e) = bracket_error(source, (start + 1).max(end).min(source.len()), at_eof) {
        let generic = !matches!(
            err.error,
            ParseErrorType::Lexical(_) | ParseErrorType::UnexpectedIndentation
        ) || matches!(err.error, ParseErrorType::Lexical(LexicalErrorType::Eof));
        if generic || e.msg.starts_with("unmatched") || e.msg.starts_with("closing") {
            return e;
        }
    }
    // CPython 3.11 puts f-string errors just after the string token.
    let after_string = {
        let rest = &source[start.min(source.len())..];
        match rest.find(['"', '\'']) {
            Some(i) if !rest[..i].contains('\n') => start + i + 1,
            _ => start,
        }
    };
    let fstring = |e: &InterpolatedStringErrorType| -> String {
        match e {
            InterpolatedStringErrorType::InvalidConversionFlag => {
                "f-string: invalid conversion character: expected 's', 'r', or 'a'".into()
            }
            InterpolatedStringErrorType::SingleRbrace => {
                "f-string: single '}' is not allowed".into()
            }
            InterpolatedStringErrorType::UnclosedLbrace => "f-string: expecting '}'".into(),
            other => format!("f-string: {other}"),
        }
    };
    match &err.error {
        ParseErrorType::Lexical(lex) => match lex {
            LexicalErrorType::UnclosedStringError => {
                let rest = &source[start.min(source.len())..];
                let body = rest.trim_start_matches(|c: char| c.is_ascii_alphabetic());
                if body.starts_with("\"\"\"") || body.starts_with("'''") {
                    let last = lines.line_of(source.len());
                    CompileError::syntax(
                        format!("unterminated triple-quoted string literal (detected at line {last})"),
                        start,
                        start + 1,
                    )
                } else {
                    let l = lines.line_of(start);
                    let q = start + (rest.len() - body.len());
                    CompileError::syntax(
                        format!("unterminated string literal (detected at line {l})"),
                        q,
                        q + 1,
                    )
                }
            }
            LexicalErrorType::IndentationError => CompileError::indentation(
                "unindent does not match any outer indentation level",
                end,
                end + 1,
            ),
            LexicalErrorType::UnrecognizedToken { tok } => {
                if tok.is_ascii() {
                    CompileError::syntax("invalid syntax", start, start + 1)
                } else {
                    CompileError::syntax(
                        format!("invalid character '{tok}' (U+{:04X})", *tok as u32),
                        start,
                        start + tok.len_utf8(),
                    )
                }
            }
            LexicalErrorType::LineContinuationError => CompileError::syntax(
                "unexpected character after line continuation character",
                start,
                start + 1,
            ),
            LexicalErrorType::Eof => CompileError::syntax("unexpected EOF while parsing", start, end),
            LexicalErrorType::FStringError(e) => {
                CompileError::syntax(fstring(e), after_string, after_string + 1)
            }
            LexicalErrorType::OtherError(m) if m.contains("decimal") => CompileError::syntax(
                "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                start,
                end,
            ),
            _ => CompileError::syntax("invalid syntax", start, end),
        },
        ParseErrorType::FStringError(e) => {
            CompileError::syntax(fstring(e), after_string, after_string + 1)
        }
        ParseErrorType::OtherError(m) if m.starts_with("Expected an indented block") => {
            let line = lines.line_of(start);
            let msg = match block_opener(source, &lines, line) {
                Some((what, l)) => format!("expected an indented block after {what} on line {l}"),
                None => "expected an indented block".to_string(),
            };
            CompileError::indentation(msg, start, start + 1)
        }
        ParseErrorType::UnexpectedIndentation => {
            let mut e = CompileError::indentation("unexpected indent", start, end);
            e.caret = false;
            e
        }
        ParseErrorType::ExpectedToken { expected, found } => {
            if *expected == TokenKind::Indent {
                let line = lines.line_of(start);
                let msg = match block_opener(source, &lines, line) {
                    Some((what, l)) => format!("expected an indented block after {what} on line {l}"),
                    None => "expected an indented block".to_string(),
                };
                return CompileError::indentation(msg, start, start + 1);
            }
            let _ = found;
            let sym = match expected {
                TokenKind::Colon => Some(":"),
                TokenKind::Equal => Some("="),
                TokenKind::In => Some("in"),
                TokenKind::Lpar => Some("("),
                _ => None,
            };
            match sym {
                Some(s) => CompileError::syntax(format!("expected '{s}'"), start, start + 1),
                None => CompileError::syntax("invalid syntax", start, end),
            }
        }
        ParseErrorType::InvalidAssignmentTarget
        | ParseErrorType::InvalidNamedAssignmentTarget
        | ParseErrorType::InvalidAugmentedAssignmentTarget
        | ParseErrorType::InvalidAnnotatedAssignmentTarget
        | ParseErrorType::InvalidDeleteTarget => {
            let target = find_expr(module, start as u32, end as u32);
            let what = target.map(expr_kind_name).unwrap_or("expression");
            let msg = match &err.error {
                ParseErrorType::InvalidDeleteTarget => format!("cannot delete {what}"),
                ParseErrorType::InvalidAugmentedAssignmentTarget => {
                    format!("'{what}' is an illegal expression for augmented assignment")
                }
                ParseErrorType::InvalidNamedAssignmentTarget => {
                    format!("cannot use assignment expressions with {what}")
                }
                ParseErrorType::InvalidAnnotatedAssignmentTarget => {
                    "illegal target for annotation".to_string()
                }
                _ => {
                    // `a + b = 1` (the whole target) gets CPython's hint; a bad element of a
                    // tuple target does not.
                    let whole = {
                        let (ls, _) = lines.line_bounds(lines.line_of(start), source);
                        let before = source[ls..start].trim();
                        before.is_empty() || before.ends_with('=')
                    };
                    let next = source[end.min(source.len())..].trim_start();
                    if whole && next.starts_with('=') && !next.starts_with("==") {
                        format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?")
                    } else {
                        format!("cannot assign to {what}")
                    }
                }
            };
            CompileError::syntax(msg, start, end)
        }
        ParseErrorType::PositionalAfterKeywordArgument => {
            CompileError::syntax("positional argument follows keyword argument", start, end)
        }
        ParseErrorType::PositionalAfterKeywordUnpacking => CompileError::syntax(
            "positional argument follows keyword argument unpacking",
            start,
            end,
        ),
        ParseErrorType::InvalidArgumentUnpackingOrder => CompileError::syntax(
            "iterable argument unpacking follows keyword argument unpacking",
            start,
            end,
        ),
        ParseErrorType::NonDefaultParamAfterDefaultParam => CompileError::syntax(
            "non-default argument follows default argument",
            start,
            end,
        ),
        ParseErrorType::IterableUnpackingInComprehension => CompileError::syntax(
            "iterable unpacking cannot be used in comprehension",
            start,
            end,
        ),
        ParseErrorType::InvalidStarredExpressionUsage => {
            CompileError::syntax("can't use starred expression here", start, end)
        }
        _ => CompileError::syntax("invalid syntax", start, start + 1),
    }
}

/// Checks brackets at end of file even when the parser found nothing (defensive).
pub fn eof_bracket_error(source: &str) -> Option<CompileError> {
    bracket_error(source, source.len(), true)
}
