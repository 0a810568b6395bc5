//! The plain front end: the same model, screens, keys and effects told as lines of text, for screen readers, dumb terminals and logs.
//!
//! No alternate screen, cursor movement, colour or redraw. It tells each
//! screen's description (`screen`) as whole lines, saying only what changed,
//! then asks the screen's questions in the screen's order, one line each.
//! Each answer becomes the messages the full-screen wizard sends
//! (`Msg::Answer` for a field, the key of the screen's binding for an
//! action), and the words a person may type (`help`, `back`, numbers for
//! choices) come from the same bindings as the keys: nothing here knows which
//! screen it is on, what a screen says or what an answer does.

use std::io::{self, Write};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::effects::{CaptureSlot, Executor, apply, probe_keyring};
use super::keymap;
use super::keys::{self, Action};
use super::model::{BoardList, Model, NoticeKind, Overlay, Step, Target};
use super::msg::Msg;
use super::screen::{self, Empty, Item, Question};
use super::text::{fill, texts};
use crate::credentials::format::Level;
use crate::credentials::secret::holds_credential;
use crate::credentials::vault::Vault;
use crate::desktop::Desktop;
use crate::desktop::clipboard::Clipboard;
use crate::terminal::{Line, Quiet};

/// Runs the wizard as plain lines from `model` to its end. `why` says why
/// plain mode runs when it came on by itself (TERM is dumb), with how to get
/// the other; `None` when it was asked for, and only how to get help is said.
pub(crate) fn run(model: Model, vault: Vault, desktop: Desktop, why: Option<&str>) -> io::Result<Model> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(run_async(model, vault, desktop, why))
}

/// What one prompt asks for.
#[derive(Debug, Clone, PartialEq)]
enum Ask {
    /// A question of the screen's.
    Screen(Question),
    /// The board picker's rows (an overlay, not a screen): a number or a name.
    Boards { options: Vec<String>, default: usize },
    /// The board list failed: Enter goes back.
    BoardsFailed,
}

impl Ask {
    fn is_secret(&self) -> bool {
        matches!(self, Ask::Screen(q) if q.is_secret())
    }

    fn target(&self) -> Option<Target> {
        match self {
            Ask::Screen(q) => q.target(),
            _ => None,
        }
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
    /// The lines told since the wizard last went forward: moving on to a
    /// later screen, a line is not said again ("Authenticated as …" on the
    /// verify and done screens); going back, or trying again, all is said afresh.
    told: Vec<String>,
    notice: Option<String>,
    /// What the board list said last (loading, failed), said once.
    boards_line: Option<String>,
    /// The prompt on screen, waiting for its line.
    asked: Option<Ask>,
    /// The cursor is right after a prompt (nothing was printed since).
    at_prompt: bool,
    /// A command whose outcome comes back as a message (copy, open, a board
    /// saved): it is waited for before the next line is read, or a piped next
    /// line would move on and the outcome ("copied", "could not copy") never be said.
    awaiting_outcome: bool,
}

struct Out {
    out: io::Stdout,
}

impl Out {
    /// One line (or several), stripped of anything a terminal would act on.
    fn line(&mut self, text: &str) {
        let mut out = self.out.lock();
        for line in text.split('\n') {
            let _ = writeln!(out, "{}", crate::untrusted::line(line.trim_end()));
        }
        let _ = out.flush();
    }

