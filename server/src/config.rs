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

    /// Database URL instead of --database: `sqlite:<file>` or `postgres://user:password@host:port/database`
    /// (PostgreSQL: the database must exist; the server creates its tables). Several server instances may share
    /// one PostgreSQL database.
    #[arg(long, env = "ZOUFANG_DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Directory of the built web app (`dist`, from `scripts/build-app`). The API works without it.
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

    /// Allow --demo on an address other than loopback. The demo accounts (an admin among them) have a published
    /// password: anyone who can reach the server can log in with them. Only for a demonstration on a trusted network.
    #[arg(
        long,
        env = "ZOUFANG_DEMO_ON_NETWORK",
        value_parser = clap::builder::BoolishValueParser::new(),
        action = clap::ArgAction::SetTrue
    )]
    pub demo_on_network: bool,

    /// Throttle logins by the last X-Forwarded-For address instead of the TCP peer. Only behind a reverse proxy that
    /// appends the client's address; otherwise clients pick their own address and escape the per-client throttle.
    #[arg(
        long,
        env = "ZOUFANG_TRUST_FORWARDED_FOR",
        value_parser = clap::builder::BoolishValueParser::new(),
        action = clap::ArgAction::SetTrue
    )]
    pub trust_forwarded_for: bool,

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

    /// Where photo bytes are kept: the photo directory (default) or an S3-compatible bucket.
    #[command(flatten)]
    pub blobs: crate::blobs::BlobArgs,

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

/// `--demo` on a non-loopback address without `--demo-on-network`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "refusing to start: --demo creates accounts with the published password {password:?} (an admin among them), \
     and {addr} is reachable from other machines. Listen on 127.0.0.1 (the default), or if everyone on this \
     network may use the demo accounts, add --demo-on-network (ZOUFANG_DEMO_ON_NETWORK=1)."
)]
pub struct DemoOnNetwork {
    pub addr: SocketAddr,
    pub password: &'static str,
}

impl Config {
    /// The database for the log: the URL without its password, or the SQLite file.
    pub fn database_description(&self) -> String {
        match &self.database_url {
            Some(url) => crate::store::redact(url),
            None => self.database.display().to_string(),
        }
    }

    /// Refuses `--demo` on an address other than loopback unless `--demo-on-network` says so.
    pub fn check_demo_address(&self) -> Result<(), DemoOnNetwork> {
        if self.demo && !self.addr.ip().is_loopback() && !self.demo_on_network {
            return Err(DemoOnNetwork {
                addr: self.addr,
                password: crate::demo::DEMO_PASSWORD,
            });
        }
        Ok(())
    }
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
        assert!(!config.demo_on_network);
        assert!(!config.trust_forwarded_for);
        assert_eq!(config.token_days, 30);
        assert_eq!(config.drop_response_rate, 0.0);
        assert_eq!(config.photo_quota_mib, 200);
        assert_eq!(config.photo_grace_days, 7);
        assert_eq!(config.blobs.photo_dir, None);
        assert_eq!(config.blobs.s3_bucket, None);
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

    fn parse(args: &[&str]) -> Config {
        Config::try_parse_from(std::iter::once("zoufang-server").chain(args.iter().copied()))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn demo_on_a_network_address_is_refused_unless_forced() {
        let refused = parse(&["--demo", "--addr", "0.0.0.0:8080"]).check_demo_address();
        let Err(error) = refused.map_err(|e| e.to_string()) else {
            panic!("--demo on 0.0.0.0 was accepted");
        };
        assert!(error.contains("0.0.0.0:8080"), "{error}");
        assert!(error.contains("--demo-on-network"), "{error}");
        assert!(
            parse(&["--demo", "--addr", "192.168.1.20:8080"])
                .check_demo_address()
                .is_err()
        );
        assert!(
            parse(&["--demo", "--addr", "[::]:8080"])
                .check_demo_address()
                .is_err()
        );

        for allowed in [
            &["--demo"][..],
            &["--demo", "--addr", "127.0.0.1:9000"],
            &["--demo", "--addr", "[::1]:9000"],
            &["--addr", "0.0.0.0:8080"],
            &["--demo", "--addr", "0.0.0.0:8080", "--demo-on-network"],
        ] {
            assert_eq!(parse(allowed).check_demo_address(), Ok(()), "{allowed:?}");
        }
    }

    #[test]
    fn a_zero_token_lifetime_is_rejected() {
        assert!(Config::try_parse_from(["zoufang-server", "--token-days", "0"]).is_err());
    }
}
