// The operations of `openapi/store-auth.yaml` the crate calls: the one list. Compiled into
// the crate (src/v1/auth.rs's calls, src/mock.rs's routes), into build.rs and its tests
// (build/checks.rs checks the document has each) and into scripts/vendor-openapi (which cuts
// them from the upstream bundle). Plain data: it imports only `Operation` (src/operation.rs).

use super::operation::Operation;

pub const POST_AUTH: Operation = Operation {
    name: "PostAuth",
    method: "POST",
    path: "/store/auth",
    call: "authenticate",
    publishable_key: false,
};
pub const DELETE_AUTH: Operation = Operation {
    name: "DeleteAuth",
    method: "DELETE",
    path: "/store/auth",
    call: "delete_session",
    publishable_key: false,
};
pub const GET_AUTH: Operation = Operation {
    name: "GetAuth",
    method: "GET",
    path: "/store/auth",
    call: "get_session",
    publishable_key: false,
};
pub const GET_AUTH_EMAIL: Operation = Operation {
    name: "GetAuthEmail",
    method: "GET",
    path: "/store/auth/{email}",
    call: "exists",
    publishable_key: false,
};
pub const POST_TOKEN: Operation = Operation {
    name: "PostToken",
    method: "POST",
    path: "/store/auth/token",
    call: "get_token",
    publishable_key: false,
};

/// Every operation above: what build.rs checks the document for and the stand-in answers.
#[allow(dead_code)] // not every build that includes this file reads every entry
pub const OPERATIONS: [Operation; 5] =
    [POST_AUTH, DELETE_AUTH, GET_AUTH, GET_AUTH_EMAIL, POST_TOKEN];
