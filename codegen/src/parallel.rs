//! An order-keeping parallel map on std threads. The generator's per-file
//! work (parse, resolve, emit, render; in `cargo xtask codegen` also
//! comparing with the disk) shares nothing, so it runs on every
//! core; results come back in input order, so the output never depends on
//! which thread did what.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// `items.iter().map(f).collect()`, on as many threads as there are cores
/// (the calling thread is one of them). Threads claim one item at a time,
/// so one slow item does not leave a core idle behind a fixed chunk. A
/// panic in `f` is raised again here, with its own message.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut slots: Vec<Option<R>> = items.iter().map(|_| None).collect();
    thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut finished = vec![work()];
        for helper in helpers {
            match helper.join() {
                Ok(done) => finished.push(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        for (i, result) in finished.into_iter().flatten() {
            slots[i] = Some(result);
        }
    });
    slots
        .into_iter()
        .map(|slot| slot.expect("every item is claimed once"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::map;

    #[test]
    fn keeps_input_order() {
        let items: Vec<usize> = (0..1000).collect();
        assert_eq!(
            map(&items, |i| i * 2),
            items.iter().map(|i| i * 2).collect::<Vec<_>>()
        );
    }

    #[test]
    fn handles_no_items() {
        assert!(map(&[] as &[u8], |b| *b).is_empty());
    }

    #[test]
    #[should_panic(expected = "item 7")]
    fn raises_a_panic_again() {
        let items: Vec<usize> = (0..100).collect();
        map(&items, |&i| assert!(i != 7, "item {i}"));
    }
}
