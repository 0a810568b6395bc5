//! The plain front end: the same model, update, words and effects as lines of text, for screen readers, dumb terminals and logs.
//!
//! No alternate screen, cursor movement, colour or redraw: it narrates what
//! changed in the model as whole lines, then asks for one line. Each answer
//! becomes the same messages the full-screen wizard sends (`Msg::Answer` for a
//! field, the keymap's key for an action), so every check, word and error
//! mapping is the model's, not this file's.

use std::io::{self, BufRead, Write};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::effects::{CaptureSlot, Executor, probe_keyring};
use super::keymap::{self, Action};
use super::model::{
    BoardList, CaptureState, KeyStatus, Model, Overlay, START_CHOICES, StartCheck, StartChoice, Step, Target,
    VerifyState,
};
use super::text::{fill, texts};
use super::update::{Msg, update};
use crate::credentials::format::{Level, Verdict};
use crate::credentials::secret::mask;
use crate::credentials::store::Storage;
use crate::credentials::vault::Vault;
use crate::desktop::Desktop;
use crate::desktop::clipboard::Clipboard;
use crate::trello::Expiration;

/// Runs the wizard as plain lines from `model` to its end; `why` says why
/// plain mode was chosen (printed first, with how to get the other).
pub fn run(model: Model, vault: Vault, desktop: Desktop, why: &str) -> io::Result<Model> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(run_async(model, vault, desktop, why))
}

/// What one prompt asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ask {
    /// Press Enter to go on.
    Enter(String),
    /// One field's value; `secret` is read without echo.
    Field { target: Target, prompt: String, secret: bool },
    /// A numbered choice: each option with the action it sends.
    Choice { prompt: String, options: Vec<(String, Action)>, default: usize },
    /// Nothing to ask: finish without a prompt.
    Finish,
}

/// What has been said already, so each change is said once.
#[derive(Default)]
struct Said {
    step: Option<Step>,
    /// Fields answered, kept when a failed verify leads back (the choices
    /// stand); cleared for a step the user goes back to with `back`.
    answered: Vec<Target>,
    /// The user typed `back`: the step it leads to asks its fields again.
    went_back: bool,
    notice: Option<String>,
    verify: String,
    capture: String,
    url: String,
    verdict: String,
    key_status: String,
    revoke: String,
    start_check: String,
    boards: String,
    /// The prompt on screen, waiting for its line.
    asked: Option<Ask>,
}

struct Out {
    out: io::Stdout,
}

impl Out {
    /// One line, stripped of anything a terminal would act on, and of the
    /// full-screen wizard's status marks (a screen reader would read them out).
    fn line(&mut self, text: &str) {
        let mut out = self.out.lock();
        for line in text.split('\n') {
            let spoken = line.trim_start_matches(['◉', '✓', '✗', '!', '›', ' ']);
            let spoken = if spoken.is_empty() { line.trim() } else { spoken };
            let _ = writeln!(out, "{}", crate::untrusted::line(spoken));
        }
        let _ = out.flush();
    }

    fn prompt(&mut self, text: &str) {
        let mut out = self.out.lock();
        let _ = write!(out, "{} ", crate::untrusted::line(text));
        let _ = out.flush();
    }
}

