//! The Discord adapter: serenity for the gateway and REST, poise for the
//! application commands. It turns Discord events into dialog events and
//! dialog replies into messages, threads and components; nothing about
//! intents is decided here.

mod backlog;
mod cases;
mod catchup;
mod commands;
pub mod custom_id;
mod data;
mod deferred;
pub mod doctor;
mod events;
mod form;
pub(crate) mod guard;
mod health;
mod in_flight;
mod interactions;
mod limits;
mod members;
mod names;
mod outbox;
mod pace;
mod permissions;
mod post;
pub mod reload;
mod render;
mod retry;
mod review;
mod seen;
mod sessions;
mod startup;
mod tickets;
mod turn_locks;
mod turns;

pub use data::Data;

use crate::engine::Engine;
use crate::metrics::Metrics;
use crate::settings::{Secret, Settings};
use crate::store::Store;
use anyhow::Context as _;
use in_flight::InFlight;
use serenity::all::{ClientBuilder, GatewayIntents, Http, HttpBuilder};
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// From a stop signal to exit: replies in flight, the outbox and the store
/// must be done by then, inside the 10 s an orchestrator gives before it
/// kills the process.
const SHUTDOWN_BUDGET: Duration = Duration::from_secs(8);
/// How long the gateway may take to close after a stop signal.
const GATEWAY_CLOSE: Duration = Duration::from_secs(2);

/// The error type of commands and handlers: logged in full, never shown.
pub type Error = anyhow::Error;
pub type Context<'a> = poise::Context<'a, Arc<Data>, Error>;

