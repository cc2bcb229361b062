//! What the published documentation cites is in the repository: README.md, the rustdoc of
//! `src/` (whose `regenerating` page is `openapi/README.md`) and the examples name no research
//! file that stays behind, and every repository path they quote in backticks exists.

use std::path::{Path, PathBuf};

/// Files a reader of the crate does not have (the project's shared research).
const ELSEWHERE: [&str; 6] = [
    "shared/",
    "contract.md",
    "mfa-verification.md",
    "versions.md",
    "live-server.md",
    "medusa/live/",
];

/// Where the repository's own paths start.
const ROOTS: [&str; 7] = [
    "src/",
    "tests/",
    "scripts/",
    "openapi/",
    "examples/",
    "benches/",
    "build/",
];

fn documents() -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = vec![
        root.join("README.md"),
        root.join("openapi/README.md"),
        root.join("CHANGELOG.md"),
    ];
    walk(&root.join("src"), &mut found);
    walk(&root.join("examples"), &mut found);
    found
}

#[test]
fn documentation_cites_only_what_the_repository_has() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    for path in documents() {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.strip_prefix(root).unwrap().display().to_string();
        // In Rust files, only the documentation is published.
        let published: Vec<&str> = if name.ends_with(".rs") {
            text.lines()
                .map(str::trim_start)
                .filter(|l| l.starts_with("//!") || l.starts_with("///"))
                .collect()
        } else {
            text.lines().collect()
        };
        for line in published {
            for elsewhere in ELSEWHERE {
                if line.contains(elsewhere) {
                    problems.push(format!("{name}: cites `{elsewhere}`: {line}"));
                }
            }
            for quoted in line.split('`').skip(1).step_by(2) {
                let quoted = quoted.split([' ', ':', '#']).next().unwrap_or_default();
                let is_path = ROOTS.iter().any(|r| quoted.starts_with(r))
                    && !quoted.contains(['*', '{', '<', '$'])
                    && !quoted.contains("NN");
                if is_path && !root.join(quoted.trim_end_matches('/')).exists() {
                    problems.push(format!("{name}: `{quoted}` is not in the repository"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
