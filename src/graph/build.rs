//! Builds graph entities from Zoom API models (JupiterOne property names). SKELETON.
