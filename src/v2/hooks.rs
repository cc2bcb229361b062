//! The generated client's hooks: `pre` and `exec` hand over to the runtime's
//! [`AttemptContext`](crate::runtime::AttemptContext), as for every API line.

crate::runtime::attempt_hooks!(super::generated::Client);
