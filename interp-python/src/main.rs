//! The untranslated entry of pyvm: `pyvm script.py args...` runs on plain rustc (no JIT).

fn main() {
    vmkit::run(pyvm::entry)
}
