//! Small helpers shared by every output path.

pub mod aside;
pub mod files;
pub mod human;
pub mod sanitize;
pub mod stdout;
