//! The untranslated entry of the Brainfuck VM: `bf PROGRAM.b`.

fn main() {
    vmkit::run(bf::entry)
}
