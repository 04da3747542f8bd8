//! Account lifecycle from the command line: disable and enable an account, reset its password, revoke its
//! sessions, and remove the demo accounts.

use sqlx::AnyPool;
use time::OffsetDateTime;

use super::{AdminError, invalid};
use crate::auth::password_policy;
use crate::auth::{password, throttle};
use crate::demo::demo_village_id;
use crate::store::demo_data::{self, VillageRemoval};
use crate::store::users::{self, UserSummary};
use crate::store::{login_failures, sessions};

async fn account(pool: &AnyPool, phone: &str) -> Result<UserSummary, AdminError> {
    users::find_by_phone(pool, phone.trim())
        .await?
        .ok_or_else(|| invalid(format!("no account with phone {}", phone.trim())))
}

/// Disables the account: its sessions are refused at once (401 `account_disabled`, so the phone tells the person
/// why) and it cannot log in. The sessions are kept, so `enable-user` lets the phone carry on; after a lost phone,
/// use `revoke-sessions` as well.
pub async fn disable_user(
    pool: &AnyPool,
    phone: &str,
    now: OffsetDateTime,
) -> Result<UserSummary, AdminError> {
    let account = account(pool, phone).await?;
    if account.disabled {
        return Err(invalid(format!("{} is already disabled", account.phone)));
    }
    users::set_disabled(pool, account.id, Some(now)).await?;
    Ok(account)
}

/// Enables a disabled account again. Demo accounts removed by `remove-demo` stay removed.
pub async fn enable_user(pool: &AnyPool, phone: &str) -> Result<UserSummary, AdminError> {
    let account = account(pool, phone).await?;
    if account.is_demo {
        return Err(invalid(format!(
            "{} is a demo account (published password): it cannot be enabled again",
            account.phone
        )));
    }
    if !account.disabled {
        return Err(invalid(format!("{} is not disabled", account.phone)));
    }
    users::set_disabled(pool, account.id, None).await?;
    Ok(account)
}

/// Sets a new password (checked by the password policy), revokes every session of the account and forgets its
/// failed logins. Returns the account and how many sessions were revoked.
pub async fn reset_password(
    pool: &AnyPool,
    phone: &str,
    new_password: String,
) -> Result<(UserSummary, u64), AdminError> {
    let account = account(pool, phone).await?;
    if account.is_demo {
        return Err(invalid(format!(
            "{} is a demo account: remove the demo (remove-demo) and create real accounts instead",
            account.phone
        )));
    }
    password_policy::check(&new_password, &account.phone)
        .map_err(|violation| invalid(violation.to_string()))?;
    let password_hash = password::hash_in_background(new_password).await?;
    let mut transaction = pool.begin().await?;
    users::set_password_hash(&mut *transaction, account.id, &password_hash).await?;
    let revoked = sessions::delete_for_user(&mut *transaction, account.id).await?;
    transaction.commit().await?;
    login_failures::reset(pool, &throttle::phone_key(&account.phone)).await?;
    Ok((account, revoked))
}

/// Logs the account out everywhere (a lost or handed-on phone). Returns how many sessions were revoked.
pub async fn revoke_sessions(
    pool: &AnyPool,
    phone: &str,
) -> Result<(UserSummary, u64), AdminError> {
    let account = account(pool, phone).await?;
    let revoked = sessions::delete_for_user(pool, account.id).await?;
    Ok((account, revoked))
}

/// What `remove-demo` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoRemoval {
    /// Demo accounts found.
    pub accounts: usize,
    /// Their sessions, revoked.
    pub sessions_revoked: u64,
    /// Whether the demo village 清泉村 and everything in it was deleted.
    pub village_deleted: bool,
    /// Phones of the demo accounts deleted.
    pub deleted: Vec<String>,
    /// Phones of the demo accounts kept (something refers to them), disabled with an unknown password.
    pub disabled: Vec<String>,
}

/// Removes the demo accounts. First every one of them loses its sessions, its published password (replaced by
/// the hash of a random secret) and is disabled; then the demo village is deleted with everything in it if only
/// demo accounts ever worked there; otherwise each demo account nothing refers to is deleted and the others stay
/// disabled.
pub async fn remove_demo(pool: &AnyPool, now: OffsetDateTime) -> Result<DemoRemoval, AdminError> {
    let accounts = users::demo_accounts(pool).await?;
    let mut removal = DemoRemoval {
        accounts: accounts.len(),
        ..DemoRemoval::default()
    };
    // A fresh random secret per account, hashed before the write lock is taken: the published password stops
    // working for good.
    let mut unknown_hashes = Vec::with_capacity(accounts.len());
    for _ in &accounts {
        unknown_hashes.push(
            tokio::task::spawn_blocking(password::dummy_hash)
                .await
                .map_err(password::PasswordError::from)??,
        );
    }
    let mut transaction = pool.begin().await?;
    for (account, unknown) in accounts.iter().zip(&unknown_hashes) {
        users::set_password_hash(&mut *transaction, account.id, unknown).await?;
        if !account.disabled {
            users::set_disabled(&mut *transaction, account.id, Some(now)).await?;
        }
        removal.sessions_revoked +=
            sessions::delete_for_user(&mut *transaction, account.id).await?;
    }
    transaction.commit().await?;

    match demo_data::delete_demo_village(pool, demo_village_id(), now).await? {
        VillageRemoval::Deleted { .. } => removal.village_deleted = true,
        VillageRemoval::InUse | VillageRemoval::Referenced => {}
    }
    for account in accounts {
        let deleted = removal.village_deleted
            || demo_data::delete_account_if_unreferenced(pool, account.id).await?;
        if deleted {
            removal.deleted.push(account.phone);
        } else {
            removal.disabled.push(account.phone);
        }
    }
    Ok(removal)
}
