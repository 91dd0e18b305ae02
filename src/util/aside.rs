//! Freeing large structures off the critical path.
//!
//! Freeing 100,000 entities, strings and map entries one by one takes a
//! noticeable moment of CPU at the end of a sync. Handing them to a thread
//! of their own lets the caller go on (and a CLI process exit: the OS
//! reclaims the memory at once, as ripgrep does by not freeing at exit).

/// Drops `value` on a thread of its own; when no thread can start, the
/// refused closure drops it here.
pub fn drop_aside<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("drop-aside".into())
        .spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_is_dropped() {
        struct Flag(std::sync::mpsc::Sender<()>);
        impl Drop for Flag {
            fn drop(&mut self) {
                let _ = self.0.send(());
            }
        }
        let (tx, rx) = std::sync::mpsc::channel();
        drop_aside(Flag(tx));
        assert!(rx.recv_timeout(std::time::Duration::from_secs(10)).is_ok());
    }
}
