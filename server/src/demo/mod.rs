//! The fictional demo village 清泉村 (海口市琼山区 三门坡镇), seeded with `--demo` into an empty database only
//! (no village and no account): a database with real data, or one whose demo was removed (`admin remove-demo`)
//! while other data stayed, never gets accounts with the published password again.
//!
//! Every person, phone number, bank account and ID number here is invented. The households are full domain
//! records ([`Household`]) that pass `validate_household` without errors, varied so that the 红黄绿 colours differ:
//! 3 red (a 大病 member with nobody able to work; a house left C-grade by typhoon 摩羯 with 住房安全 failing; a
//! monitored 边缘易致贫户), 3 yellow, 6 green (no red or yellow rule fires). The demo seeds no income sheet, so the
//! six green ones show 未核算 (a colour is never green without the year's income) until a helper submits their
//! income. The colours depend on no date (no recent sudden event, every child of compulsory-school age enrolled), so
//! they stay the same whatever day the server runs. ID numbers come from the
//! domain (GB 11643, region 460107, MOD 11-2). Ids are fixed, so demo links stay stable across reseeds.

use sqlx::AnyPool;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::protocol::Role;

use crate::auth::password::{self, PasswordError};
use crate::clock::china_date;
use crate::store::households::{self, NewHousehold};
use crate::store::villages::{self, NewTeachingPoint, NewVillage};
use crate::store::{StoreError, users};

/// The one password of every demo account.
pub const DEMO_PASSWORD: &str = "zoufang2026";

/// A demo account, for printing at start-up and for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoLogin {
    pub phone: &'static str,
    pub password: &'static str,
    pub name: &'static str,
    pub role: Role,
}

/// The demo accounts, in the order they are printed. Helpers are 0..3.
pub const DEMO_LOGINS: [DemoLogin; 6] = [
    login("13800000001", "王海燕", Role::Helper),
    login("13800000002", "陈志强", Role::Helper),
    login("13800000003", "林秀梅", Role::Helper),
    login("13800000004", "符明亮", Role::FirstSecretary),
    login("13800000005", "吴春花", Role::VillageCadre),
    login("13800000006", "李建国", Role::Admin),
];

const fn login(phone: &'static str, name: &'static str, role: Role) -> DemoLogin {
    DemoLogin {
        phone,
        password: DEMO_PASSWORD,
        name,
        role,
    }
}

/// The region code (海口市琼山区) at the head of every demo ID number.
pub const DEMO_REGION_CODE: &str = "460107";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Password(#[from] PasswordError),
}

/// What [`seed`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded {
        households: usize,
        members: usize,
    },
    /// The database already had a village; the demo households written before they had records (migration 0002)
    /// got their records.
    Backfilled {
        households: usize,
    },
    /// The database already has the demo village; nothing was written.
    AlreadyPresent,
    /// The database holds other villages or accounts (real data, or a removed demo): nothing was written.
    NotEmpty,
}

/// A fixed, valid (version 4, RFC 4122 variant) uuid per demo entity: `kind` tells tables apart, `n` rows.
fn demo_id(kind: u16, n: u32) -> Uuid {
    Uuid::from_u128(
        0x2f0a_0000_0000_4000_8000_0000_0000_0000 | (u128::from(kind) << 80) | u128::from(n),
    )
}

/// The demo village's id (stable across seeds).
pub fn demo_village_id() -> Uuid {
    demo_id(1, 1)
}

/// The account id of `DEMO_LOGINS[index]`.
pub fn demo_user_id(index: usize) -> Uuid {
    demo_id(3, index as u32 + 1)
}

mod build;
mod village;

pub use village::{DemoHousehold, demo_households};

