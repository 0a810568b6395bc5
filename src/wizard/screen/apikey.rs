//! Step 3: the API key (and, optionally, the secret), checked as typed and asked of Trello; the origin to allow for catching the token.

use super::{
    Empty, Go, Item, Page, Question, Tone, copy_key, focus_keys, focused, goto, help_and_quit, key_name, open_key,
};
use crate::credentials::format::Level;
use crate::wizard::keys::{Action, Binding, ENTER, ESC, StepKeys};
use crate::wizard::model::{KeyStatus, Model, NoticeKind, Step, Target};
use crate::wizard::msg::Effect;
use crate::wizard::text::{fill, texts};

pub struct ApiKey;

impl Page for ApiKey {
    fn name(&self, _m: &Model) -> String {
        texts().key.title.clone()
    }

    fn short_name(&self) -> String {
        texts().steps.key.clone()
    }

    fn targets(&self) -> &'static [Target] {
        &[Target::Key, Target::Secret]
    }

    fn bindings(&self, m: &Model, keys: &StepKeys) -> Vec<Binding> {
        let k = &texts().keys;
        let mut list = vec![Binding::new(&[ENTER], Action::Next, &k.next)];
        list.extend(copy_key(m, self, keys, &k.copy_origin));
        list.push(Binding::new(&[ESC], Action::Back, &k.back));
        list.extend(focus_keys(self.targets(), &k.next_field, &k.previous_field));
        list.push(Binding::new(keys.reveal, Action::Reveal, &k.reveal));
        list.extend(open_key(m, self, keys, &k.open_portal).map(Binding::quiet));
        list.extend(help_and_quit(m, keys));
        list
    }

    fn items(&self, m: &Model, bindings: &[Binding]) -> Vec<Item> {
        let t = &texts().key;
        let mut items = vec![Item::text(&t.body), Item::Blank];
        items.push(Item::field(m, Target::Key, false, &t.key_placeholder));
        items.push(Item::verdict(&m.form.key_verdict()));
        let status = match &m.form.key_status {
            _ if !m.form.key_checked() => None,
            KeyStatus::Checking(_) => Some(Item::note(&t.check_running, Tone::Dim)),
            KeyStatus::Known(_) => Some(Item::Check { level: Level::Ok, text: t.check_known.clone(), indented: true }),
            KeyStatus::Rejected(_) => {
                Some(Item::Check { level: Level::Error, text: t.check_rejected.clone(), indented: true })
            }
            KeyStatus::Unchecked(_, reason) => Some(Item::Check {
                level: Level::Warning,
                text: fill(&t.check_unchecked, &[("reason", reason)]),
                indented: true,
            }),
            KeyStatus::NotChecked => None,
        };
        items.push(status.unwrap_or(Item::Blank));
        items.push(Item::Blank);
        items.push(Item::field(m, Target::Secret, true, &t.secret_placeholder));
        if m.form.secret().is_empty() {
            items.push(Item::Blank);
        } else {
            items.push(Item::verdict(&m.form.secret_verdict()));
        }
        // What the secret is for, while it has the focus (plain mode focuses
        // the field it asks): the origin below stays in view on a short terminal.
        if focused(m) == Some(Target::Secret) {
            items.push(Item::toned(&t.secret_help, Tone::Dim));
            items.push(Item::Blank);
        }
        let c = &texts().capture;
        match &m.setup.capture_off {
            None => {
                items.push(Item::fact_toned(&c.origin_label, m.capture_origin(), Tone::Accent));
                let copy_key = key_name(m, bindings, Action::Copy);
                items.push(Item::note(fill(&c.origin_help, &[("copy_key", &copy_key)]), Tone::Dim));
            }
            Some(reason) => items.push(Item::toned(fill(&c.off, &[("reason", reason)]), Tone::Dim)),
        }
        items
    }

    fn questions(&self, m: &Model, _bindings: &[Binding]) -> Vec<Question> {
        let p = &texts().plain;
        let key_ok = m.form.key_verdict().is_savable();
        // Read without echo, like the secret: a transcript or a shoulder never holds it whole.
        let prompt = if key_ok {
            fill(&p.api_key_keep, &[("value", &crate::credentials::secret::mask(m.form.key()))])
        } else {
            p.api_key.clone()
        };
        // Asked again until the key will do.
        let empty = if key_ok { Empty::Keeps } else { Empty::Sent };
        let mut questions = vec![Question::field(Target::Key, prompt, true).settled(key_ok).on_empty(empty)];
        if matches!(&m.form.key_status, KeyStatus::Checking(_)) && m.form.key_checked() {
            // The check's verdict is said before the next question: asked
            // beside it, the prompt would be said twice, and a piped answer
            // would move on before the verdict came.
            questions.push(Question::Wait);
        }
        questions.push(Question::field(Target::Secret, &p.api_secret, true).on_empty(Empty::Clears));
        questions.push(Question::Enter { prompt: p.key_ready.clone(), secret: false });
        questions
    }

    fn url(&self, m: &Model) -> Option<String> {
        Some(m.setup.endpoints.portal_url())
    }

    fn copy(&self, m: &Model) -> Option<(&'static str, String)> {
        // The origin only where the screen shows it (capture on).
        m.setup.capture_off.is_none().then(|| (texts().what.origin.as_str(), m.capture_origin()))
    }

    fn next(&self, m: &mut Model) -> Go {
        let n = &texts().notices;
        let key = m.form.key_verdict();
        let secret = m.form.secret_verdict();
        if !key.is_savable() {
            m.notice(NoticeKind::Warning, fill(&n.api_key, &[("verdict", &key.message())]));
            goto(m, Step::ApiKey, Some(Target::Key));
        } else if !m.form.secret().is_empty() && !secret.is_savable() {
            m.notice(NoticeKind::Warning, fill(&n.secret, &[("verdict", &secret.message())]));
            goto(m, Step::ApiKey, Some(Target::Secret));
        } else if matches!(&m.form.key_status, KeyStatus::Rejected(k) if k == m.form.key()) {
            m.notice(NoticeKind::Warning, n.key_unknown.clone());
        } else {
            goto(m, Step::Token, Some(Target::Token));
        }
        Go::Effects(Vec::new())
    }

    fn back(&self, m: &mut Model) -> Vec<Effect> {
        goto(m, Step::PowerUp, None);
        Vec::new()
    }
}
