//! With the `schemars` feature, every generated type (and the hand-written payloads)
//! derives `JsonSchema`, so users can export or validate the schemas.
#![cfg(feature = "schemars")]

use medusa_store_auth::v1::types::{
    Customer, StoreAuthRes, StoreBearerAuthRes, StoreError, StorePostAuthReq,
};

#[test]
fn generated_types_export_their_json_schema_with_the_documents_descriptions() {
    let schema = serde_json::to_value(schemars::schema_for!(Customer)).unwrap();
    assert_eq!(
        schema["properties"]["first_name"]["description"],
        "The customer's first name"
    );
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        required.contains(&"email") && required.contains(&"created_at"),
        "{required:?}"
    );

    let error = serde_json::to_value(schemars::schema_for!(StoreError)).unwrap();
    assert_eq!(error["required"], serde_json::json!(["message"]));
    assert!(
        serde_json::to_value(schemars::schema_for!(StoreAuthRes)).unwrap()["properties"]
            ["customer"]
            .is_object()
    );
}

#[test]
fn the_hand_written_payloads_have_the_wire_shape() {
    let login = serde_json::to_value(schemars::schema_for!(StorePostAuthReq)).unwrap();
    assert_eq!(login["properties"]["password"]["type"], "string");
    let token = serde_json::to_value(schemars::schema_for!(StoreBearerAuthRes)).unwrap();
    assert_eq!(token["properties"]["access_token"]["type"], "string");
}