/// Seeds the demo village into an empty database (no village, no account). Safe to call at every start: on a
/// database holding the demo village, seeded before households had records, it fills in the demo households'
/// records; on any other database it writes nothing ([`SeedOutcome::NotEmpty`]).
pub async fn seed(pool: &AnyPool, now: OffsetDateTime) -> Result<SeedOutcome, DemoError> {
    let demo = demo_households(china_date(now));
    if villages::count(pool).await? > 0 {
        let demo_village = villages::find(pool, &demo_village_id().to_string()).await?;
        if demo_village.is_empty() {
            return Ok(SeedOutcome::NotEmpty);
        }
        return backfill(pool, &demo, now).await;
    }
    if users::count(pool).await? > 0 {
        return Ok(SeedOutcome::NotEmpty);
    }
    // Hash before opening the transaction: hashing is slow and must not hold the write lock.
    let mut password_hashes = Vec::with_capacity(DEMO_LOGINS.len());
    for _ in DEMO_LOGINS {
        password_hashes.push(password::hash_in_background(DEMO_PASSWORD.to_owned()).await?);
    }

    let mut transaction = pool.begin().await?;
    // Checked again inside the transaction, in case two servers start on the same file.
    if villages::count(&mut *transaction).await? > 0 || users::count(&mut *transaction).await? > 0 {
        return Ok(SeedOutcome::AlreadyPresent);
    }
    let village_id = demo_village_id();
    villages::insert(
        &mut *transaction,
        &NewVillage {
            id: village_id,
            name: "清泉村",
            county: "海口市琼山区",
            township: "三门坡镇",
        },
    )
    .await?;
    let teaching_point_id = demo_id(2, 1);
    villages::insert_teaching_point(
        &mut *transaction,
        &NewTeachingPoint {
            id: teaching_point_id,
            village_id,
            name: "清泉村委会教学点",
            location: "清泉村委会二楼会议室",
        },
    )
    .await?;

    for (index, (demo, password_hash)) in DEMO_LOGINS.iter().zip(&password_hashes).enumerate() {
        users::insert(
            &mut *transaction,
            &users::NewUser {
                id: demo_user_id(index),
                phone: demo.phone,
                name: demo.name,
                role: demo.role,
                password_hash,
                village_id: (demo.role != Role::Admin).then_some(village_id),
                teaching_point_id: (demo.role == Role::VillageCadre).then_some(teaching_point_id),
                created_at: now,
            },
        )
        .await?;
        users::mark_demo(&mut *transaction, demo_user_id(index)).await?;
    }

    for household in &demo {
        households::insert(&mut *transaction, &new_household(household, now)).await?;
    }
    seed_policy_lines(&mut transaction, now).await?;
    transaction.commit().await?;
    Ok(SeedOutcome::Seeded {
        households: demo.len(),
        members: demo
            .iter()
            .map(|household| household.record.members.len())
            .sum(),
    })
}

/// The demo's poverty standard (元/人/年), made up for trying the app: not policy.
pub const DEMO_STANDARD_YUAN: i64 = 4_700;
/// The demo's monitoring line (元/人/年): 1.5 × [`DEMO_STANDARD_YUAN`], made up likewise.
pub const DEMO_MONITORING_YUAN: i64 = 7_050;

/// Made-up standards and monitoring lines for the demo's province for the years around `now` (two back, one
/// ahead), so the demo does not ask for a reason on every household for a year nothing is configured for. Each is
/// marked a demo value and cites no real document; a line already in force for that year is left alone.
async fn seed_policy_lines(
    transaction: &mut sqlx::AnyConnection,
    now: OffsetDateTime,
) -> Result<(), DemoError> {
    use zoufang_domain::money::Fen;
    use zoufang_domain::policy::RegionPath;
    use zoufang_domain::policy::lines::{ConfiguredLine, LineKind, PolicySource};
    let this_year = china_date(now).year();
    for year in this_year - 2..=this_year + 1 {
        for (kind, yuan, offset) in [
            (LineKind::Standard, DEMO_STANDARD_YUAN, 0),
            (LineKind::Monitoring, DEMO_MONITORING_YUAN, 1),
        ] {
            let Some(source) = time::Date::from_calendar_date(year, time::Month::January, 1)
                .ok()
                .and_then(|date| {
                    PolicySource::new("演示数据", "清泉村演示用数值（虚构，不是政策文件）", date)
                })
            else {
                continue;
            };
            let line = ConfiguredLine {
                kind,
                region: RegionPath::parse("海南省"),
                year,
                amount: Fen::from_fen(yuan * 100),
                source,
                is_demo: true,
            };
            // Stable ids: a line an admin retired is not added again at the next start.
            let id = demo_id(7, u32::try_from(year).unwrap_or(0) * 10 + offset);
            crate::store::policy_lines::insert(&mut *transaction, id, &line, now).await?;
        }
    }
    Ok(())
}

/// Whether any demo account may still log in (then its login is worth printing at start).
pub async fn logins_active(pool: &AnyPool) -> Result<bool, StoreError> {
    Ok(users::demo_accounts(pool)
        .await?
        .iter()
        .any(|account| !account.disabled))
}

fn new_household(household: &DemoHousehold, now: OffsetDateTime) -> NewHousehold<'_> {
    NewHousehold {
        village_id: demo_village_id(),
        address: &household.address,
        record: &household.record,
        last_visit_on: household.last_visit_on,
        created_at: now,
    }
}

