//! Step 1: log in to Trello and open the app admin portal, where keys are made.

use super::{Go, Item, Page, Question, Tone, copy_key, goto, help_and_quit, open_key, then_next};
use crate::wizard::keys::{Action, Binding, ENTER, ESC, StepKeys};
use crate::wizard::model::{Model, Step, Target};
use crate::wizard::msg::Effect;
use crate::wizard::text::{fill, texts};

pub struct Portal;

impl Page for Portal {
    fn name(&self, _m: &Model) -> String {
        texts().portal.title.clone()
    }

    fn short_name(&self) -> String {
        texts().steps.portal.clone()
    }

    fn bindings(&self, m: &Model, keys: &StepKeys) -> Vec<Binding> {
        let k = &texts().keys;
        let mut list = vec![Binding::new(&[ENTER], Action::Next, &k.next)];
        list.extend(open_key(m, self, keys, &k.open_portal));
        list.extend(copy_key(m, self, keys, &k.copy_url));
        // Set up again from the start screen: Esc goes back to it.
        list.extend(m.saved.is_some().then(|| Binding::new(&[ESC], Action::Back, &k.back)));
        list.extend(help_and_quit(m, keys));
        list
    }

    fn items(&self, m: &Model, _bindings: &[Binding]) -> Vec<Item> {
        let t = &texts().portal;
        let mut items = vec![Item::text(&t.body), Item::Blank];
        items.push(Item::Url { label: None, url: m.setup.endpoints.portal_url(), indent: 3 });
        items.push(Item::Blank);
        let old_url = m.setup.endpoints.old_portal_url();
        items.push(Item::toned(fill(&t.note, &[("old_url", &old_url)]), Tone::Dim));
        if let Some(reason) = &m.setup.no_browser_reason {
            items.push(Item::toned(fill(&t.no_browser, &[("reason", reason)]), Tone::Dim));
        }
        then_next(items, &t.next)
    }

    fn questions(&self, _m: &Model, _bindings: &[Binding]) -> Vec<Question> {
        vec![Question::Enter { prompt: texts().portal.next.clone(), secret: false }]
    }

    fn url(&self, m: &Model) -> Option<String> {
        Some(m.setup.endpoints.portal_url())
    }

    fn copy(&self, m: &Model) -> Option<(&'static str, String)> {
        Some((&texts().what.portal_url, m.setup.endpoints.portal_url()))
    }

    fn next(&self, m: &mut Model) -> Go {
        goto(m, Step::PowerUp, Some(Target::Email));
        Go::Effects(Vec::new())
    }

    fn back(&self, m: &mut Model) -> Vec<Effect> {
        // Setting up again from the start screen: Esc on step 1 goes back to it.
        if let Some(saved) = m.saved.clone() {
            *m = Model::start_screen(m.setup.clone(), m.ui.now, saved);
        }
        Vec::new()
    }
}
