//! Thin: parse the arguments, run the command, map the outcome to an exit code.

#![deny(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    exit_101_on_panic();
    let cli = exemplar::cli::Cli::parse();
    match exemplar::commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// A release build aborts on a panic (`panic = "abort"` in Cargo.toml: no
/// unwinding tables or landing pads, 1.6% fewer instructions over the
/// corpus), which would exit by `SIGABRT` (134). A panic is still what the
/// contract calls it, exit code 101: the message as Rust prints it, then
/// that code, as an unwinding build exits.
fn exit_101_on_panic() {
    if cfg!(panic = "abort") {
        let print = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            print(info);
            std::process::exit(101);
        }));
    }
}