/// Runs the bot until `shutdown` resolves or the connection fails for good.
/// `metrics` is where it counts what it does (`/metrics` serves it; a test
/// reads it to know every event was handled).
/// `kb_dir` is the folder the knowledge base came from (`None`: the
/// built-in copy), which reloads read again.
///
/// On shutdown the gateway is closed first, so no new event arrives; then
/// the replies in flight finish, the outbox is flushed and the store closed.
pub async fn serve(
    mut settings: Settings,
    engine: Engine,
    kb_dir: Option<PathBuf>,
    store: Arc<dyn Store>,
    token: Secret,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let mut intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    if settings.discord.message_content {
        intents |= GatewayIntents::MESSAGE_CONTENT;
    } else {
        tracing::warn!(
            "{}",
            without_message_content("discord.message_content = false")
        );
    }
    let http = Arc::new(rest_client(&settings, &token)?);
    check_token(&http).await?;
    names::resolve(&http, &mut settings.discord).await?;
    let wake = Arc::new(tokio::sync::Notify::new());
    let settings = Arc::new(settings);
    let data = Arc::new(Data::new(
        Arc::clone(&settings),
        engine,
        kb_dir.clone(),
        Arc::clone(&store),
        Arc::clone(&wake),
        Arc::clone(&metrics),
    ));
    tickets::finish_interrupted(&data).await;
    if let Some(keep) = settings.keep {
        prune_every(Arc::clone(&store), keep);
    }
    let in_flight = Arc::clone(&data.in_flight);
    let pacer = Arc::clone(&data.pacer);
    let outbox = outbox::spawn(outbox::Deps {
        http: Arc::clone(&http),
        store: Arc::clone(&store),
        settings: Arc::clone(&settings),
        wake,
        metrics: Arc::clone(&metrics),
        pacer: Arc::clone(&pacer),
    });
    let stopping = Arc::new(AtomicBool::new(false));
    let shards: health::Shards = Arc::default();
    if let Some(bind) = &settings.health_bind {
        let probes = health::Health {
            shards: Arc::clone(&shards),
            store: Arc::clone(&store),
            metrics: Arc::clone(&metrics),
            stopping: Arc::clone(&stopping),
        };
        health::spawn(bind, probes).await?;
    }
    if let (Some(dir), Some(every)) = (kb_dir, settings.kb_watch) {
        reload::watch(
            dir,
            every,
            settings.thresholds,
            Arc::clone(&data.engine),
            Arc::clone(&metrics),
            Arc::clone(&store),
        );
    }
    let stop_time = Arc::new(std::sync::OnceLock::new());
    let stop_seen = Arc::new(tokio::sync::Notify::new());
    let (time, seen, flag, running) = (
        Arc::clone(&stop_time),
        Arc::clone(&stop_seen),
        Arc::clone(&stopping),
        Arc::clone(&shards),
    );
    tokio::spawn(async move {
        shutdown.await;
        let _ = time.set(tokio::time::Instant::now());
        flag.store(true, Ordering::SeqCst);
        seen.notify_one();
        tracing::info!("shutting down: closing the gateway, then finishing the replies in flight");
        let manager = running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        if let Some(manager) = manager {
            manager.shutdown_all().await;
        }
    });
    let ran = loop {
        let mut client = ClientBuilder::new_with_http(rest_client(&settings, &token)?, intents)
            .framework(framework(Arc::clone(&data)))
            .await
            .context("building the Discord client")?;
        *shards
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(client.shard_manager.clone());
        // A shard that is still trying to connect does not stop when
        // asked, so the client gets a bounded time to return after a stop
        // signal.
        let ran = tokio::select! {
            ran = client.start() => ran,
            () = async {
                stop_seen.notified().await;
                tokio::time::sleep(GATEWAY_CLOSE).await;
            } => {
                tracing::warn!("the gateway did not close in time; stopping without it");
                Ok(())
            }
        };
        // Message Content not switched on in the Developer Portal: Discord
        // closes with 4014. Everything but reading support channels works
        // without it, so the bot carries on without, and says so once.
        let refused = matches!(
            ran,
            Err(serenity::Error::Gateway(
                serenity::all::GatewayError::DisallowedGatewayIntents
            ))
        );
        if refused && intents.contains(GatewayIntents::MESSAGE_CONTENT) && stop_time.get().is_none()
        {
            tracing::warn!(
                "{}",
                without_message_content("Discord refused it (close code 4014)")
            );
            intents.remove(GatewayIntents::MESSAGE_CONTENT);
            metrics
                .message_content_refused
                .store(true, Ordering::Relaxed);
            continue;
        }
        break ran.context("running the Discord client");
    };
    let deadline = stop_time
        .get()
        .copied()
        .unwrap_or_else(tokio::time::Instant::now)
        + SHUTDOWN_BUDGET;
    drain(&in_flight, deadline).await;
    in_flight.close();
    outbox
        .flush_and_stop(&http, store.as_ref(), &metrics, &pacer, deadline)
        .await;
    let closed = tokio::time::timeout_at(deadline + Duration::from_secs(1), store.close()).await;
    match closed {
        Ok(Ok(())) => tracing::info!("stopped cleanly"),
        Ok(Err(err)) => tracing::error!(error = %err, "could not close the database cleanly"),
        Err(_) => tracing::error!("the database did not close in time"),
    }
    ran
}

/// A REST client with a timeout on every request (serenity sets none),
/// sent to `discord.api_url` when one is set.
pub(crate) fn rest_client(settings: &Settings, token: &Secret) -> anyhow::Result<Http> {
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .timeout(retry::REQUEST_TIMEOUT)
        .build()
        .context("building the HTTP client")?;
    let mut http = HttpBuilder::new(token.expose())
        .client(client)
        .default_allowed_mentions(render::no_mentions());
    if let Some(api_url) = &settings.discord.api_url {
        // serenity's own rate limiter sends its requests without the proxy,
        // so with a stand-in origin the limiter is off; `pace` paces.
        http = http.proxy(api_url.clone()).ratelimiter_disabled(true);
    }
    Ok(http.build())
}

