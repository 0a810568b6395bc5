//! Each screen, told once: its title, what it says, its keys, the questions the plain wizard asks, where Enter and Esc lead, and what open and copy take there.
//!
//! A screen is a [`Page`] in a file of its own; [`page`] is where one is
//! registered. What a page says is a list of items (text, facts, fields,
//! checks, choices) with their meaning rather than their look: a check is a
//! level and words, not a coloured mark; a choice carries the action its key
//! performs. `view` draws a description, `plain` tells it and asks its
//! questions in order, `keymap` adds the overlays and the keys every screen
//! shares, and `update` asks the page what its keys do. Outside this folder
//! no code matches on the step.

mod apikey;
mod done;
mod portal;
mod powerup;
mod start;
mod token;
mod verify;

pub(crate) use start::menu as start_menu;
pub(crate) use token::start_verify;
pub(crate) use verify::{is_old_token, on_verified, store_or_ask};
pub use verify::{new_token, save, saved_profile};

use crate::credentials::format::{Level, Verdict};
use crate::credentials::secret::holds_credential;
use crate::wizard::keys::{Action, Binding, COMMAND_KEYS, StepKeys, TEXT_KEYS};
use crate::wizard::model::{Model, Overlay, STEPS, Step, Target};
use crate::wizard::msg::Effect;
use crate::wizard::text::{fill, texts};

/// How an item stands out; the view maps it to a style (and a check or
/// notice to its mark), plain mode says nothing of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Dim,
    Bold,
    Heading,
    Accent,
    Ok,
    Warn,
    Error,
}

/// One part of a screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Blank,
    /// A paragraph.
    Text {
        text: String,
        tone: Tone,
    },
    /// A paragraph in the value column, under a field.
    Note {
        text: String,
        tone: Tone,
    },
    /// What to do to go on ("Press Enter once the portal is open."): drawn as a
    /// line; the plain wizard asks its own question instead.
    Next(String),
    /// A URL on lines of its own, never cut or re-worded; `label` above it.
    Url {
        label: Option<String>,
        url: String,
        indent: usize,
    },
    /// A read-only value with its label; `wrap` breaks a long value (a path,
    /// a token) under itself instead of cutting it.
    Fact {
        label: String,
        value: Vec<(String, Tone)>,
        wrap: bool,
    },
    /// A focusable read-only row (step 2's fixed values).
    Row {
        label: String,
        target: Target,
        value: String,
        tone: Tone,
    },
    /// A text field; its value is the model's.
    Field {
        label: String,
        target: Target,
        masked: bool,
        placeholder: String,
    },
    /// A judgement of a value: `indented` puts it under a field. The view
    /// draws its level's mark (✓, !, ✗), the plain wizard says its word.
    Check {
        level: Level,
        text: String,
        indented: bool,
    },
    /// Something in progress (a spinner in the view, a line in plain mode).
    Progress(String),
    /// Commands to run, each with what it does: in a column beside them
    /// where they fit, else under each.
    Commands(Vec<(String, String)>),
    /// A question answered with keys (`… (y/n)`): the plain wizard asks it in
    /// its own words, with numbered answers, and does not say this line.
    Question(String),
    /// One option among several (the expiration).
    Options {
        label: String,
        target: Target,
        options: Vec<(String, bool)>,
        help: String,
    },
    /// An on/off option (a scope); `label` only on the first of a group.
    Toggle {
        label: String,
        target: Target,
        name: String,
        on: bool,
        help: String,
    },
    /// A choice on a menu: its key, its words, and what it does.
    Choice {
        key: String,
        words: String,
        action: Action,
        selected: bool,
    },
}

impl Item {
    pub fn text(text: impl Into<String>) -> Item {
        Item::Text { text: text.into(), tone: Tone::Normal }
    }

    pub(crate) fn toned(text: impl Into<String>, tone: Tone) -> Item {
        Item::Text { text: text.into(), tone }
    }

    pub(crate) fn note(text: impl Into<String>, tone: Tone) -> Item {
        Item::Note { text: text.into(), tone }
    }

    pub fn check(level: Level, text: impl Into<String>) -> Item {
        Item::Check { level, text: text.into(), indented: false }
    }

    pub fn fact(label: &str, value: impl Into<String>) -> Item {
        Item::Fact { label: label.to_string(), value: vec![(value.into(), Tone::Normal)], wrap: false }
    }

    pub(crate) fn fact_toned(label: &str, value: impl Into<String>, tone: Tone) -> Item {
        Item::Fact { label: label.to_string(), value: vec![(value.into(), tone)], wrap: false }
    }

