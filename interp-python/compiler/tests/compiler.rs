//! Integration tests of the pyvm front end: every conformance script compiles (or is on the
//! explicit not-yet-supported list), the serialisation round-trips, every code object passes
//! the stack checker, the `syntax_*` scripts produce CPython's error type and message, and a
//! few scope-analysis, folding and disassembly cases are pinned down.

use std::path::{Path, PathBuf};

use pyvm_compiler::code::{CodeObject, Const};
use pyvm_compiler::serialize::{decode, write_code, Decoded};
use pyvm_compiler::{compile, disassemble, stackcheck};

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests")
}

fn scripts() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![tests_dir()];
    while let Some(d) = dirs.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "py") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Scripts expected to fail with "not supported by pyvm yet" (keep this list short and honest;
/// the test fails when one of them starts compiling, so remove it then).
const NOT_YET: &[&str] = &[];

fn compile_ok(name: &str, src: &str) -> CodeObject {
    let bytes = compile(name, src, "__main__");
    match decode(&bytes) {
        Ok(Decoded::Ok(code)) => {
            let mut again = vec![b'O'];
            write_code(&mut again, &code);
            assert_eq!(again, bytes, "{name}: serialisation does not round-trip");
            *code
        }
        Ok(Decoded::Err(e)) => panic!("{name}: expected code, got error:\n{e}"),
        Err(e) => panic!("{name}: undecodable output: {}", e.0),
    }
}

#[test]
fn every_conformance_script_compiles_and_checks() {
    let mut failures = Vec::new();
    let mut count = 0;
    for p in scripts() {
        let name = file_name(&p);
        if name.starts_with("syntax_") {
            continue;
        }
        count += 1;
        let src = std::fs::read_to_string(&p).expect("readable script");
        let bytes = compile(&name, &src, "__main__");
        let expected_to_fail = NOT_YET.contains(&name.as_str());
        match decode(&bytes) {
            Ok(Decoded::Ok(code)) => {
                if expected_to_fail {
                    failures.push(format!("{name}: compiles now; remove it from NOT_YET"));
                }
                let mut again = vec![b'O'];
                write_code(&mut again, &code);
                if again != bytes {
                    failures.push(format!("{name}: serialisation does not round-trip"));
                }
                if let Err(e) = stackcheck::check_all(&code) {
                    failures.push(format!("{name}: stack check: {e}"));
                }
            }
            Ok(Decoded::Err(e)) => {
                if !(expected_to_fail && e.contains("is not supported by pyvm yet")) {
                    failures.push(format!("{name}:\n{e}"));
                }
            }
            Err(e) => failures.push(format!("{name}: undecodable: {}", e.0)),
        }
    }
    assert!(
        count > 300,
        "only {count} scripts found under {:?}",
        tests_dir()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn syntax_scripts_give_cpython_errors() {
    let mut failures = Vec::new();
    let mut count = 0;
    for p in scripts() {
        let name = file_name(&p);
        if !name.starts_with("syntax_") {
            continue;
        }
        count += 1;
        let src = std::fs::read_to_string(&p).expect("readable script");
        let expected = std::fs::read_to_string(p.with_extension("err")).expect(".err file");
        let bytes = compile(&name, &src, "__main__");
        if bytes.first() != Some(&b'E') {
            failures.push(format!("{name}: compiled without error"));
            continue;
        }
        let got = String::from_utf8_lossy(&bytes[1..]).into_owned();
        let last = |s: &str| s.trim_end().lines().last().unwrap_or("").to_string();
        let (g, e) = (last(&got), last(&expected));
        let kind = |s: &str| s.split(':').next().unwrap_or("").to_string();
        if kind(&g) != kind(&e) {
            failures.push(format!("{name}: type differs:\n got {g}\nwant {e}"));
        } else if g != e {
            failures.push(format!("{name}: message differs:\n got {g}\nwant {e}"));
        } else if got != expected {
            failures.push(format!(
                "{name}: text differs:\n--- got\n{got}--- want\n{expected}"
            ));
        }
    }
    assert!(count >= 9, "only {count} syntax scripts");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ----- helpers for the unit-style tests -----

fn module(src: &str) -> CodeObject {
    compile_ok("t.py", src)
}

fn error(src: &str) -> String {
    let bytes = compile("t.py", src, "__main__");
    assert_eq!(bytes.first(), Some(&b'E'), "expected an error for:\n{src}");
    String::from_utf8_lossy(&bytes[1..])
        .trim_end()
        .lines()
        .last()
        .unwrap_or("")
        .to_string()
}

/// Finds a nested code object by qualname.
fn find<'c>(code: &'c CodeObject, qualname: &str) -> &'c CodeObject {
    fn go<'c>(code: &'c CodeObject, q: &str) -> Option<&'c CodeObject> {
        if code.qualname == q {
            return Some(code);
        }
        code.consts.iter().find_map(|c| match c {
            Const::Code(inner) => go(inner, q),
            _ => None,
        })
    }
    go(code, qualname).unwrap_or_else(|| panic!("no code object {qualname}"))
}

