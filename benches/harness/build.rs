//! Generates a second, bare progenitor client from the crate's document for the benchmarks'
//! `progenitor` client: progenitor's defaults (no inner type, no hooks, no replacements), only
//! the same preparation of the document and the crate's rename. It measures what the generated
//! method costs by itself, before anything the crate adds, so BENCHMARKS.md can split the
//! crate's overhead into "generated code" and "hand-written layer".

#[path = "../../build/checks.rs"]
#[allow(dead_code)]
mod checks;

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=../../openapi");
    println!("cargo:rerun-if-changed=../../build");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let text = std::fs::read_to_string(manifest.join("../../openapi/store-auth.yaml")).unwrap();
    let mut spec = checks::parse(&text).unwrap();
    checks::prepare_for_generator(&mut spec);
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Positional)
        .with_tag(progenitor::TagStyle::Merged);
    for (from, to) in checks::RENAMES {
        settings.with_patch(from, progenitor::TypePatch::default().with_rename(to));
    }
    let tokens = progenitor::Generator::new(&settings)
        .generate_tokens(&spec)
        .unwrap();
    let file: syn::File = syn::parse2(tokens).unwrap();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("bare.rs");
    std::fs::write(out, prettyplease::unparse(&file)).unwrap();
}
