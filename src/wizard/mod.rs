//! The interactive setup wizard: model, keymap, words, update, view and the runtime that drives them.

pub mod effects;
pub mod keymap;
pub mod model;
pub mod plain;
pub mod runtime;
pub mod screen;
pub mod text;
pub mod update;
pub mod view;

pub use model::{Exit, Model, Setup, Step};
pub use update::{Effect, Msg, update};
pub use view::view;
