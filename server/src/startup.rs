//! From a [`Config`] to a running server: open the database, seed the demo, bind, serve until SIGINT/SIGTERM.

use std::io;

use time::OffsetDateTime;
use tokio::net::TcpListener;

use crate::auth::LoginSettings;
use crate::config::{Config, DemoOnNetwork};
use crate::demo::{self, DEMO_LOGINS, SeedOutcome};
use crate::store::{self, StoreError, sessions};
use crate::{AppState, PhotoSettings, Settings, app, maintenance};

/// Sessions that expired longer ago than this are deleted at start; younger ones still answer `token_expired`.
const EXPIRED_SESSION_RETENTION: time::Duration = time::Duration::days(30);

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    DemoOnNetwork(#[from] DemoOnNetwork),
    #[error("could not open the database: {0}")]
    Store(#[from] StoreError),
    #[error("could not open the photo store: {0}")]
    Blobs(#[from] crate::blobs::BlobError),
    #[error("could not seed the demo village: {0}")]
    Demo(#[from] demo::DemoError),
    #[error("could not prepare password hashing: {0}")]
    Password(#[from] crate::auth::password::PasswordError),
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: io::Error,
    },
    #[error("could not listen for SIGINT/SIGTERM: {0}")]
    Signals(io::Error),
    #[error("the server stopped with an error: {0}")]
    Serve(io::Error),
}

/// The database `--database-url` names, else the SQLite file `--database`.
async fn open_database(config: &Config) -> Result<sqlx::AnyPool, store::StoreError> {
    match &config.database_url {
        Some(url) => store::open_url(url).await,
        None => store::open(&config.database).await,
    }
}

/// Runs `zoufang-server admin …` against the database file and closes it.
pub async fn run_admin(
    config: &Config,
    command: crate::admin::AdminCommand,
) -> Result<(), crate::admin::AdminError> {
    let pool = open_database(config).await?;
    let blobs = config.blobs.open(&config.database).await?;
    let outcome = match command {
        crate::admin::AdminCommand::MigratePhotos { batch, limit } => {
            crate::admin::migrate_photos::run(&pool, blobs.as_ref(), batch, limit).await
        }
        command => {
            // Both delete photo rows and queue their bytes: delete those now, not at the server's next sweep.
            let gc = matches!(
                command,
                crate::admin::AdminCommand::GcPhotos { .. }
                    | crate::admin::AdminCommand::RemoveDemo
            );
            let mut stdin = io::stdin().lock();
            let outcome = crate::admin::run(&pool, command, &mut stdin).await;
            if gc && outcome.is_ok() {
                let deleted = crate::blobs::sweep_deletions(&pool, blobs.as_ref()).await?;
                println!(
                    "deleted the bytes of {deleted} photos from the {}",
                    blobs.describe()
                );
            }
            outcome
        }
    };
    pool.close().await;
    outcome
}

/// Runs the server until SIGINT or SIGTERM, then closes the database cleanly.
pub async fn run(config: Config) -> Result<(), StartupError> {
    config.check_demo_address()?;
    let signals = ShutdownSignals::register().map_err(StartupError::Signals)?;
    let pool = open_database(&config).await?;
    tracing::info!(database = %config.database_description(), "database ready");
    let blobs = config.blobs.open(&config.database).await?;
    tracing::info!(store = %blobs.describe(), "photo store ready");

    let now = OffsetDateTime::now_utc();
    let removed = sessions::delete_expired_before(&pool, now - EXPIRED_SESSION_RETENTION).await?;
    if removed > 0 {
        tracing::info!(removed, "deleted long-expired sessions");
    }

    if config.demo {
        match demo::seed(&pool, now).await? {
            SeedOutcome::Seeded {
                households,
                members,
            } => tracing::info!(households, members, "seeded the demo village"),
            SeedOutcome::Backfilled { households } => {
                tracing::info!(households, "gave the demo households their records")
            }
            SeedOutcome::AlreadyPresent => {
                tracing::info!("the demo village is present: demo seed skipped")
            }
            SeedOutcome::NotEmpty => tracing::warn!(
                "--demo ignored: the database holds other villages or accounts, and demo accounts are seeded only \
                 into an empty database"
            ),
        }
    }
    let demo_logins_active = config.demo && demo::logins_active(&pool).await?;

    if !config.dist.join("index.html").is_file() {
        tracing::warn!(dist = %config.dist.display(), "no index.html in the dist directory: the app answers 503 until it is built");
    }

    let state = AppState::new(
        pool.clone(),
        Settings {
            dist_dir: config.dist.clone(),
            token_lifetime: time::Duration::days(i64::from(config.token_days)),
            drop_response_rate: config.drop_response_rate,
            photos: PhotoSettings::new(config.photo_quota_mib, config.photo_grace_days),
            login: LoginSettings {
                trust_forwarded_for: config.trust_forwarded_for,
                ..LoginSettings::default()
            },
        },
        blobs.clone(),
    )?;
    let photo_cleanup =
        maintenance::spawn_photo_cleanup(pool.clone(), blobs, state.settings.photos.clone());
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| StartupError::Bind {
            addr: config.addr,
            source,
        })?;
    let local_addr = listener.local_addr().map_err(StartupError::Serve)?;
    if config.drop_response_rate > 0.0 {
        tracing::warn!(
            rate = config.drop_response_rate,
            "fault injection: dropping this share of submission and photo responses"
        );
    }

    println!("Zoufang server listening on http://{local_addr}/");
    if demo_logins_active {
        println!("Demo logins (password for all: {}):", demo::DEMO_PASSWORD);
        for login in DEMO_LOGINS {
            println!(
                "  {}  {}  {:<15}  {}",
                login.phone,
                login.password,
                login.role.code(),
                login.name
            );
        }
    }

    let served = crate::serve::serve(
        listener,
        app(state),
        crate::limits::HttpLimits::default(),
        signals.received(),
    )
    .await;
    photo_cleanup.abort();
    pool.close().await;
    tracing::info!("database closed; bye");
    served.map_err(StartupError::Serve)
}

/// The process signals that stop the server, registered when created: a signal that arrives while the server is
/// still starting (say, a test harness that stops it right after the first health check) is not lost.
struct ShutdownSignals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl ShutdownSignals {
    #[cfg(unix)]
    fn register() -> io::Result<ShutdownSignals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(ShutdownSignals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    #[cfg(not(unix))]
    fn register() -> io::Result<ShutdownSignals> {
        Ok(ShutdownSignals {})
    }

    /// Resolves on the first SIGINT (Ctrl-C) or SIGTERM.
    #[cfg(unix)]
    async fn received(mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => tracing::info!("SIGINT received: finishing open requests"),
            _ = self.terminate.recv() => tracing::info!("SIGTERM received: finishing open requests"),
        }
    }

    #[cfg(not(unix))]
    async fn received(self) {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        tracing::info!("Ctrl-C received: finishing open requests");
    }
}
