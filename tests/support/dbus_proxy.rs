//! A slow D-Bus: a proxy in front of a private session bus that holds back chosen method calls.
//!
//! Races between two commands over the keyring are decided in a few
//! milliseconds; a test that hopes to hit one proves nothing. The proxy
//! forwards every byte between a client and the real bus, but reads the
//! client's messages and sleeps before forwarding a method call that matches
//! a rule (its member name, and bytes its body holds), so a test can hold one
//! process between two of its keyring calls for as long as it needs. It lives
//! in the tests only: the shipped binary has no switch for it and just sees
//! another `DBUS_SESSION_BUS_ADDRESS`.

use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One call to hold back.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The method's name, as D-Bus sends it (`Delete`, `SearchItems`).
    pub member: &'static str,
    /// Bytes the call's body must hold (an attribute value), if any.
    pub body_holds: Option<&'static str>,
    pub delay: Duration,
    /// How many matching calls to hold back; the rest pass at once.
    pub times: usize,
}

/// What the proxy did, for the test to check that its window was really used.
#[derive(Debug, Default)]
struct State {
    rules: Vec<(Rule, usize)>,
    held: Vec<String>,
}

pub struct SlowBus {
    /// `DBUS_SESSION_BUS_ADDRESS` of the proxy.
    pub address: String,
    state: Arc<Mutex<State>>,
    _dir: tempfile::TempDir,
}

impl SlowBus {
    /// A proxy for the bus at `upstream` (`unix:path=…` or `unix:abstract=…`).
    pub fn start(upstream: &str, rules: Vec<Rule>) -> SlowBus {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("bus");
        let listener = UnixListener::bind(&socket).unwrap();
        let state =
            Arc::new(Mutex::new(State { rules: rules.into_iter().map(|r| (r, 0)).collect(), held: Vec::new() }));
        let upstream = upstream.to_string();
        let shared = state.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let Ok(bus) = connect(&upstream) else { return };
                let (client_in, bus_in) = (client.try_clone().unwrap(), bus.try_clone().unwrap());
                let state = shared.clone();
                std::thread::spawn(move || copy_messages(client_in, bus, &state));
                std::thread::spawn(move || copy_bytes(bus_in, client));
            }
        });
        SlowBus { address: format!("unix:path={}", socket.display()), state, _dir: dir }
    }

    /// The members of the calls held back so far, in order.
    pub fn held(&self) -> Vec<String> {
        self.state.lock().unwrap().held.clone()
    }
}

fn connect(address: &str) -> std::io::Result<UnixStream> {
    let params = address.strip_prefix("unix:").unwrap_or(address);
    for param in params.split(',') {
        if let Some(path) = param.strip_prefix("path=") {
            return UnixStream::connect(PathBuf::from(path));
        }
        if let Some(name) = param.strip_prefix("abstract=") {
            use std::os::linux::net::SocketAddrExt;
            let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())?;
            return UnixStream::connect_addr(&addr);
        }
    }
    Err(std::io::Error::other(format!("no unix path in {address}")))
}

fn copy_bytes(mut from: UnixStream, mut to: UnixStream) {
    let _ = std::io::copy(&mut from, &mut to);
    let _ = to.shutdown(std::net::Shutdown::Both);
}

/// Client to bus: the authentication lines as they are, then message by
/// message, each matching call held back by its rule's delay.
fn copy_messages(mut from: UnixStream, mut to: UnixStream, state: &Mutex<State>) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let mut authenticated = false;
    loop {
        let n = match from.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        buffer.extend_from_slice(&chunk[..n]);
        // SASL is lines of text ending with BEGIN; messages follow, maybe in the same read.
        while !authenticated && let Some(end) = buffer.windows(2).position(|w| w == b"\r\n") {
            let line: Vec<u8> = buffer.drain(..end + 2).collect();
            if to.write_all(&line).is_err() {
                return;
            }
            authenticated = line == b"BEGIN\r\n";
        }
        if !authenticated {
            continue;
        }
        while let Some(length) = message_length(&buffer) {
            if buffer.len() < length {
                break;
            }
            let message: Vec<u8> = buffer.drain(..length).collect();
            if let Some(delay) = hold_back(&message, state) {
                std::thread::sleep(delay);
            }
            if to.write_all(&message).is_err() {
                return;
            }
        }
    }
    let _ = to.shutdown(std::net::Shutdown::Both);
}

/// The whole length of the message at the start of `buffer`, once its fixed header is there.
fn message_length(buffer: &[u8]) -> Option<usize> {
    if buffer.len() < 16 {
        return None;
    }
    let u32_at = |at: usize| {
        let bytes = [buffer[at], buffer[at + 1], buffer[at + 2], buffer[at + 3]];
        if buffer[0] == b'B' { u32::from_be_bytes(bytes) } else { u32::from_le_bytes(bytes) }
    };
    let (body, fields) = (u32_at(4) as usize, u32_at(12) as usize);
    Some((16 + fields).next_multiple_of(8) + body)
}

/// The member name of a method call (header field 3), if it is one.
fn member(message: &[u8]) -> Option<String> {
    if message.get(1) != Some(&1) {
        return None;
    }
    let big = message[0] == b'B';
    let u32_at = |at: usize| -> Option<u32> {
        let bytes: [u8; 4] = message.get(at..at + 4)?.try_into().ok()?;
        Some(if big { u32::from_be_bytes(bytes) } else { u32::from_le_bytes(bytes) })
    };
    let end = 16 + u32_at(12)? as usize;
    let mut at = 16;
    while at < end {
        at = at.next_multiple_of(8);
        let code = *message.get(at)?;
        let signature_length = *message.get(at + 1)? as usize;
        let signature = *message.get(at + 2)?;
        at += 2 + signature_length + 1;
        match signature {
            b's' | b'o' => {
                at = at.next_multiple_of(4);
                let length = u32_at(at)? as usize;
                let value = message.get(at + 4..at + 4 + length)?;
                if code == 3 {
                    return Some(String::from_utf8_lossy(value).into_owned());
                }
                at += 4 + length + 1;
            }
            b'g' => at += 1 + *message.get(at)? as usize + 1,
            b'u' => at = at.next_multiple_of(4) + 4,
            _ => return None,
        }
    }
    None
}

/// The delay for `message`, counting it against its rule.
fn hold_back(message: &[u8], state: &Mutex<State>) -> Option<Duration> {
    let member = member(message)?;
    let mut state = state.lock().unwrap();
    let rule = state.rules.iter_mut().find(|(rule, used)| {
        *used < rule.times
            && rule.member == member
            && rule.body_holds.is_none_or(|needle| message.windows(needle.len()).any(|w| w == needle.as_bytes()))
    })?;
    rule.1 += 1;
    let delay = rule.0.delay;
    state.held.push(member);
    Some(delay)
}
