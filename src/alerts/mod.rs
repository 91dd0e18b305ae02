//! Alert rules over the graph. SKELETON: being written.

pub mod config;
pub mod rule;
