//! Drawing: a pure function of the model. The body is the screen's description (`screen`) drawn by `body`; the frame (chrome), layout (form) and styles (theme) are shared.

mod body;
mod chrome;
mod form;
mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::keymap;
use super::model::{BoardList, Model, Overlay, Room};
use super::screen;
use super::text::{fill, texts};
pub(crate) use theme::Theme;

/// Below this the wizard asks for a bigger terminal instead of drawing.
pub(crate) const MIN_WIDTH: u16 = 60;
pub(crate) const MIN_HEIGHT: u16 = 20;

pub fn view(m: &Model, frame: &mut Frame) {
    let area = frame.area();
    let theme = Theme::new(m.setup.color);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, &theme);
        return;
    }
    if m.ui.overlay == Overlay::Url {
        url_alone(m, frame, area, &theme);
        return;
    }
    let [title, steps, body, notice, footer] = areas(m, area);
    frame.render_widget(chrome::title_bar(m, &theme, title.width), title);
    frame.render_widget(chrome::step_bar(m, &theme, steps.width), steps);

    let screen = screen::describe(m);
    let overflow = body::draw(m, &screen.items, frame, body_text(body), &theme);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dim())
        .title(Span::styled(format!(" {} ", screen.title), theme.heading()));
    // What is out of view is said on the bottom border (the top one holds the
    // step's title), with the key that shows it, when one does: the focus
    // may be what holds the view.
    let s = &texts().small;
    let more = |words: &str, action| {
        let text = match keymap::key_name(m, action) {
            Some(key) => format!(" {words}: {key} "),
            None => format!(" {words} "),
        };
        Line::styled(text, theme.accent())
    };
    if overflow.above > 0 {
        block = block.title_bottom(more(&s.more_above, crate::wizard::keys::Action::ScrollUp).left_aligned());
    }
    if overflow.below > 0 {
        block = block.title_bottom(more(&s.more_below, crate::wizard::keys::Action::ScrollDown).right_aligned());
    }
    frame.render_widget(block, body);
    frame.render_widget(chrome::notice_line(m, &theme, notice.width), notice);
    frame.render_widget(chrome::footer(m, &theme, footer.width), footer);

    match m.ui.overlay {
        Overlay::None | Overlay::Url => {}
        Overlay::ConfirmQuit => confirm_quit(m, frame, area, &theme),
        Overlay::Boards => boards(m, frame, area, &theme),
    }
    if m.ui.help {
        help(m, frame, area, &theme);
    }
}

