//! Step 4: how long the token lives and what it may do, the authorize URL built from them, how the token comes back, and the token.

use std::time::Instant;

use tui_input::Input;

use super::{
    Empty, Go, Item, Page, Question, Tone, focus_keys, focused, goto, help_and_quit, is_old_token, key_name, open_key,
};
use crate::credentials::format::Level;
use crate::credentials::store::Profile;
use crate::credentials::{Credentials, Secret};
use crate::trello::{Expiration, Scopes};
use crate::wizard::keys::{Action, Binding, ENTER, ESC, LEFT, RIGHT, SPACE, StepKeys, ctrl, press};
use crate::wizard::model::{
    AgentFlow, CaptureState, Mode, Model, Notice, NoticeKind, Setup, Step, Target, VerifyState,
};
use crate::wizard::msg::Effect;
use crate::wizard::text::{fill, texts};

/// Step 4 is where a rotation and an agent's own token begin, with the token's field in focus.
impl Model {
    /// Step 4 with the saved key, secret, app name, scopes and expiration chosen.
    pub fn rotate(setup: Setup, now: Instant, profile: Profile) -> Self {
        let mut m = Model::new(setup, now);
        m.prefill_from(&profile);
        m.saved = Some(profile);
        m.mode = Mode::Rotate;
        goto(&mut m, Step::Token, Some(Target::Token));
        m
    }

    /// Step 4 for an agent's own token: the parent profile's key, the app
    /// name `trello-auth (CLIENT)`, and the scopes and expiration asked for.
    pub(crate) fn agent(
        setup: Setup,
        now: Instant,
        parent: &Profile,
        flow: AgentFlow,
        scopes: Scopes,
        expiration: Expiration,
    ) -> Self {
        let mut m = Model::new(setup, now);
        m.form.key = Input::new(parent.api_key.clone());
        m.form.app_name = Input::new(flow.agent.app_name());
        m.form.scopes = scopes;
        m.form.expiration = expiration;
        m.storage = flow.storage;
        let app = flow.agent.app_name();
        let who = flow.who.clone().unwrap_or_default();
        let intro = fill(&texts().agent.intro, &[("client", &flow.client), ("app", &app), ("who", &who)]);
        m.ui.notice = Some(Notice { kind: NoticeKind::Info, text: intro });
        m.agent = Some(flow);
        m.mode = Mode::Agent;
        goto(&mut m, Step::Token, Some(Target::Token));
        m
    }
}

pub struct Token;

impl Page for Token {
    fn name(&self, m: &Model) -> String {
        let t = &texts().token;
        match (&m.mode, &m.agent) {
            (Mode::Rotate, _) => t.title_rotate.clone(),
            (Mode::Agent, Some(flow)) => fill(&t.title_agent, &[("client", &flow.client)]),
            _ => t.title.clone(),
        }
    }

    fn short_name(&self) -> String {
        texts().steps.token.clone()
    }

