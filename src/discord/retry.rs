//! Bounded retries for the REST calls that carry an answer (the reply and
//! its thread), so a 5xx, a 429 or a reply that never comes back costs a
//! delay instead of the answer.
//!
//! A call is only retried when a second try cannot make a second copy: a
//! message carries a nonce with `enforce_nonce`, and a second thread on the
//! same message is refused by Discord (160004), which the caller recovers.
//!
//! serenity sets no request timeout, so without one a response that never
//! arrives holds the answer forever; each try here has its own. With its
//! rate limiter off (behind a proxy) serenity cannot read a 429's body, so
//! `retry_after` and the global flag are lost: a 429 holds every call made
//! through here for at least a second, doubling while they keep coming,
//! which is as long as a global limit would ask or longer.

use super::pace::{Pacer, Route};
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// How many tries, each how long.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub tries: u32,
    pub try_timeout: Duration,
}

/// Five tries. Each HTTP request has its own 5 s timeout (`REQUEST_TIMEOUT`
/// in the HTTP client); a try may take longer than that only when serenity's
/// rate limiter (on when talking to Discord itself) waits for a bucket
/// first, which this bound leaves room for.
pub const ANSWER: Policy = Policy {
    tries: 5,
    try_timeout: Duration::from_secs(30),
};

/// The longest one HTTP request to Discord may take: longer than Discord
/// takes to answer anything the bot sends, short enough that an answer is
/// late by seconds, not lost.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
/// At least this long after a 429 whose `retry_after` cannot be read.
const RATE_LIMITED: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// What to do about a failed try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Discord (or the way there) failed; the request may be tried again.
    Retry,
    /// Rate limited: everyone waits, then this one tries again.
    RateLimited,
    /// Discord refused the request itself; another try gets the same answer.
    Fail,
}

pub fn classify(err: &serenity::Error) -> Verdict {
    use serenity::all::HttpError;
    match err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            match response.status_code.as_u16() {
                429 => Verdict::RateLimited,
                500..=599 => Verdict::Retry,
                _ => Verdict::Fail,
            }
        }
        // The connection failed or broke before a whole response came back.
        serenity::Error::Http(HttpError::Request(_)) => Verdict::Retry,
        _ => Verdict::Fail,
    }
}

/// Discord's JSON error code of a refused request, if it sent one.
pub fn discord_code(err: &serenity::Error) -> Option<isize> {
    match err {
        serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(response)) => {
            Some(response.error.code)
        }
        _ => None,
    }
}

/// The wait before try `attempt + 1` (attempt counts from 0).
pub fn backoff(attempt: u32, verdict: Verdict) -> Duration {
    let doubled = FIRST_BACKOFF.saturating_mul(1 << attempt.min(8));
    let wait = match verdict {
        Verdict::RateLimited => doubled.max(RATE_LIMITED),
        _ => doubled,
    };
    wait.min(MAX_BACKOFF)
}

/// Why the last try failed, for the caller's error.
#[derive(Debug)]
pub enum Failure {
    /// Discord answered with an error (the last one, after any retries).
    Discord(serenity::Error),
    /// The last try got no answer within the policy's timeout.
    TimedOut(Duration),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Discord(err) => write!(f, "{err}"),
            Failure::TimedOut(after) => write!(f, "no answer within {after:?}"),
        }
    }
}

impl std::error::Error for Failure {}

/// The instant before which no call made through here starts, set by a 429.
static HOLD: Mutex<Option<Instant>> = Mutex::new(None);

fn hold_until(until: Instant) {
    let mut hold = HOLD.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if hold.is_none_or(|h| h < until) {
        *hold = Some(until);
    }
}

async fn wait_for_hold() {
    let until = *HOLD.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(until) = until.filter(|u| *u > Instant::now()) {
        tokio::time::sleep_until(until).await;
    }
}

/// Runs `call`, each try in its turn of `pacer` on `route`, until it succeeds, Discord
/// refuses it, or the policy's tries all failed. `what` names the call in
/// the log.
pub async fn run<T, F, Fut>(
    policy: Policy,
    pacer: &Pacer,
    route: Route,
    what: &str,
    mut call: F,
) -> Result<T, Failure>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = serenity::Result<T>>,
{
    let mut attempt = 0;
    loop {
        wait_for_hold().await;
        pacer.turn(route).await;
        let (verdict, failure) = match tokio::time::timeout(policy.try_timeout, call()).await {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(err)) => (classify(&err), Failure::Discord(err)),
            Err(_) => (Verdict::Retry, Failure::TimedOut(policy.try_timeout)),
        };
        if verdict == Verdict::Fail || attempt + 1 >= policy.tries {
            return Err(failure);
        }
        let wait = backoff(attempt, verdict);
        if verdict == Verdict::RateLimited {
            hold_until(Instant::now() + wait);
        }
        tracing::warn!(
            attempt = attempt + 1,
            retry_in_ms = wait.as_millis() as u64,
            "{what} failed ({failure}); trying again"
        );
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_a_429_waits_at_least_a_second() {
        assert_eq!(backoff(0, Verdict::Retry), Duration::from_millis(250));
        assert_eq!(backoff(2, Verdict::Retry), Duration::from_secs(1));
        assert_eq!(backoff(0, Verdict::RateLimited), Duration::from_secs(1));
        assert_eq!(backoff(3, Verdict::RateLimited), Duration::from_secs(2));
        assert_eq!(backoff(40, Verdict::Retry), MAX_BACKOFF);
    }

    fn unpaced() -> Pacer {
        Pacer::new(None, 1, std::sync::Arc::default())
    }

    const QUICK: Policy = Policy {
        tries: 3,
        try_timeout: Duration::from_millis(10),
    };

    #[tokio::test]
    async fn gives_up_after_the_tries_and_keeps_the_last_error() {
        let mut tries = 0;
        let out: Result<(), Failure> = run(QUICK, &unpaced(), Route::Other, "a call", || {
            tries += 1;
            std::future::pending()
        })
        .await;
        assert!(matches!(out, Err(Failure::TimedOut(_))), "{out:?}");
        assert_eq!(tries, QUICK.tries);
    }

    #[tokio::test]
    async fn a_try_that_gets_no_answer_is_abandoned_for_the_next() {
        let mut tries = 0;
        let out = run(QUICK, &unpaced(), Route::Other, "a call", || {
            tries += 1;
            let first = tries == 1;
            async move {
                if first {
                    std::future::pending::<()>().await;
                }
                Ok(tries)
            }
        })
        .await;
        assert_eq!(out.ok(), Some(2));
    }

    #[tokio::test]
    async fn a_refused_request_is_not_tried_again() {
        let mut tries = 0;
        let out: Result<(), Failure> = run(QUICK, &unpaced(), Route::Other, "a call", || {
            tries += 1;
            async { Err(serenity::Error::Other("refused")) }
        })
        .await;
        assert!(matches!(out, Err(Failure::Discord(_))), "{out:?}");
        assert_eq!(tries, 1);
    }
}
