//! `exemplar mock`: the built-in mock served until Ctrl-C or SIGTERM.

use std::sync::Arc;

use super::Fatal;
use crate::cli::MockArgs;
use crate::discover::{self, DiscoverOptions};
use crate::replay::{mock, Injection};

pub(super) fn run(args: &MockArgs) -> Result<u8, Fatal> {
    let injection = Injection::new(&args.inject)?;
    let loaded = discover::load(&args.paths, &DiscoverOptions::default())
        .map_err(|e| Fatal(e.to_string()))?;
    let listen = if args.listen.bytes().all(|b| b.is_ascii_digit()) {
        format!("127.0.0.1:{}", args.listen)
    } else {
        args.listen.clone()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&listen)
            .await
            .map_err(|e| Fatal(format!("cannot listen on {listen}: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Fatal(format!("cannot listen on {listen}: {e}")))?;
        let mock = Arc::new(mock::Mock::build(&loaded.pages, injection, true));
        eprintln!(
            "exemplar mock: {} routes from {} pages on http://{addr}/v1.0 (and /beta), {} documented items in store; Ctrl-C stops",
            mock.routes(),
            loaded.pages.len(),
            mock.seeded()
        );
        mock::serve(listener, mock, stop_signal()).await;
        eprintln!("exemplar mock: stopped");
        Ok(0)
    })
}

/// Ctrl-C (and SIGTERM on Unix, which service managers and scripts send).
async fn stop_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    () = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => ctrl_c.await,
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}
