//! Cutting a subset out of the upstream bundle: an API line's operations and the transitive
//! closure of the components they reference.

use std::collections::BTreeSet;

use serde_yaml_ng::{Mapping, Value};

fn key(s: &str) -> Value {
    Value::String(s.to_string())
}

/// Builds the subset document: top-level metadata, the operations, and every component
/// they reach through `$ref` or a security requirement.
pub fn subset(
    upstream: &Value,
    operations: &[crate::operation::Operation],
    added_by_patches: &[&str],
    commit: &str,
) -> Result<Value, String> {
    let version = upstream.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.0.") {
        return Err(format!(
            "upstream declares `openapi: {version}`; this tool and progenitor take OpenAPI 3.0.x only"
        ));
    }
    let upstream_paths = upstream
        .get("paths")
        .and_then(Value::as_mapping)
        .ok_or("upstream has no `paths`")?;

    let mut paths = Mapping::new();
    let mut tags_used = BTreeSet::new();
    for operation in operations.iter().filter(|o| !added_by_patches.contains(&o.name)) {
        let (operation_id, path) = (&operation.name, &operation.path);
        let method = operation.method.to_lowercase();
        let op = upstream_paths
            .get(*path)
            .and_then(|item| item.get(method.as_str()))
            .ok_or_else(|| format!("upstream has no `{} {path}` (operation {operation_id})", method.to_uppercase()))?;
        let found = op.get("operationId").and_then(Value::as_str).unwrap_or("");
        if found != *operation_id {
            return Err(format!(
                "`{} {path}` has operationId `{found}`, expected `{operation_id}`",
                method.to_uppercase()
            ));
        }
        for tag in op.get("tags").and_then(Value::as_sequence).into_iter().flatten() {
            if let Some(tag) = tag.as_str() {
                tags_used.insert(tag.to_string());
            }
        }
        let item = paths
            .entry(key(path))
            .or_insert_with(|| Value::Mapping(Mapping::new()))
            .as_mapping_mut()
            .expect("path items are mappings");
        item.insert(key(&method), op.clone());
    }

    let mut doc = Mapping::new();
    doc.insert(key("openapi"), upstream["openapi"].clone());
    let mut info = upstream.get("info").cloned().unwrap_or(Value::Mapping(Mapping::new()));
    if let Some(info) = info.as_mapping_mut() {
        let mut provenance = Mapping::new();
        provenance.insert(key("repository"), key("medusajs/medusa"));
        provenance.insert(key("commit"), key(commit));
        provenance.insert(key("path"), key("www/apps/api-reference/specs/store/openapi.full.yaml"));
        info.insert(key("x-upstream"), Value::Mapping(provenance));
    }
    doc.insert(key("info"), info);
    if let Some(servers) = upstream.get("servers") {
        doc.insert(key("servers"), servers.clone());
    }
    let tags: Vec<Value> = upstream
        .get("tags")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter(|t| t.get("name").and_then(Value::as_str).is_some_and(|n| tags_used.contains(n)))
        .cloned()
        .collect();
    doc.insert(key("tags"), Value::Sequence(tags));
    doc.insert(key("paths"), Value::Mapping(paths));
    // Start from every upstream component; `prune_components` keeps what is reachable.
    doc.insert(key("components"), upstream.get("components").cloned().unwrap_or_default());
    let mut doc = Value::Mapping(doc);
    prune_components(&mut doc)?;
    Ok(doc)
}

/// Drops every component that the paths no longer reach, keeping upstream order.
pub fn prune_components(doc: &mut Value) -> Result<(), String> {
    let reachable = closure(doc)?;
    let components = doc
        .get_mut("components")
        .and_then(Value::as_mapping_mut)
        .ok_or("document has no `components`")?;
    for (kind, entries) in components.iter_mut() {
        let kind = kind.as_str().unwrap_or_default().to_string();
        if let Some(entries) = entries.as_mapping_mut() {
            entries.retain(|name, _| {
                reachable.contains(&(kind.clone(), name.as_str().unwrap_or_default().to_string()))
            });
        }
    }
    components.retain(|_, entries| entries.as_mapping().is_none_or(|m| !m.is_empty()));
    Ok(())
}

/// `(kind, name)` of every component reachable from the paths.
fn closure(doc: &Value) -> Result<BTreeSet<(String, String)>, String> {
    let mut seen = BTreeSet::new();
    let mut todo = Vec::new();
    collect_refs(&doc["paths"], &mut todo)?;
    while let Some((kind, name)) = todo.pop() {
        if !seen.insert((kind.clone(), name.clone())) {
            continue;
        }
        let target = doc
            .get("components")
            .and_then(|c| c.get(kind.as_str()))
            .and_then(|c| c.get(name.as_str()))
            .ok_or_else(|| format!("`#/components/{kind}/{name}` is referenced but missing"))?;
        collect_refs(target, &mut todo)?;
    }
    Ok(seen)
}

/// Pushes every `$ref` target and every named security scheme found under `value`.
fn collect_refs(value: &Value, out: &mut Vec<(String, String)>) -> Result<(), String> {
    match value {
        Value::Mapping(map) => {
            for (k, v) in map {
                match k.as_str() {
                    Some("$ref") => {
                        let target = v.as_str().unwrap_or_default();
                        let rest = target
                            .strip_prefix("#/components/")
                            .ok_or_else(|| format!("only local `$ref`s are supported, found `{target}`"))?;
                        let (kind, name) = rest
                            .split_once('/')
                            .ok_or_else(|| format!("malformed `$ref` `{target}`"))?;
                        out.push((kind.to_string(), name.to_string()));
                    }
                    Some("security") => {
                        for requirement in v.as_sequence().into_iter().flatten() {
                            for scheme in requirement.as_mapping().into_iter().flat_map(|m| m.keys()) {
                                if let Some(scheme) = scheme.as_str() {
                                    out.push(("securitySchemes".into(), scheme.to_string()));
                                }
                            }
                        }
                    }
                    _ => collect_refs(v, out)?,
                }
            }
        }
        Value::Sequence(items) => {
            for item in items {
                collect_refs(item, out)?;
            }
        }
        _ => {}
    }
    Ok(())
}
