//! Runs the test suite's fake Trello on 127.0.0.1 for trying the wizard by hand
//! and for whole-process benchmarks: `cargo run --example fake_trello`.

#[allow(dead_code)]
#[path = "../tests/support/fake_trello.rs"]
mod fake_trello;
#[allow(dead_code)]
#[path = "../tests/support/values.rs"]
mod values;

use fake_trello::{FakeTrello, KEY};

fn main() {
    let fake = FakeTrello::with_ann();
    // The default capture origin, as if listed under the key's Allowed origins.
    fake.allow_origin("http://127.0.0.1:47130");
    let token = fake.issue_token(KEY, "5f0000000000000000000a11", "read,write", Some("2026-12-28T12:00:00.000Z"));
    let second = fake.issue_token(KEY, "5f0000000000000000000a11", "read,write", None);
    fake.add_member("5f0000000000000000000b0b", "bob", "Bob Other", "bob@example.com");
    let bobs = fake.issue_token(KEY, "5f0000000000000000000b0b", "read,write", None);
    // Boards for the default-board picker and `board set`.
    let ann = "5f0000000000000000000a11";
    fake.add_board("AbCd1234", "Team Roadmap", Some(("5e0000000000000000000001", "Acme")), ann);
    fake.add_board("EfGh5678", "Sprint Board", Some(("5e0000000000000000000001", "Acme")), ann);
    fake.add_board("ZzYy9876", "Chores", None, ann);
    println!("export TRELLO_API_BASE={}", fake.api_base());
    println!("export TRELLO_WEB_BASE={}", fake.web_base());
    println!("# key:   {KEY}");
    println!("# token: {token}");
    println!("# second token of ann: {second}");
    println!("# token of bob: {bobs}");
    loop {
        std::thread::park();
    }
}
