//! The call graph from the entry function (petgraph): which functions are reachable, which call
//! which, and which are recursive. The codewriter uses it to find what the JIT may look inside.

use crate::flow::{HlGraph, HlOp};
use crate::program::{FnId, Program};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;

pub struct CallGraph {
    pub graph: DiGraph<FnId, ()>,
    pub nodes: HashMap<FnId, NodeIndex>,
}

impl CallGraph {
    /// Builds the graph of every function reachable from `entry` (host functions are leaves).
    pub fn build(prog: &Program, graphs: &[Option<HlGraph>], entry: FnId) -> CallGraph {
        let mut cg = CallGraph {
            graph: DiGraph::new(),
            nodes: HashMap::new(),
        };
        let mut work = vec![entry];
        cg.node(entry);
        while let Some(f) = work.pop() {
            let Some(g) = &graphs[f.0 as usize] else {
                continue;
            };
            for b in &g.blocks {
                for ins in &b.ops {
                    let callee = match &ins.op {
                        HlOp::Call(c) | HlOp::Host(c) => Some(*c),
                        _ => None,
                    };
                    let key_fns: Vec<FnId> = match &ins.op {
                        HlOp::Builtin(_) => {
                            // map operations call the key type's MapKey functions
                            let mut v = Vec::new();
                            for a in &ins.args {
                                if let crate::ty::Ty::Map(k, _) = g.ty(*a) {
                                    if let crate::ty::Ty::Adt(id) | crate::ty::Ty::Gc(id) = &**k {
                                        if let Some((h, e)) = prog.map_keys.get(id) {
                                            v.push(*h);
                                            v.push(*e);
                                        }
                                    }
                                }
                            }
                            v
                        }
                        _ => vec![],
                    };
                    for c in callee.into_iter().chain(key_fns) {
                        let new = !cg.nodes.contains_key(&c);
                        let (a, b) = (cg.node(f), cg.node(c));
                        if !cg.graph.contains_edge(a, b) {
                            cg.graph.add_edge(a, b, ());
                        }
                        if new {
                            work.push(c);
                        }
                    }
                }
            }
        }
        cg
    }

    fn node(&mut self, f: FnId) -> NodeIndex {
        if let Some(n) = self.nodes.get(&f) {
            return *n;
        }
        let n = self.graph.add_node(f);
        self.nodes.insert(f, n);
        n
    }

    /// Functions reachable from the entry, in id order.
    pub fn reachable(&self) -> Vec<FnId> {
        let mut v: Vec<FnId> = self.nodes.keys().copied().collect();
        v.sort();
        v
    }

    /// Functions on a call cycle (recursive, directly or not).
    pub fn recursive(&self) -> Vec<FnId> {
        let mut out = Vec::new();
        for scc in petgraph::algo::tarjan_scc(&self.graph) {
            let rec = scc.len() > 1 || scc.iter().any(|n| self.graph.contains_edge(*n, *n));
            if rec {
                out.extend(scc.iter().map(|n| self.graph[*n]));
            }
        }
        out.sort();
        out
    }

    /// Graphviz dot of the call graph.
    pub fn dot(&self, prog: &Program) -> String {
        let mut s =
            String::from("digraph callgraph {\n  node [shape=box, fontname=\"monospace\"];\n");
        for n in self.graph.node_indices() {
            let f = prog.func(self.graph[n]);
            s.push_str(&format!(
                "  n{} [label=\"{}{}\"];\n",
                n.index(),
                f.path,
                if f.is_host { " (host)" } else { "" }
            ));
        }
        for e in self.graph.edge_indices() {
            let (a, b) = self.graph.edge_endpoints(e).expect("edge");
            s.push_str(&format!("  n{} -> n{};\n", a.index(), b.index()));
        }
        s.push_str("}\n");
        s
    }
}
