//! Rebuilds `openapi/store-auth.yaml` from an upstream Medusa v1 store OpenAPI bundle.
//!
//! ```text
//! cargo run --manifest-path scripts/vendor-openapi/Cargo.toml -- \
//!     <upstream store openapi.full.yaml> --commit <upstream commit> [--out-dir openapi]
//! ```
//!
//! Steps: keep the five store-auth operations, take the `$ref` closure of what they use,
//! apply the patches of `patches.rs` (the only place the document is changed), prune what
//! the patches made unreachable, then write the document and the patch list of
//! `openapi/README.md`. The output is deterministic, so CI can re-run it and diff.

mod extract;
mod patches;

use std::path::PathBuf;
use std::process::ExitCode;

// The operations the crate calls: the crate's own list (src/v1/operations.rs).
#[path = "../../../src/operation.rs"]
mod operation;
#[path = "../../../src/v1/operations.rs"]
mod operations;

const README_BEGIN: &str = "<!-- patches:begin (written by scripts/vendor-openapi) -->";
const README_END: &str = "<!-- patches:end -->";

struct Args {
    upstream: PathBuf,
    commit: String,
    out_dir: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let usage = "usage: vendor-openapi <upstream openapi.full.yaml> --commit <sha> [--out-dir openapi]";
    let mut upstream = None;
    let mut commit = None;
    let mut out_dir = PathBuf::from("openapi");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--commit" => commit = Some(args.next().ok_or(usage)?),
            "--out-dir" => out_dir = PathBuf::from(args.next().ok_or(usage)?),
            "-h" | "--help" => return Err(usage.to_string()),
            _ if upstream.is_none() && !arg.starts_with('-') => upstream = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument `{arg}`\n{usage}")),
        }
    }
    let commit = commit.ok_or(usage)?;
    if commit.len() < 7 || !commit.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("--commit wants the upstream git commit (hex), got `{commit}`"));
    }
    Ok(Args { upstream: upstream.ok_or(usage)?, commit, out_dir })
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let text = std::fs::read_to_string(&args.upstream)
        .map_err(|e| format!("cannot read {}: {e}", args.upstream.display()))?;
    let upstream: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text)
        .map_err(|e| format!("{} is not YAML: {e}", args.upstream.display()))?;

    let mut doc = extract::subset(&upstream, &operations::OPERATIONS, &args.commit)?;
    for patch in patches::ALL {
        (patch.apply)(&mut doc).map_err(|e| format!("patch `{}`: {e}", patch.id))?;
    }
    extract::prune_components(&mut doc)?;

    let header = format!(
        "# Medusa v1 Store API, store-auth subset: the five operations the crate wraps and what they use.\n\
         # Written by scripts/vendor-openapi from medusajs/medusa@{commit}\n\
         # (www/apps/api-reference/specs/store/openapi.full.yaml) with the patches listed in openapi/README.md.\n\
         # Edit freely: build.rs regenerates the client from this file on the next `cargo build`.\n\
         # A later vendoring overwrites this file, so make lasting changes as a patch in\n\
         # scripts/vendor-openapi/src/patches.rs.\n",
        commit = args.commit
    );
    let body = serde_yaml_ng::to_string(&doc).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&args.out_dir).map_err(|e| e.to_string())?;
    let out = args.out_dir.join("store-auth.yaml");
    std::fs::write(&out, format!("{header}{body}")).map_err(|e| format!("{}: {e}", out.display()))?;

    let readme = args.out_dir.join("README.md");
    write_patch_list(&readme, &args.commit)?;
    eprintln!(
        "wrote {} ({} patches applied) and the patch list in {}",
        out.display(),
        patches::ALL.len(),
        readme.display()
    );
    Ok(())
}

/// Replaces the generated section of `openapi/README.md` (between the markers) with the patch list.
fn write_patch_list(readme: &std::path::Path, commit: &str) -> Result<(), String> {
    let mut list = format!(
        "{README_BEGIN}\nUpstream: medusajs/medusa commit `{commit}`, `www/apps/api-reference/specs/store/openapi.full.yaml`.\n\n\
         | # | patch | what and why |\n|---|---|---|\n"
    );
    for (i, patch) in patches::ALL.iter().enumerate() {
        list.push_str(&format!("| {} | `{}` | {} |\n", i + 1, patch.id, patch.reason));
    }
    list.push_str(README_END);

    let current = std::fs::read_to_string(readme).unwrap_or_default();
    let updated = match (current.find(README_BEGIN), current.find(README_END)) {
        (Some(b), Some(e)) if b < e => {
            format!("{}{}{}", &current[..b], list, &current[e + README_END.len()..])
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
