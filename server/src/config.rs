//! Command-line flags, each with an environment-variable fallback and a default that works on a laptop.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

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
        default_value = ".zoufang/zoufang.sqlite"
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
    }

    #[test]
    fn a_zero_token_lifetime_is_rejected() {
        assert!(Config::try_parse_from(["zoufang-server", "--token-days", "0"]).is_err());
    }
}