/// The one line that says what works without Message Content and which
/// switch turns it on; `why` says why it is off.
pub fn without_message_content(why: &str) -> String {
    format!(
        "running without the Message Content intent ({why}): messages in support channels and forums \
         arrive empty unless they mention the bot, so only @mentions, DMs, /fix, /status and the \
         \"Diagnose with syncmedic\" menu are answered. To read support channels, turn on Bot > \
         Privileged Gateway Intents > Message Content in the Discord Developer Portal (and keep \
         discord.message_content = true)."
    )
}

/// The command framework around `data`: built again when the client is.
fn framework(data: Arc<Data>) -> poise::Framework<Arc<Data>, Error> {
    poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            event_handler: |framework, event| {
                Box::pin(events::handle(
                    framework.serenity_context,
                    event,
                    framework.user_data,
                ))
            },
            on_error: |error| Box::pin(on_error(error)),
            // Commands run outside the event handler: count them in flight
            // too. The guard lives in the invocation's data, which poise
            // drops when the invocation ends, however it ends.
            pre_command: |ctx| {
                Box::pin(async move {
                    Metrics::bump(&ctx.data().metrics.commands);
                    let running = ctx.data().in_flight.enter_owned();
                    ctx.set_invocation_data(running).await;
                })
            },
            // A mention is a question for the bot, not a command prefix.
            prefix_options: poise::PrefixFrameworkOptions {
                mention_as_prefix: false,
                ..Default::default()
            },
            allowed_mentions: Some(render::no_mentions()),
            initialize_owners: false,
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                startup::on_ready(ctx, ready, &framework.options().commands, &data).await;
                Ok(data)
            })
        })
        .build()
}

/// How often old records are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(6 * 3600);

/// Deletes finished records older than `keep`, now and every six hours,
/// so the database does not grow for ever.
fn prune_every(store: Arc<dyn Store>, keep: Duration) {
    tokio::spawn(async move {
        loop {
            let before = crate::store::now_ms() / 1000 - keep.as_secs() as i64;
            match store.prune(before).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "pruned old records"),
                Err(err) => tracing::warn!(error = %err, "could not prune old records"),
            }
            tokio::time::sleep(PRUNE_EVERY).await;
        }
    });
}

/// Fails the start at once on a token Discord refuses, rather than after a
/// gateway retry loop; any other failure is left to serenity's retries.
async fn check_token(http: &serenity::all::Http) -> anyhow::Result<()> {
    match http.get_current_user().await {
        Ok(user) => {
            tracing::debug!(bot = user.id.get(), "token accepted");
            Ok(())
        }
        Err(serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(response)))
            if response.status_code.as_u16() == 401 =>
        {
            anyhow::bail!(
                "Discord refused the bot token (401 Unauthorized): check DISCORD_TOKEN or discord.token_file"
            )
        }
        Err(err) => {
            tracing::warn!(error = %err, "could not check the token with Discord; trying the gateway anyway");
            Ok(())
        }
    }
}

/// Waits for the handlers still running when the gateway closed.
async fn drain(in_flight: &InFlight, deadline: tokio::time::Instant) {
    // An event dispatched just before the close may not have reached its
    // handler yet: give it a moment to be counted.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let running = in_flight.running();
    if running > 0 {
        tracing::info!(running, "waiting for replies in flight");
    }
    if tokio::time::timeout_at(deadline, in_flight.idle())
        .await
        .is_err()
    {
        tracing::warn!(
            running = in_flight.running(),
            "replies still in flight at the shutdown deadline"
        );
    }
}

/// One place turns every failure into a log line with its whole chain, and
/// tells the user only that something went wrong.
async fn on_error(error: poise::FrameworkError<'_, Arc<Data>, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            tracing::error!(command = %ctx.command().name, error = format!("{error:#}"), "command failed");
            let reply = poise::CreateReply::default()
                .content("Something went wrong on my side; the team has been told. Please try again in a moment.")
                .ephemeral(true);
            if let Err(e) = ctx.send(reply).await {
                tracing::warn!(error = %e, "could not tell the user about a failed command");
            }
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                tracing::error!(error = %e, "error while handling an error");
            }
        }
    }
}
