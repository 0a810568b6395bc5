//! Helpers for the `mcp` tests: run the binary in a project folder, read an entry back from a client's file (JSON or TOML), and small executables on disk.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use super::cli::Env;

/// Runs the binary with `dir` as its current folder (the project).
pub fn run_in(env: &Env, dir: &Path, args: &[&str]) -> Output {
    env.cmd(args).current_dir(dir).output().unwrap()
}

/// A project folder inside the test's home.
pub fn project(env: &Env) -> PathBuf {
    let dir = env.dir.path().join("project");
    std::fs::create_dir_all(&dir).unwrap();
    // The binary sees the physical path (getcwd): compare with that.
    dir.canonicalize().unwrap()
}

/// A client's file as JSON (a Codex TOML file converted).
pub fn read_config(file: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    if file.extension().is_some_and(|e| e == "toml") {
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", file.display()));
        serde_json::to_value(table).unwrap()
    } else {
        // JSON with comments and trailing commas, as VS Code, Gemini CLI, Zed and OpenCode read it.
        let options =
            jsonc_parser::ParseOptions { allow_comments: true, allow_trailing_commas: true, ..Default::default() };
        let value = jsonc_parser::parse_to_value(&text, &options)
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", file.display()))
            .unwrap_or_else(|| panic!("{}: no value\n{text}", file.display()));
        to_serde(value)
    }
}

fn to_serde(value: jsonc_parser::JsonValue) -> serde_json::Value {
    use jsonc_parser::JsonValue;
    match value {
        JsonValue::String(s) => s.into_owned().into(),
        JsonValue::Number(n) => serde_json::from_str(n).unwrap_or_else(|_| n.into()),
        JsonValue::Boolean(b) => b.into(),
        JsonValue::Null => serde_json::Value::Null,
        JsonValue::Array(items) => items.into_iter().map(to_serde).collect(),
        JsonValue::Object(object) => {
            object.into_iter().map(|(k, v)| (k.into_owned(), to_serde(v))).collect::<serde_json::Map<_, _>>().into()
        }
    }
}

/// The entry `name` under `keys` in a client's file.
pub fn entry_in(file: &Path, keys: &[&str], name: &str) -> serde_json::Value {
    let mut value = read_config(file);
    for key in keys {
        value = value[*key].clone();
    }
    let entry = value[name].clone();
    assert!(entry.is_object(), "no entry {name} under {keys:?} in {}:\n{}", file.display(), read_config(file));
    entry
}

/// An entry's args as strings (OpenCode's: its `command` array after the program).
pub fn args_of(entry: &serde_json::Value) -> Vec<String> {
    let words = |v: &serde_json::Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect()
    };
    match &entry["command"] {
        serde_json::Value::Array(_) => words(&entry["command"])[1..].to_vec(),
        _ => words(&entry["args"]),
    }
}

/// An entry's program (OpenCode's: the first word of its `command` array).
pub fn command_of(entry: &serde_json::Value) -> String {
    match &entry["command"] {
        serde_json::Value::Array(words) => words[0].as_str().unwrap().to_string(),
        other => other.as_str().unwrap_or_else(|| panic!("no command: {entry}")).to_string(),
    }
}

/// An entry's variables (OpenCode's `environment`).
pub fn env_of(entry: &serde_json::Value) -> serde_json::Value {
    entry.get("env").or_else(|| entry.get("environment")).cloned().unwrap_or(serde_json::Value::Null)
}

/// Writes an executable file.
pub fn executable(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Every file directly in `dir` (hidden ones too) whose bytes hold `needle`.
pub fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && std::fs::read(p).is_ok_and(|b| String::from_utf8_lossy(&b).contains(needle)))
        .collect()
}

/// The names in `dir`, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// The mode bits of a file.
pub fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A profile "default" of Ann's logged in with `--storage keyring` on the
/// test's private Secret Service; returns its token.
pub fn login_to_keyring(
    env: &Env,
    ss: &super::secret_service::SecretService,
    fake: &super::fake_trello::FakeTrello,
) -> String {
    use std::io::Write;
    use std::process::Stdio;
    let token = fake.issue_token(super::fake_trello::KEY, super::cli::ANN, "read,write", None);
    let mut child = env
        .cmd(&["login", "--with-token", "--key", super::fake_trello::KEY, "--storage", "keyring"])
        .env("DBUS_SESSION_BUS_ADDRESS", &ss.address)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(token.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    token
}

/// The socket path of a `unix:path=…` D-Bus address.
pub fn bus_socket(address: &str) -> PathBuf {
    let path = address.strip_prefix("unix:path=").and_then(|a| a.split(',').next());
    PathBuf::from(path.unwrap_or_else(|| panic!("not a socket path: {address}")))
}
