//! Settings: layers, validation, ids and the token.
use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn defaults_load_and_validate() {
    let s = Settings::load_with_env(None, env(&[])).expect("defaults are valid");
    assert!(
        s.thresholds.complete().is_some(),
        "the shipped lines spare the load its cross-validation: {:?}",
        s.thresholds
    );
    assert_eq!(s.discord.api_url, None);
    assert_eq!(s.discord.guild_id, None);
    assert!(s.discord.support_channels.is_empty());
    assert_eq!(s.user_cooldown, Duration::from_secs(10));
    assert_eq!(s.database_url, "sqlite://data/syncmedic.db");
    assert_eq!(s.health_bind, None, "health is off unless asked for");
    assert_eq!(s.log_format, LogFormat::Human);
    assert_eq!(s.kb_watch, Some(Duration::from_secs(2)));
    assert_eq!(
        s.rates,
        ReplyRates {
            user_per_minute: Some(20.0),
            global_per_second: None
        },
        "no question is shed for being one of many"
    );
    assert_eq!(s.pace.requests_per_second, Some(45.0));
    assert_eq!(s.pace.queue_warn, 1_000);
}

#[test]
fn operations_settings_from_the_environment() {
    let s = Settings::load_with_env(
        None,
        env(&[
            ("SYNCMEDIC__HEALTH__BIND", "127.0.0.1:9090"),
            ("SYNCMEDIC__LOG__FORMAT", "json"),
            ("SYNCMEDIC__KB__WATCH", "false"),
            ("SYNCMEDIC__LIMITS__GLOBAL_REPLIES_PER_SECOND", "0"),
        ]),
    )
    .expect("valid");
    assert_eq!(s.health_bind.as_deref(), Some("127.0.0.1:9090"));
    assert_eq!(s.log_format, LogFormat::Json);
    assert_eq!(s.kb_watch, None);
    assert_eq!(s.rates.global_per_second, None, "0 turns it off");
    for (key, value, named) in [
        ("SYNCMEDIC__HEALTH__BIND", "localhost", "health.bind"),
        ("SYNCMEDIC__LOG__FORMAT", "xml", "format"),
        (
            "SYNCMEDIC__LIMITS__USER_REPLIES_PER_MINUTE",
            "-1",
            "limits.user_replies_per_minute",
        ),
    ] {
        let err = Settings::load_with_env(None, env(&[(key, value)]))
            .expect_err("an invalid value is refused")
            .to_string();
        assert!(err.contains(named), "{key}={value}: {err}");
    }
}

#[test]
fn file_then_environment_override() {
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("bot.toml");
    std::fs::write(
        &file,
        "[discord]\napi_url = \"http://127.0.0.1:9/\"\nguild_id = 5\nsupport_channels = [1, 2]\n[matcher]\nanswer = 0.5\n",
    )
    .expect("write");
    let s = Settings::load_with_env(
        Some(&file),
        env(&[
            ("SYNCMEDIC__DISCORD__GUILD_ID", "7"),
            ("SYNCMEDIC__DISCORD__FORUM_CHANNELS", "30, 40"),
            ("SYNCMEDIC__LIMITS__USER_COOLDOWN_SECONDS", "2.5"),
            ("OTHER__DISCORD__GUILD_ID", "9"),
        ]),
    )
    .expect("valid");
    assert_eq!(s.discord.api_url.as_deref(), Some("http://127.0.0.1:9"));
    assert_eq!(s.discord.guild_id, Some(7), "environment beats the file");
    assert_eq!(s.discord.support_channels, vec![1, 2]);
    assert_eq!(s.discord.forum_channels, vec![30, 40]);
    assert_eq!(s.thresholds.answer, Some(0.5));
    assert_eq!(s.user_cooldown, Duration::from_millis(2500));
}

#[test]
fn id_lists_take_one_many_or_none() {
    for (value, expected) in [
        ("5", vec![5]),
        ("5,6", vec![5, 6]),
        ("", vec![]),
        (" 7 , ", vec![7]),
    ] {
        let s = Settings::load_with_env(
            None,
            env(&[("SYNCMEDIC__DISCORD__SUPPORT_CHANNELS", value)]),
        )
        .unwrap_or_else(|e| panic!("{value:?}: {e}"));
        assert_eq!(s.discord.support_channels, expected, "{value:?}");
    }
    let err = Settings::load_with_env(
        None,
        env(&[("SYNCMEDIC__DISCORD__SUPPORT_CHANNELS", "5,x")]),
    );
    assert!(err.is_err());
}

#[test]
fn single_ids_take_numbers_strings_or_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("bot.toml");
    std::fs::write(
        &file,
        "[discord]\nstaff_role = \"1234567890123456789\"\nguild_id = 42\n",
    )
    .expect("write");
    let s = Settings::load_with_env(Some(&file), env(&[("SYNCMEDIC__DISCORD__SOLVED_TAG", "")]))
        .expect("valid");
    assert_eq!(s.discord.staff_role, Some(1_234_567_890_123_456_789));
    assert_eq!(s.discord.guild_id, Some(42));
    assert_eq!(s.discord.solved_tag, None);
}

