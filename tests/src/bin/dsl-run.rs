//! `dsl-run <name> [args...]`: runs the DSL corpus program `tests/dsl/<name>.rs` untranslated,
//! through `vmkit::run`, passing the arguments after `<name>` as the program's `args`.
//!
//! An unknown (or missing) name prints the list of corpus programs on standard error and exits
//! with status 2.

use std::sync::OnceLock;
use vmkit::{GcList, Str};

type Entry = fn(GcList<Str>) -> i64;

/// The corpus program selected on the command line (a process-wide static: `vmkit::run` runs
/// the program on a thread of its own).
static SELECTED: OnceLock<Entry> = OnceLock::new();

fn main() {
    let name = std::env::args().nth(1);
    let Some(entry) = name.as_deref().and_then(vmkit_tests::corpus::lookup) else {
        match &name {
            Some(n) => eprintln!("dsl-run: unknown corpus program `{n}`"),
            None => eprintln!("usage: dsl-run <name> [args...]"),
        }
        eprintln!("corpus programs:");
        for n in vmkit_tests::corpus::NAMES {
            eprintln!("  {n}");
        }
        std::process::exit(2);
    };
    let _ = SELECTED.set(entry);
    vmkit::run(selected_entry)
}

/// `vmkit::run` passes every argument after the executable's name, so the list starts with the
/// corpus program's name: drop it, then call the selected program's entry.
fn selected_entry(args: GcList<Str>) -> i64 {
    args.remove(0);
    let entry = *SELECTED.get().expect("a corpus program is selected");
    entry(args)
}
