//! Who the bot serves: its home guild (`discord.guild_id`), and DMs from
//! that guild's members. Nobody else gets answers, tickets or a staff ping.

use super::*;

/// Events from another guild get no reply and no ticket; an interaction
/// gets one polite private line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_guild_gets_nothing_but_a_polite_line() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let foreign = fd.add_foreign_channel("elsewhere");
    fd.user_message(
        foreign,
        &ids.asker,
        &format!("<@{}> my iphone photos say Syncing Paused", ids.bot.id),
    )
    .await;
    for name in ["fix", "escalate"] {
        let options = if name == "fix" {
            json!({"question": "Syncing Paused"})
        } else {
            json!({})
        };
        let run = fd.slash(foreign, &ids.asker, name, options).await;
        let why = refused(&fd, run).await;
        assert!(why.contains("server I was set up for"), "{name}: {why}");
    }
    bot.settled(&fd).await;
    assert_eq!(bot_posts_in(&fd, foreign), 0, "{}", fd.describe_requests());
    bot.stop().await;
}

/// A DM from someone who shares only another server with the bot: no
/// answer, no ticket, and a command gets one polite private line. A
/// member's DM is answered as ever, and what a check found is remembered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dm_from_outside_the_home_guild_gets_nothing() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let outsider = fd.outsider(9_000_000_001, "outsider");
    let theirs = fd.dm_channel_of(&outsider);
    fd.dm_message(&outsider, "Syncing Paused on my iphone")
        .await;
    fd.dm_message(&outsider, "talk to a human").await;
    let run = fd
        .slash(
            theirs,
            &outsider,
            "fix",
            json!({"question": "Syncing Paused"}),
        )
        .await;
    let why = refused(&fd, run).await;
    assert!(why.contains("server I was set up for"), "{why}");

    fd.dm_message(&ids.asker, "Syncing Paused on my iphone")
        .await;
    posted_in(&fd, fd.dm_channel_of(&ids.asker)).await;
    bot.settled(&fd).await;
    let checks = |user: u64| {
        let path = format!("/guilds/{}/members/{user}", ids.guild);
        fd.requests().iter().filter(|r| r.path == path).count()
    };
    // The two messages share one check; the command, which cannot wait
    // for a message's turn to Discord, may ask on its own. What was found
    // is remembered, and the next message asks nothing.
    let asked = checks(outsider.id);
    assert!((1..=2).contains(&asked), "{}", fd.describe_requests());
    fd.dm_message(&outsider, "still there?").await;
    bot.settled(&fd).await;
    assert_eq!(checks(outsider.id), asked, "{}", fd.describe_requests());
    assert_eq!(bot_posts_in(&fd, theirs), 0, "{}", fd.describe_requests());
    assert_eq!(checks(ids.asker.id), 1, "{}", fd.describe_requests());
    bot.stop().await;
}

/// A member check Discord is slow to answer costs a command nothing: after
/// a second it goes on as a member's, well inside the 3 s Discord gives
/// its first answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_member_check_does_not_cost_a_command_its_answer() {
    use crate::support::discord::Fault;
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let check = format!("/guilds/{}/members/{}", ids.guild, ids.asker.id);
    fd.fail_next("GET", &check, vec![Fault::Delay(Duration::from_secs(4))]);
    let dm = fd.dm_channel_of(&ids.asker);
    let run = fd
        .slash(dm, &ids.asker, "fix", json!({"question": "Syncing Paused"}))
        .await;
    let answer = callback(&fd, run).await;
    assert!(
        answer.status < 300 && answer.body.to_string().contains("Paused"),
        "{}",
        fd.describe_requests()
    );
    bot.stop().await;
}

/// A new author's quick DMs arrive while the first one's member check is
/// still out: they wait for its answer instead of each asking Discord.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_dms_from_someone_new_share_one_member_check() {
    use crate::support::discord::Fault;
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    let check = format!("/guilds/{}/members/{}", ids.guild, ids.asker.id);
    fd.fail_next("GET", &check, vec![Fault::Delay(Duration::from_secs(1))]);
    for text in ["Syncing Paused on my iphone", "hello?", "still paused"] {
        fd.dm_message(&ids.asker, text).await;
    }
    posted_in(&fd, fd.dm_channel_of(&ids.asker)).await;
    bot.settled(&fd).await;
    let asked = fd.requests().iter().filter(|r| r.path == check).count();
    assert_eq!(asked, 1, "{}", fd.describe_requests());
    bot.stop().await;
}
