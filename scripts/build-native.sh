#!/usr/bin/env bash
# Builds the native addon (native/parquet-writer, Rust: the Parquet writer and the inputs' gzip decoder) into native/parquet-writer/logbeam-parquet-writer.node.
# Optional: without it logbeam encodes Parquet with parquet-wasm (about 4x slower) and gunzips with node:zlib. Needs Rust's cargo (rustup.rs);
# crates come from crates.io. Build output is kept in .cache/native-target, so a rebuild only compiles what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
# rustup installs into ~/.cargo/bin, which non-login shells may not have on PATH.
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then PATH="$HOME/.cargo/bin:$PATH"; fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "build:native: cargo not found; install Rust (https://rustup.rs) or keep using parquet-wasm (nothing to do)" >&2
  exit 1
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/.cache/native-target}"
cargo build --release --locked --manifest-path native/parquet-writer/Cargo.toml
cp "$CARGO_TARGET_DIR/release/liblogbeam_parquet_writer.so" native/parquet-writer/logbeam-parquet-writer.node.tmp
mv native/parquet-writer/logbeam-parquet-writer.node.tmp native/parquet-writer/logbeam-parquet-writer.node
echo "build:native: native/parquet-writer/logbeam-parquet-writer.node"
