//! Channels and roles configured by name, as people think of them.

use super::*;
use syncmedic::settings::Settings;

/// `#help`, `#staff` and `@Staff` instead of ids: the bot answers in
/// #help, trusts @Staff and files tickets in #staff.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channels_and_roles_given_by_name_are_found_and_used() {
    let fd = FakeDiscord::start().await;
    let staff = fd.add_text_channel("staff").await;
    let env = [
        ("SYNCMEDIC__DISCORD__SUPPORT_CHANNELS", "#help".to_string()),
        ("SYNCMEDIC__DISCORD__STAFF_ROLE", "@Staff".to_string()),
        (
            "SYNCMEDIC__DISCORD__ESCALATION_CHANNEL",
            "#staff".to_string(),
        ),
    ];
    let bot = bot::start(&fd, &env).await;
    let ids = fd.ids().clone();
    let (question, reply) = ask(&fd, &ids.asker, "Syncing Paused on my iphone").await;
    assert!(
        reply.body["content"]
            .as_str()
            .is_some_and(|c| c.contains("Paused")),
        "answered in #help: {}",
        reply.body
    );
    let submitted = talk_to_a_person(&fd, question, &ids.asker, &reply.body).await;
    assert_eq!(submitted.body["type"], 4, "{}", submitted.body);
    let path = format!("/channels/{staff}/messages");
    let ticket = fd
        .wait_for(WAIT, |r| r.method == "POST" && r.path == path)
        .await;
    assert!(
        ticket.body["content"]
            .as_str()
            .is_some_and(|c| c.contains(&format!("<@&{}>", ids.staff_role))),
        "the ticket in #staff pings @Staff: {}",
        ticket.body
    );
    let run = fd
        .slash(
            ids.text_channel,
            &ids.staff_member,
            "kb",
            json!([{"type": 1, "name": "stats", "options": []}]),
        )
        .await;
    let answer = callback(&fd, run).await;
    assert!(
        !answer.body["data"]["content"]
            .as_str()
            .unwrap_or_default()
            .contains("Only the support team"),
        "@Staff is the staff role: {}",
        answer.body
    );
    bot.stop().await;
}

/// A name that names nothing stops the start, saying which names are
/// close; one that names two things asks for the id. Without a guild id
/// the names are looked up in the bot's only guild.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_name_stops_the_start_with_the_candidates() {
    let fd = FakeDiscord::start().await;
    fd.add_text_channel("tickets").await;
    fd.add_text_channel("tickets").await;
    let env = vec![
        ("SYNCMEDIC__DISCORD__API_URL".to_string(), fd.api_url()),
        (
            "SYNCMEDIC__DISCORD__SUPPORT_CHANNELS".to_string(),
            "#hlep".to_string(),
        ),
        (
            "SYNCMEDIC__DISCORD__STAFF_ROLE".to_string(),
            "@Staf".to_string(),
        ),
        (
            "SYNCMEDIC__DISCORD__ESCALATION_CHANNEL".to_string(),
            "#tickets".to_string(),
        ),
        (
            "SYNCMEDIC__DATABASE__URL".to_string(),
            "sqlite::memory:".to_string(),
        ),
    ];
    let settings = Settings::load_with_env(None, env).expect("names are valid settings");
    let files = syncmedic::kb::KbFiles::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
        .expect("knowledge base");
    let engine = syncmedic::shipped::engine(&files, settings.thresholds).expect("valid");
    let store = std::sync::Arc::new(
        syncmedic::store::SqliteStore::open("sqlite::memory:").expect("database"),
    );
    let served = tokio::time::timeout(
        WAIT,
        syncmedic::discord::serve(
            settings,
            engine,
            None,
            store,
            syncmedic::settings::Secret::new(fd.token()),
            std::sync::Arc::default(),
            std::future::pending(),
        ),
    )
    .await
    .expect("the start stops by itself");
    let err = format!("{:#}", served.expect_err("wrong names stop the start"));
    for expected in [
        "discord.support_channels: no channel named \"#hlep\" in the guild; did you mean \"#help\"?",
        "discord.staff_role: no role named \"@Staf\" in the guild; did you mean \"@Staff\"?",
        "discord.escalation_channel: \"#tickets\" names 2 channels",
    ] {
        assert!(err.contains(expected), "{expected}\nin\n{err}");
    }
    let requests = fd.requests();
    assert!(
        requests.iter().any(|r| r.path == "/users/@me/guilds"),
        "the only guild was looked up"
    );
    assert!(
        !requests.iter().any(|r| r.path.contains("/commands")),
        "nothing was registered"
    );
}