fn ops(code: &CodeObject) -> Vec<String> {
    code.instrs
        .iter()
        .map(|i| {
            let m = pyvm_compiler::dis::arg_meaning(code, i.op, i.arg);
            if m.is_empty() {
                i.op.name().to_string()
            } else {
                format!("{} {}", i.op.name(), m)
            }
        })
        .collect()
}

fn has(code: &CodeObject, what: &str) -> bool {
    ops(code).iter().any(|o| o == what)
}

// ----- scope analysis -----

#[test]
fn class_scope_is_skipped_by_methods_but_passes_cells_through() {
    let m = module(
        "def outer():\n    x = 1\n    class C:\n        x = 2\n        y = x\n        def m(self):\n            return x\n    return C\n",
    );
    let outer = find(&m, "outer");
    assert_eq!(outer.cellvars, ["x"]);
    let c = find(&m, "outer.<locals>.C");
    assert_eq!(c.freevars, ["x"]);
    assert!(has(c, "LOAD_NAME x"), "{:?}", ops(c));
    assert!(has(c, "LOAD_CLOSURE free x"));
    let meth = find(&m, "outer.<locals>.C.m");
    assert_eq!(meth.freevars, ["x"]);
    assert!(has(meth, "LOAD_DEREF free x"));
}

#[test]
fn class_body_reads_enclosing_function_variable_with_classderef() {
    let m = module("def f():\n    v = 1\n    class C:\n        w = v\n    return C\n");
    let c = find(&m, "f.<locals>.C");
    assert!(has(c, "LOAD_CLASSDEREF free v"), "{:?}", ops(c));
    assert_eq!(find(&m, "f").cellvars, ["v"]);
}

#[test]
fn comprehension_in_class_body_does_not_see_class_names() {
    let m = module("class C:\n    a = 1\n    b = [a for _ in range(2)]\n");
    let comp = find(&m, "C.<listcomp>");
    assert!(has(comp, "LOAD_GLOBAL a"), "{:?}", ops(comp));
    assert_eq!(comp.varnames, [".0", "_"]);
}

#[test]
fn nonlocal_chain_makes_cell_free_free() {
    let m = module(
        "def a():\n    v = 0\n    def b():\n        def c():\n            nonlocal v\n            v += 1\n        c()\n    b()\n    return v\n",
    );
    assert_eq!(find(&m, "a").cellvars, ["v"]);
    assert_eq!(find(&m, "a.<locals>.b").freevars, ["v"]);
    let c = find(&m, "a.<locals>.b.<locals>.c");
    assert_eq!(c.freevars, ["v"]);
    assert!(has(c, "STORE_DEREF free v"));
}

#[test]
fn walrus_in_comprehension_binds_in_enclosing_function() {
    let m = module("def f():\n    [y := i for i in range(3)]\n    return y\n");
    assert_eq!(find(&m, "f").cellvars, ["y"]);
    let comp = find(&m, "f.<locals>.<listcomp>");
    assert!(has(comp, "STORE_DEREF free y"), "{:?}", ops(comp));
    assert!(has(comp, "STORE_FAST i"));
    // At module level the target is a global.
    let m = module("[z := i for i in range(3)]\nprint(z)\n");
    assert!(has(find(&m, "<listcomp>"), "STORE_GLOBAL z"));
}

