//! A small HTTP/1.1 server: request line, headers, Content-Length or chunked bodies,
//! keep-alive with many requests per connection. It knows nothing about Discord.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::net::tcp::OwnedReadHalf;
use tokio::time::timeout;

/// How long a kept-alive connection may sit idle; longer than reqwest's 90 s pool timeout, so
/// the client always closes first and never reuses a connection we closed.
const IDLE: Duration = Duration::from_secs(120);
/// How long the rest of a request may take once its first line arrived.
const READ: Duration = Duration::from_secs(10);

#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// Without the query string.
    pub path: String,
    pub query: String,
    /// Names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(status: u16, body: &serde_json::Value) -> Response {
        Response {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    pub fn empty(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
}

/// Accepts connections on `listener` for as long as the runtime lives, answering each request
/// with `handler`.
pub fn serve<H, F>(listener: TcpListener, handler: H)
where
    H: Fn(Request) -> F + Send + Sync + 'static,
    F: Future<Output = Response> + Send + 'static,
{
    let handler = Arc::new(handler);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let handler = Arc::clone(&handler);
            // Discord's edge answers without Nagle delays; so does this server, or
            // a response split in two waits for a delayed ACK (~40 ms).
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut reader = BufReader::new(read);
                while let Ok(Some(req)) = read_request(&mut reader).await {
                    let close = req
                        .header("connection")
                        .is_some_and(|c| c.eq_ignore_ascii_case("close"));
                    let resp = handler(req).await;
                    if write.write_all(&encode(&resp)).await.is_err() || close {
                        break;
                    }
                }
            });
        }
    });
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Status",
    }
}

fn encode(resp: &Response) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (name, value) in &resp.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("content-length: {}\r\n\r\n", resp.body.len()));
    let mut out = head.into_bytes();
    out.extend_from_slice(&resp.body);
    out
}

fn bad(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string())
}

async fn line(reader: &mut BufReader<OwnedReadHalf>, wait: Duration) -> std::io::Result<String> {
    let mut line = String::new();
    let n = timeout(wait, reader.read_line(&mut line))
        .await
        .map_err(|_| bad("timed out"))??;
    if n == 0 {
        return Err(bad("closed"));
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// The next request on the connection; `None` once the client closed it cleanly.
async fn read_request(reader: &mut BufReader<OwnedReadHalf>) -> std::io::Result<Option<Request>> {
    let first = match line(reader, IDLE).await {
        Ok(l) => l,
        Err(_) => return Ok(None),
    };
    let mut parts = first.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(bad("bad request line"));
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers = Vec::new();
    loop {
        let l = line(reader, READ).await?;
        if l.is_empty() {
            break;
        }
        if let Some((n, v)) = l.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let mut req = Request {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body: Vec::new(),
    };
    if req
        .header("transfer-encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
    {
        loop {
            let size = usize::from_str_radix(line(reader, READ).await?.trim(), 16)
                .map_err(|_| bad("bad chunk size"))?;
            let mut chunk = vec![0; size + 2];
            timeout(READ, reader.read_exact(&mut chunk))
                .await
                .map_err(|_| bad("timed out"))??;
            if size == 0 {
                break;
            }
            req.body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(len) = req.header("content-length") {
        let len: usize = len.parse().map_err(|_| bad("bad content-length"))?;
        req.body = vec![0; len];
        timeout(READ, reader.read_exact(&mut req.body))
            .await
            .map_err(|_| bad("timed out"))??;
    }
    Ok(Some(req))
}
