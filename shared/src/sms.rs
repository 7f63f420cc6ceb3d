//! SMS verification codes: how long they live and how often one may be sent.
//! Pure: callers pass the send times they have recorded.

/// The rules for sending and checking codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SmsPolicy {
    /// A code is accepted for this long after it was sent.
    pub code_ttl_ms: i64,
    /// Wrong guesses allowed for one code before it is void.
    pub max_attempts: i64,
    /// Least time between two codes to one number.
    pub min_interval_ms: i64,
    /// Most codes to one number within an hour.
    pub per_number_per_hour: usize,
    /// Most codes requested from one address within an hour.
    pub per_address_per_hour: usize,
}

pub const HOUR_MS: i64 = 60 * 60_000;

impl SmsPolicy {
    pub const DEFAULT: SmsPolicy = SmsPolicy {
        code_ttl_ms: 5 * 60_000,
        max_attempts: 5,
        min_interval_ms: 60_000,
        per_number_per_hour: 5,
        per_address_per_hour: 20,
    };

    /// `Ok` if a code may be sent now, else how many seconds to wait.
    /// `to_number` and `from_address` are earlier send times (ms, any order).
    pub fn may_send(&self, to_number: &[i64], from_address: &[i64], now: i64) -> Result<(), i64> {
        let mut wait_until = None::<i64>;
        if let Some(last) = to_number.iter().copied().filter(|t| *t <= now).max() {
            let next = last + self.min_interval_ms;
            if next > now {
                wait_until = Some(next);
            }
        }
        for (times, limit) in [
            (to_number, self.per_number_per_hour),
            (from_address, self.per_address_per_hour),
        ] {
            let mut recent: Vec<i64> = times
                .iter()
                .copied()
                .filter(|t| *t > now - HOUR_MS && *t <= now)
                .collect();
            if recent.len() >= limit {
                recent.sort_unstable();
                // The hour frees up when the oldest send that still counts leaves it.
                let index = recent.len() - limit;
                let next = recent[index] + HOUR_MS;
                wait_until = Some(wait_until.map_or(next, |w| w.max(next)));
            }
        }
        match wait_until {
            Some(until) => Err(((until - now) + 999) / 1000),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const P: SmsPolicy = SmsPolicy::DEFAULT;

    #[test]
    fn one_code_a_minute() {
        assert_eq!(P.may_send(&[], &[], 1_000_000), Ok(()));
        assert_eq!(P.may_send(&[1_000_000], &[], 1_030_000), Err(30));
        assert_eq!(P.may_send(&[1_000_000], &[], 1_060_000), Ok(()));
    }

    #[test]
    fn five_codes_an_hour_per_number() {
        let sent: Vec<i64> = (0..5).map(|i| i * 120_000).collect();
        let now = 5 * 120_000;
        let wait = P.may_send(&sent, &[], now).unwrap_err();
        assert_eq!(wait, (HOUR_MS - now) / 1000);
        assert_eq!(P.may_send(&sent, &[], HOUR_MS + 1), Ok(()));
    }

    #[test]
    fn addresses_have_their_own_limit() {
        let sent: Vec<i64> = (0..20).map(|i| i * 1000).collect();
        assert!(P.may_send(&[], &sent, 30_000).is_err());
        assert!(P.may_send(&[], &sent[1..], 30_000).is_ok());
    }

    proptest! {
        /// Following the advice (waiting the seconds told) always makes sending
        /// possible, and an allowed send never breaks the limits.
        #[test]
        fn waiting_as_told_is_enough(mut sent in proptest::collection::vec(0i64..10_000_000, 0..12), now in 0i64..10_000_000) {
            sent.retain(|t| *t <= now);
            match P.may_send(&sent, &[], now) {
                Ok(()) => {
                    let in_hour = sent.iter().filter(|t| **t > now - HOUR_MS).count();
                    prop_assert!(in_hour < P.per_number_per_hour);
                    prop_assert!(sent.iter().all(|t| now - t >= P.min_interval_ms));
                }
                Err(seconds) => {
                    prop_assert!(seconds > 0 && seconds <= HOUR_MS / 1000);
                    prop_assert_eq!(P.may_send(&sent, &[], now + seconds * 1000), Ok(()));
                }
            }
        }
    }
}
