//! The interactive setup wizard: the model, the screens (each owning what it says, its keys and questions), the keymap, update, and two front ends (full screen and plain) over one runtime of effects.
//!
//! From the bottom up: `text` (every word) and `keys` (actions and keys);
//! `model` (the state, in parts); `msg` (what happens, what is asked to be
//! done); `screen` (one file per screen); `keymap` (overlays and the keys
//! every screen shares); `update`; then `view`, `plain`, `effects` and
//! `runtime`. No module imports one above it.

pub mod effects;
pub mod keymap;
pub mod keys;
pub mod model;
pub mod msg;
pub mod plain;
pub mod runtime;
pub mod screen;
pub mod text;
pub mod update;
pub mod view;

pub use model::{Exit, Model, Setup, Step};
pub use msg::{Effect, Msg};
pub use update::update;
pub use view::view;
