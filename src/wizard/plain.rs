//! The plain front end: the same model, screens, keys and effects told as lines of text, for screen readers, dumb terminals and logs.
//!
//! No alternate screen, cursor movement, colour or redraw. It tells each
//! screen's description (`screen`) as whole lines, saying only what changed,
//! then asks for one line. Each answer becomes the messages the full-screen
//! wizard sends (`Msg::Answer` for a field, the keymap's key for an action),
//! and the words a person may type (`help`, `back`, numbers for choices) come
//! from the same action table as the keys: nothing here decides what a screen
//! says or what an answer does.

use std::io::{self, BufRead, Write};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::effects::{CaptureSlot, Executor, apply, probe_keyring};
use super::keymap::{self, Action};
use super::model::{BoardList, KeyStatus, Model, NoticeKind, Overlay, StartCheck, Step, Target, VerifyState};
use super::screen::{self, Item};
use super::text::{fill, texts};
use super::update::Msg;
use crate::credentials::format::Level;
use crate::credentials::secret::holds_credential;
use crate::credentials::vault::Vault;
use crate::desktop::Desktop;
use crate::desktop::clipboard::Clipboard;

/// Runs the wizard as plain lines from `model` to its end; `why` says why
/// plain mode was chosen (printed first, with how to get the other).
pub fn run(model: Model, vault: Vault, desktop: Desktop, why: &str) -> io::Result<Model> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(run_async(model, vault, desktop, why))
}

/// What one prompt asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ask {
    /// Press Enter to go on; `secret` reads the line without echo (a token
    /// pasted there by mistake is never shown).
    Enter { prompt: String, secret: bool },
    /// One field's value; `secret` is read without echo.
    Field { target: Target, prompt: String, secret: bool },
    /// A numbered choice: each option with the action it sends.
    Choice { prompt: String, options: Vec<(String, Action)>, default: usize },
    /// Nothing to ask: finish without a prompt.
    Finish,
}

