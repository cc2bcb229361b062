//! Rebuilds a vendored document of `openapi/` from an upstream Medusa store OpenAPI bundle:
//! `store-auth.yaml` (Medusa v1, `--line v1`, the default) or `store-auth-v2.yaml` (Medusa v2,
//! `--line v2`).
//!
//! ```text
//! cargo run --manifest-path scripts/vendor-openapi/Cargo.toml -- \
//!     <upstream store openapi.full.yaml> --commit <upstream commit> [--line v1|v2] [--out-dir openapi]
//! ```
//!
//! Steps: keep the line's operations, take the `$ref` closure of what they use, apply the
//! line's patches (`patches.rs`, `patches_v2.rs`: the only places a document is changed),
//! prune what the patches made unreachable, then write the document and the line's patch
//! list in `openapi/README.md`. The output is deterministic, so CI can re-run it and diff.

mod extract;
mod patches;
mod patches_v2;

use std::path::PathBuf;
use std::process::ExitCode;

// The operations the crate calls: the crate's own lists.
#[path = "../../../src/operation.rs"]
mod operation;
#[path = "../../../src/v1/operations.rs"]
mod operations;
#[path = "../../../src/v2/operations.rs"]
mod operations_v2;

/// One Medusa line: which operations, which patches, where the result goes.
struct Line {
    operations: &'static [operation::Operation],
    added_by_patches: &'static [&'static str],
    patches: &'static [patches::Patch],
    patches_file: &'static str,
    file: &'static str,
    title: &'static str,
    readme_begin: &'static str,
    readme_end: &'static str,
}

const V1: Line = Line {
    operations: &operations::OPERATIONS,
    added_by_patches: &[],
    patches: patches::ALL,
    patches_file: "patches.rs",
    file: "store-auth.yaml",
    title: "Medusa v1 Store API, store-auth subset: the five operations the crate wraps and what they use.",
    readme_begin: "<!-- patches:begin (written by scripts/vendor-openapi) -->",
    readme_end: "<!-- patches:end -->",
};

const V2: Line = Line {
    operations: &operations_v2::OPERATIONS,
    added_by_patches: &operations_v2::ADDED_BY_PATCHES,
    patches: patches_v2::ALL,
    patches_file: "patches_v2.rs",
    file: "store-auth-v2.yaml",
    title: "Medusa v2 store document, customer-auth subset: the auth and customer operations the crate wraps.",
    readme_begin: "<!-- v2-patches:begin (written by scripts/vendor-openapi --line v2) -->",
    readme_end: "<!-- v2-patches:end -->",
};

struct Args {
    upstream: PathBuf,
    commit: String,
    out_dir: PathBuf,
    line: &'static Line,
}

fn parse_args() -> Result<Args, String> {
    let usage = "usage: vendor-openapi <upstream openapi.full.yaml> --commit <sha> [--line v1|v2] [--out-dir openapi]";
    let mut upstream = None;
    let mut commit = None;
    let mut out_dir = PathBuf::from("openapi");
    let mut line = &V1;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--commit" => commit = Some(args.next().ok_or(usage)?),
            "--out-dir" => out_dir = PathBuf::from(args.next().ok_or(usage)?),
            "--line" => {
                line = match args.next().as_deref() {
                    Some("v1") => &V1,
                    Some("v2") => &V2,
                    _ => return Err(format!("--line takes v1 or v2\n{usage}")),
                }
            }
            "-h" | "--help" => return Err(usage.to_string()),
            _ if upstream.is_none() && !arg.starts_with('-') => upstream = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument `{arg}`\n{usage}")),
        }
    }
    let commit = commit.ok_or(usage)?;
    if commit.len() < 7 || !commit.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("--commit wants the upstream git commit (hex), got `{commit}`"));
    }
    Ok(Args { upstream: upstream.ok_or(usage)?, commit, out_dir, line })
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let line = args.line;
    let text = std::fs::read_to_string(&args.upstream)
        .map_err(|e| format!("cannot read {}: {e}", args.upstream.display()))?;
    let upstream: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text)
        .map_err(|e| format!("{} is not YAML: {e}", args.upstream.display()))?;

    let mut doc = extract::subset(&upstream, line.operations, line.added_by_patches, &args.commit)?;
    for patch in line.patches {
        (patch.apply)(&mut doc).map_err(|e| format!("patch `{}`: {e}", patch.id))?;
    }
    extract::prune_components(&mut doc)?;

    let header = format!(
        "# {title}\n\
         # Written by scripts/vendor-openapi from medusajs/medusa@{commit}\n\
         # (www/apps/api-reference/specs/store/openapi.full.yaml) with the patches listed in openapi/README.md.\n\
         # Edit freely: build.rs regenerates the client from this file on the next `cargo build`.\n\
         # A later vendoring overwrites this file, so make lasting changes as a patch in\n\
         # scripts/vendor-openapi/src/{patches_file}.\n",
        title = line.title,
        patches_file = line.patches_file,
        commit = args.commit
    );
    let body = serde_yaml_ng::to_string(&doc).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&args.out_dir).map_err(|e| e.to_string())?;
    let out = args.out_dir.join(line.file);
    std::fs::write(&out, format!("{header}{body}")).map_err(|e| format!("{}: {e}", out.display()))?;

    let readme = args.out_dir.join("README.md");
    write_patch_list(&readme, line, &args.commit)?;
    eprintln!(
        "wrote {} ({} patches applied) and the patch list in {}",
        out.display(),
        line.patches.len(),
        readme.display()
    );
    Ok(())
}

/// Replaces the line's generated section of `openapi/README.md` (between its markers) with
/// the patch list.
fn write_patch_list(readme: &std::path::Path, line: &Line, commit: &str) -> Result<(), String> {
    let (begin, end) = (line.readme_begin, line.readme_end);
    let mut list = format!(
        "{begin}\nUpstream: medusajs/medusa commit `{commit}`, `www/apps/api-reference/specs/store/openapi.full.yaml`.\n\n\
         | # | patch | what and why |\n|---|---|---|\n"
    );
    for (i, patch) in line.patches.iter().enumerate() {
        list.push_str(&format!("| {} | `{}` | {} |\n", i + 1, patch.id, patch.reason));
    }
    list.push_str(end);

    let current = std::fs::read_to_string(readme).unwrap_or_default();
    let updated = match (current.find(begin), current.find(end)) {
        (Some(b), Some(e)) if b < e => {
            format!("{}{}{}", &current[..b], list, &current[e + end.len()..])
        }
        _ => format!("{current}\n{list}\n"),
    };
    std::fs::write(readme, updated).map_err(|e| format!("{}: {e}", readme.display()))
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("vendor-openapi: {message}");
            ExitCode::FAILURE
        }
    }
}