    fn targets(&self) -> &'static [Target] {
        use Target::*;
        &[Expiration, Read, Write, Account, Token]
    }

    fn bindings(&self, m: &Model, keys: &StepKeys) -> Vec<Binding> {
        let k = &texts().keys;
        let mut list = vec![Binding::new(&[ENTER], Action::Next, &k.verify)];
        // The focused row's own keys come right after Enter, so the hint bar always shows them.
        match focused(m) {
            Some(Target::Expiration) => {
                list.push(
                    Binding::new(&[LEFT], Action::OptionPrev, &k.shorter)
                        .shown(&k.left_right_space)
                        .hinted_as(&k.expiration),
                );
                list.push(Binding::new(&[RIGHT, SPACE], Action::OptionNext, &k.longer).quiet());
            }
            Some(Target::Read | Target::Write | Target::Account) => {
                list.push(Binding::new(&[SPACE, RIGHT], Action::OptionNext, &k.toggle).shown(&k.space));
                list.push(Binding::new(&[LEFT], Action::OptionPrev, &k.toggle).quiet());
            }
            _ => {}
        }
        list.push(Binding::new(keys.copy, Action::Copy, &k.copy_url));
        list.extend(open_key(m, self, keys, &k.open_url));
        // No switch once catching failed (the port is taken, a takeover): there is nothing to catch with.
        if m.setup.capture_off.is_none() && !m.capture.failed() {
            let label = if m.capture.pasting { &k.catch_instead } else { &k.paste_instead };
            list.push(Binding::new(&[ctrl('p')], Action::SwitchCapture, label));
        }
        let options = if focused(m) == Some(Target::Token) { &k.options } else { &k.next_field };
        list.extend(focus_keys(self.targets(), options, &k.previous_field));
        // An agent's token starts on this step: there is nothing to go back to.
        if m.mode != Mode::Agent {
            list.push(Binding::new(&[ESC], Action::Back, &k.back));
        }
        list.push(Binding::new(keys.reveal, Action::Reveal, &k.reveal));
        list.push(Binding::new(keys.url, Action::ShowUrl, &k.show_url).quiet());
        list.extend(help_and_quit(m, keys));
        list
    }

    fn items(&self, m: &Model, bindings: &[Binding]) -> Vec<Item> {
        let t = &texts().token;
        let body = if m.setup.plain {
            &t.body_plain
        } else if m.token_comes_back() {
            &t.body
        } else {
            &t.body_paste
        };
        let mut items = vec![Item::text(body)];
        items.push(Item::Options {
            label: t.expiration_label.clone(),
            target: Target::Expiration,
            options: Expiration::ALL.iter().map(|e| (e.as_str().to_string(), *e == m.form.expiration)).collect(),
            help: expiration_help(m),
        });
        let scopes = [
            (Target::Read, "read", m.form.scopes.read, &t.scope_read),
            (Target::Write, "write", m.form.scopes.write, &t.scope_write),
            (Target::Account, "account", m.form.scopes.account, &t.scope_account),
        ];
        for (index, (target, name, on, help)) in scopes.into_iter().enumerate() {
            let label = if index == 0 { t.scopes_label.clone() } else { String::new() };
            items.push(Item::Toggle { label, target, name: name.to_string(), on, help: help.clone() });
        }
        if m.form.scopes.is_empty() {
            items.push(Item::Check { level: Level::Error, text: t.scope_none.clone(), indented: true });
        }
        // The plain wizard says these right before it asks for the token, once
        // the choices that shape the URL are made.
        if !m.setup.plain {
            items.extend(url_and_way_back(m, bindings));
        }
        items.push(Item::field(m, Target::Token, true, &t.token_placeholder));
        // A token Trello just refused says so, not that its shape looks fine.
        items.push(match &m.verify {
            VerifyState::Failed(e) if m.form.rejected_token.as_deref() == Some(m.form.token()) => Item::Check {
                level: Level::Error,
                text: fill(&t.rejected, &[("error", &e.to_string())]),
                indented: true,
            },
            _ => Item::verdict(&m.form.token_verdict()),
        });
        items
    }

    fn questions(&self, m: &Model, bindings: &[Binding]) -> Vec<Question> {
        let p = &texts().plain;
        let expirations: Vec<String> = Expiration::ALL.iter().map(|e| e.as_str().to_string()).collect();
        let chosen = Expiration::ALL.iter().position(|e| *e == m.form.expiration).unwrap_or(0);
        let names = ["read", "write", "account"];
        let listed: Vec<String> = names.iter().enumerate().map(|(n, name)| format!("{} {name}", n + 1)).collect();
        let scopes = fill(&p.scopes, &[("options", &listed.join(", ")), ("scopes", &m.form.scopes.to_string())]);
        let waiting = matches!(m.capture.state, CaptureState::Waiting { .. }) && !m.capture.pasting;
        let token = if waiting { &p.token_or_wait } else { &p.token };
        vec![
            Question::field(Target::Expiration, &p.expiration, false).options(expirations, chosen),
            Question::field(Target::Read, scopes, false).on_empty(Empty::Keeps),
            // A token Trello refused, one taken away (another member's, refused), or the
            // token being replaced is asked again: with nothing asked, plain mode would
            // read no line, not even quit.
            Question::field(Target::Token, token, true).prefaced(url_and_way_back(m, bindings)).settled(
                m.form.token_verdict().is_savable()
                    && m.form.rejected_token.as_deref() != Some(m.form.token())
                    && !is_old_token(m, m.form.token()),
            ),
        ]
    }

    fn url(&self, m: &Model) -> Option<String> {
        Some(m.authorize_url())
    }

    fn copy(&self, m: &Model) -> Option<(&'static str, String)> {
        Some((&texts().what.authorize_url, m.authorize_url()))
    }

    /// On the token step a paste can only mean the token, wherever the focus is.
    fn paste_target(&self, _m: &Model) -> Option<Target> {
        Some(Target::Token)
    }

    fn help_notes(&self, _m: &Model) -> Vec<String> {
        vec![texts().help.token.clone()]
    }

    fn next(&self, m: &mut Model) -> Go {
        let n = &texts().notices;
        let token = m.form.token_verdict();
        if m.form.scopes.is_empty() {
            m.notice(NoticeKind::Warning, n.no_scope.clone());
        } else if is_old_token(m, m.form.token()) {
            m.notice(NoticeKind::Warning, n.old_token.clone());
        } else if !token.is_savable() {
            m.notice(NoticeKind::Warning, fill(&n.token, &[("verdict", &token.message())]));
        } else {
            return Go::Effects(start_verify(m));
        }
        Go::Effects(Vec::new())
    }

    fn back(&self, m: &mut Model) -> Vec<Effect> {
        match m.mode {
            // A rotation starts on step 4 with the saved key: back is the start screen, not step 3.
            Mode::Rotate => {
                if let Some(saved) = m.saved.clone() {
                    *m = Model::start_screen(m.setup.clone(), m.ui.now, saved);
                }
            }
            // An agent's token starts here with the parent's key: there is no step before it.
            Mode::Agent => {}
            Mode::Setup => goto(m, Step::ApiKey, Some(Target::Key)),
        }
        Vec::new()
    }
}