async fn run_async(mut model: Model, vault: Vault, desktop: Desktop, why: &str) -> io::Result<Model> {
    let p = &texts().plain;
    let mut out = Out { out: io::stdout() };
    out.line(&fill(&p.mode, &[("reason", why)]));
    let (tx, mut rx) = unbounded_channel();
    let api_base = model.setup.endpoints.api_base.clone();
    let mut executor = Executor::new(tx.clone(), vault, api_base, Clipboard::without_terminal(desktop));
    probe_keyring(tx);
    let mut lines = read_lines();
    let mut capture = CaptureSlot::default();
    let echo = Echo::new();
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut said = Said::default();
    let mut sink = io::sink();
    loop {
        if let Some(msg) = capture.sync(&model).await {
            for effect in update(&mut model, msg) {
                executor.run(effect, &mut sink);
            }
        }
        let news = narrate(&model, &mut said);
        if !news.is_empty() {
            if said.asked.take().is_some() {
                // Whatever came in while a prompt waited goes on lines of its own.
                out.line("");
            }
            for line in news {
                out.line(&line);
            }
        }
        if model.exit.is_some() {
            echo.set(true);
            return Ok(model);
        }
        let ask = question(&model, &said);
        if let Some(Ask::Finish) = ask {
            for effect in update(&mut model, key(KeyCode::Enter)) {
                executor.run(effect, &mut sink);
            }
            continue;
        }
        if ask != said.asked {
            if let Some(ask) = &ask {
                let (text, secret) = match ask {
                    Ask::Enter(text) => (text.clone(), false),
                    Ask::Field { prompt, secret, .. } => (prompt.clone(), *secret),
                    Ask::Choice { prompt, options, default } if options.len() > 5 => {
                        // A long list (boards): one option a line, then the prompt.
                        for (i, (name, _)) in options.iter().enumerate() {
                            out.line(&format!("{}. {name}", i + 1));
                        }
                        (
                            fill(&texts().plain.pick_one, &[("what", prompt), ("default", &(default + 1).to_string())]),
                            false,
                        )
                    }
                    Ask::Choice { prompt, options, default } => (choice_prompt(prompt, options, *default), false),
                    Ask::Finish => (String::new(), false),
                };
                echo.set(!secret);
                out.prompt(&text);
            }
            said.asked = ask.clone();
        }
        let asked_before = said.asked.clone();
        let msgs = tokio::select! {
            line = lines.recv() => match line {
                Some(line) => {
                    let asked = said.asked.take();
                    if asked.as_ref().is_some_and(|a| matches!(a, Ask::Field { secret: true, .. })) {
                        // The Enter of a line typed without echo was not shown.
                        out.line("");
                    }
                    answer(&model, asked, &line, &mut said, &mut out)
                }
                // Ctrl+D: quit without saving.
                None => vec![key_ctrl('c')],
            },
            Some(msg) = rx.recv() => vec![msg],
            msg = capture.next() => vec![msg],
            _ = interrupt.recv() => vec![Msg::Terminate],
            _ = terminate.recv() => vec![Msg::Terminate],
            _ = hangup.recv() => vec![Msg::Terminate],
        };
        let step_before = model.step;
        let enter_asked = matches!(asked_before, Some(Ask::Enter(_)));
        for msg in msgs {
            for effect in update(&mut model, msg) {
                executor.run(effect, &mut sink);
            }
        }
        if enter_asked && model.step == step_before && model.notice.is_some() {
            // Enter was refused (the notice says why): ask the fields again.
            said.answered.retain(|t| !model.step.targets().contains(t));
        }
    }
}

/// Standard input as lines, on a thread of its own; `None` at end of input.
fn read_lines() -> UnboundedReceiver<String> {
    let (tx, rx) = unbounded_channel();
    std::thread::spawn(move || {
        let stdin = io::stdin();
        let mut line = String::new();
        loop {
            line.clear();
            match stdin.lock().read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {
                    if tx.send(line.trim_end_matches(['\n', '\r']).to_string()).is_err() {
                        return;
                    }
                }
            }
        }
    });
    rx
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn key_ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// The key event the keymap binds to `action` on this screen, as a message.
fn act(m: &Model, action: Action) -> Option<Msg> {
    keymap::bindings(m)
        .into_iter()
        .find(|b| b.action == action)
        .and_then(|b| b.keys.first().copied())
        .map(|k| Msg::Key(k.event()))
}

fn choice_prompt(prompt: &str, options: &[(String, Action)], default: usize) -> String {
    let listed: Vec<String> = options.iter().enumerate().map(|(i, (name, _))| format!("{} {name}", i + 1)).collect();
    fill(
        &texts().plain.choose,
        &[("what", prompt), ("options", &listed.join(", ")), ("default", &(default + 1).to_string())],
    )
}

