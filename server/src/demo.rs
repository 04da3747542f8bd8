//! The fictional demo village 清泉村 (海口市琼山区 三门坡镇), seeded with `--demo` when the database has no village.
//!
//! Every person, phone number and ID number here is invented. The ID numbers are nevertheless well-formed
//! (GB 11643: region 460107, birth date, sequence with the sex in its last digit, ISO 7064 MOD 11-2 check
//! character) so that the app's validation accepts them. Ids are fixed, so demo links stay stable across reseeds.

use sqlx::SqlitePool;
use time::macros::date;
use time::{Date, OffsetDateTime};
use uuid::Uuid;
use zoufang_domain::protocol::Role;

use crate::auth::password::{self, PasswordError};
use crate::store::households::{self, NewHousehold, NewMember, Sex};
use crate::store::villages::{self, NewTeachingPoint, NewVillage};
use crate::store::{StoreError, users};
use Sex::{Female as F, Male as M};

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
    /// The database already has a village; nothing was written.
    AlreadyPresent,
}

struct DemoHousehold {
    group: &'static str,
    address: &'static str,
    /// Index into the helpers of [`DEMO_LOGINS`].
    helper: usize,
    /// The 户主 first.
    members: &'static [DemoMember],
}

struct DemoMember {
    name: &'static str,
    relation: &'static str,
    sex: Sex,
    birth: Date,
}

const fn m(name: &'static str, relation: &'static str, sex: Sex, birth: Date) -> DemoMember {
    DemoMember {
        name,
        relation,
        sex,
        birth,
    }
}

const HOUSEHOLDS: [DemoHousehold; 12] = [
    DemoHousehold {
        group: "一组",
        address: "清泉村一组 3 号",
        helper: 0,
        members: &[
            m("王德福", "户主", M, date!(1962 - 03 - 14)),
            m("陈月英", "配偶", F, date!(1965 - 07 - 02)),
            m("王小军", "之子", M, date!(1990 - 11 - 20)),
            m("李美玲", "之儿媳", F, date!(1992 - 05 - 08)),
            m("王子豪", "之孙子", M, date!(2015 - 09 - 01)),
            m("王欣怡", "之孙女", F, date!(2018 - 02 - 17)),
        ],
    },
    DemoHousehold {
        group: "一组",
        address: "清泉村一组 7 号",
        helper: 0,
        members: &[m("符亚妹", "户主", F, date!(1950 - 08 - 23))],
    },
    DemoHousehold {
        group: "一组",
        address: "清泉村一组 12 号",
        helper: 0,
        members: &[
            m("林国栋", "户主", M, date!(1975 - 12 - 05)),
            m("吴丽华", "配偶", F, date!(1978 - 04 - 19)),
            m("林志伟", "之子", M, date!(2003 - 06 - 30)),
            m("林晓雯", "之女", F, date!(2008 - 10 - 12)),
        ],
    },
    DemoHousehold {
        group: "一组",
        address: "清泉村一组 15 号",
        helper: 1,
        members: &[
            m("陈开明", "户主", M, date!(1958 - 01 - 27)),
            m("黄秀兰", "配偶", F, date!(1960 - 09 - 09)),
            m("陈海生", "之子", M, date!(1985 - 03 - 03)),
        ],
    },
    DemoHousehold {
        group: "二组",
        address: "清泉村二组 2 号",
        helper: 1,
        members: &[
            m("吴文昌", "户主", M, date!(1980 - 07 - 15)),
            m("符春梅", "配偶", F, date!(1982 - 02 - 28)),
            m("吴家乐", "之子", M, date!(2010 - 04 - 04)),
            m("吴家欣", "之女", F, date!(2013 - 12 - 24)),
            m("吴大海", "之父", M, date!(1948 - 05 - 16)),
            m("邢玉兰", "之母", F, date!(1951 - 11 - 11)),
        ],
    },
    DemoHousehold {
        group: "二组",
        address: "清泉村二组 9 号",
        helper: 1,
        members: &[
            m("邢少雄", "户主", M, date!(1968 - 10 - 08)),
            m("云金花", "配偶", F, date!(1970 - 01 - 21)),
        ],
    },
    DemoHousehold {
        group: "二组",
        address: "清泉村二组 11 号",
        helper: 1,
        members: &[
            m("黄美娟", "户主", F, date!(1972 - 06 - 18)),
            m("周子航", "之子", M, date!(1998 - 08 - 08)),
            m("周雨涵", "之女", F, date!(2001 - 03 - 15)),
        ],
    },
    DemoHousehold {
        group: "二组",
        address: "清泉村二组 20 号",
        helper: 2,
        members: &[
            m("李振华", "户主", M, date!(1955 - 04 - 30)),
            m("冯桂英", "配偶", F, date!(1957 - 12 - 01)),
            m("李永康", "之子", M, date!(1983 - 09 - 19)),
            m("王翠萍", "之儿媳", F, date!(1986 - 07 - 07)),
            m("李思琪", "之孙女", F, date!(2012 - 01 - 05)),
        ],
    },
    DemoHousehold {
        group: "三组",
        address: "清泉村三组 1 号",
        helper: 2,
        members: &[
            m("周有才", "户主", M, date!(1945 - 02 - 14)),
            m("周建军", "之子", M, date!(1975 - 05 - 20)),
        ],
    },
    DemoHousehold {
        group: "三组",
        address: "清泉村三组 6 号",
        helper: 2,
        members: &[
            m("蒙海英", "户主", F, date!(1966 - 09 - 26)),
            m("符俊杰", "之子", M, date!(1993 - 12 - 12)),
        ],
    },
    DemoHousehold {
        group: "三组",
        address: "清泉村三组 14 号",
        helper: 2,
        members: &[
            m("羊成功", "户主", M, date!(1988 - 03 - 22)),
            m("郑小燕", "配偶", F, date!(1990 - 08 - 14)),
            m("羊宇轩", "之子", M, date!(2016 - 06 - 06)),
        ],
    },
    DemoHousehold {
        group: "三组",
        address: "清泉村三组 18 号",
        helper: 0,
        members: &[
            m("郑光辉", "户主", M, date!(1979 - 11 - 30)),
            m("林玉珍", "配偶", F, date!(1981 - 04 - 02)),
            m("郑文博", "之子", M, date!(2006 - 09 - 10)),
            m("郑雅婷", "之女", F, date!(2009 - 02 - 20)),
        ],
    },
];

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

