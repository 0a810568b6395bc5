//! The default-board picker: the member's boards, asked for once per run, the filter typed, the row chosen and the board saved.

use tui_input::Input;

use crate::trello::{Board, TrelloError, Workspace};
use crate::wizard::text::texts;

/// The member's boards, asked for once per run: Trello limits `/1/members/`
/// calls to 100 per 900 s per token.
#[derive(Debug, Clone, PartialEq)]
pub enum BoardList {
    NotAsked,
    Loading,
    Loaded { boards: Vec<Board>, workspaces: Vec<Workspace> },
    Failed(TrelloError),
}

/// One row of the board picker: a board, or "no default board".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BoardRow {
    pub board: Option<Board>,
    /// `name — workspace — short link`, or the words for no board.
    pub text: String,
    /// The workspace it is grouped under ("" for none).
    pub workspace: String,
}

#[derive(Debug, Clone)]
pub struct Picker {
    pub list: BoardList,
    /// The picker's filter, typed as the user goes.
    pub filter: Input,
    /// Selected row among the filtered rows.
    pub choice: usize,
    /// The default board saved in this run (`Some(None)`: cleared).
    pub saved: Option<Option<Board>>,
}

impl Default for Picker {
    fn default() -> Self {
        Picker { list: BoardList::NotAsked, filter: Input::default(), choice: 0, saved: None }
    }
}

impl Picker {
    /// The picker's rows for the current filter: "no default board" first
    /// (while nothing is typed), then boards grouped by workspace (no
    /// workspace last), each group by name.
    pub(crate) fn rows(&self) -> Vec<BoardRow> {
        let BoardList::Loaded { boards, workspaces } = &self.list else { return Vec::new() };
        let filter = self.filter.value().trim().to_lowercase();
        let workspace_name = |b: &Board| {
            b.id_organization
                .as_ref()
                .and_then(|id| workspaces.iter().find(|w| &w.id == id))
                .map(|w| crate::untrusted::line(&w.display_name).into_owned())
                .unwrap_or_default()
        };
        let mut rows: Vec<BoardRow> = boards
            .iter()
            .filter(|b| !b.closed)
            .map(|b| {
                let workspace = workspace_name(b);
                let name = crate::untrusted::line(&b.name).into_owned();
                let shown_ws =
                    if workspace.is_empty() { texts().boards.no_workspace.clone() } else { workspace.clone() };
                BoardRow {
                    board: Some(b.clone()), text: format!("{name} — {shown_ws} — {}", b.short_link), workspace
                }
            })
            .filter(|r| filter.is_empty() || r.text.to_lowercase().contains(&filter))
            .collect();
        rows.sort_by(|a, b| {
            (a.workspace.is_empty(), &a.workspace, &a.text).cmp(&(b.workspace.is_empty(), &b.workspace, &b.text))
        });
        // "No default board" is a row only while nothing is typed: a filter
        // that matches no board must not leave Enter on "clear the board".
        let mut all = Vec::new();
        if filter.is_empty() {
            all.push(BoardRow { board: None, text: texts().boards.none.clone(), workspace: String::new() });
        }
        all.extend(rows);
        all
    }

    /// The row of the board with `id` ("no default board" when none is listed).
    pub(crate) fn row_of(&self, id: Option<&str>) -> usize {
        let Some(id) = id else { return 0 };
        self.rows().iter().position(|row| row.board.as_ref().is_some_and(|b| b.id == id)).unwrap_or(0)
    }
}