impl Ask {
    fn is_secret(&self) -> bool {
        matches!(self, Ask::Enter { secret: true, .. } | Ask::Field { secret: true, .. })
    }
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
    /// The screen's lines as last told.
    told: Vec<String>,
    notice: Option<String>,
    /// What the board list said last (loading, failed), said once.
    boards_line: Option<String>,
    /// The prompt on screen, waiting for its line.
    asked: Option<Ask>,
    /// The cursor is right after a prompt (nothing was printed since).
    at_prompt: bool,
    /// A command whose outcome comes back as a message (copy, open, a board
    /// saved): it is
    /// waited for before the next line is read, or a piped next line would
    /// move on and the outcome ("copied", "could not copy") never be said.
    awaiting_outcome: bool,
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
    // Keys named in what is said are the words typed here.
    model.setup.plain = true;
    let mut out = Out { out: io::stdout() };
    out.line(&fill(&p.mode, &[("reason", why)]));
    let (tx, mut rx) = unbounded_channel();
    let api_base = model.setup.endpoints.api_base.clone();
    let mut executor = Executor::new(tx.clone(), vault, api_base, Clipboard::without_terminal(desktop));
    probe_keyring(tx);
    let mut lines = read_lines();
    // The input ended (Ctrl+D, or the last line of a file of answers). What
    // is under way (a verification, a save) still finishes; the next
    // question, which no one can answer now, quits.
    let mut input_closed = false;
    let mut capture = CaptureSlot::default();
    let echo = Echo::new();
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut said = Said::default();
    let mut sink = io::sink();
    loop {
        if let Some(msg) = capture.sync(&model).await {
            apply(&mut model, msg, &mut executor, &capture, &mut sink);
        }
        let news = narrate(&model, &mut said);
        if !news.is_empty() {
            if said.asked.is_some() && said.at_prompt {
                // What came in while a prompt waited goes on lines of its own,
                // and the prompt is asked again below it: the cursor is never
                // left on a line that asks nothing.
                out.line("");
                said.asked = None;
            }
            for line in news {
                out.line(&line);
            }
            said.at_prompt = false;
        }
        if model.exit.is_some() {
            echo.set(true);
            return Ok(model);
        }
        let ask = question(&model, &said);
        if let Some(Ask::Finish) = ask {
            apply(&mut model, key(KeyCode::Enter), &mut executor, &capture, &mut sink);
            continue;
        }
        if input_closed && ask.is_some() {
            if said.at_prompt {
                out.line("");
                said.at_prompt = false;
            }
            apply(&mut model, key_ctrl('c'), &mut executor, &capture, &mut sink);
            continue;
        }
        if ask != said.asked && !(news_only_while_waiting(&said, &ask)) {
            if let Some(ask) = &ask {
                let text = match ask {
                    Ask::Enter { prompt, .. } | Ask::Field { prompt, .. } => prompt.clone(),
                    Ask::Choice { prompt, options, default } if options.len() > 5 => {
                        // A long list (boards): one option a line, then the prompt.
                        for (i, (name, _)) in options.iter().enumerate() {
                            out.line(&format!("{}. {name}", i + 1));
                        }
                        fill(&p.pick_one, &[("what", prompt), ("default", &(default + 1).to_string())])
                    }
                    Ask::Choice { prompt, options, default } => choice_prompt(prompt, options, *default),
                    Ask::Finish => String::new(),
                };
                echo.set(!ask.is_secret());
                out.prompt(&text);
                said.at_prompt = true;
            }
            said.asked = ask.clone();
        }
        let asked_before = said.asked.clone();
        let msgs = tokio::select! {
            // A line is read only for a question: one typed or piped while
            // nothing is asked (a check, a list loading) waits for the next
            // question, as typeahead does in a shell, never dropped.
            line = lines.recv(), if !input_closed && said.asked.is_some() => match line {
                Some(line) => {
                    let asked = said.asked.take();
                    if asked.as_ref().is_some_and(Ask::is_secret) && said.at_prompt {
                        // The Enter of a line typed without echo was not shown.
                        out.line("");
                    }
                    said.at_prompt = false;
                    answer(&model, asked, &line, &mut said, &mut out)
                }
                None => {
                    input_closed = true;
                    Vec::new()
                }
            },
            Some(msg) = rx.recv() => vec![msg],
            msg = capture.next() => vec![msg],
            _ = interrupt.recv() => vec![Msg::Terminate],
            _ = terminate.recv() => vec![Msg::Terminate],
            _ = hangup.recv() => vec![Msg::Terminate],
        };
        let step_before = model.step;
        let enter_asked = matches!(asked_before, Some(Ask::Enter { .. }));
        for msg in msgs {
            let answered = match &msg {
                Msg::Answer { target, .. } => Some(*target),
                _ => None,
            };
            apply(&mut model, msg, &mut executor, &capture, &mut sink);
            // An answer the model refused (the notice says why) is asked again.
            if let Some(target) = answered.filter(|_| refused(&model, step_before)) {
                said.answered.retain(|t| *t != target);
            }
        }
        if std::mem::take(&mut said.awaiting_outcome)
            && let Ok(Some(msg)) = tokio::time::timeout(OUTCOME_WAIT, rx.recv()).await
        {
            apply(&mut model, msg, &mut executor, &capture, &mut sink);
        }
        if enter_asked && refused(&model, step_before) {
            // Enter was refused (the notice says why, and the model focuses the field at fault):
            // ask that field again, or the step's fields when none is to blame.
            match model.focused().filter(|t| t.is_text()) {
                Some(target) => said.answered.retain(|t| *t != target),
                None => said.answered.retain(|t| !model.step.targets().contains(t)),
            }
        }
    }
}

/// The longest a copy or an open is waited for before the next line is read.
const OUTCOME_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// The model said no to what was just sent (a warning notice, the same step).
fn refused(m: &Model, step_before: Step) -> bool {
    m.step == step_before && m.notice.as_ref().is_some_and(|n| n.kind == NoticeKind::Warning)
}

