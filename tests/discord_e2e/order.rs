//! A conversation's events are taken one at a time.

use super::*;

/// Two quick DMs from someone new: whichever is taken first opens the
/// case and the other follows it up; neither opens a second case over
/// the first (which of the two goes first is Discord's events' race).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_quick_dms_make_one_case() {
    let (fd, bot) = setup().await;
    let ids = fd.ids().clone();
    fd.dm_message(&ids.asker, "Syncing Paused on my iphone")
        .await;
    fd.dm_message(&ids.asker, "hello?").await;
    let dm = fd.dm_channel_of(&ids.asker);
    nth_post_in(&fd, dm, 2).await;
    fd.dm_message(&ids.asker, "still stuck").await;
    let next = nth_post_in(&fd, dm, 3).await;
    assert!(
        next.body["content"]
            .as_str()
            .is_some_and(|c| c.contains("Step 2 of")),
        "the Paused case goes on: {}",
        fd.describe_requests()
    );
    bot.stop().await;
}
