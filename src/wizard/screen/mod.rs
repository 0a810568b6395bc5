//! What each screen says, once: a description built from the model, which the full-screen view draws and the plain front end tells.
//!
//! A description is a title and a list of items (text, facts, fields,
//! checks, choices) with their meaning rather than their look: a check is a
//! level and words, not a coloured mark; a choice carries the action its key
//! performs. `view` turns items into rows of a frame; `plain` turns them into
//! lines and prompts. Neither decides what a screen says.

mod done;
mod start;
mod steps;
mod verify;

use crate::credentials::format::{Level, Verdict};
use crate::credentials::secret::holds_credential;
use crate::wizard::keymap::Action;
use crate::wizard::model::{Model, Step, Target};
use crate::wizard::text::texts;

/// How an item stands out; the view maps it to a style, plain mode ignores it.
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
    /// line, asked as the prompt in plain mode.
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
    /// A judgement of a value: `indented` puts it under a field.
    Check {
        level: Level,
        text: String,
        indented: bool,
    },
    /// Something in progress (a spinner in the view, a line in plain mode).
    Progress(String),
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

    pub fn toned(text: impl Into<String>, tone: Tone) -> Item {
        Item::Text { text: text.into(), tone }
    }

    pub fn note(text: impl Into<String>, tone: Tone) -> Item {
        Item::Note { text: text.into(), tone }
    }

    pub fn fact(label: &str, value: impl Into<String>) -> Item {
        Item::Fact { label: label.to_string(), value: vec![(value.into(), Tone::Normal)], wrap: false }
    }

    pub fn fact_toned(label: &str, value: impl Into<String>, tone: Tone) -> Item {
        Item::Fact { label: label.to_string(), value: vec![(value.into(), tone)], wrap: false }
    }

    /// A fact whose value is shown whole, wrapped under itself.
    pub fn fact_whole(label: &str, value: impl Into<String>) -> Item {
        Item::Fact { label: label.to_string(), value: vec![(value.into(), Tone::Normal)], wrap: true }
    }

    /// A shape check's verdict under its field; nothing while it is pending.
    pub fn verdict(verdict: &Verdict) -> Item {
        Item::Check { level: verdict.level, text: verdict.message(), indented: true }
    }

    /// A text field of the model; whatever has a secret's shape is masked in
    /// any field (a token pasted as the key, a secret as the email), unless revealed.
    fn field(m: &Model, target: Target, masked: bool, placeholder: &str) -> Item {
        let value = m.input(target).map(|i| i.value()).unwrap_or_default();
        let secret_shaped = holds_credential(value) && !crate::credentials::format::check_key(value).is_valid();
        Item::Field {
            label: field_label(target),
            target,
            masked: masked || secret_shaped,
            placeholder: placeholder.to_string(),
        }
    }
}

/// A whole screen: its title and what it says, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct Screen {
    pub title: String,
    pub items: Vec<Item>,
}

/// The screen the model is on.
pub fn describe(m: &Model) -> Screen {
    let items = match m.step {
        Step::Start => start::items(m),
        Step::Portal => steps::portal(m),
        Step::PowerUp => steps::powerup(m),
        Step::ApiKey => steps::apikey(m),
        Step::Token => steps::token(m),
        Step::Verify => verify::items(m),
        Step::Done => done::items(m),
    };
    Screen { title: title(m.step).to_string(), items }
}

/// The title of a step's screen.
pub fn title(step: Step) -> &'static str {
    let t = texts();
    match step {
        Step::Start => &t.start.title,
        Step::Portal => &t.portal.title,
        Step::PowerUp => &t.powerup.title,
        Step::ApiKey => &t.key.title,
        Step::Token => &t.token.title,
        Step::Verify => &t.verify.title,
        Step::Done => &t.done.title,
    }
}

/// The label a text field is shown under, for messages that name it.
pub fn field_label(target: Target) -> String {
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

pub use done::revoke_words;

/// What the help says about this screen beyond its keys: pasting where there
/// are fields, and what an Enterprise refusal on the authorize page means on
/// step 4. Both front ends show it.
pub fn help_notes(m: &Model) -> Vec<String> {
    let t = &texts().help;
    let mut notes = Vec::new();
    if m.overlay == crate::wizard::model::Overlay::None && !m.step.targets().iter().all(|t| !t.is_text()) {
        notes.push(t.paste.clone());
    }
    if m.overlay == crate::wizard::model::Overlay::Boards {
        notes.push(t.filter.clone());
    }
    if m.step == Step::Token {
        notes.push(t.token.clone());
    }
    notes
}

/// "Step 1 of 5 · Open …" said as a heading: "Step 1 of 5: Open …".
pub fn spoken_title(step: Step) -> String {
    title(step).replace(" · ", ": ")
}
