//! The untranslated entry: `fn main() { vmkit::run(my_interp::entry) }`.

use crate::array::GcList;
use crate::str::Str;

/// Runs a DSL entry point untranslated: passes the command-line arguments *without* the program
/// name (so translated and untranslated runs see the same list), flushes standard output and exits
/// with the returned status. A fatal error (a panic) flushes standard output, prints
/// `fatal error: <message>` on standard error and exits with status 101.
pub fn run(entry: fn(GcList<Str>) -> i64) -> ! {
    std::panic::set_hook(Box::new(|info| {
        crate::io::flush();
        let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
            s.to_string()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            "panic".to_string()
        };
        eprintln!("fatal error: {msg}");
        std::process::exit(101);
    }));
    // The program runs on a thread with the translated runtime's stack size, so that deep
    // recursion behaves the same untranslated and translated.
    let worker = std::thread::Builder::new()
        .name("vmkit-main".into())
        .stack_size(256 << 20)
        .spawn(move || {
            let args = GcList::new();
            for a in std::env::args_os().skip(1) {
                args.push(Str::from_byte_slice(a.as_encoded_bytes()));
            }
            let status = entry(args);
            crate::io::flush();
            std::process::exit(status as i32)
        });
    match worker {
        Ok(handle) => {
            let _ = handle.join();
            std::process::exit(101)
        }
        Err(e) => {
            eprintln!("fatal error: cannot start the program thread: {e}");
            std::process::exit(101)
        }
    }
}
