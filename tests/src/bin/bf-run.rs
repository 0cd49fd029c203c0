//! The bf VM, untranslated (plain rustc build), for the differential tests.
fn main() {
    vmkit::run(bf::entry)
}
