#!/usr/bin/env bash
# Build cost of compile-time generation (both Medusa lines), measured on scratch copies (the
# repo's target/ is not touched): clean debug builds of the crate as it is, without default features, and with its
# generated code checked in (no build.rs, no progenitor); the build script's run time; rebuilds
# after a document edit and after a src/ edit. Prints one JSON object.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

copy() { # copy <dir>
    mkdir -p "$1"
    cp -r "$repo/Cargo.toml" "$repo/Cargo.lock" "$repo/build.rs" "$repo/build" "$repo/openapi" "$repo/src" "$repo/README.md" "$repo/tests" "$1/"
    # The benchmark builds the library only; the self dev-dependency stays harmless.
}

clean_build() { # clean_build <dir> <target> [cargo args...]: prints "seconds crates"
    local dir=$1 target=$2
    shift 2
    local t0 t1 log
    log=$(mktemp)
    t0=$(now)
    (cd "$dir" && CARGO_TARGET_DIR=$target cargo build "$@" 2>"$log")
    t1=$(now)
    echo "$(secs "$t0" "$t1") $(grep -c '^ *Compiling ' "$log")"
}

copy "$scratch/crate"
read -r clean crates < <(clean_build "$scratch/crate" "$scratch/target")
read -r clean_no_tls crates_no_tls < <(clean_build "$scratch/crate" "$scratch/target-no-tls" --no-default-features --features tracing)

out_dir=$(ls -d "$scratch"/target/debug/build/medusa-store-auth-*/out | head -1)
script=$(ls "$scratch"/target/debug/build/medusa-store-auth-*/build-script-build | head -1)
generated_lines=$(cat "$out_dir"/store_auth.rs "$out_dir"/store_auth_v2.rs | wc -l)
runs=()
for _ in 1 2 3 4 5; do
    t0=$(now)
    (cd "$scratch/crate" && OUT_DIR=$(mktemp -d) CARGO_MANIFEST_DIR=$scratch/crate "$script" >/dev/null)
    runs+=("$(secs "$t0" "$(now)")")
done
script_run=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 3p)

sed -i 's/description: Whether email exists or not./description: Whether the email exists or not./' "$scratch/crate/openapi/store-auth.yaml"
t0=$(now); (cd "$scratch/crate" && CARGO_TARGET_DIR=$scratch/target cargo build -q); doc_edit=$(secs "$t0" "$(now)")
echo "// edited" >>"$scratch/crate/src/v1/client.rs"
t0=$(now); src_log=$( (cd "$scratch/crate" && CARGO_TARGET_DIR=$scratch/target cargo build -v 2>&1) ); src_edit=$(secs "$t0" "$(now)")
reran=$(grep -c 'Running `.*build-script-build`' <<<"$src_log" || true)

# The same crate with its generated code checked in: no build.rs, no build-dependencies.
copy "$scratch/static"
for line in v1 v2; do
    stem=store_auth$([ "$line" = v2 ] && echo _v2 || true)
    cp "$out_dir/$stem.rs" "$scratch/static/src/$line/generated_code.rs"
    sed -i "s|include!(concat!(env!(\"OUT_DIR\"), \"/$stem.rs\"));|include!(\"generated_code.rs\");|" "$scratch/static/src/$line/generated.rs"
done
rm -rf "$scratch/static/build.rs" "$scratch/static/build"
python3 - "$scratch/static/Cargo.toml" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r"\n\[build-dependencies\]\n(?:[^\[\n][^\n]*\n)*", "\n", s)
open(p, "w").write(s)
PY
read -r clean_static crates_static < <(clean_build "$scratch/static" "$scratch/target-static")

cat <<JSON
{"clean_build_s": $clean, "crates_compiled": $crates, "clean_build_no_tls_s": $clean_no_tls, "crates_compiled_no_tls": $crates_no_tls,
 "build_script_run_s": $script_run, "generated_lines": $generated_lines, "rebuild_doc_edit_s": $doc_edit,
 "rebuild_src_edit_s": $src_edit, "build_script_reran_after_src_edit": $reran,
 "clean_build_checked_in_s": $clean_static, "crates_compiled_checked_in": $crates_static}
JSON