/// The authorize URL, and how the token comes back.
fn url_and_way_back(m: &Model, bindings: &[Binding]) -> Vec<Item> {
    let t = &texts().token;
    let c = &texts().capture;
    let origin = m.capture_origin();
    let switch_key = match key_name(m, bindings, Action::SwitchCapture) {
        key if key.is_empty() => String::new(),
        key => fill(press(m.setup.plain), &[("key", &key)]),
    };
    let way_back = match (&m.setup.capture_off, &m.capture.state) {
        (Some(reason), _) => Item::toned(fill(&c.failed, &[("reason", reason)]), Tone::Dim),
        // Catching failed (port taken, a takeover): why, and no key to catch again.
        (None, CaptureState::Failed(reason)) => Item::check(Level::Warning, fill(&c.failed, &[("reason", reason)])),
        (None, _) if m.capture.pasting => Item::toned(fill(&c.pasting, &[("switch_key", &switch_key)]), Tone::Dim),
        (None, CaptureState::Idle) => Item::toned(&c.starting, Tone::Dim),
        // No browser to open: the URL above is the way, opened by hand where the listener can be reached.
        (None, CaptureState::Waiting { .. }) => {
            let words = if m.setup.no_browser_reason.is_some() { &c.waiting_by_hand } else { &c.waiting };
            Item::check(Level::Pending, fill(words, &[("origin", &origin), ("switch_key", &switch_key)]))
        }
        (None, CaptureState::Received) => Item::check(Level::Ok, &c.received),
    };
    vec![Item::Url { label: Some(t.url_label.clone()), url: m.authorize_url(), indent: 0 }, way_back]
}

/// What the chosen expiration means, in a few words (a renewal names how
/// trello-auth is run for this profile).
pub(crate) fn expiration_help(m: &Model) -> String {
    let t = &texts().token;
    let words = match m.form.expiration {
        Expiration::OneHour => &t.expiration_one_hour,
        Expiration::OneDay => &t.expiration_one_day,
        Expiration::ThirtyDays => &t.expiration_thirty_days,
        Expiration::Never => &t.expiration_never,
    };
    fill(words, &[("run", &m.setup.run)])
}

/// Verifies the key and token in the form: step 5, and the one request.
pub(crate) fn start_verify(m: &mut Model) -> Vec<Effect> {
    // The one rule for a token that may be sent; the form's own check was passed before this.
    let Ok(credentials) = Credentials::sendable(m.form.key(), &Secret::new(m.form.token())) else {
        let verdict = m.form.token_verdict().message();
        m.notice(NoticeKind::Warning, fill(&texts().notices.token, &[("verdict", &verdict)]));
        return Vec::new();
    };
    m.verify_generation += 1;
    m.verify = VerifyState::Running { rate_wait: None };
    goto(m, Step::Verify, None);
    vec![Effect::Verify { generation: m.verify_generation, credentials }]
}
