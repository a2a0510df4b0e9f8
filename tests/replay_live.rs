//! `exemplar run --endpoint` against a fake live service (a small HTTP/1.1
//! server on tokio written here, not the built-in mock): the bearer token
//! reaches it and no output, 429 with Retry-After is retried, a reset and a
//! timeout become transport errors, and a redirect to another host is not
//! followed (the token never leaves for it).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "eyJ0eXAi.s3cr3t-test-token.Zx9";

#[derive(Debug, Clone)]
struct Seen {
    path: String,
    authorization: Option<String>,
    at: Instant,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// Starts the fake service on 127.0.0.1; `redirect_to` is the port the
/// `/v1.0/redirect` answer points at (as `localhost`, another host).
fn start(runtime: &tokio::runtime::Runtime, redirect_to: u16) -> (u16, Log) {
    let listener = runtime
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port");
    let port = listener.local_addr().expect("an address").port();
    let log: Log = Arc::default();
    let seen = Arc::clone(&log);
    runtime.spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(connection(stream, Arc::clone(&seen), redirect_to));
        }
    });
    (port, log)
}

async fn connection(mut stream: TcpStream, log: Log, redirect_to: u16) {
    let mut buf = Vec::new();
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let path = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .unwrap_or("")
            .to_owned();
        let header = |name: &str| {
            head.split("\r\n").skip(1).find_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
            })
        };
        let length: usize = header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + 4 + length {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..head_end + 4 + length);
        let earlier = {
            let mut seen = log.lock().expect("the log");
            seen.push(Seen {
                path: path.clone(),
                authorization: header("authorization"),
                at: Instant::now(),
            });
            seen.iter().filter(|s| s.path == path).count() - 1
        };
        let ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"a\": 1}";
        let answer = match path.as_str() {
            "/v1.0/ok" => ok.to_owned(),
            "/v1.0/throttled" if earlier == 0 => {
                "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n".to_owned()
            }
            "/v1.0/throttled" => ok.to_owned(),
            "/v1.0/reset" => {
                // SO_LINGER 0: closing sends RST instead of FIN.
                let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
                return;
            }
            "/v1.0/slow" => {
                tokio::time::sleep(Duration::from_secs(5)).await;
                ok.to_owned()
            }
            "/v1.0/redirect" => format!(
                "HTTP/1.1 302 Found\r\nLocation: http://localhost:{redirect_to}/v1.0/stolen\r\nContent-Length: 0\r\n\r\n"
            ),
            _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_owned(),
        };
        if stream.write_all(answer.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// One example a path: GET, documented `200` with `{"a": 1}`.
fn page(paths: &[&str]) -> String {
    let mut text = String::from("# Live\n\n## Examples\n\n");
    for p in paths {
        text.push_str(&format!(
            "<!-- {{ \"blockType\": \"request\", \"name\": \"{p}\" }} -->\n```http\nGET https://graph.microsoft.com/v1.0/{p}\nAuthorization: Bearer {{token}}\n```\n\n<!-- {{ \"blockType\": \"response\" }} -->\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{{\"a\": 1}}\n```\n\n"
        ));
    }
    text
}

/// 1-based line and column of the `nth` occurrence of `needle`.
fn position(text: &str, needle: &str, nth: usize) -> (u64, u64) {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .expect("the needle");
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line as u64, column as u64)
}

mod common;

/// Runs `exemplar run ARGS --output FILE`: the exit code (or the fatal error) and what was written.
fn run(args: &[&str]) -> (Result<u8, String>, String) {
    let mut argv = vec!["run"];
    argv.extend_from_slice(args);
    common::exemplar_in_process(&argv)
}

