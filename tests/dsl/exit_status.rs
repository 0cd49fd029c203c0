//! Exit status: the entry's result is the process exit status (here 3); output printed before
//! returning (buffered) must still appear in full.

use vmkit::io::{print, write_byte};
use vmkit::{GcList, Str};

fn status_for(errors: i64) -> i64 {
    if errors == 0 {
        0
    } else if errors < 3 {
        errors
    } else {
        3
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let mut errors: i64 = 0;
    for i in 0..5 {
        if i % 2 == 0 {
            print(Str::from("error at step "));
            print(Str::from_i64(i));
            write_byte(b'\n');
            errors += 1;
        }
    }
    print(Str::from("errors: "));
    print(Str::from_i64(errors));
    print(Str::from(", exiting with status "));
    print(Str::from_i64(status_for(errors)));
    print(Str::from("\nno newline at the very end"));
    status_for(errors)
}
