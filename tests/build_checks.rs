//! Every message build.rs gives for a document the generator or the hand-written layer
//! cannot take. The checks are the same file build.rs compiles.

#[path = "../build/checks.rs"]
mod checks;

use serde_yaml_ng::Value;

fn vendored() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/openapi/store-auth.yaml"
    ))
    .unwrap();
    serde_yaml_ng::from_str(&text).unwrap()
}

/// The problems build.rs would report for `doc`, after the same preparation.
fn problems(doc: &Value) -> Vec<String> {
    let text = serde_yaml_ng::to_string(doc).unwrap();
    let mut spec = match checks::parse(&text) {
        Ok(spec) => spec,
        Err(message) => return vec![message],
    };
    checks::prepare_for_generator(&mut spec);
    checks::check(&spec, &checks::V1).err().unwrap_or_default()
}

fn yaml(text: &str) -> Value {
    serde_yaml_ng::from_str(text).unwrap()
}

#[test]
fn the_vendored_document_passes_and_only_its_401s_are_left_to_the_wrapper() {
    assert_eq!(problems(&vendored()), Vec::<String>::new());
    let text = serde_yaml_ng::to_string(&vendored()).unwrap();
    let mut spec = checks::parse(&text).unwrap();
    let mut left_out = checks::prepare_for_generator(&mut spec);
    left_out.sort();
    assert_eq!(left_out, ["GetAuth 401", "PostAuth 401", "PostToken 401"]);
}

#[test]
fn the_v2_document_passes_and_declares_every_error_as_json() {
    let line = &checks::V2;
    let text = std::fs::read_to_string(format!("{}/{}", env!("CARGO_MANIFEST_DIR"), line.document))
        .unwrap();
    let mut spec = checks::parse(&text).unwrap();
    // Medusa v2 sends JSON with every error: nothing is left to the wrapper to decode.
    assert_eq!(
        checks::prepare_for_generator(&mut spec),
        Vec::<String>::new()
    );
    assert_eq!(checks::check(&spec, line), Ok(()));
    // The v1 document lacks every v2 operation, and build.rs says where each is called.
    let v1 = checks::parse(&serde_yaml_ng::to_string(&vendored()).unwrap()).unwrap();
    let missing = checks::check(&v1, line).unwrap_err();
    assert!(missing.contains(&"operation `GetCustomersMe` is missing: `retrieve_customer` in src/v2/ calls it; restore it in openapi/store-auth-v2.yaml (operationId: GetCustomersMe)".to_string()), "{missing:#?}");
}

#[test]
fn openapi_3_1_is_refused_with_what_to_do() {
    let mut doc = vendored();
    doc["openapi"] = "3.1.0".into();
    assert_eq!(
        problems(&doc),
        ["the document is OpenAPI 3.1.0; progenitor takes 3.0.x only: set `openapi: 3.0.3` and express 3.1 features (type arrays, `const`, ...) in 3.0 terms"]
    );
    doc.as_mapping_mut().unwrap().remove("openapi");
    assert_eq!(
        problems(&doc),
        ["the document has no `openapi:` version; progenitor takes OpenAPI 3.0.x"]
    );
}

#[test]
fn an_operation_without_operation_id_is_named_by_method_and_path() {
    let mut doc = vendored();
    doc["paths"]["/store/auth/token"]["post"]
        .as_mapping_mut()
        .unwrap()
        .remove("operationId");
    assert_eq!(
        problems(&doc),
        [
            "`POST /store/auth/token` has no operationId: add one; progenitor names the generated method after it",
            "operation `PostToken` is missing: `get_token` in src/v1/auth.rs calls it; restore it in openapi/store-auth.yaml (operationId: PostToken)",
        ]
    );
}

#[test]
fn a_missing_operation_names_the_wrapper_method_that_needs_it() {
    let mut doc = vendored();
    doc["paths"]
        .as_mapping_mut()
        .unwrap()
        .remove("/store/auth/{email}");
    assert_eq!(
        problems(&doc),
        ["operation `GetAuthEmail` is missing: `exists` in src/v1/auth.rs calls it; restore it in openapi/store-auth.yaml (operationId: GetAuthEmail)"]
    );
}

#[test]
fn mixed_success_bodies_are_named_with_their_statuses() {
    let mut doc = vendored();
    doc["paths"]["/store/auth"]["get"]["responses"]["204"] = yaml("description: No content");
    assert_eq!(
        problems(&doc),
        ["`GetAuth` (GET /store/auth): its success responses have different bodies (204: no body; 200: JSON `StoreAuthRes`); progenitor takes one body type per outcome: give them one schema, or remove the odd one out"]
    );
}

