//! A TCP listener whose connections a handler can kill, so the "dropped
//! connection" fault closes the socket without sending any response: the
//! handler flips the connection's switch and every later write fails, which
//! makes hyper abandon the connection.
//!
//! It also bounds how long a request may take to arrive: a client that
//! sends half a request and then nothing (slowloris) has its connection
//! closed after [`REQUEST_READ_TIMEOUT`], instead of holding it open
//! forever. Idle keep-alive connections between requests are left alone.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// How long a request may take from its first byte until the sandbox
/// answers it. The sandbox's requests are small and local; this is only
/// for clients that stop half-way.
pub const REQUEST_READ_TIMEOUT: Duration = Duration::from_secs(10);

pub struct KillableListener {
    inner: TcpListener,
    request_timeout: Duration,
}

impl KillableListener {
    pub fn new(inner: TcpListener) -> Self {
        Self::with_request_timeout(inner, REQUEST_READ_TIMEOUT)
    }

    /// As [`KillableListener::new`], with another bound on reading a
    /// request (tests use a short one).
    pub fn with_request_timeout(inner: TcpListener, request_timeout: Duration) -> Self {
        Self {
            inner,
            request_timeout,
        }
    }
}

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    return (
                        KillableStream {
                            inner: stream,
                            kill: Arc::new(AtomicBool::new(false)),
                            request_timeout: self.request_timeout,
                            request_started: None,
                            timer: None,
                        },
                        addr,
                    );
                }
                // Out of file descriptors and the like: back off briefly.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(5)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

pub struct KillableStream {
    inner: TcpStream,
    kill: Arc<AtomicBool>,
    request_timeout: Duration,
    /// When the first byte of a request not yet answered arrived: set by a
    /// read, cleared by a write (the response).
    request_started: Option<Instant>,
    /// Wakes a pending read when the request's time is up.
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

fn timed_out() -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        "the request did not arrive in time",
    )
}

impl KillableStream {
    /// Whether the request in progress has run out of time. The deadline is
    /// wall-clock (`Instant`), so a paused tokio clock in a test that jumps
    /// ahead does not cut a request short; the tokio timer only wakes the
    /// read to look.
    fn poll_request_deadline(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(started) = self.request_started else {
            return false;
        };
        let deadline = started + self.request_timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            let timer = self
                .timer
                .get_or_insert_with(|| Box::pin(tokio::time::sleep(left)));
            if timer.as_mut().poll(cx).is_pending() {
                return false;
            }
            // Fired early (paused clock): arm again for what is left.
            self.timer = None;
        }
    }
}

fn killed() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "sandbox dropped the connection",
    )
}

impl AsyncRead for KillableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.kill.load(Ordering::Relaxed) {
            return Poll::Ready(Err(killed()));
        }
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before && self.request_started.is_none() {
                    self.request_started = Some(Instant::now());
                    self.timer = None;
                }
                Poll::Ready(Ok(()))
            }
            Poll::Pending if self.poll_request_deadline(cx) => Poll::Ready(Err(timed_out())),
            other => other,
        }
    }
}

impl KillableStream {
    /// A response is going out: the request it answers has arrived.
    fn answered(&mut self, r: &Poll<io::Result<usize>>) {
        if matches!(r, Poll::Ready(Ok(n)) if *n > 0) {
            self.request_started = None;
            self.timer = None;
        }
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.kill.load(Ordering::Relaxed) {
            return Poll::Ready(Err(killed()));
        }
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.answered(&r);
        r
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.kill.load(Ordering::Relaxed) {
            return Poll::Ready(Err(killed()));
        }
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.answered(&r);
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.kill.load(Ordering::Relaxed) {
            return Poll::Ready(Err(killed()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Per-connection info handed to handlers: the peer (for the loopback-only
/// admin endpoint) and the kill switch.
#[derive(Clone, Debug)]
pub struct ConnMeta {
    pub remote: SocketAddr,
    kill: Arc<AtomicBool>,
}

impl ConnMeta {
    /// Makes the connection close without a response.
    pub fn kill(&self) {
        self.kill.store(true, Ordering::Relaxed);
    }
}

impl Connected<IncomingStream<'_, KillableListener>> for ConnMeta {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        Self {
            remote: *stream.remote_addr(),
            kill: stream.io().kill.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn serve(timeout: Duration) -> SocketAddr {
        let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = tcp.local_addr().unwrap();
        let app = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
        let listener = KillableListener::with_request_timeout(tcp, timeout);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        addr
    }

    /// Reads until the server closes; `None` if it is still open at `within`.
    async fn read_until_closed(s: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        let end = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(end, s.read(&mut buf)).await {
                Err(_) => return None,
                Ok(Ok(0)) | Ok(Err(_)) => return Some(got),
                Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            }
        }
    }

    #[tokio::test]
    async fn half_sent_request_is_closed_after_the_timeout() {
        let addr = serve(Duration::from_millis(300)).await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        let started = Instant::now();
        let got = read_until_closed(&mut s, Duration::from_secs(5)).await;
        assert!(got.is_some(), "the connection was still open after 5 s");
        assert!(started.elapsed() >= Duration::from_millis(250));
    }

    #[tokio::test]
    async fn answered_and_idle_keep_alive_connections_are_left_alone() {
        let addr = serve(Duration::from_millis(300)).await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        for _ in 0..2 {
            s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                .await
                .unwrap();
            let mut buf = [0u8; 1024];
            let n = s.read(&mut buf).await.unwrap();
            assert!(buf[..n].starts_with(b"HTTP/1.1 200"), "{:?}", &buf[..n]);
            // idle between requests for longer than the request timeout
            tokio::time::sleep(Duration::from_millis(600)).await;
        }
    }
}
