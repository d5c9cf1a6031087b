//! `syncmedic serve`: the bot on Discord.

use anyhow::Context as _;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use syncmedic::settings::Settings;
use syncmedic::store::{SqliteStore, Store};

pub fn run(kb: Option<&Path>, settings: Settings) -> anyhow::Result<ExitCode> {
    let token = settings
        .discord
        .token(std::env::var("DISCORD_TOKEN").ok())
        .context("reading the Discord token")?;
    let Some(token) = token else {
        eprintln!(
            "error: no Discord token: set DISCORD_TOKEN or discord.token_file (to try syncmedic without Discord, run `syncmedic chat`)"
        );
        return Ok(ExitCode::from(2));
    };
    let engine = super::kb_source::engine(kb, &settings)?.for_answering();
    syncmedic::malloc::release_free();
    let kb_dir = super::kb_source::folder(kb);
    // From here on, no log line, error or panic message can show the token.
    syncmedic::logs::redact(token.expose());
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(&settings.database_url)
            .with_context(|| format!("opening the database {}", settings.database_url))?,
    );
    tracing::info!(
        intents = engine.kb.intents().len(),
        api_url = settings.discord.api_url.as_deref().map_or_else(
            || "https://discord.com".to_string(),
            syncmedic::settings::redact_url
        ),
        "starting"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(syncmedic::discord::serve(
        settings,
        engine,
        kb_dir,
        store,
        token,
        std::sync::Arc::default(),
        shutdown_signal(),
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on ctrl-c or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
