//! End-to-end tests live in `tests/`; this crate has no library code of its own.
//!
//! The repository README is included below so that its Rust example is compiled as a
//! doctest and cannot drift from the generated API.
#![doc = include_str!("../README.md")]
