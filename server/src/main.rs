//! The `zoufang-server` binary: parse flags, set up logging, run. Everything else lives in the library.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use zoufang_server::config::{Command, Config};

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    // Logs go to stderr so that stdout carries only the URL and the demo logins (scripts read those).
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    if let Some(Command::Admin(command)) = config.command.clone() {
        return match zoufang_server::startup::run_admin(&config, command).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("zoufang-server admin: {error}");
                ExitCode::FAILURE
            }
        };
    }
    match zoufang_server::startup::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "zoufang-server stopped");
            eprintln!("zoufang-server: {error}");
            ExitCode::FAILURE
        }
    }
}
