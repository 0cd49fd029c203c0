#!/usr/bin/env bash
# Installs everything vmkit's build and tests need on a fresh Debian machine (run as root).
# clang: cc-rs cross-compiles C/assembly of dependencies for the Apple targets with it.
# Idempotent: skips what is already present.
set -euo pipefail
need_apt=()
for pair in dot:graphviz qemu-aarch64:qemu-user aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu \
            ld.lld:lld llvm-objdump:llvm /usr/bin/time:time clang:clang; do
  cmd=${pair%%:*}; pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
installed=$(rustup target list --installed)
for t in aarch64-unknown-linux-gnu aarch64-apple-darwin x86_64-apple-darwin; do
  grep -qx "$t" <<<"$installed" || rustup target add "$t"
done
echo "setup: ok"