/// True when the prompt on screen is the same question, only re-worded by
/// news (a check's answer): it is not asked twice.
fn news_only_while_waiting(said: &Said, ask: &Option<Ask>) -> bool {
    match (&said.asked, ask) {
        (Some(Ask::Field { target: a, .. }), Some(Ask::Field { target: b, .. })) => a == b,
        _ => false,
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

/// The answers of a question, numbered, in the keymap's words: the bindings
/// of this screen for `actions`, in order.
fn options(m: &Model, actions: &[Action]) -> Vec<(String, Action)> {
    let bindings = keymap::bindings(m);
    actions.iter().filter_map(|a| bindings.iter().find(|b| b.action == *a).map(|b| (b.label.to_string(), *a))).collect()
}

/// The prompt that goes with the screen's "press Enter" line.
fn next_prompt(screen: &screen::Screen) -> Option<String> {
    screen.items.iter().find_map(|i| match i {
        Item::Next(text) => Some(text.clone()),
        _ => None,
    })
}

/// What to ask now, or `None` while waiting on Trello, the keyring or the browser.
fn question(m: &Model, said: &Said) -> Option<Ask> {
    let p = &texts().plain;
    let enter = |prompt: &str| Some(Ask::Enter { prompt: prompt.to_string(), secret: false });
    let field = |target: Target, prompt: &str, secret: bool| {
        (!said.answered.contains(&target)).then(|| Ask::Field { target, prompt: prompt.to_string(), secret })
    };
    let screen = screen::describe(m);
    if m.overlay == Overlay::Boards {
        return match &m.boards {
            BoardList::NotAsked | BoardList::Loading => None,
            BoardList::Failed(_) => enter(&p.boards_failed),
            BoardList::Loaded { .. } => {
                let options = m.board_rows().into_iter().map(|r| (r.text, Action::BoardPick)).collect();
                Some(Ask::Choice { prompt: texts().boards.title.clone(), options, default: m.board_choice })
            }
        };
    }
    match m.step {
        Step::Start => {
            if m.start_check == StartCheck::Checking {
                return None;
            }
            let options = screen
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Choice { words, action, .. } => Some((words.clone(), *action)),
                    _ => None,
                })
                .collect();
            Some(Ask::Choice { prompt: p.what_next.clone(), options, default: m.choice })
        }
        Step::Portal => enter(&next_prompt(&screen).unwrap_or_default()),
        Step::PowerUp => field(Target::AppName, &fill(&p.app_name, &[("value", m.app_name())]), false)
            .or_else(|| field(Target::Email, &p.email, false))
            .or_else(|| field(Target::Author, &p.author, false))
            .or_else(|| enter(&next_prompt(&screen).unwrap_or_default())),
        Step::ApiKey => {
            let key_ok = m.key_verdict().is_savable();
            if !key_ok || !said.answered.contains(&Target::Key) {
                // Read without echo, like the secret: a transcript or a shoulder never holds it whole.
                let prompt = if key_ok {
                    fill(&p.api_key_keep, &[("value", &crate::credentials::secret::mask(m.key_value()))])
                } else {
                    p.api_key.clone()
                };
                return Some(Ask::Field { target: Target::Key, prompt, secret: true });
            }
            if matches!(&m.key_status, KeyStatus::Checking(k) if k == m.key_value()) {
                // The check's verdict is said before the next question: asked
                // beside it, the prompt would be said twice, and a piped
                // answer would move on before the verdict came.
                return None;
            }
            field(Target::Secret, &p.api_secret, true).or_else(|| enter(&p.key_ready))
        }
        Step::Token => {
            if !said.answered.contains(&Target::Expiration) {
                let options = screen.items.iter().find_map(|i| match i {
                    Item::Options { options, .. } => Some(options.clone()),
                    _ => None,
                })?;
                let default = options.iter().position(|(_, on)| *on).unwrap_or(0);
                let options = options.into_iter().map(|(name, _)| (name, Action::OptionNext)).collect();
                return Some(Ask::Choice { prompt: p.expiration.clone(), options, default });
            }
            if !said.answered.contains(&Target::Read) {
                let names: Vec<String> = screen
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Toggle { name, .. } => Some(name.clone()),
                        _ => None,
                    })
                    .enumerate()
                    .map(|(n, name)| format!("{} {name}", n + 1))
                    .collect();
                let prompt = fill(&p.scopes, &[("options", &names.join(", ")), ("scopes", &m.scopes.to_string())]);
                return Some(Ask::Field { target: Target::Read, prompt, secret: false });
            }
            let waiting = matches!(m.capture, super::model::CaptureState::Waiting { .. }) && !m.pasting;
            let prompt = if waiting { &p.token_or_wait } else { &p.token };
            Some(Ask::Field { target: Target::Token, prompt: prompt.clone(), secret: true })
        }
        Step::Verify => match &m.verify {
            VerifyState::Failed(_) | VerifyState::SaveFailed(..) | VerifyState::Refused(..) => {
                Some(Ask::Enter { prompt: p.retry.clone(), secret: true })
            }
            VerifyState::ChooseStorage(_) => Some(Ask::Choice {
                prompt: p.storage.clone(),
                options: options(m, &[Action::SaveToFile, Action::SaveToKeyring]),
                default: 0,
            }),
            VerifyState::ConfirmCaptured(_) => Some(Ask::Choice {
                prompt: p.confirm_account.clone(),
                options: options(m, &[Action::ConfirmAccount, Action::RefuseAccount]),
                // As on the full screen, only a deliberate answer saves a caught token.
                default: 1,
            }),
            VerifyState::OtherMember(_) => Some(Ask::Choice {
                prompt: p.other_member.clone(),
                options: options(m, &[Action::SaveOtherMember, Action::RefuseOtherMember]),
                default: 1,
            }),
            _ => None,
        },
        Step::Done => match &m.revoke {
            super::model::RevokeState::Offered => Some(Ask::Choice {
                prompt: p.revoke.clone(),
                options: options(m, &[Action::RevokeOld, Action::KeepOld]),
                default: 1,
            }),
            super::model::RevokeState::Revoking | super::model::RevokeState::Confirming => None,
            _ => Some(Ask::Finish),
        },
    }
}

