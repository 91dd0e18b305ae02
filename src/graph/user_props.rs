//! Which `zoom_user` properties come from the user record and which are
//! flattened settings. The store relies on this split to carry a user's
//! settings forward when a sync did not fetch them.

/// Every property a `zoom_user` gets from the user record itself (sorted:
/// sync's converter fills them by their slot in this list). Anything else
/// on a user is a flattened setting.
pub const USER_BASE_PROPS: &[&str] = &[
    "active",
    "createdAt",
    "dept",
    "displayName",
    "email",
    "employeeUniqueId",
    "firstName",
    "groupIds",
    "id",
    "imGroupIds",
    "jobTitle",
    "language",
    "lastClientVersion",
    "lastLoginTime",
    "lastName",
    "location",
    "name",
    "phoneNumber",
    "picUrl",
    "planUnitedType",
    "pmi",
    "roleId",
    "roleName",
    "status",
    "tag.AccountName",
    "timezone",
    "type",
    "userCreatedAt",
    "username",
    "verified",
];

/// Prefix of the properties made from a user's `custom_attributes` (part of
/// the user record, like the base properties).
pub const CUSTOM_ATTRIBUTE_PREFIX: &str = "customAttribute.";

/// Whether a `zoom_user` property is a flattened setting (not a base
/// property). `loginTypes` counts as one: it comes from `GET /users/{id}`
/// with the settings (`sync --user-settings`), not from the listing, so the
/// store carries it over with them.
pub fn is_user_setting_prop(name: &str) -> bool {
    !name.starts_with(CUSTOM_ATTRIBUTE_PREFIX) && USER_BASE_PROPS.binary_search(&name).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_prop_list_is_sorted_so_the_search_works() {
        assert!(USER_BASE_PROPS.windows(2).all(|w| w[0] < w[1]));
        assert!(!is_user_setting_prop("roleName"));
        assert!(is_user_setting_prop("inMeetingE2eEncryption"));
    }
}
