//! `status` through the real binary against the fake Trello: a valid token in text
//! and JSON; rejected, expired, unreachable and nothing saved; every profile and
//! what the environment overrides; `--offline` makes no request.

use crate::support;

use support::cli::{ANN, Env, assert_failed_quietly, assert_no_token_in_urls, code, stderr, stdout};
use support::fake_trello::{FakeTrello, KEY};

#[test]
fn status_valid_text_and_json() {
    let fake = FakeTrello::with_ann();
    let token = fake.issue_token(KEY, ANN, "read,write", Some("2099-01-01T00:00:00.000Z"));
    let env = Env::new(&fake);
    env.save("default", &token, "2099-01-01T00:00:00.000Z");

    let out = env.run(&["status"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    for expected in ["Ann Example (@ann)", "0123…cdef", "ATTA…", "My-Trello-App", "read, write", "2099-01-01", "valid"]
    {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(!text.contains(&token));

    let out = env.run(&["status", "--json"]);
    assert_eq!(code(&out), 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["profile"], "default");
    assert_eq!(json["status"], "valid");
    assert_eq!(json["member"]["username"], "ann");
    assert_eq!(json["member"]["full_name"], "Ann Example");
    assert_eq!(json["scopes"], serde_json::json!(["read", "write"]));
    // As `profile list --json` and the offline status write it.
    assert_eq!(json["expires"], "2099-01-01T00:00:00Z");
    assert_eq!(json["expired"], false);
    assert_eq!(json["api_key"], "0123…cdef");
    assert_eq!(json["file"], env.config().display().to_string());
    assert!(json["token"].as_str().unwrap().starts_with("ATTA…"));
    assert_eq!(json["environment_differs"], serde_json::json!([]));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&token));
    assert_no_token_in_urls(&fake, &token);
}

#[test]
fn status_rejected_expired_unreachable_and_nothing() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    let out = env.run(&["status"]);
    assert_failed_quietly(&out, 4);
    assert!(stderr(&out).contains("nothing is saved"), "{}", stderr(&out));

    env.save("default", &format!("ATTA{}0000AAAA", "1".repeat(64)), "never");
    let out = env.run(&["status", "--json"]);
    assert_eq!(code(&out), 1);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["status"], "rejected");
    assert!(json["error"].as_str().unwrap().contains("invalid token"));
    assert!(json["fix"].as_str().unwrap().contains("Authorize a new token"));

    env.save("default", "ATTAwhatever", "2020-01-01T00:00:00Z");
    let before = fake.requests().len();
    let out = env.run(&["status"]);
    assert_eq!(code(&out), 1, "an expired date is known without asking Trello");
    assert!(stdout(&out).contains("EXPIRED"), "{}", stdout(&out));
    assert_eq!(fake.requests().len(), before);

    let dead = Env::offline();
    dead.save("default", "ATTAwhatever", "never");
    let out = dead.run(&["status"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(stdout(&out).contains("no usable answer from Trello"), "{}", stdout(&out));
    let out = dead.run(&["status", "--offline"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("not checked"));
}

#[test]
fn status_all_profiles_and_environment_differences() {
    let fake = FakeTrello::with_ann();
    let good = fake.issue_token(KEY, ANN, "read", None);
    let env = Env::new(&fake);
    env.save("default", &good, "never");
    env.save("work", &format!("ATTA{}0000BBBB", "2".repeat(64)), "never");
    let out = env.run(&["status", "--all", "--json"]);
    assert_eq!(code(&out), 1, "the worst profile decides");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let statuses: Vec<_> =
        json.as_array().unwrap().iter().map(|p| (p["profile"].clone(), p["status"].clone())).collect();
    assert_eq!(statuses, vec![("default".into(), "valid".into()), ("work".into(), "rejected".into())]);

    let out = env.cmd(&["status", "--offline"]).env("TRELLO_TOKEN", "something-else").output().unwrap();
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).contains("TRELLO_TOKEN is set in the environment and different"), "{}", stderr(&out));
    let out = env.cmd(&["status", "--offline", "--json"]).env("TRELLO_API_KEY", "x").output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["environment_differs"], serde_json::json!(["TRELLO_API_KEY"]));
    let same =
        env.cmd(&["status", "--offline"]).env("TRELLO_TOKEN", &good).env("TRELLO_API_KEY", KEY).output().unwrap();
    assert!(!stderr(&same).contains("different"), "{}", stderr(&same));
}

#[test]
fn status_offline_makes_no_request() {
    let fake = FakeTrello::with_ann();
    let env = Env::new(&fake);
    env.save("default", "ATTAwhatever", "never");
    assert_eq!(code(&env.run(&["status", "--offline"])), 0);
    assert_eq!(code(&env.run(&["env"])), 0);
    assert!(fake.requests().is_empty());
}
