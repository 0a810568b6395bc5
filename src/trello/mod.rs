//! Talking to Trello: the HTTP client, its error table, the endpoints, and the authorize-URL builder.

pub mod authorize;
pub mod client;
pub mod endpoints;
pub mod errors;

pub(crate) use authorize::AuthorizeUrl;
pub use authorize::{Expiration, Scopes};
pub use client::{
    Board, Client, ClientConfig, Credentials, Endpoints, KeyCheck, Member, RetryNotice, RetryPolicy, TokenInfo,
    Verified, Workspace,
};
pub(crate) use endpoints::EndpointError;
pub(crate) use errors::Remedy;
pub use errors::TrelloError;
