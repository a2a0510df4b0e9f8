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

/// Page reading allocates many small strings on every core at once; mimalloc
/// keeps that from serialising on the system allocator (measured: a third
/// less CPU time over the corpus than glibc's malloc). Set here, so that the
/// binary and the tests allocate alike.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod baseline;
pub mod cli;
pub mod commands;
pub mod config;
// Public for the benchmarks and the tests that drive this stage alone;
// not a stable interface (so not held to the documentation lint).
#[doc(hidden)]
#[allow(missing_docs)]
pub mod discover;
pub(crate) mod example;
// Public for the regression tests that drive this stage alone.
#[doc(hidden)]
#[allow(missing_docs)]
pub mod excerpt;
pub mod finding;
pub(crate) mod git;
/// Each stage on one page in memory, for the fuzz targets and the
/// regression tests (`fuzz/`, `tests/regressions.rs`).
#[doc(hidden)]
#[allow(missing_docs)]
pub mod harness;
// Public for the regression tests that drive this stage alone.
#[doc(hidden)]
#[allow(missing_docs)]
pub mod http;
// Public for the benchmarks and the tests that drive this stage alone;
// not a stable interface (so not held to the documentation lint).
#[doc(hidden)]
#[allow(missing_docs)]
pub mod json;
pub(crate) mod lang;
pub(crate) mod limits;
pub mod line_index;
pub(crate) mod locale;
pub mod page;
pub mod registry;
// Public for the tests that drive the mock alone; not a stable interface.
#[doc(hidden)]
#[allow(missing_docs)]
pub mod replay;
pub mod report;
pub mod rule;
pub(crate) mod rules;
pub(crate) mod suppressions;
// Public for the benchmarks and the tests that drive this stage alone;
// not a stable interface (so not held to the documentation lint).
#[doc(hidden)]
#[allow(missing_docs)]
pub mod types;
mod work;

#[cfg(test)]
mod hardening_tests;