/// What to ask now, or `None` while waiting on Trello, the keyring or the browser.
fn question(m: &Model, said: &Said) -> Option<Ask> {
    let p = &texts().plain;
    let enter = |text: &str| Some(Ask::Enter(text.to_string()));
    let field = |target: Target, prompt: &str, secret: bool| {
        (!said.answered.contains(&target)).then(|| Ask::Field { target, prompt: prompt.to_string(), secret })
    };
    if m.overlay == Overlay::Boards {
        return match &m.boards {
            BoardList::NotAsked | BoardList::Loading => None,
            BoardList::Failed(_) => enter(&p.boards_failed),
            BoardList::Loaded { .. } => {
                let options = m.board_rows().into_iter().map(|r| (r.text, Action::BoardPick)).collect();
                Some(Ask::Choice { prompt: p.board.clone(), options, default: 0 })
            }
        };
    }
    match m.step {
        Step::Start => {
            if m.start_check == StartCheck::Checking {
                return None;
            }
            let s = &texts().start;
            let options = START_CHOICES
                .iter()
                .map(|c| match c {
                    StartChoice::Verify => (s.choice_verify.clone(), Action::StartVerify),
                    StartChoice::Rotate => (s.choice_rotate.clone(), Action::StartRotate),
                    StartChoice::Setup => (s.choice_setup.clone(), Action::StartSetup),
                    StartChoice::Leave => (s.choice_quit.clone(), Action::StartLeave),
                })
                .collect::<Vec<_>>();
            let mut options = options;
            // The default board, where the keymap offers it (saved credentials).
            if keymap::bindings(m).iter().any(|b| b.action == Action::ChooseBoard) {
                options.insert(options.len() - 1, (texts().keys.choose_board.clone(), Action::ChooseBoard));
            }
            Some(Ask::Choice { prompt: p.what_next.clone(), options, default: 0 })
        }
        Step::Portal => enter(&p.portal_ready),
        Step::PowerUp => field(Target::AppName, &fill(&p.app_name, &[("value", m.app_name())]), false)
            .or_else(|| field(Target::Email, &p.email, false))
            .or_else(|| field(Target::Author, &p.author, false))
            .or_else(|| enter(&p.powerup_ready)),
        Step::ApiKey => {
            let key_ok = m.key_verdict().is_savable();
            if !key_ok || !said.answered.contains(&Target::Key) {
                return Some(Ask::Field { target: Target::Key, prompt: p.api_key.clone(), secret: false });
            }
            field(Target::Secret, &p.api_secret, true).or_else(|| enter(&p.key_ready))
        }
        Step::Token => {
            if !said.answered.contains(&Target::Expiration) {
                let options = Expiration::ALL.iter().map(|e| (e.as_str().to_string(), Action::OptionNext)).collect();
                let default = Expiration::ALL.iter().position(|e| *e == m.expiration).unwrap_or(0);
                return Some(Ask::Choice { prompt: p.expiration.clone(), options, default });
            }
            if !said.answered.contains(&Target::Read) {
                return Some(Ask::Field {
                    target: Target::Read,
                    prompt: fill(&p.scopes, &[("scopes", &m.scopes.to_string())]),
                    secret: false,
                });
            }
            let prompt = if matches!(m.capture, CaptureState::Waiting { .. }) && !m.pasting {
                &p.token_or_wait
            } else {
                &p.token
            };
            Some(Ask::Field { target: Target::Token, prompt: prompt.clone(), secret: true })
        }
        Step::Verify => match &m.verify {
            VerifyState::Failed(_) | VerifyState::SaveFailed(..) => enter(&p.retry),
            VerifyState::ChooseStorage(_) => Some(Ask::Choice {
                prompt: p.storage.clone(),
                options: vec![
                    (texts().keys.save_file.clone(), Action::SaveToFile),
                    (texts().keys.save_keyring.clone(), Action::SaveToKeyring),
                ],
                default: 0,
            }),
            VerifyState::OtherMember(_) => yes_no(&texts().rotate.other_member_question, m),
            _ => None,
        },
        Step::Done => match &m.revoke {
            crate::wizard::model::RevokeState::Offered => yes_no(&p.revoke, m),
            crate::wizard::model::RevokeState::Revoking | crate::wizard::model::RevokeState::Confirming => None,
            _ => Some(Ask::Finish),
        },
    }
}

