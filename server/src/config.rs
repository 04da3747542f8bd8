//! Command-line flags, each with an environment-variable fallback and a default that works on a laptop.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::admin::AdminCommand;

/// Zoufang (走访) sync server: accounts, households and visit submissions; also serves the built web app.
#[derive(Debug, Clone, Parser)]
#[command(name = "zoufang-server", version, about)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "ZOUFANG_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// SQLite database file; created with its parent directory when missing.
    #[arg(
        long,
        env = "ZOUFANG_DATABASE",
        default_value = ".zoufang/zoufang.sqlite",
        global = true
    )]
    pub database: PathBuf,

    /// Directory of the built web app (Trunk's `dist`). The API works without it.
    #[arg(long, env = "ZOUFANG_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Seed the fictional demo village (清泉村) and its logins when the database has no village yet.
    #[arg(
        long,
        env = "ZOUFANG_DEMO",
        value_parser = clap::builder::BoolishValueParser::new(),
        action = clap::ArgAction::SetTrue
    )]
    pub demo: bool,

    /// Days a login token stays valid.
    #[arg(
        long,
        env = "ZOUFANG_TOKEN_DAYS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u16).range(1..=3650)
    )]
    pub token_days: u16,

    /// Fault injection for tests and benchmarks: the probability (0–1) that a response of the submission and photo
    /// routes is dropped (the connection closed) after the handler has committed. 0 (off) unless given.
    #[arg(
        long,
        env = "ZOUFANG_DROP_RESPONSE_RATE",
        default_value_t = 0.0,
        value_parser = parse_rate
    )]
    pub drop_response_rate: f64,

    /// MiB of photos one account may upload in 24 hours (429 `photo_quota_exceeded` beyond it).
    #[arg(
        long,
        env = "ZOUFANG_PHOTO_QUOTA_MIB",
        default_value_t = crate::PhotoSettings::DEFAULT_QUOTA_MIB,
        value_parser = clap::value_parser!(u32).range(1..=1_000_000)
    )]
    pub photo_quota_mib: u32,

    /// Days a photo that no submission links is kept after its last upload before the server removes it.
    #[arg(
        long,
        env = "ZOUFANG_PHOTO_GRACE_DAYS",
        default_value_t = crate::PhotoSettings::DEFAULT_GRACE_DAYS,
        value_parser = clap::value_parser!(u16).range(1..=3650)
    )]
    pub photo_grace_days: u16,

    /// Without a command the server runs.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Administer accounts, villages and households in the database file (--database), without the server.
    #[command(subcommand)]
    Admin(AdminCommand),
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!("{rate} is not between 0 and 1"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_flags() {
        let config = Config::try_parse_from(["zoufang-server"]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database, PathBuf::from(".zoufang/zoufang.sqlite"));
        assert_eq!(config.dist, PathBuf::from("dist"));
        assert!(!config.demo);
        assert_eq!(config.token_days, 30);
        assert_eq!(config.drop_response_rate, 0.0);
        assert_eq!(config.photo_quota_mib, 200);
        assert_eq!(config.photo_grace_days, 7);
        assert!(config.command.is_none());
    }

    #[test]
    fn a_drop_rate_outside_zero_to_one_is_rejected() {
        assert!(Config::try_parse_from(["zoufang-server", "--drop-response-rate", "1.5"]).is_err());
        assert!(Config::try_parse_from(["zoufang-server", "--drop-response-rate", "x"]).is_err());
        let config = Config::try_parse_from(["zoufang-server", "--drop-response-rate", "0.3"])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.drop_response_rate, 0.3);
    }

    #[test]
    fn the_admin_command_takes_the_database_flag_after_it() {
        let config = Config::try_parse_from([
            "zoufang-server",
            "admin",
            "--database",
            "x.sqlite",
            "create-village",
            "--name",
            "清泉村",
            "--county",
            "海口市琼山区",
            "--township",
            "三门坡镇",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.database, PathBuf::from("x.sqlite"));
        assert!(matches!(
            config.command,
            Some(Command::Admin(AdminCommand::CreateVillage { .. }))
        ));
    }

    #[test]
    fn a_zero_token_lifetime_is_rejected() {
        assert!(Config::try_parse_from(["zoufang-server", "--token-days", "0"]).is_err());
    }
}
