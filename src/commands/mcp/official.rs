//! `mcp CLIENT --official`: Atlassian's remote Trello MCP server, in each client's own shape for a remote server, with no key or token involved.
//!
//! Atlassian runs it at `https://mcp.trello.com/v1` (streamable HTTP); the
//! client signs the person in with OAuth, one Trello workspace per
//! connection, and it has no comments, attachments or custom fields yet. It
//! is written under its own name, so it sits beside the local `trello`
//! server. A client whose file has no remote shape is refused with its own
//! way to add one; nothing bridges it through a local package (`npx
//! mcp-remote` would bring back what the pinned server removes).

use std::path::Path;

use super::{Args, Delivery, deliver};
use crate::commands::mcp::clients::Shape;
use crate::commands::{CommandError, Context, Output};

/// Where Atlassian's server is.
pub const URL: &str = "https://mcp.trello.com/v1";
/// Its name in a client's file unless `--name`: not `trello`, which the local server keeps.
pub const NAME: &str = "trello-official";

/// The trade-offs, said once with every `--official` entry.
pub(crate) const TRADE_OFFS: &str = "the official server is Atlassian's, at https://mcp.trello.com/v1: the client signs you \
     in with OAuth, so no key or token is kept on this machine, but each connection reaches one Trello workspace, and \
     it has no comments, attachments or custom fields yet; the local `trello` server can stay beside it for those";

pub fn run(ctx: &Context, args: &Args, cwd: &Path) -> Result<Output, CommandError> {
    let name = args.name.as_deref().unwrap_or(NAME);
    let shape = Shape::Remote(URL);
    let delivery =
        Delivery { name, shape, inline: false, note: Some(TRADE_OFFS), warnings: Vec::new(), secrets: Vec::new() };
    Ok(deliver(ctx, args, cwd, delivery)?.output)
}