    /// A fact whose value is shown whole, wrapped under itself.
    pub(crate) fn fact_whole(label: &str, value: impl Into<String>) -> Item {
        Item::Fact { label: label.to_string(), value: vec![(value.into(), Tone::Normal)], wrap: true }
    }

    /// A shape check's verdict under its field; nothing while it is pending.
    pub(crate) fn verdict(verdict: &Verdict) -> Item {
        Item::Check { level: verdict.level, text: verdict.message(), indented: true }
    }

    /// A text field of the model; whatever has a secret's shape is masked in
    /// any field (a token pasted as the key, a secret as the email), unless revealed.
    fn field(m: &Model, target: Target, masked: bool, placeholder: &str) -> Item {
        Item::Field {
            label: field_label(target),
            target,
            masked: masked_field(m, target, masked),
            placeholder: placeholder.to_string(),
        }
    }
}

/// Whether a field is shown masked: a secret's field, or any field holding
/// something shaped like a secret (a token pasted as the key).
fn masked_field(m: &Model, target: Target, secret: bool) -> bool {
    let value = m.form.input(target).map(|i| i.value()).unwrap_or_default();
    secret || (holds_credential(value) && !crate::credentials::format::check_key(value).is_valid())
}

/// A question the plain wizard asks, in the screen's order. A field's
/// question is asked until it is answered (and, unless `settled`, again
/// while its value will not do); the others each time the screen stands
/// where they are asked.
#[derive(Debug, Clone, PartialEq)]
pub enum Question {
    /// Press Enter to go on; `secret` reads the line without echo (a token
    /// pasted there by mistake is never shown).
    Enter { prompt: String, secret: bool },
    /// One field's value, typed (without echo when `secret`), or one of the
    /// `options` (numbered) where the field is a choice. `preface` is said
    /// right before it is first asked (the authorize URL before the token),
    /// and is not among the screen's items in plain mode.
    Field {
        target: Target,
        prompt: String,
        secret: bool,
        options: Vec<String>,
        default: usize,
        settled: bool,
        preface: Vec<Item>,
        empty: Empty,
    },
    /// A numbered choice: each option with the action it sends.
    Choice { prompt: String, options: Vec<(String, Action)>, default: usize },
    /// Nothing to ask until news comes (a check, a verification, a revocation).
    Wait,
    /// Nothing more to ask: the screen is left as Enter leaves it.
    Finish,
}

impl Question {
    /// A text field's question.
    fn field(target: Target, prompt: impl Into<String>, secret: bool) -> Question {
        Question::Field {
            target,
            prompt: prompt.into(),
            secret,
            options: Vec::new(),
            default: 0,
            settled: true,
            preface: Vec::new(),
            empty: Empty::Sent,
        }
    }

    /// What Enter alone answers here.
    fn on_empty(mut self, what: Empty) -> Question {
        if let Question::Field { empty, .. } = &mut self {
            *empty = what;
        }
        self
    }

    /// A choice answered with the screen's keys for `actions`, in their words.
    fn choice(prompt: impl Into<String>, bindings: &[Binding], actions: &[Action], default: usize) -> Question {
        let options = actions
            .iter()
            .filter_map(|a| bindings.iter().find(|b| b.action == *a).map(|b| (b.label.to_string(), *a)))
            .collect();
        Question::Choice { prompt: prompt.into(), options, default }
    }

    /// A field asked again, even when answered, while `settled` is false.
    fn settled(mut self, ok: bool) -> Question {
        if let Question::Field { settled, .. } = &mut self {
            *settled = ok;
        }
        self
    }

    /// A field with what is said right before it is first asked.
    fn prefaced(mut self, items: Vec<Item>) -> Question {
        if let Question::Field { preface, .. } = &mut self {
            *preface = items;
        }
        self
    }

    /// A field answered with one of `names`, numbered; `default` is chosen by Enter.
    fn options(mut self, names: Vec<String>, chosen: usize) -> Question {
        if let Question::Field { options, default, .. } = &mut self {
            *options = names;
            *default = chosen;
        }
        self
    }

    pub(crate) fn is_secret(&self) -> bool {
        matches!(self, Question::Enter { secret: true, .. } | Question::Field { secret: true, .. })
    }

    /// The field it asks for, if it asks for one.
    pub fn target(&self) -> Option<Target> {
        match self {
            Question::Field { target, .. } => Some(*target),
            _ => None,
        }
    }
}

/// What an empty answer (Enter alone) to a field's question does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Empty {
    /// The value shown stays (the Power-Up name, a valid key, the scopes).
    Keeps,
    /// The optional field is left empty, whatever was typed before.
    Clears,
    /// It is the answer (the model says what is missing).
    Sent,
}

