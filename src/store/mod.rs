//! SQLite snapshot store. SKELETON: to be written (see issue 3 §5).