#[test]
fn globals_params_cells_and_super() {
    let m = module(
        "g = 0\ndef f(a, b):\n    global g\n    g = a\n    def h():\n        return b\n    return h\nclass K:\n    def m(self):\n        return super().m()\n",
    );
    let f = find(&m, "f");
    assert!(has(f, "STORE_GLOBAL g"));
    assert_eq!(f.cellvars, ["b"]);
    assert_eq!(f.cell2arg, [1]);
    let k = find(&m, "K");
    assert_eq!(k.cellvars, ["__class__"]);
    assert_eq!(ops(k).last().map(String::as_str), Some("RETURN_VALUE"));
    assert!(has(k, "LOAD_CLOSURE cell __class__"));
    let meth = find(&m, "K.m");
    assert_eq!(meth.freevars, ["__class__"]);
    let o = ops(meth);
    assert_eq!(
        &o[..4],
        [
            "LOAD_GLOBAL super",
            "LOAD_DEREF free __class__",
            "LOAD_FAST self",
            "CALL_FUNCTION"
        ]
    );
}

#[test]
fn varnames_order_follows_cpython() {
    let m = module("def f(a, /, b, *args, c, d=1, **kw):\n    e = 1\n");
    let f = find(&m, "f");
    assert_eq!(f.varnames, ["a", "b", "c", "d", "args", "kw", "e"]);
    assert_eq!(
        (f.argcount, f.posonlyargcount, f.kwonlyargcount, f.flags),
        (2, 1, 2, 0x0d)
    );
}

#[test]
fn compile_time_errors() {
    assert_eq!(
        error("def f():\n    nonlocal q\n"),
        "SyntaxError: no binding for nonlocal 'q' found"
    );
    assert_eq!(
        error("nonlocal q\n"),
        "SyntaxError: nonlocal declaration not allowed at module level"
    );
    assert_eq!(
        error("def f():\n    x = 1\n    global x\n"),
        "SyntaxError: name 'x' is assigned to before global declaration"
    );
    assert_eq!(
        error("def f():\n    print(x)\n    global x\n"),
        "SyntaxError: name 'x' is used prior to global declaration"
    );
    assert_eq!(
        error("def f(a):\n    global a\n"),
        "SyntaxError: name 'a' is parameter and global"
    );
    assert_eq!(
        error("return 1\n"),
        "SyntaxError: 'return' outside function"
    );
    assert_eq!(error("break\n"), "SyntaxError: 'break' outside loop");
    assert_eq!(
        error("while 1:\n    def f():\n        continue\n"),
        "SyntaxError: 'continue' not properly in loop"
    );
    assert_eq!(error("yield 1\n"), "SyntaxError: 'yield' outside function");
    assert_eq!(
        error("class C:\n    yield 1\n"),
        "SyntaxError: 'yield' outside function"
    );
    assert_eq!(
        error("f(a=1, a=2)\n"),
        "SyntaxError: keyword argument repeated: a"
    );
    assert_eq!(error("x = (1,\n"), "SyntaxError: '(' was never closed");
    assert_eq!(error("x = 1)\n"), "SyntaxError: unmatched ')'");
    assert_eq!(
        error("x = [1, 2)\n"),
        "SyntaxError: closing parenthesis ')' does not match opening parenthesis '['"
    );
    assert_eq!(
        error("f() = 1\n"),
        "SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='?"
    );
    assert_eq!(
        error("if x:\npass\n"),
        "IndentationError: expected an indented block after 'if' statement on line 1"
    );
    assert_eq!(
        error("async def f():\n    pass\n"),
        "SyntaxError: 'async def' is not supported by pyvm yet"
    );
}

#[test]
fn error_text_has_cpython_layout() {
    let bytes = compile("t.py", "x = 1\nif x:\n    return x\n", "__main__");
    let text = String::from_utf8_lossy(&bytes[1..]).into_owned();
    assert_eq!(text, "  File \"t.py\", line 3\n    return x\n    ^^^^^^^^\nSyntaxError: 'return' outside function\n");
}

// ----- constant folding -----

