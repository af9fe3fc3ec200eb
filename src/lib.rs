//! ghirbal (غربال, "sieve"): turns captured web pages into clean text.
//!
//! Data flows one way: capture -> text -> rules -> paragraphs -> dedup -> output.

pub mod authoring;
pub mod capture;
pub mod cli;
pub mod dedup;
pub mod extract;
#[cfg(feature = "fetch")]
pub mod fetch;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod rules;
pub mod text;
