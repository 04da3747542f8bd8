//! `admin import-households`: one household per CSV row, as the county's register exports them. A row becomes a
//! domain [`Household`] with its head as the only member (the helper adds the others on the first visit) and the
//! helper named by phone as its current helper. Every row is checked on its own; a bad row is reported with its
//! line number and a specific reason and written not at all, good rows are kept.
//!
//! Columns (header row required, any order, extra columns ignored; see README.md):
//! 户编号, 户主姓名, 户主身份证号, 省, 市, 县, 乡镇, 村, 组, 帮扶责任人手机号 (required);
//! 门牌, 户属性, 脱贫年度, 帮扶单位, 帮扶责任人职务 (optional).

use std::collections::HashMap;
use std::io::Read;

use sqlx::AnyPool;
use time::OffsetDateTime;
use uuid::Uuid;
use zoufang_domain::id_number::parse_id_number;
use zoufang_domain::labels::{Labelled, Locale};
use zoufang_domain::model::*;
use zoufang_domain::money::Centi;
use zoufang_domain::protocol::Role;

use super::AdminError;
use crate::clock::china_date;
use crate::store::changes::{self, ChangeKind};
use crate::store::households::{self, NewHousehold};
use crate::store::users;
use crate::store::villages::VillageSummary;

const REQUIRED: [&str; 10] = [
    "户编号",
    "户主姓名",
    "户主身份证号",
    "省",
    "市",
    "县",
    "乡镇",
    "村",
    "组",
    "帮扶责任人手机号",
];

const ATTRIBUTES: [PovertyAttribute; 9] = [
    PovertyAttribute::GeneralPoor,
    PovertyAttribute::DibaoExited,
    PovertyAttribute::TekunExited,
    PovertyAttribute::DibaoPoor,
    PovertyAttribute::GeneralExited,
    PovertyAttribute::TekunPoor,
    PovertyAttribute::DibaoTekunPoor,
    PovertyAttribute::DibaoTekun,
    PovertyAttribute::OrdinaryHousehold,
];

/// What an import did: rows imported (line, 户编号) and rows refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: Vec<(u64, String)>,
    pub refused: Vec<RowRefusal>,
}

/// A refused row: its line in the file (the header is line 1) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRefusal {
    pub line: u64,
    pub reason: String,
}

/// Imports the households of `csv` into `village`; see the module documentation.
pub async fn import_households(
    pool: &AnyPool,
    village: &VillageSummary,
    csv: impl Read,
    now: OffsetDateTime,
) -> Result<ImportReport, AdminError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(csv);
    let headers = reader
        .headers()
        .map_err(|error| AdminError::Invalid(format!("line 1: cannot read the header: {error}")))?
        .clone();
    let columns: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        // Spreadsheet programs start UTF-8 files with a byte-order mark.
        .map(|(index, name)| (name.trim_start_matches('\u{feff}').trim().to_owned(), index))
        .collect();
    let absent: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|name| !columns.contains_key(*name))
        .collect();
    if !absent.is_empty() {
        return Err(AdminError::Invalid(format!(
            "line 1: the header lacks the columns {}",
            absent.join(", ")
        )));
    }

    let mut report = ImportReport::default();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                report.refused.push(RowRefusal {
                    line,
                    reason: format!("not readable as CSV: {error}"),
                });
                // A UTF-8 or quoting error leaves the reader past the row; carry on with the next.
                continue;
            }
        }
        let line = record.position().map_or(line, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |name: &str| -> &str {
            columns
                .get(name)
                .and_then(|index| record.get(*index))
                .unwrap_or("")
        };
        match import_row(pool, village, &field, now).await {
            Ok(code) => report.imported.push((line, code)),
            Err(RowError::Refused(reason)) => report.refused.push(RowRefusal { line, reason }),
            Err(RowError::Fatal(error)) => return Err(error),
        }
    }
    Ok(report)
}

enum RowError {
    Refused(String),
    Fatal(AdminError),
}

impl From<crate::store::StoreError> for RowError {
    fn from(error: crate::store::StoreError) -> Self {
        RowError::Fatal(error.into())
    }
}

impl From<sqlx::Error> for RowError {
    fn from(error: sqlx::Error) -> Self {
        RowError::Fatal(error.into())
    }
}

fn refuse<T>(reason: impl Into<String>) -> Result<T, RowError> {
    Err(RowError::Refused(reason.into()))
}

fn required<'a>(field: &dyn Fn(&str) -> &'a str, name: &str) -> Result<&'a str, RowError> {
    match field(name) {
        "" => refuse(format!("{name} is empty")),
        value => Ok(value),
    }
}

fn parse_attribute(text: &str) -> Result<PovertyAttribute, RowError> {
    if text.is_empty() {
        return Ok(PovertyAttribute::OrdinaryHousehold);
    }
    let code = text.trim_start_matches('0');
    ATTRIBUTES
        .into_iter()
        .find(|attribute| {
            attribute.label(Locale::ZhCn) == text
                || attribute
                    .national_code()
                    .is_some_and(|national| national.trim_start_matches('0') == code)
        })
        .map_or_else(
            || {
                refuse(format!(
                    "户属性 {text:?} is neither a national code 01–08 nor a label such as 一般脱贫户 or 一般农户"
                ))
            },
            Ok,
        )
}

