//! The JIT codewriter (filled by the JIT issue).
//!
//! Role: from the portal (the graph holding `jit_merge_point!`) and every graph the JIT policy lets
//! it look inside, produce *jitcodes*: a compact register bytecode (int/ref/float banks) with
//! liveness at every op that can become a guard or a call, plus descriptors for fields, arrays,
//! sizes and calls (with effect information). The runtime's meta-interpreter traces by interpreting
//! jitcodes. Input: the translator's lowered flow graphs. Nothing here is client-specific.
//!
//! Status: not implemented yet; the crate exists so the pipeline's boundaries are fixed.
