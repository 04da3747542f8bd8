//! The `zoufang-server admin …` command line: every subcommand with its flags (`AdminCommand`) and the `--role`
//! values. What each one does is in `mod.rs` and its sibling modules.

use std::path::PathBuf;

use super::policy;
use clap::{Subcommand, ValueEnum};
use zoufang_domain::protocol::Role;

#[derive(Debug, Clone, Subcommand)]
pub enum AdminCommand {
    /// Create a village (行政村); prints its id.
    CreateVillage {
        #[arg(long)]
        name: String,
        /// 县 (区), e.g. 海口市琼山区.
        #[arg(long)]
        county: String,
        /// 乡镇.
        #[arg(long)]
        township: String,
    },
    /// Create a night-school teaching point (教学点) in a village; prints its id.
    CreateTeachingPoint {
        /// The village's id or name.
        #[arg(long)]
        village: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        location: String,
    },
    /// Create an account. The password comes from --password or, without it, from the first line of stdin.
    CreateUser {
        /// 11-digit mobile number: the login.
        #[arg(long)]
        phone: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The village's id or name (required for first secretaries and cadres).
        #[arg(long)]
        village: Option<String>,
        /// The teaching point's id or name within the village (required for village cadres).
        #[arg(long)]
        teaching_point: Option<String>,
        /// The password (visible in the shell history and process list: prefer stdin).
        #[arg(long)]
        password: Option<String>,
    },
    /// Disable an account: its sessions are refused at once and it cannot log in (its data stays).
    DisableUser {
        #[arg(long)]
        phone: String,
    },
    /// Enable a disabled account again; its sessions work again (use revoke-sessions to end them).
    EnableUser {
        #[arg(long)]
        phone: String,
    },
    /// Set a new password (from --password or the first line of stdin) and revoke every session of the account.
    ResetPassword {
        #[arg(long)]
        phone: String,
        /// The password (visible in the shell history and process list: prefer stdin).
        #[arg(long)]
        password: Option<String>,
    },
    /// Log an account out everywhere, e.g. after a phone was lost.
    RevokeSessions {
        #[arg(long)]
        phone: String,
    },
    /// Remove the demo accounts (published password): revoke their sessions, disable them, and delete the demo
    /// village 清泉村 with everything in it if only demo accounts worked there (otherwise each unreferenced demo
    /// account).
    RemoveDemo,
    /// Make an account the current helper (帮扶责任人) of a household; the previous helper's row is closed.
    AssignHelper {
        /// The household's 户编号.
        #[arg(long)]
        household: String,
        /// The helper's phone (their login).
        #[arg(long)]
        helper_phone: String,
        /// 帮扶单位.
        #[arg(long, default_value = "")]
        unit: String,
        /// 职务.
        #[arg(long, default_value = "")]
        position: String,
        /// The date the assignment starts (YYYY-MM-DD; default today in China).
        #[arg(long)]
        on: Option<String>,
    },
    /// Remove photos that no submission links and that nobody uploaded within the grace period (the running server
    /// also does this every hour).
    GcPhotos {
        /// Days an unreferenced photo is kept after its last upload.
        #[arg(long, default_value_t = crate::PhotoSettings::DEFAULT_GRACE_DAYS)]
        grace_days: u16,
        /// The instant to count from (RFC 3339, e.g. 2026-12-01T00:00:00Z; default now).
        #[arg(long)]
        now: Option<String>,
    },
    /// Move the photo bytes kept in the database (rows from before the photo store) into the photo store (the photo
    /// directory or the S3 bucket), checking each copy before its database bytes are emptied. Safe to stop and run
    /// again: it continues where it stopped, and a second run finds nothing to move. Exits non-zero when a photo's
    /// bytes do not match its hash (they stay in the database).
    MigratePhotos {
        /// Photos read from the database at a time.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(i64).range(1..=10_000))]
        batch: i64,
        /// Move at most this many photos in this run (default: all).
        #[arg(long)]
        limit: Option<u64>,
    },
    /// List the poverty standards and monitoring lines set here (those in force; --all adds retired ones).
    ListPolicyLines {
        #[arg(long)]
        all: bool,
    },
    /// Set a poverty standard (脱贫标准) or monitoring line (监测范围) for a region and year, with the document that
    /// sets it; prints its id. Refused without the document, or when a line of that kind, region and year is in
    /// force (retire it first).
    AddPolicyLine {
        #[arg(long, value_enum)]
        kind: policy::LineKindArg,
        /// The region path from the province down, e.g. 海南省 or 海南省/海口市 (empty: national).
        #[arg(long, default_value = "")]
        region: String,
        #[arg(long)]
        year: i32,
        /// 元 per person per year, e.g. 4500 or 4500.50.
        #[arg(long)]
        yuan: String,
        /// The document's 文号, e.g. 琼乡振发〔2026〕3号.
        #[arg(long, default_value = "")]
        document_number: String,
        /// The document's title.
        #[arg(long, default_value = "")]
        document_title: String,
        /// The document's date (YYYY-MM-DD).
        #[arg(long, default_value = "")]
        document_date: String,
        /// A made-up value for trying the app, not policy: its citation says so.
        #[arg(long)]
        demo: bool,
    },
    /// Retire a policy line (by the id list-policy-lines prints); it stays listed with --all.
    RetirePolicyLine {
        #[arg(long)]
        id: String,
    },
    /// Import households from a UTF-8 CSV file (columns: see README.md). Each bad row is reported by line number
    /// and skipped; good rows are kept. Exits non-zero when any row was refused.
    ImportHouseholds {
        csv: PathBuf,
        /// The village's id or name; every row's 村 must match it.
        #[arg(long)]
        village: String,
    },
}

/// `--role` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum RoleArg {
    Helper,
    FirstSecretary,
    VillageCadre,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Role {
        match role {
            RoleArg::Helper => Role::Helper,
            RoleArg::FirstSecretary => Role::FirstSecretary,
            RoleArg::VillageCadre => Role::VillageCadre,
            RoleArg::Admin => Role::Admin,
        }
    }
}
