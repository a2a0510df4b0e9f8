//! exemplar treats the HTTP examples in REST API reference pages as tests.
//!
//! The pipeline is the module layout (docs/architecture.md): discovery
//! reads pages, [`page`] builds the model of each, the rules check them,
//! and [`report`] renders the findings. The public surface is what the
//! binary and the tests use: [`cli`] and [`commands`] (with the entry point
//! of every static check, [`commands::check::check`]), the [`report`]
//! formats, [`finding`]s and their [`rule`]s, the [`registry`] of rules,
//! the [`config`]uration and the [`baseline`].

// A dependency nobody uses is a warning (in the library, where every
// dependency but the dev-dependencies must be used).
#![cfg_attr(not(test), warn(unused_crate_dependencies))]
// `unsafe` is allowed where it is needed, each time with a reason: the
// allocator (`alloc`) and the move of validated UTF-8 in `page`.
#![deny(unsafe_code)]

/// mimalloc (see `alloc` for why it is called directly). Set here, so that
/// the binary and the tests allocate alike.
#[global_allocator]
static GLOBAL: alloc::Mimalloc = alloc::Mimalloc;

mod alloc;

pub mod baseline;
pub mod cli;
pub mod commands;
pub mod config;
pub mod finding;
pub mod line_index;
pub mod page;
pub mod registry;
pub mod report;
pub mod rule;

// Stages public only for the benchmarks, fuzz targets and tests that drive
// one of them alone (`benches/`, `fuzz/`, `tests/regressions.rs`,
// `tests/mock_http.rs`): not a stable interface, so hidden from the docs
// and not held to the documentation lint. `harness` runs each stage on one
// page in memory.
#[doc(hidden)]
#[allow(missing_docs)]
pub mod discover;
#[doc(hidden)]
#[allow(missing_docs)]
pub mod excerpt;
#[doc(hidden)]
#[allow(missing_docs)]
pub mod harness;
#[doc(hidden)]
#[allow(missing_docs)]
pub mod http;
#[doc(hidden)]
#[allow(missing_docs)]
pub mod json;
#[doc(hidden)]
#[allow(missing_docs)]
pub mod replay;
#[doc(hidden)]
#[allow(missing_docs)]
pub mod types;

pub(crate) mod bytes;
pub(crate) mod example;
pub(crate) mod git;
pub(crate) mod lang;
pub(crate) mod limits;
pub(crate) mod locale;
pub(crate) mod memo;
pub(crate) mod rules;
pub(crate) mod suppressions;
mod timings;
mod work;

#[cfg(test)]
mod hardening_tests;
