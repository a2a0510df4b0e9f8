//! exemplar treats the HTTP examples in REST API reference pages as tests.
//!
//! The pipeline is the module layout: [`discover`] reads pages, [`page`]
//! builds the model of each (with [`http`] messages and [`json`] bodies
//! paired into [`example`]s), [`rules`] check them, and [`report`] renders
//! the findings.

pub mod cli;
pub mod commands;
pub mod config;
pub mod discover;
pub mod example;
pub mod excerpt;
pub mod finding;
pub mod harness;
pub mod http;
pub mod json;
pub mod lang;
pub mod line_index;
pub mod locale;
pub mod page;
pub mod replay;
pub mod report;
pub mod rules;
pub mod suppressions;