/// A whole screen: its title and what it says, top to bottom, its keys, and
/// the questions the plain wizard asks on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    pub title: String,
    pub items: Vec<Item>,
    pub bindings: Vec<Binding>,
    pub questions: Vec<Question>,
}

/// What Enter leads to.
pub enum Go {
    Effects(Vec<Effect>),
    /// An action of the screen's own (the start menu's selected row).
    Perform(Action),
}

/// One screen: everything about it, in its file.
pub trait Page: Sync {
    /// Its name; a numbered step's title says "Step N of 5 · NAME".
    fn name(&self, m: &Model) -> String;
    /// Its name in the step bar ("Token"), for the five numbered steps.
    fn short_name(&self) -> String {
        String::new()
    }
    /// What can take the focus, in Tab order.
    fn targets(&self) -> &'static [Target] {
        &[]
    }
    /// Its keys (no overlay open), hint-bar order first; help and quit are added by the keymap.
    fn bindings(&self, m: &Model, keys: &StepKeys) -> Vec<Binding>;
    /// What it says; key names come from `bindings`.
    fn items(&self, m: &Model, bindings: &[Binding]) -> Vec<Item>;
    /// What the plain wizard asks here now, in order.
    fn questions(&self, m: &Model, bindings: &[Binding]) -> Vec<Question>;
    /// What the open key opens here.
    fn url(&self, _m: &Model) -> Option<String> {
        None
    }
    /// What the copy key copies here, and its name for the notice.
    fn copy(&self, _m: &Model) -> Option<(&'static str, String)> {
        None
    }
    /// Where a paste goes: the focused field.
    fn paste_target(&self, m: &Model) -> Option<Target> {
        focused_text(m)
    }
    /// What the help says here beyond the keys.
    fn help_notes(&self, _m: &Model) -> Vec<String> {
        Vec::new()
    }
    /// Enter (the screen's "next").
    fn next(&self, m: &mut Model) -> Go;
    /// Esc (the screen's "back").
    fn back(&self, m: &mut Model) -> Vec<Effect>;
}

/// The page of a step: where each screen is registered.
pub fn page(step: Step) -> &'static dyn Page {
    match step {
        Step::Start => &start::Start,
        Step::Portal => &portal::Portal,
        Step::PowerUp => &powerup::PowerUp,
        Step::ApiKey => &apikey::ApiKey,
        Step::Token => &token::Token,
        Step::Verify => &verify::Verify,
        Step::Done => &done::Done,
    }
}

/// The keys a screen's actions use now: in a text field letters are typed.
pub(crate) fn step_keys(m: &Model) -> &'static StepKeys {
    let in_text = focused_text(m).is_some() && m.ui.overlay == Overlay::None;
    if in_text || m.ui.overlay == Overlay::Boards { &TEXT_KEYS } else { &COMMAND_KEYS }
}

/// The screen's own keys now.
pub(crate) fn bindings(m: &Model) -> Vec<Binding> {
    page(m.step).bindings(m, step_keys(m))
}

/// The screen the model is on.
pub fn describe(m: &Model) -> Screen {
    let page = page(m.step);
    let bindings = page.bindings(m, step_keys(m));
    Screen { title: title(m), items: page.items(m, &bindings), questions: page.questions(m, &bindings), bindings }
}

/// The screen's title: "Step 4 of 5 · Authorize a token", or the screen's
/// name alone for the start and done screens.
pub fn title(m: &Model) -> String {
    let name = page(m.step).name(m);
    match m.step {
        Step::Start | Step::Done => name,
        step => fill(
            &texts().title.step,
            &[("number", &step.number().to_string()), ("of", &STEPS.to_string()), ("name", &name)],
        ),
    }
}

/// What this run is for, in the title bar: setting up, the saved
/// credentials, rotating, an agent's own token.
pub(crate) fn purpose(m: &Model) -> String {
    use crate::wizard::model::Mode;
    let t = &texts().title;
    match (m.step, m.mode, &m.agent) {
        (Step::Start, _, _) => t.start.clone(),
        (_, Mode::Rotate, _) => texts().rotate.title_bar.clone(),
        (_, Mode::Agent, Some(flow)) => fill(&texts().agent.title_bar, &[("client", &flow.client)]),
        _ => t.setup.clone(),
    }
}

/// The title said as a heading: "Step 4 of 5: Authorize a token".
pub(crate) fn spoken_title(m: &Model) -> String {
    title(m).replace(" · ", ": ")
}

/// The step's focusable rows, in Tab order.
pub fn targets(m: &Model) -> &'static [Target] {
    page(m.step).targets()
}

pub fn focused(m: &Model) -> Option<Target> {
    targets(m).get(m.focus).copied()
}

/// The text field that has the focus, if any.
pub fn focused_text(m: &Model) -> Option<Target> {
    focused(m).filter(|t| t.is_text())
}

