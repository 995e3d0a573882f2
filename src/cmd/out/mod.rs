//! The output layer: how every command's result is written, one file per format.

pub mod color;
pub mod file;
pub mod github;
pub mod html;
pub mod junit;
pub mod sarif;
