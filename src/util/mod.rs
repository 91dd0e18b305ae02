//! Small helpers shared by every output path.

pub(crate) mod sanitize;