/// Moves to `step`, the focus on `focus` (else the first row). Step 4 starts
/// a fresh listener each time it is shown (see `Model::wants_capture`); one
/// that caught the token is kept while it is verified (`holds_capture`).
pub(crate) fn goto(m: &mut Model, step: Step, focus: Option<Target>) {
    use crate::wizard::model::CaptureState;
    let verifying_caught = step == Step::Verify && m.capture.from_listener && m.capture.state == CaptureState::Received;
    if step != m.step
        && !verifying_caught
        && matches!(m.capture.state, CaptureState::Waiting { .. } | CaptureState::Received)
    {
        m.capture.state = CaptureState::Idle;
    }
    m.step = step;
    m.ui.scroll = 0;
    m.focus = focus.and_then(|f| page(step).targets().iter().position(|t| *t == f)).unwrap_or(0);
}

/// The label a text field is shown under, for messages that name it.
pub(crate) fn field_label(target: Target) -> String {
    let t = texts();
    match target {
        Target::AppName => t.powerup.name_label.clone(),
        Target::Email => t.powerup.email_label.clone(),
        Target::Author => t.powerup.author_label.clone(),
        Target::Key => t.key.key_label.clone(),
        Target::Secret => t.key.secret_label.clone(),
        Target::Token => t.token.token_label.clone(),
        _ => String::new(),
    }
}

/// What the help says about this screen beyond its keys: pasting where there
/// are fields, the filter in the picker, and the screen's own notes.
pub(crate) fn help_notes(m: &Model) -> Vec<String> {
    let t = &texts().help;
    let mut notes = Vec::new();
    if m.ui.overlay == Overlay::None && targets(m).iter().any(|t| t.is_text()) {
        notes.push(t.paste.clone());
    }
    if m.ui.overlay == Overlay::Boards {
        notes.push(t.filter.clone());
    }
    notes.extend(page(m.step).help_notes(m));
    notes
}

/// A step's items, a blank line, and what to do to go on.
fn then_next(mut items: Vec<Item>, next: &str) -> Vec<Item> {
    items.push(Item::Blank);
    items.push(Item::Next(next.to_string()));
    items
}

/// The keys `bindings` give `action`, named for this front end.
fn key_name(m: &Model, bindings: &[Binding], action: Action) -> String {
    crate::wizard::keys::name(bindings, action, m.setup.plain).unwrap_or_default()
}

/// Tab and Shift+Tab (with ↓ and ↑) between a screen's rows, when it has more than one.
fn focus_keys(targets: &[Target], next: &'static str, previous: &'static str) -> Vec<Binding> {
    use crate::wizard::keys::{BACKTAB, DOWN, TAB, UP};
    if targets.len() < 2 {
        return Vec::new();
    }
    vec![
        Binding::new(&[TAB, DOWN], Action::FocusNext, next),
        Binding::new(&[BACKTAB, UP], Action::FocusPrev, previous).quiet(),
    ]
}

/// The open key, where the page has a URL and a browser can be opened here
/// (over SSH without a display there is none: the screen says why, copy remains).
fn open_key(m: &Model, page: &dyn Page, keys: &StepKeys, label: &'static str) -> Option<Binding> {
    (page.url(m).is_some() && m.setup.no_browser_reason.is_none()).then(|| Binding::new(keys.open, Action::Open, label))
}

/// The copy key, where the page has something to copy.
fn copy_key(m: &Model, page: &dyn Page, keys: &StepKeys, label: &'static str) -> Option<Binding> {
    page.copy(m).is_some().then(|| Binding::new(keys.copy, Action::Copy, label))
}

/// The default board's key, once there are credentials to ask Trello with.
fn board_key(m: &Model) -> Option<Binding> {
    use crate::wizard::keys::ch;
    m.working_credentials().map(|_| Binding::new(&[ch('b')], Action::ChooseBoard, &texts().keys.choose_board))
}

/// The help key, and quitting: `q` (asking first when something was typed),
/// or in a text field, where letters are typed, Ctrl+C, which leaves at once.
fn help_and_quit(m: &Model, keys: &StepKeys) -> [Binding; 2] {
    let k = &texts().keys;
    let help = Binding::new(keys.help, Action::Help, &k.help);
    let quit = if focused_text(m).is_some() {
        Binding::new(keys.quit, Action::QuitNow, &k.quit_now).hinted_as(&k.quit)
    } else {
        Binding::new(keys.quit, Action::Quit, &k.quit)
    };
    [help, quit]
}

/// The help key alone (a question's screen: its own answers, then help).
fn help_key(keys: &StepKeys) -> Binding {
    Binding::new(keys.help, Action::Help, &texts().keys.help)
}
