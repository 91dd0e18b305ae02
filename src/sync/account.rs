//! The account entity's parts (trusted domains included), each its own step so that a missing scope
//! (lock settings and managed domains often need more than the rest) skips
//! only that part.

use super::step::{Done, StepError, StepLog, StepResult, names};
use crate::zoom::{ManagedDomain, Settings, User, UsersSummary, ZoomClient, ZoomError};

/// What the account steps fetched. Each field is the step's result.
pub(crate) struct AccountData {
    pub owner: StepResult<Option<User>>,
    pub summary: StepResult<UsersSummary>,
    pub settings: StepResult<Settings>,
    pub security_settings: StepResult<Settings>,
    pub lock_settings: StepResult<Settings>,
    pub managed_domains: StepResult<Vec<ManagedDomain>>,
    pub trusted_domains: StepResult<Vec<String>>,
}

/// Runs the six account steps concurrently. Their requests yield their
/// rate-limit slots to the listings' next pages (six single requests have
/// time to spare next to a page chain; see [`crate::zoom::ratelimit::yielding`]).
pub(crate) async fn fetch_account(client: &ZoomClient, log: &StepLog) -> AccountData {
    crate::zoom::ratelimit::yielding(fetch_account_parts(client, log)).await
}

async fn fetch_account_parts(client: &ZoomClient, log: &StepLog) -> AccountData {
    let (
        owner,
        summary,
        settings,
        security_settings,
        lock_settings,
        managed_domains,
        trusted_domains,
    ) = tokio::join!(
        log.run(names::ACCOUNT_OWNER, owner(client, log)),
        log.run(names::USERS_SUMMARY, async {
            Ok(Done::new(client.users_summary().await?, 1))
        }),
        log.run(names::ACCOUNT_SETTINGS, async {
            Ok(Done::new(client.account_settings(None).await?, 1))
        }),
        log.run(names::ACCOUNT_SECURITY, async {
            Ok(Done::new(
                client.account_settings(Some("security")).await?,
                1,
            ))
        }),
        log.run(names::ACCOUNT_LOCK, async {
            Ok(Done::new(client.account_lock_settings().await?, 1))
        }),
        log.run(names::MANAGED_DOMAINS, async {
            let d = client.managed_domains().await?;
            let n = d.len();
            Ok(Done::new(d, n))
        }),
        log.run(names::TRUSTED_DOMAINS, async {
            let d = client.trusted_domains().await?;
            let n = d.len();
            Ok(Done::new(d, n))
        }),
    );
    AccountData {
        owner,
        summary,
        settings,
        security_settings,
        lock_settings,
        managed_domains,
        trusted_domains,
    }
}

/// The owner's full record. `GET /roles/0/members` names the owner
/// authoritatively; without role scopes, `GET /users/me` is used when it
/// is the owner (S2S tokens act as the account's owner or an admin).
async fn owner(client: &ZoomClient, log: &StepLog) -> Result<Done<Option<User>>, StepError> {
    let owner_id = match client.list_role_members("0", &|_| {}).await {
        Ok(members) => members.into_iter().next().map(|m| m.id),
        Err(ZoomError::MissingScope { .. }) => None,
        Err(e) if e.is_auth() => return Err(e.into()),
        Err(e) => {
            log.notice(format!(
                "owner lookup via role members failed, trying /users/me: {e}"
            ));
            None
        }
    };
    let owner = match owner_id.filter(|id| !id.is_empty()) {
        Some(id) => Some(client.get_user(&id).await?),
        None => {
            let me = client.get_user("me").await?;
            let is_owner = me.role_id.as_deref() == Some("0")
                || me
                    .role_name
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case("owner"));
            if is_owner {
                Some(me)
            } else {
                log.notice("the account owner could not be identified (no role scope, and /users/me is not the owner)");
                None
            }
        }
    };
    let n = usize::from(owner.is_some());
    Ok(Done::new(owner, n))
}
