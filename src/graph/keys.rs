//! Entity `_key`s, in JupiterOne's formats (`zoom_user:<id>`, …).

use super::normalize_email;

/// A user's `_key`: `zoom_user:<id>`, or for a pending user (no id)
/// `zoom_user:pending:<lower-cased, trimmed email>`.
pub fn user_key(id: Option<&str>, email: &str) -> String {
    match id.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => format!("zoom_user:{id}"),
        None => format!("zoom_user:pending:{}", normalize_email(email)),
    }
}

/// The `_key` [`user_key`] gives a user with neither id nor e-mail: such a
/// user cannot be told apart from another, so it is not added.
pub const NAMELESS_USER_KEY: &str = "zoom_user:pending:";

pub fn group_key(id: &str) -> String {
    format!("zoom_group:{id}")
}

pub fn role_key(id: &str) -> String {
    format!("zoom_role:{id}")
}

pub fn account_key(account_id: &str) -> String {
    format!("zoom_account:{account_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_users_are_keyed_by_normalised_email() {
        assert_eq!(user_key(Some(" u1 "), "x@y.z"), "zoom_user:u1");
        assert_eq!(
            user_key(Some(""), " Pending@Example.com "),
            "zoom_user:pending:pending@example.com"
        );
        assert_eq!(user_key(None, "  "), NAMELESS_USER_KEY);
        assert_eq!(group_key("g1"), "zoom_group:g1");
        assert_eq!(role_key("2"), "zoom_role:2");
        assert_eq!(account_key("A"), "zoom_account:A");
    }
}
