//! A webhook receiver for the alert tests: it keeps the `text` of every
//! message it accepts, and answers 500 while `failing` is set.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;

#[derive(Clone, Default)]
pub struct Hook {
    pub failing: Arc<AtomicBool>,
    pub refused: Arc<Mutex<usize>>,
    pub accepted: Arc<Mutex<Vec<String>>>,
}

async fn receive(State(h): State<Hook>, Json(body): Json<Value>) -> StatusCode {
    if h.failing.load(Ordering::SeqCst) {
        *h.refused.lock().unwrap() += 1;
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    let text = body["text"].as_str().unwrap_or_default().to_string();
    h.accepted.lock().unwrap().push(text);
    StatusCode::OK
}

/// Starts a receiver; returns it and its URL.
pub async fn start() -> (Hook, String) {
    let hook = Hook::default();
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(hook.clone());
    // On a port the kernel picks (tests run concurrently in one process).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (hook, format!("http://{addr}/hook"))
}
