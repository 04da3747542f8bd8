//! `zoufang-server admin …`: account, village and household administration against the server's SQLite file,
//! for the township or county office before the app has admin pages. Each command prints what it did to stdout
//! and returns an error (non-zero exit) when it did nothing.

pub mod accounts;
mod command;
pub mod import;
pub mod migrate_photos;
pub mod policy;

use std::io::BufRead;

use sqlx::AnyPool;
use time::{Date, OffsetDateTime};
use uuid::Uuid;
use zoufang_domain::model::UnitLevel;
use zoufang_domain::policy::PolicyTables;
use zoufang_domain::protocol::Role;

pub use command::{AdminCommand, RoleArg};

use crate::auth::{password, password_policy};
use crate::clock::china_date;
use crate::helper_change::{self, HelperChange, HelperChangeError, HelperChangeOutcome};
use crate::store::households;
use crate::store::villages::{self, NewTeachingPoint, NewVillage};
use crate::store::{StoreError, users};

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Password(#[from] password::PasswordError),
    #[error("{0}")]
    Invalid(String),
    #[error("could not read {what}: {source}")]
    Read {
        what: String,
        source: std::io::Error,
    },
    #[error("{refused} of {total} rows refused (the others were imported)")]
    RowsRefused { refused: usize, total: usize },
    #[error(transparent)]
    Blobs(#[from] crate::blobs::BlobError),
    #[error(transparent)]
    Sweep(#[from] crate::blobs::SweepError),
    #[error(
        "{damaged} photos were left in the database: their bytes do not match their hash (listed above)"
    )]
    DamagedPhotos { damaged: usize },
}

fn invalid(message: impl Into<String>) -> AdminError {
    AdminError::Invalid(message.into())
}

