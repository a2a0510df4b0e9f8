//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test crate uses its own share of the helpers

/// Runs exemplar in-process (a binary in a shared target folder may be
/// another checkout's) with `--output FILE`, and returns its exit code (or
/// the fatal error) and what it wrote.
pub(crate) fn exemplar_in_process(args: &[&str]) -> (Result<u8, String>, String) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("out");
    let mut argv = vec!["exemplar"];
    argv.extend_from_slice(args);
    argv.extend_from_slice(&["--output", out.to_str().expect("a UTF-8 path")]);
    let cli = <exemplar::cli::Cli as clap::Parser>::try_parse_from(argv).expect("valid arguments");
    let code = exemplar::commands::run(cli).map_err(|e| e.0);
    (code, std::fs::read_to_string(&out).unwrap_or_default())
}

/// Like [`exemplar_in_process`] for a command that must do its job.
pub(crate) fn exemplar(args: &[&str]) -> (u8, String) {
    let (code, out) = exemplar_in_process(args);
    (code.expect("the command does its job"), out)
}
