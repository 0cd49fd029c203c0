//! pyvm: a Python 3 interpreter written in the vmkit DSL, a client of the toolkit.
//!
//! `vmkit translate --target <triple> interp-python` turns it into a native `pyvm` with a GC and
//! a JIT generated from this interpreter; `cargo run -p pyvm -- script.py` runs it untranslated.
//!
//! Pipeline: the front end (`compiler/`, host Rust behind [`py_compile`]) parses and compiles a
//! module to pyvm bytecode (`docs/bytecode.md`); [`decode`] turns it into code objects;
//! [`interp`] runs them (the JIT portal). The object model is in [`object`] and [`types`];
//! operations on values in [`ops`]; built-ins in [`builtins`], [`strmethods`], [`modules`].
//!
//! Command line, like `python3`: `pyvm script.py args...` or `pyvm -c 'code' args...`.
//! Exit status: 0, or 1 after an uncaught exception (traceback on standard error) or a syntax
//! error, `sys.exit(n)`'s status, 2 for a usage error or an unreadable script.

pub mod args;
pub mod attrs;
pub mod bigint;
pub mod bigrange;
pub mod builtins;
pub mod bytes;
pub mod call;
pub mod decode;
pub mod dict;
pub mod exc;
pub mod ffimod;
pub mod format;
pub mod interp;
pub mod iter;
pub mod matching;
pub mod methods2;
pub mod modules;
pub mod object;
pub mod opcode;
pub mod ops;
pub mod random;
pub mod repr;
pub mod set;
pub mod strformat;
pub mod strmethods;
pub mod strs;
pub mod types;

use object::*;
use types::*;
use vmkit::io;
use vmkit::{Gc, GcArray, GcList, GcMap, Mut, Str};

/// The front end: compiles Python source to serialised code objects (see `docs/bytecode.md`).
#[vmkit::host]
pub fn py_compile(filename: Str, source: Str, module_name: Str) -> Str {
    let f = String::from_utf8_lossy(filename.as_bytes()).into_owned();
    let s = String::from_utf8_lossy(source.as_bytes()).into_owned();
    let m = String::from_utf8_lossy(module_name.as_bytes()).into_owned();
    Str::from_byte_slice(&pyvm_compiler::compile(&f, &s, &m))
}

/// The source of a module of pyvm's own library (`interp-python/lib/`), or the empty string.
#[vmkit::host]
pub fn py_stdlib_source(name: Str) -> Str {
    let src: &str = match name.as_bytes() {
        b"ctypes" => include_str!("../lib/ctypes.py"),
        _ => "",
    };
    Str::from_byte_slice(src.as_bytes())
}

/// The directory part of a path, with its trailing '/', or empty.
fn dir_of(path: Str) -> Str {
    let mut i = path.len();
    while i > 0 {
        if path.byte_at(i - 1) == b'/' {
            return path.slice(0, i);
        }
        i -= 1;
    }
    Str::from("")
}

fn make_vm(script_dir: Str, argv: GcList<Str>, main_file: Str) -> Gc<Vm> {
    let types = make_types();
    let str_cls = types.get(T_STR as usize);
    let chars = GcArray::new(128, Value::Nil);
    for c in 0..128 {
        let s = Str::from_byte(c as u8);
        chars.set(c, new_obj(str_cls, Kind::Str(s, 1)));
    }
    let empty_tuple = new_obj(
        types.get(T_TUPLE as usize),
        Kind::Tuple(GcArray::new(0, Value::Nil)),
    );
    let vm = Gc::new(Vm {
        types,
        empty_shape: new_empty_shape(),
        builtins: GcMap::new(),
        modules: GcMap::new(),
        depth: Mut::new(0),
        recursion_limit: Mut::new(1000),
        script_dir,
        argv: Mut::new(Value::Nil),
        none_str: Str::from("None"),
        chars,
        empty_tuple,
        not_implemented: new_obj(types.get(T_NOTIMPL as usize), Kind::Marker(0)),
        ellipsis: new_obj(types.get(T_ELLIPSIS as usize), Kind::Marker(1)),
        dummy: new_obj(types.get(T_OBJECT as usize), Kind::Marker(2)),
        sys: Mut::new(Value::Nil),
        names: GcArray::new(0, Str::from("")),
        mt: GcArray::new(0, 0u64),
        mt_index: Mut::new(0),
        stdin_buf: Mut::new(Str::from("")),
        stdin_pos: Mut::new(0),
        stdin_loaded: Mut::new(false),
        main_file,
        next_id: Mut::new(0x7f00_0000_1000),
        no_names: GcArray::new(0, Str::from("")),
        ffi_callbacks: GcList::new(),
        nan_counter: Mut::new(0),
        repr_active: GcList::new(),
        int_max_str_digits: Mut::new(4300),
        sys_modules: dict::new_dict_value(types.get(T_DICT as usize)),
        interned: GcMap::new(),
    });
    let _ = argv;
    builtins::install(vm);
    for i in 0..vm.builtins.len() {
        let k = vm.builtins.key_at(i);
        vm.interned.insert(k, k);
    }
    vm
}

