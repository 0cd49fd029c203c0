//! `pyvm-dis file.py`: compiles a file with the pyvm front end and prints its disassembly (or
//! the error text CPython would print).

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: pyvm-dis file.py");
        std::process::exit(2);
    };
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("pyvm-dis: cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let name = std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.clone());
    let bytes = pyvm_compiler::compile(&name, &source, "__main__");
    print!("{}", pyvm_compiler::disassemble(&bytes));
    if bytes.first() == Some(&b'E') {
        std::process::exit(1);
    }
}
