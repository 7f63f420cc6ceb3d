//! Device keys: a learner's phone is bound by a key pair its browser made
//! (WebCrypto ECDSA P-256, not extractable, kept in IndexedDB). The server
//! keeps only the public key; the phone proves itself by signing a fresh
//! one-time challenge at every sign-in, every study stream and every exam
//! start. Cookies and web storage copied to another browser carry no private
//! key, so they prove nothing.
//!
//! A webview without WebCrypto binds by the older bearer key instead (kept in
//! a cookie and in web storage); a webview that lost its storage is let in by
//! the bound phone's QR approval or an audited rebinding.

use crate::error::AppError;
use crate::store::Store;
use academy_shared::device::{DeviceProof, ProofPurpose, from_hex, proof_message};

/// Challenges one address may ask for in a minute: generous, as a school or
/// an office may sign in a hundred learners from behind one address.
pub const CHALLENGES_PER_MINUTE: i64 = 600;

/// A fresh challenge for `address`.
pub async fn issue_challenge(store: &Store, address: &str, now: i64) -> Result<String, AppError> {
    let nonce = crate::auth::session::new_token();
    store
        .issue_device_challenge(&nonce, address, CHALLENGES_PER_MINUTE, now)
        .await?
        .ok_or(AppError::TooManyRequests)
}

/// Whether `proof`'s signature is its public key's, over `purpose` and its
/// challenge. Pure: says nothing about whether the challenge is still good.
pub fn signature_is_valid(proof: &DeviceProof, purpose: ProofPurpose) -> bool {
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::{Signature, VerifyingKey};
    let key = from_hex(&proof.public_key).and_then(|b| VerifyingKey::from_sec1_bytes(&b).ok());
    let signature = from_hex(&proof.signature).and_then(|b| Signature::from_slice(&b).ok());
    match (key, signature) {
        (Some(key), Some(signature)) => key
            .verify(proof_message(purpose, &proof.nonce).as_bytes(), &signature)
            .is_ok(),
        _ => false,
    }
}

/// Checks a proof by the device holding `public_key` (any key when `None`):
/// a valid signature over a challenge this server issued within the last ten
/// minutes and never accepted before (it is used up now).
pub async fn accept(
    store: &Store,
    proof: Option<&DeviceProof>,
    public_key: Option<&str>,
    purpose: ProofPurpose,
    now: i64,
) -> Result<bool, AppError> {
    let Some(proof) = proof else {
        return Ok(false);
    };
    if public_key.is_some_and(|key| key != proof.public_key) || !signature_is_valid(proof, purpose)
    {
        return Ok(false);
    }
    Ok(store.use_device_challenge(&proof.nonce, now).await?)
}

/// For a session on a device bound by key pair: refuses `purpose` unless the
/// request carries a fresh proof by that key. Sessions on devices bound by
/// bearer key, approved devices and staff pass.
pub async fn require_for_session(
    store: &Store,
    link: &crate::store::SessionLink,
    proof: Option<&str>,
    purpose: ProofPurpose,
    now: i64,
) -> Result<(), AppError> {
    let Some(binding) = link.binding_id else {
        return Ok(());
    };
    let Some(key) = store.binding_public_key(binding).await? else {
        return Ok(());
    };
    let proof = proof.and_then(DeviceProof::decode);
    if accept(store, proof.as_ref(), Some(&key), purpose, now).await? {
        Ok(())
    } else {
        Err(AppError::DeviceNotBound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use academy_shared::device::to_hex;
    use p256::ecdsa::signature::Signer;
    use p256::ecdsa::{Signature, SigningKey};

    fn proof_by(key: &SigningKey, purpose: ProofPurpose, nonce: &str) -> DeviceProof {
        let signature: Signature = key.sign(proof_message(purpose, nonce).as_bytes());
        DeviceProof {
            nonce: nonce.to_owned(),
            public_key: to_hex(key.verifying_key().to_encoded_point(false).as_bytes()),
            signature: to_hex(&signature.to_bytes()),
        }
    }

    #[test]
    fn only_the_keys_signature_over_this_purpose_and_challenge_is_valid() {
        let key = SigningKey::from_slice(&[7u8; 32]).unwrap();
        let other = SigningKey::from_slice(&[9u8; 32]).unwrap();
        let nonce = "ab".repeat(32);
        let proof = proof_by(&key, ProofPurpose::SignIn, &nonce);
        assert!(signature_is_valid(&proof, ProofPurpose::SignIn));
        assert!(!signature_is_valid(&proof, ProofPurpose::ExamStart));
        let forged = DeviceProof {
            public_key: proof_by(&other, ProofPurpose::SignIn, &nonce).public_key,
            ..proof.clone()
        };
        assert!(!signature_is_valid(&forged, ProofPurpose::SignIn));
        let other_nonce = DeviceProof {
            nonce: "cd".repeat(32),
            ..proof.clone()
        };
        assert!(!signature_is_valid(&other_nonce, ProofPurpose::SignIn));
        assert_eq!(DeviceProof::decode(&proof.encode()), Some(proof));
    }
}
