//! Drawing: a pure function of the model. One file per step; the frame (chrome), body layout (form) and styles (theme) are shared.

mod apikey;
mod chrome;
mod done;
mod form;
mod portal;
mod powerup;
mod start;
mod theme;
mod token;
mod verify;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::keymap;
use super::model::{BoardList, Model, Overlay, Step};
use super::text::{fill, texts};
pub(crate) use done::revoke_words;
pub use theme::Theme;

/// Below this the wizard asks for a bigger terminal instead of drawing.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 20;

pub fn view(m: &Model, frame: &mut Frame) {
    let area = frame.area();
    let theme = Theme::new(m.setup.color);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, &theme);
        return;
    }
    let [title, steps, body, notice, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(chrome::title_bar(m, &theme, title.width), title);
    frame.render_widget(chrome::step_bar(m, &theme), steps);

    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dim())
        .title(Span::styled(format!(" {} ", step_title(m.step)), theme.heading()));
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let inner = inner.inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    match m.step {
        Step::Start => start::draw(m, frame, inner, &theme),
        Step::Portal => portal::draw(m, frame, inner, &theme),
        Step::PowerUp => powerup::draw(m, frame, inner, &theme),
        Step::ApiKey => apikey::draw(m, frame, inner, &theme),
        Step::Token => token::draw(m, frame, inner, &theme),
        Step::Verify => verify::draw(m, frame, inner, &theme),
        Step::Done => done::draw(m, frame, inner, &theme),
    }
    frame.render_widget(chrome::notice_line(m, &theme), notice);
    frame.render_widget(chrome::footer(m, &theme, footer.width), footer);

    match m.overlay {
        Overlay::None => {}
        Overlay::Help => help(m, frame, area, &theme),
        Overlay::ConfirmQuit => confirm_quit(m, frame, area, &theme),
        Overlay::Boards => boards(m, frame, area, &theme),
    }
}

/// The title of a step's screen; the plain wizard says it as its heading.
pub(crate) fn step_title(step: Step) -> &'static str {
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

fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = fill(
        &texts().small.message,
        &[("min", &format!("{MIN_WIDTH}×{MIN_HEIGHT}")), ("now", &format!("{}×{}", area.width, area.height))],
    );
    let paragraph = Paragraph::new(Line::styled(text, theme.warn())).wrap(Wrap { trim: true });
    frame.render_widget(paragraph, area);
}

/// A box in the middle of `area`, at most `width`×`height`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    area.centered(Constraint::Length(width.min(area.width)), Constraint::Length(height.min(area.height)))
}

/// The keys of the screen under the overlay, from the keymap: what the hint
/// bar shows and more, each with what it does.
fn help(m: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let t = &texts().help;
    let mut under = m.clone();
    under.overlay = Overlay::None;
    let mut lines = vec![Line::styled(t.here.clone(), theme.bold())];
    let mut listed = Vec::new();
    for binding in keymap::bindings(&under) {
        let mut keys: Vec<String> = binding.keys.iter().map(keymap::Key::long).collect();
        keys.dedup();
        // Each action once: the first binding is the one that wins.
        if keys.is_empty() || listed.contains(&binding.action) {
            continue;
        }
        listed.push(binding.action);
        lines.push(Line::from(vec![
            Span::styled(format!("{:<16}", keys.join(" / ")), theme.accent()),
            Span::raw(binding.label.to_string()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(t.paste.clone()));
    lines.push(Line::raw(t.plain.clone()));
    lines.push(Line::styled(t.close.clone(), theme.dim()));
    let height = lines.len() as u16 + 2;
    let rect = centered(area, 72, height);
    frame.render_widget(Clear, rect);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(format!(" {} ", t.title), theme.heading()));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), rect);
}

/// The default-board picker: the filter, then "no default board" and the
/// boards grouped by workspace, the selected one marked.
fn boards(m: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let b = &texts().boards;
    let rect = centered(area, 76, area.height.saturating_sub(4).max(6));
    frame.render_widget(Clear, rect);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(format!(" {} ", b.title), theme.heading()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", b.filter), theme.bold()),
        Span::styled(m.board_filter.value().to_string(), theme.field()),
    ])];
    match &m.boards {
        BoardList::NotAsked | BoardList::Loading => lines.push(Line::styled(b.loading.clone(), theme.dim())),
        BoardList::Failed(e) => {
            lines.push(Line::styled(fill(&b.failed, &[("error", &e.to_string())]), theme.error()));
            lines.push(Line::raw(e.fix()));
        }
        BoardList::Loaded { .. } => {
            let rows = m.board_rows();
            // Keep the selected row in view.
            let room = (inner.height as usize).saturating_sub(2).max(1);
            let skip = m.board_choice.saturating_sub(room.saturating_sub(1));
            for (index, row) in rows.iter().enumerate().skip(skip).take(room) {
                let selected = index == m.board_choice;
                let style = if selected { theme.focus() } else { Default::default() };
                lines.push(Line::styled(format!("{} {}", if selected { "›" } else { " " }, row.text), style));
            }
            if rows.len() == 1 && !m.board_filter.value().is_empty() {
                lines.push(Line::styled(b.empty.clone(), theme.dim()));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn confirm_quit(m: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let rect = centered(area, 64, 4);
    frame.render_widget(Clear, rect);
    let block = Block::default().borders(Borders::ALL).border_style(theme.warn());
    let answers = keymap::yes_no(m, keymap::Action::ConfirmQuit, keymap::Action::StayHere);
    let question = fill(&texts().quit.question, &[("yes_no", &answers)]);
    let text = Paragraph::new(question).block(block).wrap(Wrap { trim: true });
    frame.render_widget(text, rect);
}