#[test]
fn unknown_keys_and_bad_values_are_errors_that_name_the_key() {
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("bot.toml");
    std::fs::write(&file, "[discord]\nguild = 5\n").expect("write");
    let err = Settings::load_with_env(Some(&file), env(&[])).expect_err("unknown key");
    assert!(err.to_string().contains("guild"), "{err}");

    let err = Settings::load_with_env(
        None,
        env(&[
            ("SYNCMEDIC__MATCHER__ANSWER", "0.5"),
            ("SYNCMEDIC__MATCHER__CLARIFY", "0.9"),
        ]),
    )
    .expect_err("clarify > answer");
    assert!(err.to_string().starts_with("matcher.clarify"), "{err}");

    let err = Settings::load_with_env(
        None,
        env(&[("SYNCMEDIC__DISCORD__API_URL", "discord.test")]),
    )
    .expect_err("not a URL");
    assert!(err.to_string().starts_with("discord.api_url"), "{err}");
}

#[test]
fn token_comes_from_the_environment_then_the_file_and_never_prints() {
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("token");
    std::fs::write(&file, "file-token\n").expect("write");
    let mut s = Settings::load_with_env(None, env(&[]))
        .expect("valid")
        .discord;
    assert_eq!(s.token(None).expect("no file"), None);
    s.token_file = Some(file);
    let token = s.token(None).expect("file").expect("token");
    assert_eq!(token.expose(), "file-token");
    assert_eq!(
        s.token(Some("env-token".into()))
            .expect("env")
            .map(|t| t.expose().to_string()),
        Some("env-token".into())
    );
    assert!(!format!("{token:?} {s:?}").contains("file-token"));
}

#[test]
fn the_api_url_carries_the_token_so_plain_http_is_for_loopback_only() {
    let key = "SYNCMEDIC__DISCORD__API_URL";
    for ok in [
        "https://proxy.example",
        "http://127.0.0.1:8080",
        "http://localhost:3000/",
        "http://[::1]:9000",
    ] {
        let s = Settings::load_with_env(None, env(&[(key, ok)])).expect(ok);
        assert!(s.discord.api_url.is_some(), "{ok}");
    }
    for bad in [
        "http://proxy.example",
        "http://user:hunter2@10.0.0.5:80",
        "http://evil.example#@127.0.0.1",
        "http://evil.example?x=@localhost",
        "http://evil.example\\@127.0.0.1",
        "https://proxy.example/?key=hunter2",
        "ftp://127.0.0.1",
        "discord.com",
    ] {
        let err = Settings::load_with_env(None, env(&[(key, bad)]))
            .expect_err(bad)
            .to_string();
        assert!(err.contains("discord.api_url"), "{err}");
        assert!(!err.contains("hunter2"), "credentials repeated: {err}");
    }
}

#[test]
fn urls_in_logs_lose_their_credentials() {
    let table = [
        (
            "https://u:p@proxy.example/api",
            "https://***@proxy.example/api",
        ),
        (
            "https://proxy.example/a?key=s3cret#x",
            "https://proxy.example/a",
        ),
        ("https://proxy.example", "https://proxy.example/"),
        ("http://127.0.0.1:9", "http://127.0.0.1:9/"),
        ("not a url", "(not a URL)"),
    ];
    for (url, shown) in table {
        assert_eq!(super::redact_url(url), shown);
    }
}

#[test]
fn a_zero_channel_id_is_refused_at_load_not_at_ready() {
    for key in [
        "SYNCMEDIC__DISCORD__SUPPORT_CHANNELS",
        "SYNCMEDIC__DISCORD__FORUM_CHANNELS",
    ] {
        let err = Settings::load_with_env(None, env(&[(key, "123,0")]))
            .expect_err(key)
            .to_string();
        assert!(err.contains("0 is not a channel id"), "{err}");
    }
}

#[test]
fn one_reminder_unless_repeats_are_asked_for() {
    let s = Settings::load_with_env(None, env(&[])).expect("defaults");
    assert_eq!(s.reminders.ceiling(), 1);
    let s = Settings::load_with_env(
        None,
        env(&[
            ("SYNCMEDIC__ESCALATION__REMINDER_REPEAT", "true"),
            ("SYNCMEDIC__ESCALATION__REMINDER_MAX", "4"),
        ]),
    )
    .expect("valid");
    assert_eq!(s.reminders.ceiling(), 4);
    let err = Settings::load_with_env(None, env(&[("SYNCMEDIC__ESCALATION__REMINDER_MAX", "0")]))
        .expect_err("zero");
    assert!(err.to_string().contains("escalation.reminder_max"));
}