fn yes_no(question: &str, m: &Model) -> Option<Ask> {
    let (yes, no) = match m.step {
        Step::Done => (Action::RevokeOld, Action::KeepOld),
        _ => (Action::SaveOtherMember, Action::RefuseOtherMember),
    };
    let answers = keymap::yes_no(m, yes, no);
    let prompt = fill(question, &[("yes_no", &answers)]);
    let t = &texts().plain;
    Some(Ask::Choice { prompt, options: vec![(t.yes.clone(), yes), (t.no.clone(), no)], default: 1 })
}

/// Turns one line into messages for `update`: a command, a choice, a field's
/// value, or Enter.
fn answer(m: &Model, asked: Option<Ask>, line: &str, said: &mut Said, out: &mut Out) -> Vec<Msg> {
    let p = &texts().plain;
    let word = line.trim().to_ascii_lowercase();
    match word.as_str() {
        "help" | "?" => {
            out.line(&p.help);
            return Vec::new();
        }
        "back" => {
            said.went_back = true;
            return act(m, Action::Back).into_iter().collect();
        }
        "open" => return act(m, Action::Open).into_iter().collect(),
        "copy" => return act(m, Action::Copy).into_iter().collect(),
        "switch" => return act(m, Action::SwitchCapture).into_iter().collect(),
        "quit" | "exit" => return vec![key_ctrl('c')],
        _ => {}
    }
    match asked {
        None | Some(Ask::Finish) => Vec::new(),
        Some(Ask::Enter(_)) if m.overlay == Overlay::Boards => act(m, Action::CloseBoards).into_iter().collect(),
        Some(Ask::Enter(_)) => vec![key(KeyCode::Enter)],
        Some(Ask::Field { target, .. }) => {
            if target == Target::Read {
                said.answered.push(target);
                if word.is_empty() {
                    return Vec::new();
                }
                // Numbers name the scopes in the order the prompt lists them.
                let names: Vec<&str> = word
                    .split(',')
                    .map(|w| match w.trim() {
                        "1" => "read",
                        "2" => "write",
                        "3" => "account",
                        other => other,
                    })
                    .collect();
                return vec![Msg::Answer { target, text: names.join(",") }];
            }
            if word.is_empty() && matches!(target, Target::Email | Target::Author | Target::Secret | Target::AppName) {
                // Optional, or keep the shown default.
                said.answered.push(target);
                return Vec::new();
            }
            said.answered.push(target);
            let mut msgs = vec![Msg::Answer { target, text: line.to_string() }];
            if target == Target::Token {
                // A token that can be sent is verified at once, as after a paste and Enter.
                msgs.push(key(KeyCode::Enter));
            }
            msgs
        }
        Some(Ask::Choice { options, default, prompt }) => {
            let picked = if word.is_empty() {
                Some(default)
            } else {
                word.parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .filter(|i| *i < options.len())
                    .or_else(|| options.iter().position(|(name, _)| name.eq_ignore_ascii_case(&word)))
                    .or_else(|| {
                        // y / n, or the first letter of a choice.
                        options.iter().position(|(name, _)| name.to_ascii_lowercase().starts_with(&word))
                    })
            };
            let Some(index) = picked else {
                out.line(&fill(&p.not_a_choice, &[("answer", line.trim())]));
                said.asked = None;
                return Vec::new();
            };
            let (name, action) = &options[index];
            if *action == Action::BoardPick {
                // The same keys as the picker: down to the row, then Enter.
                let mut msgs: Vec<Msg> =
                    std::iter::repeat_n(Action::BoardDown, index).filter_map(|a| act(m, a)).collect();
                msgs.extend(act(m, Action::BoardPick));
                return msgs;
            }
            if prompt == p.expiration {
                said.answered.push(Target::Expiration);
                return vec![Msg::Answer { target: Target::Expiration, text: name.clone() }];
            }
            act(m, *action).into_iter().collect()
        }
    }
}

