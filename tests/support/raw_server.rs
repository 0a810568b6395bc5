//! A misbehaving HTTP server for fault tests: fixed bytes, silence, early close.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the server does with each connection.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// Reads the request, writes these bytes, closes.
    Reply(Vec<u8>),
    /// Accepts and never answers.
    Silent,
    /// Writes the bytes slowly: one chunk, a pause, the rest.
    Slow { first: Vec<u8>, pause: Duration, rest: Vec<u8> },
}

/// Serves `behaviour` on 127.0.0.1 from a background thread until the process ends.
pub fn serve(behaviour: Behaviour) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            loop {
                let Ok((mut socket, _)) = listener.accept().await else { return };
                let behaviour = behaviour.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 8192];
                    let _ = socket.read(&mut buf).await;
                    match behaviour {
                        Behaviour::Reply(bytes) => {
                            let _ = socket.write_all(&bytes).await;
                        }
                        Behaviour::Silent => tokio::time::sleep(Duration::from_secs(3600)).await,
                        Behaviour::Slow { first, pause, rest } => {
                            let _ = socket.write_all(&first).await;
                            tokio::time::sleep(pause).await;
                            let _ = socket.write_all(&rest).await;
                        }
                    }
                    let _ = socket.shutdown().await;
                });
            }
        });
    });
    rx.recv().unwrap()
}

/// An HTTP/1.1 response with the given status line, headers and body; the
/// Content-Length is `declared_len` (to fake a truncated body) or the real length.
pub fn http_response(status: &str, content_type: &str, body: &[u8], declared_len: Option<usize>) -> Vec<u8> {
    let len = declared_len.unwrap_or(body.len());
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {len}\r\nconnection: close\r\n\r\n"
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A port on 127.0.0.1 with nothing listening.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}