/// Runs one admin command; `stdin` supplies the password when --password is absent.
pub async fn run(
    pool: &AnyPool,
    command: AdminCommand,
    stdin: &mut dyn BufRead,
) -> Result<(), AdminError> {
    let now = OffsetDateTime::now_utc();
    match command {
        AdminCommand::CreateVillage {
            name,
            county,
            township,
        } => {
            let id = Uuid::new_v4();
            villages::insert(
                pool,
                &NewVillage {
                    id,
                    name: name.trim(),
                    county: county.trim(),
                    township: township.trim(),
                },
            )
            .await?;
            println!("village {id} {name}");
        }
        AdminCommand::CreateTeachingPoint {
            village,
            name,
            location,
        } => {
            let village_id = village_id(pool, &village).await?;
            let id = Uuid::new_v4();
            villages::insert_teaching_point(
                pool,
                &NewTeachingPoint {
                    id,
                    village_id,
                    name: name.trim(),
                    location: location.trim(),
                },
            )
            .await?;
            println!("teaching point {id} {name}");
        }
        AdminCommand::CreateUser {
            phone,
            name,
            role,
            village,
            teaching_point,
            password,
        } => {
            let password = match password {
                Some(password) => password,
                None => read_password(stdin)?,
            };
            let id = create_user(
                pool,
                NewAccount {
                    phone: &phone,
                    name: &name,
                    role: role.into(),
                    village: village.as_deref(),
                    teaching_point: teaching_point.as_deref(),
                    password,
                },
                now,
            )
            .await?;
            println!("user {id} {} {}", phone.trim(), Role::from(role).code());
        }
        AdminCommand::DisableUser { phone } => {
            let account = accounts::disable_user(pool, &phone, now).await?;
            println!("user {} {} disabled", account.phone, account.name);
        }
        AdminCommand::EnableUser { phone } => {
            let account = accounts::enable_user(pool, &phone).await?;
            println!("user {} {} enabled", account.phone, account.name);
        }
        AdminCommand::ResetPassword { phone, password } => {
            let password = match password {
                Some(password) => password,
                None => read_password(stdin)?,
            };
            let (account, revoked) = accounts::reset_password(pool, &phone, password).await?;
            println!(
                "user {} {}: password reset, {revoked} sessions revoked",
                account.phone, account.name
            );
        }
        AdminCommand::RevokeSessions { phone } => {
            let (account, revoked) = accounts::revoke_sessions(pool, &phone).await?;
            println!(
                "user {} {}: {revoked} sessions revoked",
                account.phone, account.name
            );
        }
        AdminCommand::RemoveDemo => {
            let removal = accounts::remove_demo(pool, now).await?;
            if removal.accounts == 0 {
                println!("no demo accounts");
            } else {
                println!(
                    "{} demo accounts: {} sessions revoked; deleted: {}; kept disabled (still referred to): {}",
                    removal.accounts,
                    removal.sessions_revoked,
                    list(&removal.deleted),
                    list(&removal.disabled)
                );
                if removal.village_deleted {
                    println!(
                        "the demo village 清泉村 was deleted with its households and submissions"
                    );
                } else {
                    println!(
                        "the demo village 清泉村 was kept: real accounts work there or refer to it"
                    );
                }
            }
        }
        AdminCommand::AssignHelper {
            household,
            helper_phone,
            unit,
            position,
            on,
        } => {
            let on = match on {
                Some(text) => parse_date(&text)?,
                None => china_date(now),
            };
            assign_helper(pool, &household, &helper_phone, &unit, &position, on, now).await?;
            println!("household {household}: helper is now {helper_phone} from {on}");
        }
        AdminCommand::GcPhotos {
            grace_days,
            now: at,
        } => {
            let at = match at {
                Some(text) => crate::store::parse_instant("--now", text.trim())
                    .map_err(|_| invalid(format!("{text:?} is not an RFC 3339 instant")))?,
                None => now,
            };
            let grace = time::Duration::days(i64::from(grace_days));
            let removed = crate::maintenance::remove_unreferenced_photos(pool, at, grace).await?;
            println!("removed {removed} unreferenced photos");
        }
        AdminCommand::MigratePhotos { .. } => {
            return Err(invalid(
                "migrate-photos needs the photo store: run it as `zoufang-server admin migrate-photos`",
            ));
        }
        AdminCommand::ListPolicyLines { all } => policy::list(pool, all).await?,
        AdminCommand::AddPolicyLine {
            kind,
            region,
            year,
            yuan,
            document_number,
            document_title,
            document_date,
            demo,
        } => {
            let args = policy::LineArgs {
                kind: kind.into(),
                region: &region,
                year,
                yuan: &yuan,
                document_number: &document_number,
                document_title: &document_title,
                document_date: &document_date,
                demo,
            };
            policy::add(pool, &args, now).await?;
        }
        AdminCommand::RetirePolicyLine { id } => policy::retire_line(pool, &id, now).await?,
        AdminCommand::ImportHouseholds { csv, village } => {
            let village = village_summary(pool, &village).await?;
            let file = std::fs::File::open(&csv).map_err(|source| AdminError::Read {
                what: csv.display().to_string(),
                source,
            })?;
            let report = import::import_households(pool, &village, file, now).await?;
            for (line, code) in &report.imported {
                println!("line {line}: imported {code}");
            }
            for refusal in &report.refused {
                eprintln!("line {}: {}", refusal.line, refusal.reason);
            }
            println!(
                "{} imported, {} refused",
                report.imported.len(),
                report.refused.len()
            );
            if !report.refused.is_empty() {
                return Err(AdminError::RowsRefused {
                    refused: report.refused.len(),
                    total: report.refused.len() + report.imported.len(),
                });
            }
        }
    }
    Ok(())
}

fn list(phones: &[String]) -> String {
    if phones.is_empty() {
        "none".to_owned()
    } else {
        phones.join(", ")
    }
}

fn read_password(stdin: &mut dyn BufRead) -> Result<String, AdminError> {
    let mut line = String::new();
    stdin
        .read_line(&mut line)
        .map_err(|source| AdminError::Read {
            what: "the password from stdin".to_owned(),
            source,
        })?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(invalid("no password: give --password or write it on stdin"));
    }
    Ok(password)
}

fn parse_date(text: &str) -> Result<Date, AdminError> {
    households::parse_date("--on", text.trim())
        .map_err(|_| invalid(format!("{text:?} is not a date (YYYY-MM-DD)")))
}

/// The village whose id or name is `id_or_name`; refused when none or several match.
pub async fn village_summary(
    pool: &AnyPool,
    id_or_name: &str,
) -> Result<villages::VillageSummary, AdminError> {
    let mut found = villages::find(pool, id_or_name.trim()).await?;
    match found.len() {
        0 => Err(invalid(format!("no village {id_or_name:?}"))),
        1 => Ok(found.remove(0)),
        _ => Err(invalid(format!(
            "several villages are called {id_or_name:?}: give the id"
        ))),
    }
}

async fn village_id(pool: &AnyPool, id_or_name: &str) -> Result<Uuid, AdminError> {
    Ok(village_summary(pool, id_or_name).await?.id)
}

