//! Talking to Trello: the HTTP client, its error table, the endpoints, and the authorize-URL builder.

pub mod authorize;
pub mod client;
pub mod endpoints;
pub mod errors;

pub use authorize::{AuthorizeUrl, Expiration, Scopes};
pub use client::{
    Board, Client, ClientConfig, Credentials, Endpoints, KeyCheck, Member, RetryNotice, RetryPolicy, TokenInfo,
    Verified, Workspace,
};
pub use endpoints::EndpointError;
pub use errors::{Remedy, TrelloError};
