//! Small helpers shared by every output path.

pub mod sanitize;