async fn import_row<'a>(
    pool: &AnyPool,
    village: &VillageSummary,
    field: &dyn Fn(&str) -> &'a str,
    now: OffsetDateTime,
) -> Result<String, RowError> {
    let code = required(field, "户编号")?;
    if !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return refuse(format!("户编号 {code:?} may hold only digits and letters"));
    }
    let head_name = required(field, "户主姓名")?;
    let id_text = required(field, "户主身份证号")?;
    let id_number = match parse_id_number(id_text) {
        Ok(parsed) if parsed.disability.is_none() => parsed,
        Ok(_) => return refuse("户主身份证号 is a 残疾人证 number, not a 居民身份证 number"),
        Err(error) => return refuse(format!("户主身份证号 {id_text:?} is invalid: {error}")),
    };
    let village_name = required(field, "村")?;
    if village_name != village.name {
        return refuse(format!(
            "村 {village_name:?} is not the village being imported into ({})",
            village.name
        ));
    }
    let group = required(field, "组")?;
    let attribute = parse_attribute(field("户属性"))?;
    let exit_year = match field("脱贫年度") {
        "" => None,
        text => match text.parse::<i32>() {
            Ok(year) if (2013..=2100).contains(&year) => Some(year),
            _ => return refuse(format!("脱贫年度 {text:?} is not a year such as 2019")),
        },
    };
    let poverty_status = match attribute {
        PovertyAttribute::OrdinaryHousehold => PovertyStatus::NotApplicable,
        PovertyAttribute::DibaoExited
        | PovertyAttribute::TekunExited
        | PovertyAttribute::GeneralExited => PovertyStatus::ExitedWithPolicy,
        _ => PovertyStatus::NotExited,
    };
    let helper_phone = required(field, "帮扶责任人手机号")?;
    let helper = match users::find_by_phone(pool, helper_phone).await? {
        Some(helper) if matches!(helper.role, Role::Helper | Role::FirstSecretary) => helper,
        Some(other) => {
            return refuse(format!(
                "帮扶责任人手机号 {helper_phone} belongs to a {}, not a helper",
                other.role.code()
            ));
        }
        None => return refuse(format!("帮扶责任人手机号 {helper_phone}: no such account")),
    };
    // Nobody may be made the helper of a household outside their own village.
    let helper_village = users::profile(pool, helper.id)
        .await?
        .and_then(|profile| profile.village)
        .map(|village| village.id);
    if helper_village != Some(village.id) {
        return refuse(format!(
            "帮扶责任人手机号 {helper_phone} is not an account of {}",
            village.name
        ));
    }
    if households::id_by_code(pool, code).await?.is_some() {
        return refuse(format!("户编号 {code} exists already"));
    }

    let today = china_date(now);
    let household_id = HouseholdId(Uuid::new_v4());
    let head = Member {
        id: MemberId(Uuid::new_v4()),
        name: head_name.to_owned(),
        id_number: id_number.normalized.clone(),
        disability_certificate: None,
        relation: Relation::Head,
        sex: id_number.sex,
        birth_date: id_number.birth_date,
        ethnicity: None,
        political_status: None,
        schooling: None,
        health: HealthStatus::default(),
        labour: None,
        work: WorkRecord::default(),
        insurance: InsuranceFlags::default(),
        dibao: false,
        tekun: false,
        membership: Membership::Counts,
    };
    let record = Household {
        schema_version: CURRENT_SCHEMA_VERSION,
        id: household_id,
        household_code: code.to_owned(),
        address: Address {
            province: required(field, "省")?.to_owned(),
            city: required(field, "市")?.to_owned(),
            county: required(field, "县")?.to_owned(),
            township: required(field, "乡镇")?.to_owned(),
            village: village_name.to_owned(),
            group: group.to_owned(),
        },
        attribute,
        identification_standard: None,
        poverty_status,
        exit_year,
        first_identified_on: None,
        monitoring_category: None,
        land: LandAreas::default(),
        housing: Housing {
            area_m2: Centi::ZERO,
            structure: None,
            danger_grade: DangerGrade::Unassessed,
            safe_housing_way: None,
        },
        water: WaterSupply::default(),
        electricity: Electricity::default(),
        road: RoadAccess::default(),
        fuel: None,
        sanitary_toilet: false,
        linkage: Linkage::default(),
        bank_account: None,
        helpers: vec![HelperAssignment {
            user_id: Some(UserId(helper.id)),
            name: helper.name,
            unit: field("帮扶单位").to_owned(),
            position: field("帮扶责任人职务").to_owned(),
            phone: helper.phone,
            unit_level: UnitLevel::Other,
            started_on: today,
            ended_on: None,
        }],
        members: vec![head],
        causes: PovertyCauses::default(),
        checklist: Checklist::default(),
        sudden_events: Vec::new(),
    };
    let door = field("门牌");
    let address = if door.is_empty() {
        format!("{village_name}{group}")
    } else {
        format!("{village_name}{group} {door}")
    };
    let mut transaction = pool.begin().await?;
    households::insert(
        &mut *transaction,
        &NewHousehold {
            village_id: village.id,
            address: &address,
            record: &record,
            last_visit_on: None,
            created_at: now,
        },
    )
    .await?;
    changes::append(&mut transaction, household_id.0, ChangeKind::Admin, now).await?;
    transaction.commit().await?;
    Ok(code.to_owned())
}