/// An account to create from the command line.
#[derive(Debug)]
pub struct NewAccount<'a> {
    pub phone: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub village: Option<&'a str>,
    pub teaching_point: Option<&'a str>,
    pub password: String,
}

/// Creates an account after checking the phone, the name, what the role needs (a village for first secretaries
/// and cadres, a teaching point for cadres) and the password policy.
pub async fn create_user(
    pool: &AnyPool,
    account: NewAccount<'_>,
    now: OffsetDateTime,
) -> Result<Uuid, AdminError> {
    let phone = account.phone.trim();
    if phone.len() != 11 || !phone.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(invalid(format!(
            "{phone:?} is not an 11-digit phone number"
        )));
    }
    let name = account.name.trim();
    if name.is_empty() {
        return Err(invalid("the name is empty"));
    }
    if account.password.is_empty() {
        return Err(invalid("the password is empty"));
    }
    if users::find_by_phone(pool, phone).await?.is_some() {
        return Err(invalid(format!("an account with phone {phone} exists")));
    }
    let village_id = match account.village {
        Some(village) => Some(village_id(pool, village).await?),
        None => None,
    };
    let teaching_point_id = match (account.teaching_point, village_id) {
        (Some(point), Some(village_id)) => {
            let mut points = villages::find_teaching_points(pool, village_id, point.trim()).await?;
            if points.len() != 1 {
                return Err(invalid(format!(
                    "no single teaching point {point:?} in that village"
                )));
            }
            Some(points.remove(0))
        }
        (Some(_), None) => return Err(invalid("--teaching-point needs --village")),
        (None, _) => None,
    };
    match account.role {
        Role::FirstSecretary if village_id.is_none() => {
            return Err(invalid("a first secretary needs --village"));
        }
        Role::VillageCadre if teaching_point_id.is_none() => {
            return Err(invalid(
                "a village cadre needs --village and --teaching-point",
            ));
        }
        _ => {}
    }
    password_policy::check(&account.password, phone)
        .map_err(|violation| invalid(violation.to_string()))?;
    let password_hash = password::hash_in_background(account.password).await?;
    let id = Uuid::new_v4();
    users::insert(
        pool,
        &users::NewUser {
            id,
            phone,
            name,
            role: account.role,
            password_hash: &password_hash,
            village_id,
            teaching_point_id,
            created_at: now,
        },
    )
    .await?;
    Ok(id)
}

/// Makes the account with `helper_phone` the household's current helper from `on`, keeping the history, and
/// records the change so the phones hear of it. The account must be a helper or first secretary of the household's
/// village (see [`crate::helper_change`]).
pub async fn assign_helper(
    pool: &AnyPool,
    household_code: &str,
    helper_phone: &str,
    unit: &str,
    position: &str,
    on: Date,
    now: OffsetDateTime,
) -> Result<(), AdminError> {
    let helper = users::find_by_phone(pool, helper_phone.trim())
        .await?
        .ok_or_else(|| invalid(format!("no account with phone {helper_phone}")))?;
    let household_id = households::id_by_code(pool, household_code.trim())
        .await?
        .ok_or_else(|| invalid(format!("no household with 户编号 {household_code}")))?;
    let policy = PolicyTables::builtin()
        .map_err(|error| invalid(format!("built-in policy tables: {error}")))?;
    let change = HelperChange {
        household_id,
        helper_user_id: helper.id,
        unit,
        position,
        unit_level: UnitLevel::Other,
        on,
        now,
    };
    match helper_change::change_helper(pool, &change, &policy).await {
        Ok(HelperChangeOutcome::Changed(_)) => Ok(()),
        Ok(HelperChangeOutcome::AlreadyCurrent(_)) => Err(invalid(format!(
            "{} is already the current helper of {household_code} from {on}",
            helper.phone
        ))),
        Err(HelperChangeError::Store(error)) => Err(AdminError::Store(error)),
        Err(HelperChangeError::NotInVillage) => Err(invalid(format!(
            "{} does not belong to the village of household {household_code}: only helpers and first \
             secretaries of that village may help it",
            helper.phone
        ))),
        Err(HelperChangeError::RoleNotAllowed(role)) => Err(invalid(format!(
            "{} is a {}: only helpers and first secretaries help households",
            helper.phone,
            role.code()
        ))),
        Err(other) => Err(invalid(other.to_string())),
    }
}
