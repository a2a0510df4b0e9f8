//! OData error bodies (OData JSON Format 4.01 §21.1, as Graph sends them):
//! `{"error": {"code": "...", "message": "..."}}`.

use bytes::Bytes;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use hyper::StatusCode;

use super::Reply;

pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Reply {
    let body = serde_json::json!({"error": {"code": code, "message": message}});
    Reply {
        status,
        headers: vec![json_type()],
        body: Bytes::from(serde_json::to_vec(&body).unwrap_or_default()),
    }
}

pub(crate) fn json_type() -> (HeaderName, HeaderValue) {
    (CONTENT_TYPE, HeaderValue::from_static("application/json"))
}

/// `400` for a body that is not JSON, naming where serde_json stopped.
pub(crate) fn bad_json(e: &serde_json::Error) -> Reply {
    let what = e.to_string();
    // serde_json appends " at line L column C"; we say it our way.
    let what = what.split(" at line ").next().unwrap_or(&what);
    error(
        StatusCode::BAD_REQUEST,
        "BadRequest",
        &format!(
            "The request body is not valid JSON: {what} at line {}, column {}.",
            e.line(),
            e.column()
        ),
    )
}

pub(crate) fn not_found(method: &str, path: &str) -> Reply {
    error(
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        &format!("No documented resource answers {method} {path}."),
    )
}

/// `507` when the store holds [`super::store::CAPACITY`] items already.
pub(crate) fn full() -> Reply {
    error(
        StatusCode::INSUFFICIENT_STORAGE,
        "InsufficientStorage",
        &format!(
            "The mock holds {} items, its limit; restart it to start afresh.",
            super::store::CAPACITY
        ),
    )
}

/// An injected 429 or 503, with `Retry-After` (RFC 9110 §10.2.3).
pub(crate) fn throttled(status: StatusCode) -> Reply {
    let code = if status == StatusCode::TOO_MANY_REQUESTS {
        "TooManyRequests"
    } else {
        "ServiceUnavailable"
    };
    let mut reply = error(status, code, "Injected fault: try again later.");
    if matches!(status.as_u16(), 429 | 503) {
        reply
            .headers
            .push((RETRY_AFTER, HeaderValue::from_static("1")));
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_json_names_line_and_column() {
        let e = serde_json::from_str::<serde_json::Value>("{\n  \"a\": 1,\n}").unwrap_err();
        let reply = bad_json(&e);
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        let body: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(
            body["error"]["message"],
            "The request body is not valid JSON: trailing comma at line 3, column 1."
        );
        assert_eq!(body["error"]["code"], "BadRequest");
    }
}