/// A GB 11643 ID number: region, birth date, a three-digit sequence whose last digit is odd for men and even for
/// women, and the MOD 11-2 check character.
pub fn resident_id_number(region: &str, birth: Date, serial: u16, sex: Sex) -> String {
    let sex_digit = match sex {
        Sex::Male => 1 + 2 * (serial % 5),
        Sex::Female => 2 * (serial % 5),
    };
    let first17 = format!(
        "{region}{:04}{:02}{:02}{:02}{sex_digit}",
        birth.year(),
        u8::from(birth.month()),
        birth.day(),
        serial % 100
    );
    let check = mod11_2_check_character(&first17);
    format!("{first17}{check}")
}

/// ISO 7064 MOD 11-2 check character of the first 17 digits of an 18-character ID number.
pub fn mod11_2_check_character(first17: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = first17
        .chars()
        .filter_map(|c| c.to_digit(10))
        .zip(WEIGHTS)
        .map(|(digit, weight)| digit * weight)
        .sum();
    char::from(CHECK[(sum % 11) as usize])
}

/// Seeds the demo village unless the database already has a village. Safe to call at every start.
pub async fn seed(pool: &SqlitePool, now: OffsetDateTime) -> Result<SeedOutcome, DemoError> {
    if villages::count(pool).await? > 0 {
        return Ok(SeedOutcome::AlreadyPresent);
    }
    // Hash before opening the transaction: hashing is slow and must not hold the write lock.
    let mut password_hashes = Vec::with_capacity(DEMO_LOGINS.len());
    for _ in DEMO_LOGINS {
        password_hashes.push(password::hash_in_background(DEMO_PASSWORD.to_owned()).await?);
    }

    let mut transaction = pool.begin().await?;
    // Checked again inside the transaction, in case two servers start on the same file.
    if villages::count(&mut *transaction).await? > 0 {
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

    let mut user_ids = Vec::with_capacity(DEMO_LOGINS.len());
    for (index, (demo, password_hash)) in DEMO_LOGINS.iter().zip(&password_hashes).enumerate() {
        let id = demo_id(3, index as u32 + 1);
        users::insert(
            &mut *transaction,
            &users::NewUser {
                id,
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
        user_ids.push(id);
    }

    let mut members = 0;
    let mut serial: u16 = 0;
    for (index, household) in HOUSEHOLDS.iter().enumerate() {
        let household_number = index as u32 + 1;
        let household_id = demo_id(4, household_number);
        let code = format!("QQ{household_number:04}");
        households::insert(
            &mut *transaction,
            &NewHousehold {
                id: household_id,
                village_id,
                code: &code,
                head_name: household.members[0].name,
                group_name: household.group,
                address: household.address,
                helper_user_id: user_ids.get(household.helper).copied(),
                created_at: now,
            },
        )
        .await?;
        for (ordinal, member) in household.members.iter().enumerate() {
            serial += 1;
            members += 1;
            let id_number = resident_id_number(DEMO_REGION_CODE, member.birth, serial, member.sex);
            households::insert_member(
                &mut *transaction,
                &NewMember {
                    id: demo_id(5, household_number * 100 + ordinal as u32 + 1),
                    household_id,
                    ordinal: ordinal as i64 + 1,
                    name: member.name,
                    relation: member.relation,
                    sex: member.sex,
                    birth_date: member.birth,
                    id_number: &id_number,
                },
            )
            .await?;
        }
    }
    transaction.commit().await?;
    Ok(SeedOutcome::Seeded {
        households: HOUSEHOLDS.len(),
        members,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_example_id_number_gets_its_check_character() {
        // GB 11643-1999's worked example: 11010519491231002X.
        assert_eq!(mod11_2_check_character("11010519491231002"), 'X');
    }

    #[test]
    fn the_sex_digit_is_odd_for_men_and_even_for_women() {
        for serial in 0..20 {
            let man = resident_id_number("460107", date!(1980 - 01 - 01), serial, Sex::Male);
            let woman = resident_id_number("460107", date!(1980 - 01 - 01), serial, Sex::Female);
            assert_eq!(man.len(), 18);
            assert_eq!((man.as_bytes()[16] - b'0') % 2, 1, "{man}");
            assert_eq!((woman.as_bytes()[16] - b'0') % 2, 0, "{woman}");
            assert!(man.starts_with("46010719800101"));
        }
    }

    #[test]
    fn every_household_starts_with_its_head_and_relations_fit_sex() {
        for household in &HOUSEHOLDS {
            assert_eq!(household.members[0].relation, "户主");
            assert!(household.members.len() <= 6);
            let heads = household
                .members
                .iter()
                .filter(|m| m.relation == "户主")
                .count();
            assert_eq!(heads, 1);
            for member in household.members {
                let expected = match member.relation {
                    "之子" | "之父" | "之孙子" => Some(Sex::Male),
                    "之女" | "之母" | "之孙女" | "之儿媳" => Some(Sex::Female),
                    _ => None,
                };
                if let Some(expected) = expected {
                    assert_eq!(member.sex, expected, "{}", member.name);
                }
            }
        }
    }
}
