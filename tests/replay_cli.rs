//! The binary: `exemplar mock` serves on loopback, logs one line a request
//! and stops cleanly on Ctrl-C (SIGINT); `exemplar run` exits with 2 when
//! the endpoint is unreachable.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const EXEMPLAR: &str = env!("CARGO_BIN_EXE_exemplar");

/// Sends one request on `stream` and reads the answer's status line and body.
fn exchange(stream: &mut TcpStream, request: &str) -> (String, String) {
    stream.write_all(request.as_bytes()).expect("the request");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(str::to_owned)
                })
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                let status = head.lines().next().unwrap_or("").to_owned();
                let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + length]).into_owned();
                return (status, body);
            }
        }
        let n = stream.read(&mut chunk).expect("the answer");
        assert!(n > 0, "the connection closed early");
        buf.extend_from_slice(&chunk[..n]);
    }
}

#[cfg(unix)]
#[test]
fn mock_serves_logs_and_stops_on_ctrl_c() {
    let mut child = Command::new(EXEMPLAR)
        .args(["mock", "tests/replay_pages", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mock starts");
    let stderr = child.stderr.take().expect("its standard error");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let banner = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the mock says where it listens");
    assert!(
        banner.starts_with("exemplar mock: 4 routes from 3 pages on http://127.0.0.1:"),
        "{banner}"
    );
    let addr = banner
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("an address")
        .to_owned();
    let mut stream = TcpStream::connect(&addr).expect("a connection");
    let body = "{\n  \"id\": \"1431b9c38ee647f6a\",\n  \"type\": \"externalGroup\",\n}";
    let (status, answer) = exchange(
        &mut stream,
        &format!(
            "POST /v1.0/external/connections/contosohr/groups/31bea3d537902000/members HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    assert_eq!(status, "HTTP/1.1 400 Bad Request");
    assert_eq!(
        answer,
        r#"{"error":{"code":"BadRequest","message":"The request body is not valid JSON: trailing comma at line 4, column 1."}}"#
    );
    // The same connection, kept alive. The page documents reading a widget
    // by a placeholder id only: widget 42 is in no state, so it is a 404,
    // never the example's answer.
    let (status, _) = exchange(
        &mut stream,
        "GET /beta/widgets/42 HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert_eq!(status, "HTTP/1.1 404 Not Found");
    let logged: Vec<String> = (0..2)
        .map(|_| rx.recv_timeout(Duration::from_secs(5)).expect("a log line"))
        .collect();
    let post =
        "\"POST /v1.0/external/connections/contosohr/groups/31bea3d537902000/members\" 400 115B ";
    assert!(logged[0].starts_with("127.0.0.1:"), "{logged:?}");
    assert!(logged[0].contains(post), "{logged:?}");
    assert!(
        logged[1].contains("\"GET /beta/widgets/42\" 404 "),
        "{logged:?}"
    );
    drop(stream);
    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("the mock ends");
    assert_eq!(status.code(), Some(0));
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(5)).as_deref(),
        Ok("exemplar mock: stopped")
    );
}

#[test]
fn run_exits_2_when_the_endpoint_is_unreachable() {
    let out = Command::new(EXEMPLAR)
        .args([
            "run",
            "tests/replay_pages/002_4226d2e02c55d92f.txt",
            "--endpoint",
            "http://127.0.0.1:9/v1.0",
        ])
        .output()
        .expect("exemplar runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: the endpoint http://127.0.0.1:9 is unreachable: "),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}