#[test]
fn mixed_json_error_bodies_are_named_with_their_statuses() {
    let mut doc = vendored();
    doc["paths"]["/store/auth"]["post"]["responses"]["429"] =
        yaml("description: Slow down\ncontent:\n  application/json:\n    schema:\n      $ref: '#/components/schemas/StoreGetAuthEmailRes'");
    assert_eq!(
        problems(&doc),
        ["`PostAuth` (POST /store/auth): its error responses have different bodies (400, 404, 409, 422, 500: JSON `Error`; 429: JSON `StoreGetAuthEmailRes`); progenitor takes one body type per outcome: give them one schema, or remove the odd one out"]
    );
}

#[test]
fn a_default_response_counts_as_success_and_error() {
    let mut doc = vendored();
    doc["paths"]["/store/auth/token"]["post"]["responses"]["default"] =
        yaml("description: Anything else");
    let problems = problems(&doc);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("`PostToken` (POST /store/auth/token): its success responses have different bodies (default: no body; 200: JSON `StoreBearerAuthRes`)"));
    assert!(problems[1].starts_with("`PostToken` (POST /store/auth/token): its error responses have different bodies (default: no body;"));
}

#[test]
fn json_without_a_schema_is_refused() {
    let mut doc = vendored();
    doc["paths"]["/store/auth/{email}"]["get"]["responses"]["200"] =
        yaml("description: OK\ncontent:\n  application/json: {}");
    assert_eq!(
        problems(&doc),
        ["`GetAuthEmail` (GET /store/auth/{email}): response 200: `application/json` has no `schema`; add one (or `{}` for any JSON)"]
    );
}

#[test]
fn a_schema_the_wrapper_uses_cannot_be_renamed_away() {
    let mut doc = vendored();
    let schemas = doc["components"]["schemas"].as_mapping_mut().unwrap();
    let auth_res = schemas.remove("StoreAuthRes").unwrap();
    schemas.insert("StoreSessionRes".into(), auth_res);
    let text = serde_yaml_ng::to_string(&doc)
        .unwrap()
        .replace("schemas/StoreAuthRes'", "schemas/StoreSessionRes'");
    assert_eq!(
        problems(&yaml(&text)),
        ["schema `StoreAuthRes` is missing: src/v1/auth.rs returns its `customer`; keep the name in openapi/store-auth.yaml"]
    );
}

#[test]
fn a_schema_taking_a_generated_name_is_a_collision() {
    let mut doc = vendored();
    doc["components"]["schemas"]["StoreError"] = yaml("type: object");
    assert_eq!(
        problems(&doc),
        ["schema `StoreError` collides with the name build.rs gives to schema `Error`: rename `StoreError` in openapi/store-auth.yaml, or change RENAMES in build/checks.rs and the uses in src/"]
    );
}

#[test]
fn a_replaced_schema_must_keep_the_properties_of_its_hand_written_type() {
    let mut doc = vendored();
    doc["components"]["schemas"]["StorePostAuthReq"]["properties"]["remember"] =
        yaml("type: boolean");
    assert_eq!(
        problems(&doc),
        ["schema `StorePostAuthReq` has properties [email, password, remember] but the hand-written `crate::credentials::StorePostAuthReq` that replaces it (src/credentials.rs, to keep secrets out of Debug) has [email, password]: change that type to match, then its `replacements` in build/checks.rs"]
    );
    doc["components"]["schemas"]
        .as_mapping_mut()
        .unwrap()
        .remove("StoreBearerAuthRes");
    let text = serde_yaml_ng::to_string(&doc).unwrap().replace(
        "$ref: '#/components/schemas/StoreBearerAuthRes'",
        "type: object",
    );
    assert!(problems(&yaml(&text)).contains(
        &"schema `StoreBearerAuthRes` is missing: the crate replaces it with `crate::credentials::StoreBearerAuthRes` (src/credentials.rs); keep the name in openapi/store-auth.yaml".to_string()
    ));
}

#[test]
fn text_that_is_not_yaml_is_refused() {
    let problems = match checks::parse("openapi: [3.0") {
        Ok(_) => panic!("not YAML"),
        Err(message) => message,
    };
    assert!(
        problems.starts_with("the document is not valid YAML or JSON: "),
        "{problems}"
    );
}
