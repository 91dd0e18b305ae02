//! Flattening of user settings onto `zoom_user` (JupiterOne's Appendix A
//! names) and redaction of secrets. SKELETON.
