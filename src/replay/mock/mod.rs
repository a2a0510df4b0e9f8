//! The built-in mock: an HTTP/1.1 server (hyper on tokio) that behaves as
//! the documented service would, built from the pages' request templates and
//! examples. `exemplar mock` serves it on an address; `run` without
//! `--endpoint` starts it in-process on an ephemeral loopback port.

mod filter;
pub(crate) mod handle;
pub(crate) mod limits;
mod odata;
mod query;
mod routes;
pub(crate) mod schema;
mod seed;
mod store;
mod typed;

use std::convert::Infallible;
use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::page::Page;
use crate::replay::inject::{Fault, Injection};

/// Bodies larger than this are refused (413) rather than buffered.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// How long a stop waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(5);

pub(crate) struct Mock {
    routes: routes::Routes,
    store: store::Store,
    /// What the mock knows of the resource types (see `schema`).
    schema: Box<dyn schema::Schema>,
    /// The docs' type model (actions' parameter types); `None` when the
    /// docs define no resource type.
    model: Option<Arc<crate::types::Model>>,
    faults: Injection,
    log: Option<mpsc::Sender<String>>,
}

/// An answer before it becomes a hyper response.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Bytes,
}

impl Mock {
    /// The mock for `pages`. With `log`, one line a request goes to standard error.
    pub(crate) fn build(pages: &[Page], faults: Injection, log: bool) -> Mock {
        Mock::build_with(pages, faults, log, &[], None)
    }

    /// The mock, its examples' `{placeholders}` filled from `vars` (`run
    /// --var id=42` says which item a placeholder example documents), its
    /// bodies validated by `model` (built from `pages` when not given).
    pub(crate) fn build_with(
        pages: &[Page],
        faults: Injection,
        log: bool,
        vars: &[(String, String)],
        model: Option<Arc<crate::types::Model>>,
    ) -> Mock {
        let (seeds, learned) = seed::build(pages, vars);
        // The same model the types stage builds (the source locale's
        // resource pages define the types; see `crate::types::model`).
        let model = model.unwrap_or_else(|| Arc::new(crate::types::Model::build(pages)));
        let routes = routes::Routes::build(pages, &model);
        let (schema, model): (Box<dyn schema::Schema>, _) = if model.is_empty() {
            (Box::new(learned), None)
        } else {
            let mut typed = typed::Typed::new(Arc::clone(&model), learned);
            for d in routes.docs.iter().filter(|d| d.writes) {
                if let (Some(t), Some(serde_json::Value::Object(body))) =
                    (&d.body_type, &d.request_body)
                {
                    typed.documented_request(t, body);
                }
            }
            (Box::new(typed), Some(model))
        };
        Mock {
            routes,
            store: store::Store::new(seeds),
            schema,
            model,
            faults,
            log: log.then(spawn_logger),
        }
    }

    pub(crate) fn routes(&self) -> usize {
        self.routes.len()
    }

    /// How many documented items seed the store.
    pub(crate) fn seeded(&self) -> usize {
        self.store.seeded()
    }

    /// The mock with another schema (the type model of the docs, when built).
    #[allow(dead_code)]
    pub(crate) fn with_schema(mut self, schema: Box<dyn schema::Schema>) -> Mock {
        self.schema = schema;
        self
    }
}

/// Writes log lines on a thread of their own, flushing when no line waits,
/// so that logging costs a request one channel send, not a write.
fn spawn_logger() -> mpsc::Sender<String> {
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        let mut out = std::io::BufWriter::new(std::io::stderr());
        while let Ok(line) = rx.recv() {
            let _ = writeln!(out, "{line}");
            while let Ok(line) = rx.try_recv() {
                let _ = writeln!(out, "{line}");
            }
            let _ = out.flush();
        }
    });
    tx
}

/// Serves `mock` on `listener` until `stop` completes, then lets requests in
/// flight finish (for at most [`DRAIN`]).
pub(crate) async fn serve(listener: TcpListener, mock: Arc<Mock>, stop: impl Future<Output = ()>) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(pair) => pair,
                    Err(_) => {
                        // Out of file descriptors or a connection reset
                        // before accept: wait a little instead of spinning.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let mock = Arc::clone(&mock);
                let service = service_fn(move |req| {
                    let mock = Arc::clone(&mock);
                    async move { Ok::<_, Infallible>(respond(&mock, peer, req).await) }
                });
                let conn = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
            () = &mut stop => break,
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {}
    }
}

async fn respond(
    mock: &Mock,
    peer: SocketAddr,
    req: Request<hyper::body::Incoming>,
) -> Response<Full<Bytes>> {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let method = parts.method.as_str();
    let uri = &parts.uri;
    let fault = mock.faults.pick();
    if let Some(Fault::Delay(delay)) = fault {
        tokio::time::sleep(*delay).await;
    }
    let reply = match fault {
        Some(Fault::Status(status)) => odata::throttled(
            StatusCode::from_u16(*status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
        ),
        _ => match Limited::new(body, MAX_BODY).collect().await {
            Ok(body) => handle::handle(
                mock,
                &handle::Incoming {
                    method,
                    path: uri.path(),
                    query: uri.query().unwrap_or(""),
                    content_type: parts
                        .headers
                        .get(CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok()),
                    headers: &parts.headers,
                    body: &body.to_bytes(),
                },
            ),
            Err(e) => odata::error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "RequestEntityTooLarge",
                &format!("The request body could not be read: {e}."),
            ),
        },
    };
    if let Some(log) = &mock.log {
        let _ = log.send(format!(
            "{peer} \"{method} {uri}\" {} {}B {:.2}ms",
            reply.status.as_u16(),
            reply.body.len(),
            started.elapsed().as_secs_f64() * 1000.0
        ));
    }
    let mut response = Response::new(Full::new(reply.body));
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    for (name, value) in reply.headers {
        headers.append(name, value);
    }
    response
}

/// The mock serving on a thread of its own (its own tokio runtime), for
/// tests and programs that embed exemplar: `start(&pages, "127.0.0.1:0")`
/// and send requests to `addr`; dropping it stops the mock.
pub struct Running {
    /// Where the mock listens (the port the system chose for `:0`).
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Starts the mock of `pages` on `listen` (`127.0.0.1:0` for any free port).
pub fn start(pages: &[Page], listen: &str) -> std::io::Result<Running> {
    let mock = Arc::new(Mock::build(pages, Injection::default(), false));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    // Bound here, so that the address is known (and an error returned)
    // before the thread starts; callable from inside another runtime.
    let listener = std::net::TcpListener::bind(listen)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        runtime.block_on(async move {
            let Ok(listener) = TcpListener::from_std(listener) else {
                return;
            };
            serve(listener, mock, async {
                let _ = stopped.await;
            })
            .await;
        });
    });
    Ok(Running {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests;