#[test]
fn constants_are_folded() {
    let m = module("x = -5\ny = 2 * 3 + 1\nz = 'ab' * 2\nt = (1, (2, 'a'), -1.5)\nu = 1 / 0\nv = not 0\nw = 2 ** 200\n");
    let o = ops(&m);
    for want in [
        "LOAD_CONST -5",
        "LOAD_CONST 7",
        "LOAD_CONST 'abab'",
        "LOAD_CONST (1, (2, 'a'), -1.5)",
        "LOAD_CONST True",
    ] {
        assert!(o.iter().any(|x| x == want), "missing {want} in {o:?}");
    }
    // 1 / 0 raises and 2 ** 200 is too big for i64: left to run time.
    assert!(
        o.iter().filter(|x| x.starts_with("BINARY_OP")).count() == 2,
        "{o:?}"
    );
    assert!(!o.iter().any(|x| x.starts_with("UNARY")));
}

#[test]
fn big_int_literals_are_decimal_constants() {
    let m = module("x = 0x1_0000_0000_0000_0000\ny = -99999999999999999999\n");
    let o = ops(&m);
    assert!(
        o.contains(&"LOAD_CONST 18446744073709551616".to_string()),
        "{o:?}"
    );
    assert!(
        o.contains(&"LOAD_CONST -99999999999999999999".to_string()),
        "{o:?}"
    );
    let bytes = compile("t.py", "x = 0x1_0000_0000_0000_0000\n", "__main__");
    assert!(String::from_utf8_lossy(&bytes).contains("I20;18446744073709551616"));
}

// ----- disassembly snapshots -----

fn dis_of(qualname: &str, src: &str) -> String {
    let bytes = compile("t.py", src, "__main__");
    let full = disassemble(&bytes);
    let start = full
        .find(&format!("(qualname {qualname},"))
        .expect("code object in the listing");
    let start = full[..start].rfind("code ").unwrap_or(0);
    let rest = &full[start..];
    let end = rest[1..]
        .find("\ncode ")
        .map(|i| i + 1)
        .unwrap_or(rest.len());
    rest[..end].trim_end().to_string()
}

#[test]
fn snapshot_simple_function() {
    let got = dis_of("add", "def add(a, b=1):\n    c = a + b\n    return c * 2\n");
    let want = r#"code add (qualname add, file "t.py", line 1)
  args 2 posonly 0 kwonly 0  flags 0x1 OPTIMIZED
  varnames: a, b, c
  consts:
      0: None
      1: 2
    2      0  LOAD_FAST                 0  (a)
           1  LOAD_FAST                 1  (b)
           2  BINARY_OP                 0  (+)
           3  STORE_FAST                2  (c)
    3      4  LOAD_FAST                 2  (c)
           5  LOAD_CONST                1  (2)
           6  BINARY_OP                 2  (*)
           7  RETURN_VALUE"#;
    assert_eq!(got, want, "\n{got}");
}

#[test]
fn snapshot_loop_with_break_and_else() {
    let got = dis_of("f", "def f(xs):\n    for x in xs:\n        if x:\n            break\n    else:\n        return 0\n    return x\n");
    let want = r#"code f (qualname f, file "t.py", line 1)
  args 1 posonly 0 kwonly 0  flags 0x1 OPTIMIZED
  varnames: xs, x
  consts:
      0: None
      1: 0
    2      0  LOAD_FAST                 0  (xs)
           1  GET_ITER
      >>   2  FOR_ITER                  9  (to 9)
           3  STORE_FAST                1  (x)
    3      4  LOAD_FAST                 1  (x)
           5  POP_JUMP_IF_FALSE         8  (to 8)
    4      6  POP_TOP
           7  JUMP                     11  (to 11)
    2 >>   8  JUMP                      2  (to 2)
    6 >>   9  LOAD_CONST                1  (0)
          10  RETURN_VALUE
    7 >>  11  LOAD_FAST                 1  (x)
          12  RETURN_VALUE"#;
    assert_eq!(got, want, "\n{got}");
}