/// `OK:` / `Warning:` / `Error:` and the verdict's words: said, not drawn.
fn verdict_line(verdict: &Verdict) -> Option<String> {
    let p = &texts().plain;
    let level = match verdict.level {
        Level::Ok => &p.ok,
        Level::Warning => &p.warning,
        Level::Error => &p.error,
        Level::Pending => return None,
    };
    Some(format!("{level} {}", verdict.message()))
}

/// The lines that say what changed since the last call.
fn narrate(m: &Model, said: &mut Said) -> Vec<String> {
    let mut lines = Vec::new();
    let t = texts();
    let p = &t.plain;
    // The verdict of what was just answered.
    if let Some(target) = said.answered.last().copied() {
        let verdict = match target {
            Target::Key => Some(m.key_verdict()),
            Target::Secret if !m.secret_value().is_empty() => Some(m.secret_verdict()),
            Target::Token => Some(m.token_verdict()),
            _ => None,
        };
        let marker = format!("{target:?}:{}", verdict.as_ref().map(Verdict::message).unwrap_or_default());
        if let Some(line) = verdict.as_ref().and_then(verdict_line)
            && said.verdict != marker
        {
            said.verdict = marker;
            lines.push(line);
        }
    }
    if said.step != Some(m.step) {
        said.step = Some(m.step);
        if std::mem::take(&mut said.went_back) {
            said.answered.retain(|t| !m.step.targets().contains(t));
        }
        said.verify.clear();
        said.capture.clear();
        said.url.clear();
        lines.push(String::new());
        lines.push(heading(m));
        lines.extend(instructions(m));
    }
    if m.step == Step::ApiKey {
        let k = &t.key;
        let status = match &m.key_status {
            KeyStatus::Checking(key) if key == m.key_value() => k.check_running.clone(),
            KeyStatus::Known(key) if key == m.key_value() => format!("{} {}", p.ok, k.check_known),
            KeyStatus::Rejected(key) if key == m.key_value() => format!("{} {}", p.error, k.check_rejected),
            KeyStatus::Unchecked(key, reason) if key == m.key_value() => {
                format!("{} {}", p.warning, fill(&k.check_unchecked, &[("reason", reason)]))
            }
            _ => String::new(),
        };
        if !status.is_empty() && status != said.key_status {
            said.key_status = status.clone();
            lines.push(status);
        }
    }
    if m.step == Step::Token {
        let url = m.authorize_url();
        // Once the listener settled (or there is none): the URL Trello should open.
        let settled = m.setup.capture_off.is_some() || m.pasting || !matches!(m.capture, CaptureState::Idle);
        if settled && url != said.url {
            said.url = url.clone();
            lines.push(t.token.url_label.clone());
            lines.push(url);
        }
        let c = &t.capture;
        let switch = keymap::key_name(m, Action::SwitchCapture).map(|_| p.switch.clone()).unwrap_or_default();
        let capture = match (&m.setup.capture_off, &m.capture) {
            (Some(reason), _) => fill(&c.failed, &[("reason", reason)]),
            (None, _) if m.pasting => fill(&c.pasting, &[("switch_key", &switch)]),
            (None, CaptureState::Idle) => String::new(),
            (None, CaptureState::Waiting { .. }) => {
                fill(&c.waiting, &[("origin", &m.capture_origin()), ("switch_key", &switch)])
            }
            (None, CaptureState::Failed(reason)) => fill(&c.failed, &[("reason", reason)]),
            (None, CaptureState::Received) => c.received.clone(),
        };
        if !capture.is_empty() && capture != said.capture {
            said.capture = capture.clone();
            lines.push(capture);
        }
    }
    let notice = m.notice.as_ref().map(|n| n.text.clone());
    if notice != said.notice {
        // A notice that repeats the verdict just said ("Token: …") is said once.
        if let Some(text) = &notice
            && !lines.iter().any(|l| l.split_once(' ').is_some_and(|(_, said)| text.ends_with(said)))
        {
            lines.push(text.clone());
        }
        said.notice = notice;
    }
    // A failure stays in the model after it led back to a step: said on step 5 only.
    let verify = if matches!(m.step, Step::Verify | Step::Done) { verify_lines(m) } else { Vec::new() };
    let joined = verify.join("\n");
    if joined != said.verify {
        said.verify = joined;
        lines.extend(verify);
    }
    if m.overlay == Overlay::Boards {
        let b = &t.boards;
        let line = match &m.boards {
            BoardList::Loading => b.loading.clone(),
            BoardList::Failed(e) => format!("{} {}", fill(&b.failed, &[("error", &e.to_string())]), e.fix()),
            _ => String::new(),
        };
        if !line.is_empty() && line != said.boards {
            said.boards = line.clone();
            lines.push(line);
        }
    }
    if m.step == Step::Start {
        let check = start_check_lines(m);
        let joined = check.join("\n");
        if joined != said.start_check {
            said.start_check = joined;
            lines.extend(check);
        }
    }
    if let Some(revoke) = crate::wizard::view::revoke_words(m)
        && revoke != said.revoke
    {
        said.revoke = revoke.clone();
        lines.push(revoke);
    }
    lines
}

