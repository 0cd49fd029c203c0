//! `--dump graphs` output: every reachable function of the bf VM gets a text dump of both graph
//! levels and a Graphviz file that `dot -Tsvg` renders (Graphviz comes from scripts/setup.sh).

use std::path::Path;
use std::process::Command;
use vmkit_translator::driver::{front_end, write_dumps, Dump};
use vmkit_translator::target::TargetSpec;

#[test]
fn bf_graph_dumps_render_with_graphviz() {
    let ws = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace");
    let spec = TargetSpec::load("x86_64-unknown-linux-gnu").expect("spec");
    let t = front_end(&ws.join("examples/bf/src/lib.rs"), &spec)
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let dir = std::env::temp_dir().join(format!("vmkit-dump-test-{}", std::process::id()));
    let files = write_dumps(&t, &[Dump::Graphs, Dump::Layouts], &dir).expect("dumps");
    let dots: Vec<_> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "dot"))
        .collect();
    let reachable = t.callgraph.reachable().len();
    // one dot per reachable function, plus the call graph
    assert_eq!(dots.len(), reachable + 1, "{files:?}");
    assert!(files
        .iter()
        .any(|f| f.file_name().is_some_and(|n| n == "interpret.hl.txt")));
    assert!(files
        .iter()
        .any(|f| f.file_name().is_some_and(|n| n == "layouts.ron")));
    for d in dots {
        let out = Command::new("dot")
            .arg("-Tsvg")
            .arg(d)
            .output()
            .expect("run dot (Debian package graphviz)");
        assert!(
            out.status.success(),
            "dot failed on {}: {}",
            d.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("<svg"),
            "{}",
            d.display()
        );
    }
    let text = std::fs::read_to_string(dir.join("interpret.hl.txt")).expect("hl dump");
    assert!(text.contains("jit_merge_point DRIVER"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