#[test]
fn snapshot_docstring_and_annotations() {
    let got = dis_of(
        "<module>",
        "'''Doc.'''\nx: int = 1\ndef f(a: int) -> str:\n    'f doc'\n    return a\n",
    );
    let want = r#"code <module> (qualname <module>, file "t.py", line 1)
  args 0 posonly 0 kwonly 0  flags 0x0
  names: __doc__, __annotations__, x, int, str, f
  consts:
      0: 'Doc.'
      1: 1
      2: 'x'
      3: 'a'
      4: 'return'
      5: <code f>
      6: None
    1      0  LOAD_CONST                0  ('Doc.')
           1  STORE_NAME                0  (__doc__)
           2  BUILD_MAP                 0
           3  STORE_NAME                1  (__annotations__)
    2      4  LOAD_CONST                1  (1)
           5  STORE_NAME                2  (x)
           6  LOAD_NAME                 3  (int)
           7  LOAD_NAME                 1  (__annotations__)
           8  LOAD_CONST                2  ('x')
           9  STORE_SUBSCR
    3     10  LOAD_CONST                3  ('a')
          11  LOAD_NAME                 3  (int)
          12  LOAD_CONST                4  ('return')
          13  LOAD_NAME                 4  (str)
          14  BUILD_MAP                 2
          15  LOAD_CONST                5  (<code f>)
          16  MAKE_FUNCTION             4  (annotations)
          17  STORE_NAME                5  (f)
          18  LOAD_CONST                6  (None)
          19  RETURN_VALUE"#;
    assert_eq!(got, want, "\n{got}");
    let f = dis_of("f", "def f():\n    'f doc'\n    return 1\n");
    assert!(f.contains("      0: 'f doc'\n"), "{f}");
}

#[test]
fn snapshot_return_through_finally_and_with() {
    let got = dis_of("f", "def f(m):\n    with m as v:\n        try:\n            return v\n        finally:\n            print(1)\n");
    let o: Vec<&str> = got
        .lines()
        .filter(|l| l.starts_with(' ') && l.contains("  "))
        .collect();
    let text = o.join("\n");
    // return v: value, leave the try (POP_BLOCK + finally body), leave the with (exit call).
    for want in [
        "POP_BLOCK",
        "ROT_TWO",
        "CALL_FUNCTION             3",
        "RETURN_VALUE",
        "WITH_EXCEPT_START",
    ] {
        assert!(text.contains(want), "missing {want}:\n{got}");
    }
}

/// Every prefix (by lines, every few lines) of every script compiles or gives a proper error:
/// never an internal error (a panic caught by `compile`).
#[test]
fn truncated_scripts_never_crash_the_compiler() {
    let mut n = 0;
    for p in scripts() {
        let src = std::fs::read_to_string(&p).expect("readable script");
        let lines: Vec<&str> = src.split_inclusive('\n').collect();
        for cut in (1..lines.len()).step_by(4) {
            let mut text: String = lines[..cut].concat();
            // Also cut in the middle of the next line.
            if let Some(next) = lines.get(cut) {
                let half = next
                    .char_indices()
                    .nth(next.chars().count() / 2)
                    .map(|(i, _)| i)
                    .unwrap_or(0);
                text.push_str(&next[..half]);
            }
            n += 1;
            let bytes = compile("t.py", &text, "__main__");
            let out = String::from_utf8_lossy(&bytes);
            assert!(
                !out.contains("internal error"),
                "{}: cut at line {cut}:\n{text}\n{out}",
                p.display()
            );
            if bytes[0] == b'O' {
                if let Ok(Decoded::Ok(code)) = decode(&bytes) {
                    if let Err(e) = stackcheck::check_all(&code) {
                        panic!("{}: cut at line {cut}: {e}", p.display());
                    }
                }
            }
        }
    }
    assert!(n > 1000);
}

#[test]
fn odd_sources() {
    for src in [
        "",
        "\n",
        "# only a comment",
        "x = 1\r\ny = x\r\n",
        "\u{feff}print(1)\n",
        "if 1:\n\tx = 1\n",
        "pass",
    ] {
        let bytes = compile("t.py", src, "__main__");
        assert_eq!(
            bytes[0],
            b'O',
            "{src:?}: {}",
            String::from_utf8_lossy(&bytes)
        );
    }
}