/// "Step 3 of 5: Generate the API key": the full-screen title, said plainly.
fn heading(m: &Model) -> String {
    crate::wizard::view::step_title(m.step).replace(" · ", ": ")
}

/// What a step asks of the user, in the full-screen wizard's words.
fn instructions(m: &Model) -> Vec<String> {
    let t = texts();
    let p = &t.plain;
    let mut lines = Vec::new();
    match m.step {
        Step::Start => {
            let Some(profile) = &m.saved else { return lines };
            let l = &t.labels;
            lines.push(match profile.who() {
                Some(who) => fill(&t.start.who, &[("who", &who)]),
                None => t.start.unknown_who.clone(),
            });
            lines.push(format!("{}: {}", l.profile, m.setup.profile));
            lines.push(format!("{}: {}", l.api_key, mask(&profile.api_key)));
            let token = profile.token.as_ref().map(|t| t.masked()).unwrap_or_else(|| l.none.clone());
            lines.push(format!("{}: {token}", l.token));
            lines.push(format!("{}: {}", l.scopes, profile.scopes().names().join(", ")));
            let expiry = crate::credentials::expiry::expiry_words(profile.token_expires.as_ref(), m.setup.started_at);
            lines.push(format!("{}: {expiry}", l.expires));
        }
        Step::Portal => {
            lines.push(t.portal.body.clone());
            lines.push(m.setup.endpoints.portal_url());
            lines.push(t.portal.note.clone());
            if let Some(reason) = &m.setup.no_browser_reason {
                lines.push(fill(&t.portal.no_browser, &[("reason", reason)]));
            }
        }
        Step::PowerUp => {
            let u = &t.powerup;
            lines.push(u.body.clone());
            lines.push(format!("{}: {}", u.workspace_label, u.workspace_value));
            lines.push(format!("{}: {} ({})", u.iframe_label, u.iframe_value, u.iframe_help));
        }
        Step::ApiKey => {
            lines.push(t.key.body.clone());
            if m.setup.capture_off.is_none() {
                lines.push(format!("{}:", t.capture.origin_label));
                lines.push(m.capture_origin());
                lines.push(fill(&t.capture.origin_help, &[("copy_key", &p.copy_command)]));
            }
        }
        Step::Token => lines.push(t.token.body.clone()),
        Step::Verify | Step::Done => {}
    }
    lines
}

