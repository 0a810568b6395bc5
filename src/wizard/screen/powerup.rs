//! Step 2: the Power-Up form as a table to copy from, the email typed once and checked as it is typed.

use super::{
    Empty, Go, Item, Page, Question, Tone, copy_key, focus_keys, focused, goto, help_and_quit, open_key, then_next,
};
use crate::credentials::format::Level;
use crate::wizard::keys::{Action, Binding, ENTER, ESC, StepKeys};
use crate::wizard::model::{EmailVerdict, Model, NoticeKind, Step, Target};
use crate::wizard::msg::Effect;
use crate::wizard::text::{fill, texts};

pub struct PowerUp;

impl Page for PowerUp {
    fn name(&self, _m: &Model) -> String {
        texts().powerup.title.clone()
    }

    fn short_name(&self) -> String {
        texts().steps.powerup.clone()
    }

    fn targets(&self) -> &'static [Target] {
        use Target::*;
        &[AppName, Workspace, Email, Support, Author, Iframe]
    }

    fn bindings(&self, m: &Model, keys: &StepKeys) -> Vec<Binding> {
        let k = &texts().keys;
        let mut list = vec![Binding::new(&[ENTER], Action::Next, &k.created_next)];
        list.push(Binding::new(&[ESC], Action::Back, &k.back));
        list.extend(focus_keys(self.targets(), &k.next_row, &k.previous_row));
        list.extend(copy_key(m, self, keys, &k.copy_row));
        list.extend(open_key(m, self, keys, &k.open_portal).map(Binding::quiet));
        list.extend(help_and_quit(m, keys));
        list
    }

    fn items(&self, m: &Model, _bindings: &[Binding]) -> Vec<Item> {
        let t = &texts().powerup;
        let mut items = vec![Item::text(&t.body), Item::Blank];
        let row = |label: &str, target, value: &str, tone| Item::Row {
            label: label.to_string(),
            target,
            value: value.to_string(),
            tone,
        };
        items.push(Item::field(m, Target::AppName, false, &t.name_placeholder));
        items.push(row(&t.workspace_label, Target::Workspace, &t.workspace_value, Tone::Dim));
        items.push(Item::field(m, Target::Email, false, &t.email_placeholder));
        let email = m.form.email.value().trim();
        let (support, tone) =
            if email.is_empty() { (texts().labels.email_same.as_str(), Tone::Dim) } else { (email, Tone::Normal) };
        items.push(row(&t.support_label, Target::Support, support, tone));
        items.push(Item::field(m, Target::Author, false, &t.author_placeholder));
        items.push(row(&t.iframe_label, Target::Iframe, &t.iframe_value, Tone::Normal));
        items.push(Item::Blank);
        let email_check = || match m.form.email_verdict() {
            EmailVerdict::Invalid(why) => Item::check(Level::Error, why),
            EmailVerdict::Valid => Item::check(Level::Ok, &t.email_valid),
            EmailVerdict::Empty => Item::toned(&texts().labels.email_empty, Tone::Dim),
        };
        // The focused row's help; plain mode answers a field by focusing it, so
        // it hears the name's help before its question and the email's verdict after.
        let help = match focused(m) {
            Some(Target::AppName) => Some(Item::toned(&t.name_help, Tone::Dim)),
            Some(Target::Email | Target::Support) => Some(email_check()),
            _ => None,
        };
        items.push(help.unwrap_or(Item::Blank));
        then_next(items, &t.next)
    }

    fn questions(&self, m: &Model, _bindings: &[Binding]) -> Vec<Question> {
        let p = &texts().plain;
        vec![
            Question::field(Target::AppName, fill(&p.app_name, &[("value", m.form.app_name())]), false)
                .on_empty(Empty::Keeps),
            Question::field(Target::Email, &p.email, false).on_empty(Empty::Clears),
            Question::field(Target::Author, &p.author, false).on_empty(Empty::Clears),
            Question::Enter { prompt: texts().powerup.next.clone(), secret: false },
        ]
    }

    fn url(&self, m: &Model) -> Option<String> {
        Some(m.setup.endpoints.portal_url())
    }

    fn copy(&self, m: &Model) -> Option<(&'static str, String)> {
        let w = &texts().what;
        let email = m.form.email.value().trim();
        let author = m.form.author.value().trim();
        match focused(m)? {
            Target::AppName => Some((&w.app_name, m.form.app_name().to_string())),
            Target::Email | Target::Support if !email.is_empty() => Some((&w.email, email.to_string())),
            Target::Author if !author.is_empty() => Some((&w.author, author.to_string())),
            Target::Iframe => Some((&w.iframe, texts().powerup.iframe_value.clone())),
            _ => None,
        }
    }

    fn next(&self, m: &mut Model) -> Go {
        if m.form.app_name().is_empty() {
            m.notice(NoticeKind::Warning, texts().notices.name_first.clone());
        } else {
            goto(m, Step::ApiKey, Some(Target::Key));
        }
        Go::Effects(Vec::new())
    }

    fn back(&self, m: &mut Model) -> Vec<Effect> {
        goto(m, Step::Portal, None);
        Vec::new()
    }
}
