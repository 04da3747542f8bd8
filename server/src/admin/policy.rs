//! `admin list-policy-lines`, `add-policy-line`, `retire-policy-line`: the poverty standards (脱贫标准) and
//! monitoring lines (监测范围) per region and year that the phones receive with their assignments. Each line needs
//! its document (文号, title, date); a line without one is refused.

use sqlx::AnyPool;
use time::OffsetDateTime;
use time::macros::format_description;
use uuid::Uuid;
use zoufang_domain::money::Fen;
use zoufang_domain::policy::RegionPath;
use zoufang_domain::policy::lines::{ConfiguredLine, LineKind, PolicySource};
use zoufang_domain::protocol::PolicyDocument;

use super::{AdminError, invalid};
use crate::store::policy_lines::{self, StoredLine};

/// `--kind` values of policy lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum LineKindArg {
    /// 脱贫标准
    Standard,
    /// 监测范围
    Monitoring,
}

impl From<LineKindArg> for LineKind {
    fn from(kind: LineKindArg) -> LineKind {
        match kind {
            LineKindArg::Standard => LineKind::Standard,
            LineKindArg::Monitoring => LineKind::Monitoring,
        }
    }
}

/// What `add-policy-line` was given, before checking.
#[derive(Debug, Clone)]
pub struct LineArgs<'a> {
    pub kind: LineKind,
    pub region: &'a str,
    pub year: i32,
    pub yuan: &'a str,
    pub document_number: &'a str,
    pub document_title: &'a str,
    pub document_date: &'a str,
    pub demo: bool,
}

/// Checks the arguments into a line: a year in 2000–2100, a positive amount in 元 (at most two decimals), and a
/// document with its 文号, title and a `YYYY-MM-DD` date.
pub fn parse_line(args: &LineArgs<'_>) -> Result<ConfiguredLine, AdminError> {
    if !(2000..=2100).contains(&args.year) {
        return Err(invalid(format!(
            "--year {} is not between 2000 and 2100",
            args.year
        )));
    }
    let amount = Fen::parse_yuan(args.yuan.trim())
        .map_err(|error| invalid(format!("--yuan {:?}: {error}", args.yuan)))?;
    if amount <= Fen::ZERO {
        return Err(invalid("--yuan must be more than 0"));
    }
    let date = time::Date::parse(
        args.document_date.trim(),
        format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| {
        invalid(format!(
            "--document-date {:?} is not a YYYY-MM-DD date",
            args.document_date
        ))
    })?;
    let source = PolicySource::new(args.document_number, args.document_title, date).ok_or_else(|| {
        invalid("a policy line needs its document: --document-number (文号) and --document-title must not be empty")
    })?;
    Ok(ConfiguredLine {
        kind: args.kind,
        region: RegionPath::parse(args.region.trim()),
        year: args.year,
        amount,
        source,
        is_demo: args.demo,
    })
}

/// Adds a line in force, after checking that the policy document still loads with it. Returns its id.
pub async fn add_line(
    pool: &AnyPool,
    line: &ConfiguredLine,
    now: OffsetDateTime,
) -> Result<Uuid, AdminError> {
    let mut in_force = policy_lines::in_force(pool).await?;
    in_force.push(line.clone());
    let builtin = PolicyDocument::builtin().map_err(|error| invalid(error.to_string()))?;
    builtin.with_lines(&in_force).map_err(|error| {
        invalid(format!(
            "the policy tables would not load with this line: {error}"
        ))
    })?;
    let id = Uuid::new_v4();
    if !policy_lines::insert(pool, id, line, now).await? {
        return Err(invalid(format!(
            "a {} line for {} {} is already in force: retire it first (list-policy-lines shows its id)",
            line.kind.code(),
            line.region,
            line.year
        )));
    }
    Ok(id)
}

/// `add-policy-line`: checks the arguments, adds the line and prints its id.
pub async fn add(
    pool: &AnyPool,
    args: &LineArgs<'_>,
    now: OffsetDateTime,
) -> Result<Uuid, AdminError> {
    let line = parse_line(args)?;
    let id = add_line(pool, &line, now).await?;
    println!(
        "policy line {id} {} {} {} {} 元",
        line.kind.code(),
        line.region,
        line.year,
        line.amount
    );
    Ok(id)
}

/// `list-policy-lines`: one line each, tab-separated.
pub async fn list(pool: &AnyPool, with_retired: bool) -> Result<(), AdminError> {
    for stored in policy_lines::list(pool, with_retired).await? {
        println!("{}", describe(&stored));
    }
    Ok(())
}

/// `retire-policy-line`: retires a line in force.
pub async fn retire_line(pool: &AnyPool, id: &str, now: OffsetDateTime) -> Result<(), AdminError> {
    let id = Uuid::parse_str(id.trim()).map_err(|_| invalid(format!("{id:?} is not a line id")))?;
    if policy_lines::retire(pool, id, now).await? {
        println!("policy line {id} retired");
        Ok(())
    } else {
        Err(invalid(format!("no policy line {id} in force")))
    }
}

/// One line as `list-policy-lines` prints it (tab-separated).
pub fn describe(stored: &StoredLine) -> String {
    let line = &stored.line;
    format!(
        "{}\t{}\t{}\t{}\t{} 元\t{}\t{}",
        stored.id,
        line.kind.code(),
        line.region,
        line.year,
        line.amount,
        line.citation(),
        stored
            .retired_at
            .as_deref()
            .map_or("in force".to_owned(), |at| format!("retired {at}"))
    )
}
