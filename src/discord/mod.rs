//! The Discord adapter: serenity for the gateway and REST, poise for the
//! application commands. It turns Discord events into dialog events and
//! dialog replies into messages, threads and components; nothing about
//! intents is decided here.

mod catchup;
mod commands;
pub mod custom_id;
mod data;
mod events;
mod form;
mod interactions;
mod limits;
mod outbox;
mod permissions;
mod post;
mod render;
mod retry;
mod sessions;
mod startup;
mod tickets;

pub use data::Data;

use crate::engine::Engine;
use crate::settings::{Secret, Settings};
use crate::store::Store;
use anyhow::Context as _;
use serenity::all::{ClientBuilder, GatewayIntents, HttpBuilder};
use std::future::Future;
use std::sync::Arc;

/// The error type of commands and handlers: logged in full, never shown.
pub type Error = anyhow::Error;
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// Runs the bot until `shutdown` resolves or the connection fails for good.
pub async fn serve(
    settings: Settings,
    engine: Engine,
    store: Arc<dyn Store>,
    token: Secret,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let mut http = HttpBuilder::new(token.expose()).default_allowed_mentions(render::no_mentions());
    if let Some(api_url) = &settings.discord.api_url {
        // serenity's own rate limiter sends its requests without the proxy,
        // so with a stand-in origin the limiter is off and the proxy limits.
        http = http.proxy(api_url.clone()).ratelimiter_disabled(true);
    }
    let mut intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    if settings.discord.message_content {
        intents |= GatewayIntents::MESSAGE_CONTENT;
    } else {
        tracing::warn!(
            "the Message Content intent is off (discord.message_content = false): guild messages arrive empty \
             unless they mention the bot. syncmedic still answers @mentions, DMs, /fix, /status and the \
             \"Diagnose with syncmedic\" menu. To read support channels, enable Message Content for the bot in \
             the Discord Developer Portal (Bot > Privileged Gateway Intents) and set discord.message_content = true."
        );
    }
    let wake = Arc::new(tokio::sync::Notify::new());
    let settings = Arc::new(settings);
    let data = Data::new(
        Arc::clone(&settings),
        engine,
        Arc::clone(&store),
        Arc::clone(&wake),
    );
    let framework = poise::Framework::builder()
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
        .build();
    let mut client = ClientBuilder::new_with_http(http.build(), intents)
        .framework(framework)
        .await
        .context("building the Discord client")?;
    outbox::spawn(Arc::clone(&client.http), store, settings, wake);
    let shards = client.shard_manager.clone();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down");
        shards.shutdown_all().await;
    });
    client.start().await.context("running the Discord client")
}

/// One place turns every failure into a log line with its whole chain, and
/// tells the user only that something went wrong.
async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
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