#[test]
fn a_live_endpoint_that_throttles_resets_stalls_and_redirects() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (other_port, other_log) = start(&runtime, 0);
    let (port, log) = start(&runtime, other_port);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let paths = ["ok", "throttled", "reset", "slow", "redirect"];
    let text = page(&paths);
    let file = dir.path().join("live.md");
    std::fs::write(&file, &text).expect("the page");
    let file = file.to_str().expect("a UTF-8 path");
    std::env::set_var("EXEMPLAR_LIVE_TEST_TOKEN", TOKEN);
    let endpoint = format!("http://127.0.0.1:{port}");
    let common = [
        file,
        "--endpoint",
        &endpoint,
        "--token-env",
        "EXEMPLAR_LIVE_TEST_TOKEN",
        "--timeout",
        "1",
        "--retries",
        "1",
    ];

    let mut json_args = common.to_vec();
    json_args.extend_from_slice(&["--format", "json"]);
    let (code, json_text) = run(&json_args);
    assert_eq!(code, Ok(1));
    let doc: Value = serde_json::from_str(&json_text).expect("JSON");
    let s = &doc["summary"];
    assert_eq!(
        ["examples", "replayed", "passed", "failed", "skipped"].map(|k| s[k].as_u64()),
        [Some(5), Some(5), Some(2), Some(3), Some(0)]
    );
    let outcomes: Vec<&str> = doc["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["outcome"].as_str())
        .collect();
    assert_eq!(outcomes, ["passed", "passed", "failed", "failed", "failed"]);
    let found: Vec<(String, u64, u64)> = doc["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default(),
                f["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let (reset_line, _) = position(&text, "GET https://graph.microsoft.com/v1.0/reset", 0);
    let (slow_line, _) = position(&text, "GET https://graph.microsoft.com/v1.0/slow", 0);
    let (redirect_status, redirect_col) = position(&text, "200 OK", 4);
    assert_eq!(
        found,
        vec![
            ("transport-error".to_owned(), reset_line, 1),
            ("transport-error".to_owned(), slow_line, 1),
            ("status-mismatch".to_owned(), redirect_status, redirect_col),
        ]
    );
    let messages: Vec<&str> = doc["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages[0].starts_with("no answer: the exchange failed: "),
        "{}",
        messages[0]
    );
    assert_eq!(messages[1], "no answer: no answer within 1s (--timeout)");
    assert_eq!(
        messages[2],
        "the endpoint answered 302 Found where 200 is documented"
    );

    // The token reached the endpoint on every request, in place of the
    // page's `Bearer {token}`, and the 429 was retried after Retry-After.
    let seen = log.lock().expect("the log").clone();
    let order: Vec<&str> = seen.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        order,
        [
            "/v1.0/ok",
            "/v1.0/throttled",
            "/v1.0/throttled",
            "/v1.0/reset",
            "/v1.0/slow",
            "/v1.0/redirect"
        ]
    );
    let bearer = format!("Bearer {TOKEN}");
    assert!(seen
        .iter()
        .all(|s| s.authorization.as_deref() == Some(bearer.as_str())));
    assert!(seen[2].at - seen[1].at >= Duration::from_secs(1));
    // The redirect pointed at another host: nothing went there.
    assert!(other_log.lock().expect("the log").is_empty());

    let (code, human) = run(&common);
    assert_eq!(code, Ok(1));
    assert!(
        human.contains("1 page, 5 examples: 5 replayed (2 passed, 3 failed), 0 skipped."),
        "{human}"
    );
    for output in [&json_text, &human] {
        assert!(!output.contains(TOKEN));
        assert!(!output.contains("s3cr3t"));
    }
    // Every other format renders the same report: none carries the token.
    for format in ["junit", "sarif", "github", "html"] {
        let mut args = common.to_vec();
        args.extend_from_slice(&["--format", format]);
        let (code, output) = run(&args);
        assert_eq!(code, Ok(1), "{format}");
        assert!(output.contains("transport-error"), "{format}: {output}");
        assert!(!output.contains("s3cr3t"), "{format}");
    }
}

#[test]
fn an_answer_that_quotes_the_token_is_redacted() {
    // A service that echoes the Authorization header in an error body.
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let port = serve(&runtime, |mut stream: TcpStream, head: String| async move {
        let auth = head
            .split("\r\n")
            .find_map(|l| l.strip_prefix("authorization: "))
            .unwrap_or("")
            .to_owned();
        let body = format!("{{\"error\": {{\"code\": \"Denied\", \"message\": \"bad {auth}\"}}}}");
        let answer = format!(
                    "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
        let _ = stream.write_all(answer.as_bytes()).await;
    });
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("echo.md");
    std::fs::write(&file, page(&["ok"])).expect("the page");
    std::env::set_var("EXEMPLAR_ECHO_TEST_TOKEN", TOKEN);
    let endpoint = format!("http://127.0.0.1:{port}");
    let (code, text) = run(&[
        file.to_str().expect("a UTF-8 path"),
        "--endpoint",
        &endpoint,
        "--token-env",
        "EXEMPLAR_ECHO_TEST_TOKEN",
        "--format",
        "json",
    ]);
    assert_eq!(code, Ok(1));
    assert!(!text.contains(TOKEN));
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(
        doc["findings"][0]["message"],
        "the endpoint answered 401 Unauthorized where 200 is documented: bad Bearer [redacted]"
    );
    for format in ["human", "junit", "sarif", "github", "html"] {
        let (code, text) = run(&[
            file.to_str().expect("a UTF-8 path"),
            "--endpoint",
            &endpoint,
            "--token-env",
            "EXEMPLAR_ECHO_TEST_TOKEN",
            "--format",
            format,
        ]);
        assert_eq!(code, Ok(1), "{format}");
        assert!(text.contains("[redacted]"), "{format}: {text}");
        assert!(!text.contains("s3cr3t"), "{format}");
    }
}

/// A service whose answer has no end (chunked, streamed until the client
/// hangs up) or announces one larger than exemplar reads: each is a
/// `transport-error` at the request, and the run ends; the runner never
/// holds more than its bound (32 MB by default).
#[test]
fn an_endless_or_oversized_answer_is_a_transport_error() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let port = serve(&runtime, |mut stream: TcpStream, head: String| async move {
        if head.starts_with("GET /v1.0/huge ") {
            let _ = stream
                        .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000000000\r\n\r\n[")
                        .await;
            return;
        }
        let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .await;
        let chunk = format!("{:x}\r\n{}\r\n", 1 << 20, " ".repeat(1 << 20));
        // Until the client stops reading.
        while stream.write_all(chunk.as_bytes()).await.is_ok() {}
    });
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("endless.md");
    let text = page(&["endless", "huge"]);
    std::fs::write(&file, &text).expect("the page");
    let endpoint = format!("http://127.0.0.1:{port}");
    let (code, out) = run(&[
        file.to_str().expect("a UTF-8 path"),
        "--endpoint",
        &endpoint,
        "--format",
        "json",
    ]);
    assert_eq!(code, Ok(1));
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    let found: Vec<(String, u64, u64, String)> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default(),
                f["column"].as_u64().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let message = "no answer: the endpoint sent more than the 32 MB exemplar reads of an answer, so it was not compared (EXEMPLAR_MAX_RESPONSE_BYTES raises the bound)";
    let (l1, c1) = position(&text, "GET https://graph.microsoft.com/v1.0/endless", 0);
    let (l2, c2) = position(&text, "GET https://graph.microsoft.com/v1.0/huge", 0);
    assert_eq!(
        found,
        vec![
            ("transport-error".to_owned(), l1, c1, message.to_owned()),
            ("transport-error".to_owned(), l2, c2, message.to_owned()),
        ]
    );
}

/// A one-request-a-connection service on 127.0.0.1 for the tests that need
/// their own answers: `answer` gets the stream and the request's head.
fn serve<F, Fut>(runtime: &tokio::runtime::Runtime, answer: F) -> u16
where
    F: Fn(TcpStream, String) -> Fut + Send + Sync + Copy + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = runtime
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port");
    let port = listener.local_addr().expect("an address").port();
    runtime.spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let n = stream.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                answer(stream, head).await;
            });
        }
    });
    port
}
