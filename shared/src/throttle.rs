//! Sign-in throttling: after too many failures in a short window, further
//! attempts are refused for a while. Pure: callers pass the failure times.
//!
//! Locks are per account *at one address* and per address, never per account
//! alone: failures from a foreign address lock that address out, never the
//! account's owner at their own (anyone who knows an administrator's name
//! could otherwise keep them out for good). Guessing one password from many
//! addresses is bounded by [`Throttle::ACCOUNT`] per address, by Argon2's
//! cost, and is visible in the audit log (`login.failed`).
//!
//! Callers record an attempt *before* checking (and drop the record when it
//! succeeds), so parallel guesses see each other: the sixth of ten requests
//! sent at once is refused, not the eleventh.

/// How many failures within which window lock for how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttle {
    pub max_failures: usize,
    pub window_ms: i64,
    pub lock_ms: i64,
}

impl Throttle {
    /// Per account at one address: 5 failures within 15 minutes lock that
    /// account at that address for 15 minutes.
    pub const ACCOUNT: Throttle = Throttle {
        max_failures: 5,
        window_ms: 15 * 60_000,
        lock_ms: 15 * 60_000,
    };

    /// Per address: a wider limit, so one office behind one address is not
    /// locked out by a few forgetful people, but guessing across accounts is.
    pub const ADDRESS: Throttle = Throttle {
        max_failures: 30,
        window_ms: 15 * 60_000,
        lock_ms: 15 * 60_000,
    };

    /// How far back failures can matter at `now`.
    pub const fn lookback_ms(&self) -> i64 {
        self.window_ms + self.lock_ms
    }

    /// When the lock ends, if `failures` (times in ms, any order) lock at `now`.
    ///
    /// A lock starts at the failure that completes `max_failures` within
    /// `window_ms` and lasts `lock_ms`; it always ends, whatever happened before.
    pub fn locked_until(&self, failures: &[i64], now: i64) -> Option<i64> {
        if self.max_failures == 0 || failures.len() < self.max_failures {
            return None;
        }
        let mut sorted = failures.to_vec();
        sorted.sort_unstable();
        let span = self.max_failures - 1;
        (span..sorted.len())
            .filter(|&i| sorted[i] - sorted[i - span] <= self.window_ms)
            .map(|i| sorted[i] + self.lock_ms)
            .max()
            .filter(|&until| until > now)
    }
}

/// When a sign-in (or activation) attempt for an account from an address is
/// refused until, given the earlier failures of that account at that address
/// and of that address for any account.
pub fn sign_in_locked_until(account_here: &[i64], address: &[i64], now: i64) -> Option<i64> {
    [
        Throttle::ACCOUNT.locked_until(account_here, now),
        Throttle::ADDRESS.locked_until(address, now),
    ]
    .into_iter()
    .flatten()
    .max()
}

/// Whole minutes left until `until`, at least 1: what the message tells people.
pub fn minutes_left(until: i64, now: i64) -> i64 {
    ((until - now).max(0) + 59_999) / 60_000
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MIN: i64 = 60_000;
    const T: Throttle = Throttle::ACCOUNT;

    #[test]
    fn four_failures_do_not_lock_the_fifth_does() {
        let four = [0, MIN, 2 * MIN, 3 * MIN];
        assert_eq!(T.locked_until(&four, 4 * MIN), None);
        let five = [0, MIN, 2 * MIN, 3 * MIN, 4 * MIN];
        assert_eq!(T.locked_until(&five, 4 * MIN), Some(19 * MIN));
        assert_eq!(T.locked_until(&five, 19 * MIN - 1), Some(19 * MIN));
        assert_eq!(T.locked_until(&five, 19 * MIN), None, "the lock expires");
    }

    #[test]
    fn failures_spread_wider_than_the_window_do_not_lock() {
        let spread = [0, 4 * MIN, 8 * MIN, 12 * MIN, 16 * MIN];
        assert_eq!(T.locked_until(&spread, 16 * MIN), None);
    }

    #[test]
    fn minutes_are_rounded_up() {
        assert_eq!(minutes_left(15 * MIN, 0), 15);
        assert_eq!(minutes_left(MIN + 1, 0), 2);
        assert_eq!(minutes_left(1, 0), 1);
    }

    #[test]
    fn a_foreign_address_never_locks_the_owner_out() {
        // Six failures from the attacker's address: locked there…
        let attacker: Vec<i64> = (0..6).map(|i| i * MIN).collect();
        assert!(sign_in_locked_until(&attacker, &attacker, 6 * MIN).is_some());
        // …while the owner at their own address has no failures at all.
        assert_eq!(sign_in_locked_until(&[], &[], 6 * MIN), None);
        // An address guessing across many accounts is locked for all of them.
        let spread: Vec<i64> = (0..30).map(|i| i * 10_000).collect();
        assert!(sign_in_locked_until(&[], &spread, 300_000).is_some());
    }

    proptest! {
        #[test]
        fn every_lock_ends_within_lock_ms_of_the_last_failure(
            mut failures in proptest::collection::vec(0i64..100 * MIN, 0..40),
            later in 0i64..100 * MIN,
        ) {
            failures.sort_unstable();
            let last = failures.last().copied().unwrap_or(0);
            let now = last + later;
            if let Some(until) = T.locked_until(&failures, now) {
                prop_assert!(until > now);
                prop_assert!(until <= last + T.lock_ms);
            }
            prop_assert_eq!(T.locked_until(&failures, last + T.lock_ms), None);
        }

        #[test]
        fn order_of_failures_does_not_matter(
            failures in proptest::collection::vec(0i64..30 * MIN, 0..20),
            now in 0i64..60 * MIN,
        ) {
            let mut reversed = failures.clone();
            reversed.reverse();
            prop_assert_eq!(T.locked_until(&failures, now), T.locked_until(&reversed, now));
        }
    }
}