    fn prompt(&mut self, text: &str) {
        let mut out = self.out.lock();
        let _ = write!(out, "{} ", crate::untrusted::line(text));
        let _ = out.flush();
    }
}

async fn run_async(mut model: Model, vault: Vault, desktop: Desktop, why: Option<&str>) -> io::Result<Model> {
    let p = &texts().plain;
    // Keys named in what is said are the words typed here.
    model.setup.plain = true;
    let mut out = Out { out: io::stdout() };
    out.line(&match why {
        Some(reason) => fill(&p.mode, &[("reason", reason)]),
        None => p.asked.clone(),
    });
    let (tx, mut rx) = unbounded_channel();
    let api_base = model.setup.endpoints.api_base.clone();
    let mut executor = Executor::new(tx.clone(), vault, api_base, Clipboard::without_terminal(desktop));
    probe_keyring(tx);
    // Every answer is read without echo (a token pasted at the wrong prompt
    // is never shown), and repeated when it is not shaped like a credential.
    // Held here alone: returning gives the terminal back, whatever the reader thread is doing.
    let quiet = Quiet::new()?;
    let mut lines = read_lines(quiet.is_terminal());
    // The input ended (Ctrl+D, or the last line of a file of answers). What
    // is under way (a verification, a save) still finishes; the next
    // question, which no one can answer now, quits.
    let mut input_closed = false;
    let mut capture = CaptureSlot::default();
    let mut endings = crate::terminal::Endings::catch()?;
    let mut said = Said::default();
    let mut sink = io::sink();
    loop {
        if let Some(msg) = capture.sync(&model).await {
            apply(&mut model, msg, &mut executor, &capture, &mut sink);
        }
        let ask = question(&model, &said);
        let mut news = Vec::new();
        if let Some(target) = ask.as_ref().and_then(Ask::target)
            && screen::focused(&model) != Some(target)
        {
            // What an answer brought (the email's verdict) is said while its
            // field still has the focus; then the next field takes it, and
            // what the screen shows for that one is said before its question.
            if screen::focused(&model).is_some_and(|t| said.answered.contains(&t)) {
                news = narrate(&model, &ask, &mut said);
            }
            apply(&mut model, Msg::Focus(target), &mut executor, &capture, &mut sink);
        }
        news.extend(narrate(&model, &ask, &mut said));
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
            return Ok(model);
        }
        if let Some(Ask::Screen(Question::Finish)) = ask {
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
        if ask != said.asked && !same_field(&said.asked, &ask) {
            if let Some(ask) = &ask {
                let text = prompt(ask, &mut out);
                out.prompt(&text);
                said.at_prompt = true;
            }
            said.asked = ask.clone();
        }
        let asked_before = said.asked.clone();
        let errors_before = errors(&model);
        let msgs = tokio::select! {
            // A line is read only for a question: one typed or piped while
            // nothing is asked (a check, a list loading) waits for the next
            // question, as typeahead does in a shell, never dropped.
            line = lines.recv(), if !input_closed && said.asked.is_some() => match line {
                Some(Line::Text(line)) => {
                    let asked = said.asked.take();
                    if said.at_prompt {
                        // The Enter was not echoed; what was typed is said back
                        // unless it is shaped like a credential.
                        let shown = !asked.as_ref().is_some_and(Ask::is_secret) && !holds_credential(&line);
                        out.line(if shown { line.trim() } else { "" });
                    }
                    said.at_prompt = false;
                    answer(&model, asked, &line, &mut said, &mut out)
                }
                Some(Line::Interrupted) => vec![Msg::Terminate],
                Some(Line::End) | None => {
                    input_closed = true;
                    Vec::new()
                }
            },
            Some(msg) = rx.recv() => vec![msg],
            msg = capture.next() => vec![msg],
            () = endings.recv() => vec![Msg::Terminate],
        };
        let step_before = model.step;
        for msg in msgs {
            let answered = match &msg {
                Msg::Answer { target, .. } => Some(*target),
                _ => None,
            };
            apply(&mut model, msg, &mut executor, &capture, &mut sink);
            // An answer the model refused (a notice or a new error says why) is asked again.
            if let Some(target) = answered.filter(|_| refused(&model, step_before, &errors_before)) {
                said.answered.retain(|t| *t != target);
            }
        }
        if std::mem::take(&mut said.awaiting_outcome)
            && let Ok(Some(msg)) = tokio::time::timeout(OUTCOME_WAIT, rx.recv()).await
        {
            apply(&mut model, msg, &mut executor, &capture, &mut sink);
        }
        if matches!(asked_before, Some(Ask::Screen(Question::Enter { .. })))
            && refused(&model, step_before, &errors_before)
        {
            // Enter was refused (the notice says why, and the model focuses the field at fault):
            // ask that field again, or the screen's fields when none is to blame.
            match screen::focused_text(&model) {
                Some(target) => said.answered.retain(|t| *t != target),
                None => said.answered.retain(|t| !screen::targets(&model).contains(t)),
            }
        }
    }
}

/// The longest a copy or an open is waited for before the next line is read.
const OUTCOME_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// The errors the screen shows now, to tell one an answer just brought.
fn errors(m: &Model) -> Vec<String> {
    screen::describe(m)
        .items
        .into_iter()
        .filter_map(|i| match i {
            Item::Check { level: Level::Error, text, .. } => Some(text),
            _ => None,
        })
        .collect()
}

/// The model said no to what was just sent: the same screen, with a warning
/// notice or an error that was not there before.
fn refused(m: &Model, step_before: Step, errors_before: &[String]) -> bool {
    m.step == step_before
        && (m.ui.notice.as_ref().is_some_and(|n| n.kind == NoticeKind::Warning)
            || errors(m).iter().any(|e| !errors_before.contains(e)))
}

/// True when the prompt on screen asks for the same field, only re-worded by
/// news (a check's answer): it is not asked twice.
fn same_field(asked: &Option<Ask>, ask: &Option<Ask>) -> bool {
    match (asked, ask) {
        (Some(Ask::Screen(a)), Some(Ask::Screen(b))) => a.target().is_some() && a.target() == b.target(),
        _ => false,
    }
}

/// Standard input as lines, read quietly on a thread of its own.
fn read_lines(terminal: bool) -> UnboundedReceiver<Line> {
    let (tx, rx) = unbounded_channel();
    std::thread::spawn(move || {
        loop {
            let line = crate::terminal::read_line(terminal).unwrap_or(Line::End);
            let last = !matches!(line, Line::Text(_));
            if tx.send(line).is_err() || last {
                return;
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

/// The key event the keymap binds to `action` here, as a message.
fn act(m: &Model, action: Action) -> Option<Msg> {
    keymap::bindings(m)
        .into_iter()
        .find(|b| b.action == action)
        .and_then(|b| b.keys.first().copied())
        .map(|k| Msg::Key(k.event()))
}

/// The prompt's words; a long list of choices goes first, a line each.
fn prompt(ask: &Ask, out: &mut Out) -> String {
    let p = &texts().plain;
    let numbered = |names: &[&str]| -> String {
        names.iter().enumerate().map(|(i, name)| format!("{} {name}", i + 1)).collect::<Vec<_>>().join(", ")
    };
    match ask {
        Ask::Screen(Question::Enter { prompt, .. }) => prompt.clone(),
        Ask::Screen(Question::Field { prompt, options, default, .. }) if !options.is_empty() => {
            let names: Vec<&str> = options.iter().map(String::as_str).collect();
            let values =
                [("what", prompt.as_str()), ("options", &numbered(&names)), ("default", &(default + 1).to_string())];
            fill(&p.choose, &values)
        }
        Ask::Screen(Question::Field { prompt, .. }) => prompt.clone(),
        Ask::Screen(Question::Choice { prompt, options, default }) => {
            let names: Vec<&str> = options.iter().map(|(name, _)| name.as_str()).collect();
            let values =
                [("what", prompt.as_str()), ("options", &numbered(&names)), ("default", &(default + 1).to_string())];
            fill(&p.choose, &values)
        }
        Ask::Screen(Question::Wait | Question::Finish) => String::new(),
        Ask::Boards { options, default } => {
            for (i, name) in options.iter().enumerate() {
                out.line(&format!("{}. {name}", i + 1));
            }
            fill(&p.pick_one, &[("what", &texts().boards.title), ("default", &(default + 1).to_string())])
        }
        Ask::BoardsFailed => p.boards_failed.clone(),
    }
}

/// What to ask now, or `None` while waiting on Trello, the keyring or the
/// browser: the board picker's rows when it is open, else the screen's first
/// question not answered yet.
fn question(m: &Model, said: &Said) -> Option<Ask> {
    if m.ui.overlay == Overlay::Boards {
        return match &m.boards.list {
            BoardList::NotAsked | BoardList::Loading => None,
            BoardList::Failed(_) => Some(Ask::BoardsFailed),
            BoardList::Loaded { .. } => Some(Ask::Boards {
                options: m.boards.rows().into_iter().map(|r| r.text).collect(),
                default: m.boards.choice,
            }),
        };
    }
    let mut answered = said.answered.clone();
    if said.step != Some(m.step) && said.went_back {
        answered.retain(|t| !screen::targets(m).contains(t));
    }
    screen::describe(m).questions.into_iter().find_map(|q| match &q {
        Question::Field { target, settled: true, .. } if answered.contains(target) => None,
        Question::Wait => Some(None),
        _ => Some(Some(Ask::Screen(q))),
    })?
}

/// The commands a person may type here, from the keymap: each action of this
/// screen that has a word, with what it does.
fn help(m: &Model) -> String {
    let mut listed: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    for binding in keymap::bindings(m) {
        let Some(word) = keys::word(binding.action) else { continue };
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
        keymap::bindings(m).into_iter().map(|b| b.action).find(|a| keys::word(*a).is_some_and(|w| w == word))
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
                // Both screens are asked afresh: the one left and the one gone back to.
                said.went_back = true;
                said.answered.retain(|t| !screen::targets(m).contains(t));
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
    if let Some(word) = keys::all_words().into_iter().find(|w| *w == word) {
        out.line(&fill(&p.nothing_here, &[("word", word)]));
        said.asked = None;
        return Vec::new();
    }
    let Some(asked) = asked else { return Vec::new() };
    match asked {
        Ask::BoardsFailed => act(m, Action::CloseBoards).into_iter().collect(),
        Ask::Boards { options, default } => match pick(&word, &options, default) {
            Some(index) => {
                // The same keys as the picker: to the row, then Enter.
                let (up, down) = (Action::BoardUp, Action::BoardDown);
                let from = m.boards.choice;
                let mut msgs: Vec<Msg> = if index >= from {
                    std::iter::repeat_n(down, index - from).filter_map(|a| act(m, a)).collect()
                } else {
                    std::iter::repeat_n(up, from - index).filter_map(|a| act(m, a)).collect()
                };
                msgs.extend(act(m, Action::BoardPick));
                // The save's outcome is said before the next question.
                said.awaiting_outcome = true;
                msgs
            }
            None => not_a_choice(line, said, out),
        },
        Ask::Screen(Question::Enter { secret, .. }) if secret && holds_credential(line) => {
            // A token (or key) pasted at "press Enter" after a failure: taken as the new one, never echoed.
            let target =
                if crate::credentials::format::check_key(line.trim()).is_valid() { Target::Key } else { Target::Token };
            let mut msgs: Vec<Msg> = act(m, Action::Retry).into_iter().collect();
            msgs.push(Msg::Answer { target, text: line.to_string() });
            said.answered.push(target);
            if target == Target::Token {
                msgs.push(key(KeyCode::Enter));
            }
            msgs
        }
        Ask::Screen(Question::Enter { .. } | Question::Finish | Question::Wait) => vec![key(KeyCode::Enter)],
        Ask::Screen(Question::Field { target, options, default, empty, .. }) => {
            if !options.is_empty() {
                let Some(index) = pick(&word, &options, default) else { return not_a_choice(line, said, out) };
                said.answered.push(target);
                return vec![Msg::Answer { target, text: options[index].clone() }];
            }
            said.answered.push(target);
            if word.is_empty() {
                match empty {
                    Empty::Keeps => return Vec::new(),
                    Empty::Clears => return vec![Msg::Answer { target, text: String::new() }],
                    Empty::Sent => {}
                }
            }
            let mut msgs = vec![Msg::Answer { target, text: line.to_string() }];
            if target == Target::Token {
                // A token that can be sent is verified at once, as after a paste and Enter.
                msgs.push(key(KeyCode::Enter));
            }
            msgs
        }
        Ask::Screen(Question::Choice { options, default, .. }) => {
            let names: Vec<String> = options.iter().map(|(name, _)| name.clone()).collect();
            let index = pick(&word, &names, default).or_else(|| {
                // The choice's own key (y, n, f, k…), as in the full-screen wizard;
                // "yes" and "no" for the y and n of a question.
                let key = if word == p.yes {
                    "y"
                } else if word == p.no {
                    "n"
                } else {
                    word.as_str()
                };
                let bindings = keymap::bindings(m);
                options.iter().position(|(_, action)| {
                    bindings.iter().any(|b| {
                        b.action == *action
                            && b.keys
                                .iter()
                                .any(|k| matches!(k.code, KeyCode::Char(c) if c.to_string().eq_ignore_ascii_case(key)))
                    })
                })
            });
            match index {
                Some(index) => act(m, options[index].1).into_iter().collect(),
                None => not_a_choice(line, said, out),
            }
        }
    }
}

/// The option `word` picks among `names`: Enter the default, a number, a
/// name, the start of one, or a part of exactly one (as the full-screen
/// board filter matches any part: "road" finds "Team Roadmap").
fn pick(word: &str, names: &[String], default: usize) -> Option<usize> {
    if word.is_empty() {
        return Some(default);
    }
    let word = word.to_lowercase();
    let word = word.as_str();
    let lower: Vec<String> = names.iter().map(|name| name.to_lowercase()).collect();
    let inside = || {
        let mut found = lower.iter().enumerate().filter(|(_, name)| name.contains(word)).map(|(i, _)| i);
        found.next().filter(|_| found.next().is_none())
    };
    word.parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .filter(|i| *i < names.len())
        .or_else(|| lower.iter().position(|name| *name == word))
        .or_else(|| lower.iter().position(|name| name.starts_with(word)))
        .or_else(inside)
}

/// An answer that is none of the choices; one shaped like a credential is never repeated back.
fn not_a_choice(line: &str, said: &mut Said, out: &mut Out) -> Vec<Msg> {
    let p = &texts().plain;
    let text = if holds_credential(line) {
        p.not_a_choice_secret.clone()
    } else {
        fill(&p.not_a_choice, &[("answer", line.trim())])
    };
    out.line(&text);
    said.asked = None;
    Vec::new()
}

/// An item as a line: what plain mode says of it. Fields, options and
/// choices are asked, not said; a "press Enter" line is its question's.
fn tell(item: &Item) -> Option<String> {
    let p = &texts().plain;
    match item {
        Item::Blank
        | Item::Next(_)
        | Item::Question(_)
        | Item::Field { .. }
        | Item::Toggle { .. }
        | Item::Choice { .. } => None,
        Item::Text { text, .. } | Item::Note { text, .. } | Item::Progress(text) => Some(text.clone()),
        Item::Url { label, url, .. } => Some(match label {
            Some(label) => format!("{label}\n{url}"),
            None => url.clone(),
        }),
        Item::Fact { label, value, .. } => {
            Some(format!("{label}: {}", value.iter().map(|(t, _)| t.trim()).collect::<Vec<_>>().join(" ")))
        }
        Item::Row { label, value, .. } => Some(format!("{label}: {value}")),
        Item::Commands(commands) => {
            let column = commands.iter().map(|(c, _)| c.chars().count()).max().unwrap_or(0) + 3;
            let lines: Vec<String> = commands.iter().map(|(c, what)| format!("  {c:<column$}{what}")).collect();
            Some(lines.join("\n"))
        }
        Item::Options { label, options, help, .. } => {
            let chosen = options.iter().find(|(_, on)| *on).map(|(name, _)| name.as_str()).unwrap_or_default();
            Some(format!("{label}: {chosen} ({help})"))
        }
        // A field's pending verdict is its question's to say.
        Item::Check { level: Level::Pending, indented: true, .. } => None,
        Item::Check { level, text, .. } => Some(match level {
            Level::Ok => format!("{} {text}", p.ok),
            Level::Warning => format!("{} {text}", p.warning),
            Level::Error => format!("{} {text}", p.error),
            Level::Pending => text.clone(),
        }),
    }
}

/// The lines that say what changed since the last call: the heading on a new
/// screen, then the lines of its items (and of the prefaces of the questions
/// reached so far) not said before in this run.
fn narrate(m: &Model, ask: &Option<Ask>, said: &mut Said) -> Vec<String> {
    let mut lines = Vec::new();
    let described = screen::describe(m);
    if said.step != Some(m.step) {
        if said.step.is_none_or(|before| before >= m.step) {
            said.told.clear();
        }
        said.step = Some(m.step);
        if std::mem::take(&mut said.went_back) {
            said.answered.retain(|t| !screen::targets(m).contains(t));
        }
        lines.push(String::new());
        lines.push(screen::spoken_title(m));
    }
    // The questions' prefaces, up to the one asked now.
    let mut items = described.items.clone();
    for question in &described.questions {
        let current = matches!(ask, Some(Ask::Screen(q)) if q == question);
        if let Question::Field { target, preface, .. } = question
            && (current || said.answered.contains(target))
        {
            items.extend(preface.iter().cloned());
        }
        if current {
            break;
        }
    }
    // A choice still to be asked is said by its question, not before it as well.
    let ahead: Vec<Target> = described
        .questions
        .iter()
        .filter_map(Question::target)
        .filter(|target| !said.answered.contains(target))
        .collect();
    let told: Vec<(String, bool)> = items
        .iter()
        .filter(|item| !matches!(item, Item::Options { target, .. } if ahead.contains(target)))
        .filter_map(|item| tell(item).map(|line| (line, matches!(item, Item::Check { level: Level::Error, .. }))))
        .collect();
    // An answer the screen refused (an error or a warning says why) changes no
    // other row aloud: "Support contact: ann@example" before "the part after @
    // needs a domain" would read as taken. The rows are told once an answer stands.
    let asks_fields = described.questions.iter().any(|q| q.target().is_some());
    let refused = lines.is_empty()
        && asks_fields
        && (m.ui.notice.as_ref().is_some_and(|n| n.kind == NoticeKind::Warning)
            || told.iter().any(|(line, error)| *error && !said.told.contains(line)));
    for (entry, error) in told {
        if (!refused || error) && !said.told.contains(&entry) {
            lines.push(entry.clone());
            said.told.push(entry);
        }
    }
    let notice = m.ui.notice.as_ref().map(|n| n.text.clone());
    if notice != said.notice {
        // A notice that repeats what was just said ("Token: …") is said once.
        if let Some(text) = &notice
            && !lines.iter().any(|l| l.split_once(' ').is_some_and(|(_, said)| text.ends_with(said)))
        {
            lines.push(text.clone());
        }
        said.notice = notice;
    }
    if m.ui.overlay == Overlay::Boards {
        let b = &texts().boards;
        let line = match &m.boards.list {
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

#[cfg(test)]
mod tests {
    use super::pick;

    #[test]
    fn a_choice_is_picked_by_number_name_start_or_a_part_of_exactly_one() {
        let names: Vec<String> = ["Team Roadmap", "Team Ops", "Ünïcode Board"].map(String::from).to_vec();
        assert_eq!(pick("", &names, 1), Some(1));
        assert_eq!(pick("3", &names, 0), Some(2));
        assert_eq!(pick("4", &names, 0), None);
        assert_eq!(pick("team ops", &names, 0), Some(1));
        assert_eq!(pick("team", &names, 1), Some(0), "the start of a name: the first that starts so");
        assert_eq!(pick("road", &names, 0), Some(0), "a part of exactly one name");
        assert_eq!(pick("o", &names, 0), None, "a part of several names picks none");
        assert_eq!(pick("ünï", &names, 0), Some(2));
    }
}