/// The commands a person may type here, from the keymap: each action of this
/// screen that has a word, with what it does.
fn help(m: &Model) -> String {
    let mut listed: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    for binding in keymap::bindings(m) {
        let Some(word) = keymap::word(binding.action) else { continue };
        if seen.contains(&word) {
            continue;
        }
        seen.push(word);
        listed.push(if binding.label == word { word.to_string() } else { format!("{word} ({})", binding.label) });
    }
    fill(&texts().plain.help, &[("options", &listed.join(", "))])
}

/// Turns one line into messages for `update`: a command, a choice, a field's
/// value, or Enter.
fn answer(m: &Model, asked: Option<Ask>, line: &str, said: &mut Said, out: &mut Out) -> Vec<Msg> {
    let p = &texts().plain;
    let word = line.trim().to_ascii_lowercase();
    // A command word, where this screen's keymap has its action.
    if let Some(action) =
        keymap::bindings(m).into_iter().map(|b| b.action).find(|a| keymap::word(*a).is_some_and(|w| w == word))
    {
        return match action {
            Action::Help => {
                out.line(&help(m));
                for note in screen::help_notes(m) {
                    out.line(&note);
                }
                Vec::new()
            }
            Action::Back => {
                // Both steps are asked afresh: the one left and the one gone back to.
                said.went_back = true;
                said.answered.retain(|t| !m.step.targets().contains(t));
                act(m, Action::Back).into_iter().collect()
            }
            Action::Quit | Action::QuitNow | Action::StartLeave => vec![key_ctrl('c')],
            other => {
                said.awaiting_outcome = matches!(other, Action::Copy | Action::Open);
                act(m, other).into_iter().collect()
            }
        };
    }
    // A command word that does nothing on this screen is said so, never taken as an answer.
    if let Some(word) = keymap::all_words().into_iter().find(|w| *w == word) {
        out.line(&fill(&p.nothing_here, &[("word", word)]));
        said.asked = None;
        return Vec::new();
    }
    match asked {
        None | Some(Ask::Finish) => Vec::new(),
        Some(Ask::Enter { .. }) if m.overlay == Overlay::Boards => act(m, Action::CloseBoards).into_iter().collect(),
        Some(Ask::Enter { .. }) if matches!(m.verify, VerifyState::Failed(_)) && holds_credential(line) => {
            // A token (or key) pasted at "press Enter": take it as the new one, never echo it.
            let target =
                if crate::credentials::format::check_key(line.trim()).is_valid() { Target::Key } else { Target::Token };
            said.answered.retain(|t| *t != target);
            let mut msgs: Vec<Msg> = act(m, Action::Retry).into_iter().collect();
            msgs.push(Msg::Answer { target, text: line.to_string() });
            if target == Target::Token {
                said.answered.push(Target::Token);
                msgs.push(key(KeyCode::Enter));
            } else {
                said.answered.push(Target::Key);
            }
            msgs
        }
        Some(Ask::Enter { .. }) => vec![key(KeyCode::Enter)],
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
            if word.is_empty() {
                match target {
                    // Optional: Enter leaves it empty, whatever was typed before.
                    Target::Email | Target::Author | Target::Secret => {
                        said.answered.push(target);
                        return vec![Msg::Answer { target, text: String::new() }];
                    }
                    // Enter keeps the name shown, or the valid key already there.
                    Target::AppName => {
                        said.answered.push(target);
                        return Vec::new();
                    }
                    Target::Key if m.key_verdict().is_savable() => {
                        said.answered.push(target);
                        return Vec::new();
                    }
                    _ => {}
                }
            }
            // An email that is not one is asked again (the check above the prompt says why).
            let bad_email = target == Target::Email
                && matches!(crate::wizard::model::check_email(line), crate::wizard::model::EmailVerdict::Invalid(_));
            if !bad_email {
                said.answered.push(target);
            }
            let mut msgs = vec![Msg::Answer { target, text: line.to_string() }];
            if target == Target::Token {
                // A token that can be sent is verified at once, as after a paste and Enter.
                msgs.push(key(KeyCode::Enter));
            }
            msgs
        }
        Some(Ask::Choice { options, default, prompt }) => {
            let keys = keymap::bindings(m);
            let picked = if word.is_empty() {
                Some(default)
            } else {
                word.parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .filter(|i| *i < options.len())
                    .or_else(|| options.iter().position(|(name, _)| name.eq_ignore_ascii_case(&word)))
                    .or_else(|| {
                        // The choice's own key (y, n, f, k…), as in the full-screen wizard;
                        // "yes" and "no" for the y and n of a question.
                        let key = if word == p.yes { "y" } else if word == p.no { "n" } else { word.as_str() };
                        options.iter().position(|(_, action)| {
                            keys.iter().any(|b| {
                                b.action == *action
                                    && b.keys.iter().any(|k| matches!(k.code, KeyCode::Char(c) if c.to_string().eq_ignore_ascii_case(key)))
                            })
                        })
                    })
                    .or_else(|| options.iter().position(|(name, _)| name.to_ascii_lowercase().starts_with(&word)))
            };
            let Some(index) = picked else {
                // An answer shaped like a credential is never repeated back.
                let text = if holds_credential(line) {
                    p.not_a_choice_secret.clone()
                } else {
                    fill(&p.not_a_choice, &[("answer", line.trim())])
                };
                out.line(&text);
                said.asked = None;
                return Vec::new();
            };
            let (name, action) = &options[index];
            if *action == Action::BoardPick {
                // The same keys as the picker: to the row, then Enter.
                let (up, down) = (Action::BoardUp, Action::BoardDown);
                let from = m.board_choice;
                let mut msgs: Vec<Msg> = if index >= from {
                    std::iter::repeat_n(down, index - from).filter_map(|a| act(m, a)).collect()
                } else {
                    std::iter::repeat_n(up, from - index).filter_map(|a| act(m, a)).collect()
                };
                msgs.extend(act(m, Action::BoardPick));
                // The save's outcome is said before the next question.
                said.awaiting_outcome = true;
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

/// The screen's items as lines: what plain mode says of them. Fields,
/// options and choices are asked, not said; a "press Enter" line is the prompt.
fn tell(m: &Model, item: &Item, said: &Said) -> Option<String> {
    let p = &texts().plain;
    match item {
        Item::Blank
        | Item::Next(_)
        | Item::Question(_)
        | Item::Field { .. }
        | Item::Toggle { .. }
        | Item::Choice { .. } => None,
        Item::Text { text, .. } | Item::Note { text, .. } | Item::Progress(text) => Some(text.clone()),
        // The authorize URL once the expiration and scopes that shape it are answered.
        Item::Url { .. }
            if m.step == Step::Token
                && !(said.answered.contains(&Target::Expiration) && said.answered.contains(&Target::Read)) =>
        {
            None
        }
        Item::Url { label, url, .. } => Some(match label {
            Some(label) => format!("{label}\n{url}"),
            None => url.clone(),
        }),
        Item::Fact { label, value, .. } => {
            Some(format!("{label}: {}", value.iter().map(|(t, _)| t.trim()).collect::<Vec<_>>().join(" ")))
        }
        Item::Row { label, value, .. } => Some(format!("{label}: {value}")),
        Item::Options { label, options, help, .. } => {
            let chosen = options.iter().find(|(_, on)| *on).map(|(name, _)| name.as_str()).unwrap_or_default();
            Some(format!("{label}: {chosen} ({help})"))
        }
        Item::Check { level, text, .. } => {
            let level = match level {
                Level::Ok => &p.ok,
                Level::Warning => &p.warning,
                Level::Error => &p.error,
                Level::Pending => return None,
            };
            Some(format!("{level} {text}"))
        }
    }
}

/// The lines that say what changed since the last call: the heading and the
/// whole screen on a new step, then only lines that were not there before.
fn narrate(m: &Model, said: &mut Said) -> Vec<String> {
    let mut lines = Vec::new();
    let screen = screen::describe(m);
    if said.step != Some(m.step) {
        said.step = Some(m.step);
        if std::mem::take(&mut said.went_back) {
            said.answered.retain(|t| !m.step.targets().contains(t));
        }
        said.told.clear();
        lines.push(String::new());
        lines.push(screen::spoken_title(m.step));
    }
    let told: Vec<(String, bool)> = screen
        .items
        .iter()
        .filter_map(|item| {
            let error = matches!(item, Item::Check { level: Level::Error, .. });
            tell(m, item, said).map(|line| (line, error))
        })
        .collect();
    // An answer the step refused (an error or a warning says why) changes no
    // other row aloud: "Support contact: ann@example" before "the part after @
    // needs a domain" would read as taken. The rows are told once an answer stands.
    let answering = matches!(m.step, Step::PowerUp | Step::ApiKey | Step::Token);
    let refused = lines.is_empty()
        && answering
        && (m.notice.as_ref().is_some_and(|n| n.kind == NoticeKind::Warning)
            || told.iter().any(|(line, error)| *error && !said.told.contains(line)));
    if refused {
        // Only the refusal is told; every row said before stays said, so
        // none is told again when it comes back.
        for (entry, error) in told {
            if error && !said.told.contains(&entry) {
                lines.push(entry.clone());
                said.told.push(entry);
            }
        }
    } else {
        let told: Vec<String> = told.into_iter().map(|(entry, _)| entry).collect();
        lines.extend(told.iter().filter(|entry| !said.told.contains(entry)).cloned());
        said.told = told;
    }
    let notice = m.notice.as_ref().map(|n| n.text.clone());
    if notice != said.notice {
        // A notice that repeats what was just said ("Token: …") is said once.
        if let Some(text) = &notice
            && !lines.iter().any(|l| l.split_once(' ').is_some_and(|(_, said)| text.ends_with(said)))
        {
            lines.push(text.clone());
        }
        said.notice = notice;
    }
    if m.overlay == Overlay::Boards {
        let b = &texts().boards;
        let line = match &m.boards {
            BoardList::Loading => Some(b.loading.clone()),
            BoardList::Failed(e) => Some(format!("{} {}", fill(&b.failed, &[("error", &e.to_string())]), e.fix())),
            _ => None,
        };
        if line != said.boards_line {
            lines.extend(line.clone());
            said.boards_line = line;
        }
    }
    lines
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
