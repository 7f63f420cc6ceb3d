//! The browser's side of device keys (`crate::auth::device_proof`): an ECDSA
//! P-256 key pair made once with WebCrypto, not extractable, kept in
//! IndexedDB (the private key can be used here but never read out or copied),
//! and the proofs signed with it over the server's one-time challenges.

use academy_shared::device::ProofPurpose;

/// A proof for `purpose` over a fresh challenge, encoded for a server
/// function's `device_proof`. `None` where the browser has no WebCrypto or
/// IndexedDB (the server then relies on the bearer key), or the challenge
/// could not be fetched; the server decides what that allows.
#[cfg(feature = "hydrate")]
pub async fn prove(purpose: ProofPurpose) -> Option<String> {
    use academy_shared::device::{DeviceProof, proof_message, to_hex};
    let (public, private) = browser::key_pair().await.ok()?;
    let nonce = crate::auth::api::device_challenge().await.ok()?;
    let public_key = browser::export_raw(&public).await.ok()?;
    let message = proof_message(purpose, &nonce);
    let signature = browser::sign(&private, message.as_bytes()).await.ok()?;
    Some(
        DeviceProof {
            nonce,
            public_key: to_hex(&public_key),
            signature: to_hex(&signature),
        }
        .encode(),
    )
}

/// On the server there is no device key to prove anything with.
#[cfg(not(feature = "hydrate"))]
pub async fn prove(_purpose: ProofPurpose) -> Option<String> {
    None
}

/// A proof for a form to send, made once the page runs and made again after
/// every submission (`renew` changes) and every few minutes (a challenge is
/// good for ten): forms submit synchronously, so it is signed ahead of time.
/// The proof is empty until made, and on a browser without WebCrypto; the
/// second signal says the first try has finished (or three seconds passed),
/// so a form can wait for it before it may be sent.
pub fn prepared_proof(
    purpose: ProofPurpose,
    renew: leptos::prelude::Signal<usize>,
) -> (
    leptos::prelude::RwSignal<String>,
    leptos::prelude::RwSignal<bool>,
) {
    use leptos::prelude::*;
    let proof = RwSignal::new(String::new());
    let ready = RwSignal::new(false);
    Effect::new(move |_| {
        renew.track();
        leptos::task::spawn_local(async move {
            proof.try_set(prove(purpose).await.unwrap_or_default());
            ready.try_set(true);
        });
    });
    Effect::new(move |_| {
        set_timeout(
            move || {
                ready.try_set(true);
            },
            std::time::Duration::from_secs(3),
        );
    });
    // Timers exist only in the browser: effects never run on the server.
    Effect::new(move |_| {
        if let Ok(refresh) = set_interval_with_handle(
            move || {
                leptos::task::spawn_local(async move {
                    proof.try_set(prove(purpose).await.unwrap_or_default());
                });
            },
            std::time::Duration::from_secs(5 * 60),
        ) {
            on_cleanup(move || refresh.clear());
        }
    });
    (proof, ready)
}

#[cfg(feature = "hydrate")]
mod browser {
    use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{CryptoKey, IdbDatabase, IdbRequest, IdbTransactionMode, SubtleCrypto};

    const DATABASE: &str = "academy-device";
    const STORE: &str = "keys";
    const ENTRY: &str = "device";

    fn missing(what: &str) -> JsValue {
        JsValue::from_str(what)
    }

    fn subtle() -> Result<SubtleCrypto, JsValue> {
        Ok(web_sys::window()
            .ok_or_else(|| missing("window"))?
            .crypto()?
            .subtle())
    }

    /// Waits for an IndexedDB request; its result.
    async fn finished(request: &IdbRequest) -> Result<JsValue, JsValue> {
        let promise = Promise::new(&mut |resolve, reject| {
            let done = request.clone();
            let on_success = Closure::once_into_js(move |_: JsValue| {
                let result = done.result().unwrap_or(JsValue::UNDEFINED);
                let _ = resolve.call1(&JsValue::NULL, &result);
            });
            let on_error = Closure::once_into_js(move |_: JsValue| {
                let _ = reject.call1(&JsValue::NULL, &missing("indexeddb request failed"));
            });
            request.set_onsuccess(Some(on_success.unchecked_ref()));
            request.set_onerror(Some(on_error.unchecked_ref()));
        });
        JsFuture::from(promise).await
    }

    async fn database() -> Result<IdbDatabase, JsValue> {
        let factory = web_sys::window()
            .ok_or_else(|| missing("window"))?
            .indexed_db()?
            .ok_or_else(|| missing("indexeddb"))?;
        let open = factory.open_with_u32(DATABASE, 1)?;
        let upgrading = open.clone();
        let on_upgrade = Closure::once_into_js(move |_: JsValue| {
            if let Ok(result) = upgrading.result() {
                let db: IdbDatabase = result.unchecked_into();
                let _ = db.create_object_store(STORE);
            }
        });
        open.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
        Ok(finished(&open).await?.unchecked_into())
    }

    async fn stored(db: &IdbDatabase) -> Result<JsValue, JsValue> {
        let read = db
            .transaction_with_str(STORE)?
            .object_store(STORE)?
            .get(&JsValue::from_str(ENTRY))?;
        finished(&read).await
    }

    /// The device's key pair: the one kept here, or a new one made and kept.
    pub async fn key_pair() -> Result<(CryptoKey, CryptoKey), JsValue> {
        let db = database().await?;
        let mut pair = stored(&db).await?;
        if pair.is_undefined() || pair.is_null() {
            let algorithm = Object::new();
            Reflect::set(&algorithm, &"name".into(), &"ECDSA".into())?;
            Reflect::set(&algorithm, &"namedCurve".into(), &"P-256".into())?;
            let usages = Array::of2(&"sign".into(), &"verify".into());
            let made =
                JsFuture::from(subtle()?.generate_key_with_object(&algorithm, false, &usages)?)
                    .await?;
            let add = db
                .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?
                .object_store(STORE)?
                .add_with_key(&made, &JsValue::from_str(ENTRY))?;
            // Another tab made one at the same moment: theirs is kept; use it.
            pair = match finished(&add).await {
                Ok(_) => made,
                Err(_) => stored(&db).await?,
            };
        }
        let public: CryptoKey = Reflect::get(&pair, &"publicKey".into())?.dyn_into()?;
        let private: CryptoKey = Reflect::get(&pair, &"privateKey".into())?.dyn_into()?;
        Ok((public, private))
    }

    /// The public key as the uncompressed point (65 bytes).
    pub async fn export_raw(public: &CryptoKey) -> Result<Vec<u8>, JsValue> {
        let raw = JsFuture::from(subtle()?.export_key("raw", public)?).await?;
        Ok(Uint8Array::new(&raw).to_vec())
    }

    /// An ECDSA signature with SHA-256 over `data`: r ‖ s, 64 bytes.
    pub async fn sign(private: &CryptoKey, data: &[u8]) -> Result<Vec<u8>, JsValue> {
        let algorithm = Object::new();
        Reflect::set(&algorithm, &"name".into(), &"ECDSA".into())?;
        Reflect::set(&algorithm, &"hash".into(), &"SHA-256".into())?;
        let signature =
            JsFuture::from(subtle()?.sign_with_object_and_u8_array(&algorithm, private, data)?)
                .await?;
        Ok(Uint8Array::new(&signature).to_vec())
    }
}
