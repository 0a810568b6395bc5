//! The values every suite shares: the fake Trello's key and members, and
//! credentials of the right shape. One home: `wizard.rs` and `fake_trello.rs`
//! take them from here, and a bench or an example that includes one of those
//! alone includes this file beside it.

/// The API key the fake Trello knows.
pub const KEY: &str = "0123456789abcdef0123456789abcdef";
/// Ann, the member `FakeTrello::with_ann` knows.
pub const ANN: &str = "5f0000000000000000000a11";
/// Bob, a second member (`FakeTrello::add_bob`).
pub const BOB: &str = "5f0000000000000000000b0b";
/// An API secret of the right shape.
pub const SECRET: &str = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
/// A well-shaped token for tests that never reach Trello.
pub const TOKEN: &str = "ATTA3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f1B2C3D4E";
