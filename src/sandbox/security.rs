//! What a Zoom security review reads, beyond the org's users, groups and
//! roles: group admins, trusted domains, user permissions and Zoom IQ
//! roles. Derived on request from the org and the seed (no state of its
//! own), so the same seed answers the same on every run, and a change to
//! the org (`/_sandbox/change`) shows here at once.
//!
//! Shapes from Zoom's OpenAPI documents (`docs/zoom-contract.md`):
//! `GET /groups/{groupId}/admins` → `{admins: [{email, name}], next_page_token,
//! page_size, total_records}` (Medium); `GET /accounts/{accountId}/trusted_domains`
//! → `{trusted_domains: [string]}` (Light); `GET /users/{userId}/permissions`
//! → `{permissions: [string]}` (Light); `GET /roles?type=iq` lists Zoom IQ
//! Sales roles.

use serde_json::{Value, json};

use super::SandboxConfig;
use super::index::IndexedOrg;
use super::model::User;
use super::paging::Page;
use super::rng::Rng;

/// A group's admins: one or two of its members (every group with members),
/// and in one group of four a contractor too (someone not on the HR roster,
/// which the "group admins who are not employees" rule finds). In list
/// order, de-duplicated.
pub fn group_admins<'a>(org: &'a IndexedOrg, cfg: &SandboxConfig, group: usize) -> Vec<&'a User> {
    let Some(g) = org.org.groups.get(group) else {
        return Vec::new();
    };
    let members = org.group_members.get(group).map_or(&[][..], Vec::as_slice);
    let mut r = Rng::stream(cfg.seed, &format!("group-admins|{}", g.id));
    let mut picked: Vec<u32> = Vec::new();
    if !members.is_empty() {
        let n = 1 + usize::from(r.chance(0.4));
        for _ in 0..n {
            if let Some(p) = members.get(r.index(members.len())) {
                picked.push(*p);
            }
        }
    }
    if r.chance(0.25) {
        let contractor = org.org.users.iter().position(|u| {
            u.id.is_some()
                && u.email
                    .ends_with(&format!("@{}", org.org.account.contractor_domain))
        });
        if let Some(p) = contractor.and_then(|p| u32::try_from(p).ok()) {
            picked.push(p);
        }
    }
    let mut seen = std::collections::HashSet::new();
    picked
        .into_iter()
        .filter(|p| seen.insert(*p))
        .filter_map(|p| org.org.users.get(p as usize))
        .collect()
}

/// One page of `GET /groups/{groupId}/admins`, paging fields first as Zoom
/// lays them out.
pub fn group_admins_page(admins: &[&User], page: &Page) -> Vec<u8> {
    let items: Vec<Value> = admins
        .get(page.start..page.end.min(admins.len()))
        .unwrap_or(&[])
        .iter()
        .map(|u| json!({"email": u.email, "name": u.display_name}))
        .collect();
    let mut out = String::from("{");
    if let Some(t) = &page.next_page_token {
        out.push_str(&format!("\"next_page_token\":{},", json!(t)));
    }
    out.push_str(&format!(
        "\"page_size\":{},\"total_records\":{},\"admins\":{}}}",
        page.page_size,
        page.total_records,
        Value::Array(items)
    ));
    out.into_bytes()
}

/// `GET /accounts/me/trusted_domains`: the org's domain and its alias, and
/// on some seeds the contractors' domain (an outside domain trusted for
/// meeting authentication, which a review questions).
pub fn trusted_domains(org: &IndexedOrg, cfg: &SandboxConfig) -> Value {
    let a = &org.org.account;
    let mut domains = vec![a.domain.clone(), a.alias_domain.clone()];
    if Rng::stream(cfg.seed, "trusted-domains").chance(0.5) {
        domains.push(a.contractor_domain.clone());
    }
    json!({ "trusted_domains": domains })
}

/// `GET /users/{userId}/permissions`: the privileges the user's role grants.
pub fn user_permissions(org: &IndexedOrg, u: &User) -> Value {
    let privileges = org
        .org
        .roles
        .iter()
        .find(|r| r.id == u.role_id)
        .map(|r| r.privileges.clone())
        .unwrap_or_default();
    json!({ "permissions": privileges })
}

/// Zoom IQ Sales roles: an account with Zoom IQ has them beside its common
/// roles. The generated account has one on even seeds (the default seed,
/// 1, has none), with no members (IQ roles are assigned in Zoom IQ).
struct IqRole {
    id: String,
    name: &'static str,
    description: &'static str,
    privileges: &'static [&'static str],
}

fn iq_roles(cfg: &SandboxConfig) -> Vec<IqRole> {
    if cfg.seed % 2 == 1 {
        return Vec::new();
    }
    let mut r = Rng::stream(cfg.seed, "iq-roles");
    vec![IqRole {
        id: format!("iq{}", r.alnum(12)),
        name: "IQ Sales Manager",
        description: "Manages Zoom IQ for Sales conversations and coaching.",
        privileges: &["ZoomIQ:Read", "ZoomIQ:Edit"],
    }]
}

/// `GET /roles?type=iq`.
pub fn iq_roles_list(_org: &IndexedOrg, cfg: &SandboxConfig) -> Vec<u8> {
    let roles: Vec<Value> = iq_roles(cfg)
        .iter()
        .map(|r| {
            json!({"id": r.id, "name": r.name, "description": r.description,
                   "type": "iq", "total_members": 0})
        })
        .collect();
    super::render::list_body(roles.len(), "roles", roles)
}

/// `GET /roles/{roleId}` for a Zoom IQ role.
pub fn iq_role_detail(_org: &IndexedOrg, cfg: &SandboxConfig, id: &str) -> Option<Value> {
    iq_roles(cfg).into_iter().find(|r| r.id == id).map(|r| {
        json!({"id": r.id, "name": r.name, "description": r.description, "type": "iq",
               "total_members": 0, "privileges": r.privileges,
               "sub_account_privileges": {"second_level": 0}, "privilege_scopes": []})
    })
}