fn usage() -> i64 {
    io::eprint(Str::from(
        "usage: pyvm script.py [args...]\n       pyvm -c 'code' [args...]\n",
    ));
    2
}

/// Runs the main module; returns the exit status.
fn run_main(vm: Gc<Vm>, filename: Str, source: Str) -> i64 {
    let compiled = py_compile(filename, source, Str::from("__main__"));
    if compiled.is_empty() || compiled.byte_at(0) != b'O' {
        io::flush();
        io::eprint(compiled.slice(1, compiled.len()));
        return 1;
    }
    let code = decode::decode_module(vm, compiled);
    let globals: GcMap<Str, Value> = GcMap::new();
    globals.insert(
        Str::from("__name__"),
        strs::new_str(vm, Str::from("__main__")),
    );
    globals.insert(Str::from("__file__"), strs::new_str(vm, filename));
    globals.insert(Str::from("__doc__"), Value::Nil);
    let main = Value::Obj(Gc::new(Object {
        cls: Mut::new(ty(vm, T_MODULE)),
        kind: Kind::Module(Gc::new(Module {
            name: Str::from("__main__"),
            file: filename,
        })),
        attrs: Mut::new(Some(globals)),
        shape: Mut::new(None),
        slots: Mut::new(None),
        ident: Mut::new(0),
    }));
    vm.modules.insert(Str::from("__main__"), main);
    let _ = dict::set_data(
        vm,
        dict::dict_of(vm.sys_modules),
        strs::new_str(vm, Str::from("__main__")),
        main,
    );
    match interp::run_module_code(vm, code, globals) {
        Ok(_) => {
            io::flush();
            0
        }
        Err(e) => exit_status(vm, e),
    }
}

/// The exit status for an uncaught exception (printing it unless it is SystemExit).
fn exit_status(vm: Gc<Vm>, e: Value) -> i64 {
    if is_instance_id(vm, e, T_SYSTEM_EXIT) {
        let code = iter::stop_value(vm, e);
        io::flush();
        return match code {
            Value::Nil => 0,
            Value::Int(n) => n & 255,
            Value::Bool(b) => b as i64,
            _ => {
                let s = match ops::str_of(vm, code) {
                    Ok(s) => s,
                    Err(_) => Str::from("?"),
                };
                io::eprint(s.concat(Str::from("\n")));
                1
            }
        };
    }
    exc::print_exception(vm, e);
    1
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    if args.len() == 0 {
        return usage();
    }
    let first = args.get(0);
    if first == Str::from("-h") || first == Str::from("--help") {
        io::print(Str::from(
            "usage: pyvm script.py [args...]\n       pyvm -c 'code' [args...]\n",
        ));
        return 0;
    }
    let (filename, source, argv0) = if first == Str::from("-c") {
        if args.len() < 2 {
            io::eprint(Str::from("Argument expected for the -c option\n"));
            return usage();
        }
        (Str::from("<string>"), args.get(1), Str::from("-c"))
    } else if first.len() > 1 && first.byte_at(0) == b'-' {
        io::eprint(
            Str::from("pyvm: unknown option ")
                .concat(first)
                .concat(Str::from("\n")),
        );
        return usage();
    } else {
        match io::read_file(first) {
            Some(s) => (first, s, first),
            None => {
                io::eprint(
                    Str::from("pyvm: can't open file '")
                        .concat(first)
                        .concat(Str::from("': [Errno 2] No such file or directory\n")),
                );
                return 2;
            }
        }
    };
    let skip = if first == Str::from("-c") { 2 } else { 1 };
    let script_dir = if first == Str::from("-c") {
        Str::from("")
    } else {
        dir_of(first)
    };
    let vm = make_vm(script_dir, args, filename);
    let argv: GcList<Value> = GcList::new();
    argv.push(strs::new_str(vm, argv0));
    for i in skip..args.len() {
        argv.push(strs::new_str(vm, args.get(i)));
    }
    vm.argv.set(ops::new_list(vm, argv));
    run_main(vm, filename, source)
}