/// Gives the demo households written before migration 0002 their records; touches nothing else.
async fn backfill(
    pool: &AnyPool,
    demo: &[DemoHousehold],
    now: OffsetDateTime,
) -> Result<SeedOutcome, DemoError> {
    let mut transaction = pool.begin().await?;
    let mut backfilled = 0;
    for household in demo {
        if households::backfill_record(&mut *transaction, &new_household(household, now)).await? {
            backfilled += 1;
        }
    }
    seed_policy_lines(&mut transaction, now).await?;
    transaction.commit().await?;
    Ok(if backfilled > 0 {
        SeedOutcome::Backfilled {
            households: backfilled,
        }
    } else {
        SeedOutcome::AlreadyPresent
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use time::Date;
    use time::macros::date;
    use zoufang_domain::id_number::parse_id_number;
    use zoufang_domain::model::*;
    use zoufang_domain::policy::PolicyTables;
    use zoufang_domain::risk::{RiskAssessment, RiskColour, RiskInputs, RiskRuleSet, assess_risk};
    use zoufang_domain::validation::{ValidationConfig, ValidationContext, validate_household};

    use super::*;

    /// Today, and days up to six years ahead: the demo must not rot as its people grow older.
    const DAYS: [Date; 4] = [
        date!(2026 - 11 - 22),
        date!(2027 - 09 - 01),
        date!(2029 - 06 - 30),
        date!(2032 - 12 - 31),
    ];

    fn assessment(household: &Household, today: Date) -> RiskAssessment {
        assess_risk(
            &RiskInputs {
                household,
                plan: None,
                income: None,
                previous_per_capita: None,
                today,
            },
            &RiskRuleSet::default(),
        )
    }

    fn colour(household: &Household, today: Date) -> RiskColour {
        let assessment = assessment(household, today);
        // The demo seeds no income sheet: a household with no risk found is 未核算 (never a silent 绿), and that
        // is then the only thing its assessment says.
        if assessment.colour == RiskColour::NotAccounted {
            let codes: Vec<&str> = assessment
                .triggered
                .iter()
                .map(|rule| rule.code.as_str())
                .collect();
            assert_eq!(codes, ["NOT-ACCOUNTED"], "{}", household.members[0].name);
            return RiskColour::Green;
        }
        assessment.colour
    }

    #[test]
    fn every_demo_household_passes_validation_without_errors() {
        let policy = PolicyTables::builtin().unwrap_or_else(|error| panic!("{error}"));
        let config = ValidationConfig::default();
        for today in DAYS {
            let context = ValidationContext {
                today,
                policy: &policy,
                config: &config,
            };
            for demo in demo_households(today) {
                let report = validate_household(&demo.record, None, None, &context);
                let errors: Vec<_> = report.errors().collect();
                assert!(
                    errors.is_empty(),
                    "{} on {today}: {errors:#?}",
                    demo.record.household_code
                );
            }
        }
    }

    #[test]
    fn the_colours_are_varied_and_do_not_depend_on_the_date() {
        let expected = [
            ("王德福", RiskColour::Green),
            ("符亚妹", RiskColour::Yellow),
            ("林国栋", RiskColour::Red),
            ("陈开明", RiskColour::Yellow),
            ("吴文昌", RiskColour::Green),
            ("邢少雄", RiskColour::Green),
            ("黄美娟", RiskColour::Yellow),
            ("李振华", RiskColour::Green),
            ("周有才", RiskColour::Red),
            ("蒙海英", RiskColour::Green),
            ("羊成功", RiskColour::Red),
            ("郑光辉", RiskColour::Green),
        ];
        for today in DAYS {
            let colours: Vec<(&str, RiskColour)> = demo_households(today)
                .iter()
                .zip(expected)
                .map(|(demo, (name, _))| {
                    assert_eq!(demo.record.members[0].name, name);
                    (name, colour(&demo.record, today))
                })
                .collect();
            assert_eq!(colours, expected, "on {today}");
        }
    }

    #[test]
    fn every_id_number_is_valid_unique_and_matches_birth_date_and_sex() {
        let mut seen = BTreeMap::new();
        for demo in demo_households(DAYS[0]) {
            for member in &demo.record.members {
                let parsed = parse_id_number(&member.id_number)
                    .unwrap_or_else(|error| panic!("{}: {error}", member.name));
                assert_eq!(parsed.region_code, DEMO_REGION_CODE);
                assert_eq!(parsed.birth_date, member.birth_date, "{}", member.name);
                assert_eq!(parsed.sex, member.sex, "{}", member.name);
                assert!(
                    seen.insert(parsed.resident_number, member.name.clone())
                        .is_none(),
                    "{} repeats an ID number",
                    member.name
                );
                if let Some(certificate) = &member.disability_certificate {
                    let parsed = parse_id_number(certificate)
                        .unwrap_or_else(|error| panic!("{}: {error}", member.name));
                    assert!(parsed.disability.is_some());
                    assert!(certificate.starts_with(&member.id_number));
                }
            }
        }
    }

    #[test]
    fn helpers_and_groups_are_as_the_end_to_end_tests_expect() {
        let demo = demo_households(DAYS[0]);
        assert_eq!(demo.len(), 12);
        let helper_of = |index: usize| {
            demo.iter()
                .filter(|household| {
                    household
                        .record
                        .current_helper()
                        .and_then(|helper| helper.user_id)
                        == Some(UserId(demo_user_id(index)))
                })
                .count()
        };
        assert_eq!(helper_of(0), 4, "王海燕 has four households");
        assert_eq!(helper_of(0) + helper_of(1) + helper_of(2), 12);
        for household in &demo {
            let current = household.record.current_helper();
            assert!(current.is_some(), "{}", household.address);
            assert_eq!(
                household.record.members[0].relation,
                Relation::Head,
                "{}",
                household.address
            );
            assert!(household.last_visit_on.is_none_or(|day| day < DAYS[0]));
        }
    }
}
