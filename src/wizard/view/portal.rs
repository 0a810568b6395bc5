//! Step 1: log in and open the Power-Ups admin portal.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::form::{Row, blank, render_rows, text_rows};
use super::theme::Theme;
use crate::wizard::model::Model;
use crate::wizard::text::{fill, texts};

pub fn draw(m: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let t = &texts().portal;
    let mut rows = text_rows(&t.body, area.width, Default::default());
    rows.push(blank());
    rows.push(Row::Text(Line::styled(format!("   {}", m.setup.endpoints.portal_url()), theme.accent())));
    rows.push(blank());
    rows.extend(text_rows(&t.note, area.width, theme.dim()));
    if let Some(reason) = &m.setup.no_browser_reason {
        rows.extend(text_rows(&fill(&t.no_browser, &[("reason", reason)]), area.width, theme.dim()));
    }
    rows.push(blank());
    rows.extend(text_rows(&t.next, area.width, theme.bold()));
    render_rows(frame, area, m, rows, theme);
}