fn verify_lines(m: &Model) -> Vec<String> {
    let t = texts();
    let v = &t.verify;
    let mut lines = Vec::new();
    match &m.verify {
        VerifyState::Idle | VerifyState::Saving(_) => {}
        VerifyState::Running { rate_wait } => {
            lines.push(v.running.clone());
            if let Some(wait) = rate_wait {
                let seconds = m.rate_wait_seconds().unwrap_or_default().to_string();
                let attempt = wait.attempt.to_string();
                lines
                    .push(fill(&v.rate_limited, &[("code", &wait.code), ("seconds", &seconds), ("attempt", &attempt)]));
            }
        }
        VerifyState::Failed(e) => {
            lines.push(v.failed.clone());
            lines.push(e.to_string());
            lines.push(fill(&v.why, &[("cause", e.cause())]));
            lines.push(fill(&v.fix, &[("fix", e.fix())]));
            let next = match keymap::remedy_step(e.remedy()) {
                Some(Step::ApiKey) => &v.next_fix_key,
                Some(_) => &v.next_new_token,
                None => &v.next_retry,
            };
            lines.push(fill(next, &[("key", "Enter")]));
            lines.push(v.nothing_saved.clone());
        }
        VerifyState::SaveFailed(_, error) => {
            lines.push(v.save_failed.clone());
            lines.push(error.clone());
        }
        VerifyState::ChooseStorage(verified) => {
            lines.push(fill(&v.success, &[("who", &verified.member.who())]));
        }
        VerifyState::OtherMember(verified) => {
            lines.push(fill(&v.success, &[("who", &verified.member.who())]));
            let old = m.saved.as_ref().and_then(|p| p.who()).unwrap_or_else(|| t.rotate.another_member.clone());
            lines.push(fill(&t.rotate.other_member, &[("new", &verified.member.who()), ("old", &old)]));
        }
        VerifyState::Saved(verified, saved) => {
            let l = &t.labels;
            lines.push(fill(&v.success, &[("who", &verified.member.who())]));
            let granted = verified.token.scopes();
            let names = |s: crate::trello::Scopes| s.names().join(", ");
            lines.push(format!(
                "{}: {}",
                l.scopes,
                fill(&l.requested, &[("granted", &names(granted)), ("requested", &names(m.scopes))])
            ));
            lines.push(format!("{}: {}", l.expires, verified.token.expiry().shown()));
            lines.push(format!("{}: {}", l.api_key, mask(m.key_value())));
            lines.push(format!("{}: {}", l.token, mask(m.token_value())));
            lines.push(format!("{}: {}", l.saved_to, saved.saved.path.display()));
            let place = if m.storage == Storage::Keyring { &l.in_keyring } else { &l.in_file };
            lines.push(format!("{}: {place}", l.stored_in));
        }
    }
    lines
}

fn start_check_lines(m: &Model) -> Vec<String> {
    let t = texts();
    match &m.start_check {
        StartCheck::Idle => Vec::new(),
        StartCheck::Checking => vec![t.start.check_running.clone()],
        StartCheck::Valid(v) => {
            let granted = v.token.scopes().names().join(", ");
            let expires = v.token.expiry().shown();
            vec![
                t.start.check_valid.clone(),
                fill(
                    &t.labels.start_check_valid,
                    &[("who", &v.member.who()), ("scopes", &granted), ("expires", &expires)],
                )
                .trim()
                .to_string(),
            ]
        }
        StartCheck::Failed(e) => {
            vec![e.to_string(), fill(&t.labels.start_check_fix, &[("fix", e.fix())]).trim().to_string()]
        }
    }
}

/// Turns the terminal's echo off for secrets and back on, and always back on
/// at the end (also after Ctrl+C, which arrives as a message, not a kill).
struct Echo {
    original: Option<rustix::termios::Termios>,
}

impl Echo {
    fn new() -> Echo {
        Echo { original: rustix::termios::tcgetattr(io::stdin()).ok() }
    }

    fn set(&self, on: bool) {
        let Some(original) = &self.original else { return };
        let mut mode = original.clone();
        if !on {
            mode.local_modes.remove(rustix::termios::LocalModes::ECHO);
        }
        let _ = rustix::termios::tcsetattr(io::stdin(), rustix::termios::OptionalActions::Now, &mode);
    }
}

impl Drop for Echo {
    fn drop(&mut self) {
        self.set(true);
    }
}
