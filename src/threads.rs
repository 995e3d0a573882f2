//! Two independent pieces of work at once, when the machine has a second core.

/// Runs `first` here and `second` on another thread when there is a second core, else one
/// after the other; returns both results. A panic in `second` carries on in the caller.
pub fn join<A, B: Send>(first: impl FnOnce() -> A, second: impl FnOnce() -> B + Send) -> (A, B) {
    if !two_cores() {
        let a = first();
        return (a, second());
    }
    std::thread::scope(|scope| {
        let other = scope.spawn(second);
        let a = first();
        (a, other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

/// Whether a second thread can run at the same time (affinity and cgroup limits counted).
pub fn two_cores() -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}
