//! Local HTTP peers for a test: a router served on an ephemeral port, and a
//! port nothing listens on. Ports are always chosen by the kernel
//! (`127.0.0.1:0`): the tests share one process and run concurrently, so a
//! fixed port would collide.

/// Serves `app` on `127.0.0.1` at a port the kernel picks, for as long as
/// the runtime lives; returns its base URL (`http://127.0.0.1:PORT`).
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind an ephemeral local port");
    let addr = listener.local_addr().expect("a bound listener's address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

/// A local port nothing listens on: bound, then released. Another test may
/// take it again in the meantime, which the kernel makes unlikely by
/// handing out ephemeral ports in turn.
pub fn closed_port() -> u16 {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral local port");
    listener
        .local_addr()
        .expect("a bound listener's address")
        .port()
}
