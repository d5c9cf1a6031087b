//! `syncmedic healthcheck`: asks a running `serve` for /healthz, for a
//! container's HEALTHCHECK. Blocking std networking: one request, no runtime.

use super::out::Out;
use anyhow::Context as _;
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::time::Duration;
use syncmedic::settings::Settings;

/// A probe that takes longer counts as a failure.
const TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address of the health endpoint (default: health.bind, with an
    /// unspecified address such as 0.0.0.0 asked on loopback).
    #[arg(long, value_name = "HOST:PORT")]
    addr: Option<SocketAddr>,
}

pub fn run(settings: &Settings, args: &Args) -> anyhow::Result<ExitCode> {
    let addr = match (args.addr, &settings.health_bind) {
        (Some(addr), _) => addr,
        (None, Some(bind)) => bind
            .parse::<SocketAddr>()
            .with_context(|| format!("health.bind {bind:?}"))?,
        (None, None) => {
            eprintln!(
                "error: health.bind is not set, so `serve` has no health endpoint (set it, e.g. SYNCMEDIC__HEALTH__BIND=127.0.0.1:9090, or pass --addr)"
            );
            return Ok(ExitCode::from(2));
        }
    };
    let addr = loopback_if_unspecified(addr);
    match probe(addr) {
        Ok((200, body)) => {
            write!(Out, "{body}")?;
            Ok(ExitCode::SUCCESS)
        }
        Ok((status, body)) => {
            eprintln!("unhealthy: HTTP {status}: {}", body.trim());
            Ok(ExitCode::from(1))
        }
        Err(err) => {
            eprintln!("unhealthy: {err:#}");
            Ok(ExitCode::from(1))
        }
    }
}

/// A server bound to every interface is reached on loopback.
fn loopback_if_unspecified(mut addr: SocketAddr) -> SocketAddr {
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    addr
}

/// The status code and body of GET /healthz.
fn probe(addr: SocketAddr) -> anyhow::Result<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT)
        .with_context(|| format!("connecting to {addr}"))?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream
        .take(64 * 1024)
        .read_to_string(&mut response)
        .context("reading the answer")?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse::<u16>().ok())
        .with_context(|| format!("not an HTTP answer: {:?}", response.lines().next()))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default();
    Ok((status, body))
}