/// The frame's parts: title bar, step bar, the body's box, notice, hint bar.
fn areas(m: &Model, area: Rect) -> [Rect; 5] {
    // A long notice wraps onto a second or third line rather than losing its end.
    let notice_lines = chrome::notice_lines(m, area.width);
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(notice_lines),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// Lines longer than this are hard to follow from one to the next: on a
/// wide terminal the text keeps to this width (the box still spans it).
const TEXT_WIDTH: u16 = 100;

/// Where the body's text goes inside its box: within the border, a column of
/// margin each side, at most [`TEXT_WIDTH`] wide.
fn body_text(body: Rect) -> Rect {
    let mut text = Block::default()
        .borders(Borders::ALL)
        .inner(body)
        .inner(ratatui::layout::Margin { horizontal: 1, vertical: 0 });
    text.width = text.width.min(TEXT_WIDTH);
    text
}

/// How far PgUp and PgDn can move the body at the terminal's size, as the
/// frame just drawn leaves it: nothing either way when it fits. The runtime
/// tells it to `update` (`Msg::Layout`), which the keymap then reads.
pub fn scroll_room(m: &Model) -> Room {
    let Some((width, height)) = m.ui.size else { return Room::default() };
    let area = Rect::new(0, 0, width, height);
    if width < MIN_WIDTH || height < MIN_HEIGHT || m.ui.overlay == Overlay::Url {
        return Room::default();
    }
    let [_, _, body, _, _] = areas(m, area);
    let text = body_text(body);
    let rows = body::rows(m, &screen::describe(m).items, text.width, &Theme::new(false));
    let height = text.height as usize;
    let first = form::first_row(&rows, height, m);
    Room { above: first, below: rows.len().saturating_sub(first + height) }
}

/// The authorize URL alone on the screen: no border, no other text on its
/// lines, so selecting it with the mouse takes the URL and nothing else.
fn url_alone(m: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let url = screen::page(m.step).url(m).unwrap_or_default();
    let t = &texts().keys;
    let [text, footer] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    let lines: Vec<Line> = form::wrap_hard(&url, text.width as usize).into_iter().map(Line::raw).collect();
    frame.render_widget(Paragraph::new(lines), text);
    let hint = format!("{} {}", t.any_key, t.close_url);
    frame.render_widget(Paragraph::new(Line::styled(hint, theme.dim())), footer);
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
    let width = area.width.saturating_sub(2).min(78);
    let text_width = width.saturating_sub(2) as usize;
    let mut lines = vec![Line::styled(t.here.clone(), theme.bold())];
    let mut listed = Vec::new();
    const KEYS: usize = 16;
    for binding in keymap::under_help(m) {
        let mut keys: Vec<String> = binding.keys.iter().map(crate::wizard::keys::Key::long).collect();
        keys.dedup();
        // Each action once: the first binding is the one that wins.
        if keys.is_empty() || listed.contains(&binding.action) {
            continue;
        }
        listed.push(binding.action);
        // A long label wraps under itself, never past the box.
        let mut label = form::wrap(binding.label, text_width.saturating_sub(KEYS)).into_iter();
        lines.push(Line::from(vec![
            Span::styled(format!("{:<KEYS$}", keys.join(" / ")), theme.accent()),
            Span::raw(label.next().unwrap_or_default()),
        ]));
        lines.extend(label.map(|more| Line::raw(format!("{:KEYS$}{more}", ""))));
    }
    // The notes, wrapped here so the box is as tall as what it says; on a
    // short terminal the pointer to plain mode goes first, never a key.
    // Each note whole or not at all: on a short terminal a note cut mid-sentence says the wrong thing.
    let room = area.height.saturating_sub(2) as usize;
    let mut notes: Vec<Line> = Vec::new();
    for note in screen::help_notes(m) {
        let wrapped = form::wrap(&note, text_width);
        if lines.len() + notes.len() + wrapped.len() <= room {
            notes.extend(wrapped.into_iter().map(Line::raw));
        }
    }
    let plain: Vec<Line> =
        form::wrap(&fill(&t.plain, &[("run", &m.setup.run)]), text_width).into_iter().map(Line::raw).collect();
    let spare = room.saturating_sub(lines.len() + notes.len());
    if spare > plain.len() {
        lines.push(Line::raw(""));
    }
    lines.extend(notes);
    if spare >= plain.len() {
        lines.extend(plain);
    }
    // How to close it is on the border: always in view, however much is cut below.
    let rect = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {} ", t.title), theme.heading()))
        .title_bottom(Line::styled(format!(" {} ", t.close), theme.dim()).right_aligned());
    frame.render_widget(Paragraph::new(lines).block(block), rect);
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
        Span::styled(m.boards.filter.value().to_string(), theme.field()),
    ])];
    match &m.boards.list {
        BoardList::NotAsked | BoardList::Loading => lines.push(Line::styled(b.loading.clone(), theme.dim())),
        BoardList::Failed(e) => {
            let width = inner.width as usize;
            let failed = fill(&b.failed, &[("error", &e.to_string())]);
            lines.extend(form::wrap(&failed, width).into_iter().map(|l| Line::styled(l, theme.error())));
            lines.extend(form::wrap(e.fix(), width).into_iter().map(Line::raw));
        }
        BoardList::Loaded { .. } => {
            let rows = m.boards.rows();
            // Keep the selected row in view.
            let room = (inner.height as usize).saturating_sub(2).max(1);
            let skip = m.boards.choice.saturating_sub(room.saturating_sub(1));
            for (index, row) in rows.iter().enumerate().skip(skip).take(room) {
                let selected = index == m.boards.choice;
                let style = if selected { theme.focus() } else { Default::default() };
                lines.push(Line::styled(format!("{} {}", if selected { "›" } else { " " }, row.text), style));
            }
            if rows.is_empty() {
                // In line with the rows' text, after their two-column marker.
                lines.push(Line::styled(format!("  {}", b.empty), theme.dim()));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn confirm_quit(m: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let rect = centered(area, 64, 4);
    frame.render_widget(Clear, rect);
    let block = Block::default().borders(Borders::ALL).border_style(theme.warn());
    let answers = keymap::yes_no(m, crate::wizard::keys::Action::ConfirmQuit, crate::wizard::keys::Action::StayHere);
    let question = fill(&texts().quit.question, &[("yes_no", &answers)]);
    let text = Paragraph::new(question).block(block).wrap(Wrap { trim: true });
    frame.render_widget(text, rect);
}
