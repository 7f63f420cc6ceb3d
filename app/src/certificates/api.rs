//! Server functions of certificates: the holder's (and staff's) printable
//! certificate, the public verification page, and revoking and re-issuing
//! by organizers (audit-logged). Issuing is the journey's job
//! (`crate::classes::journey::ensure_certificate`).

use crate::error::AppError;
use academy_shared::ids::ClassId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A certificate as its holder and staff see it (the full name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateView {
    pub id: i64,
    pub class_id: ClassId,
    pub serial: String,
    pub holder_name: String,
    pub class_title: String,
    pub hours_label: String,
    pub issued_on: String,
    pub issuer: String,
    pub code: String,
    pub verify_url: String,
    /// An inline `<svg>` made on the server from `verify_url`.
    pub qr_svg: String,
    pub revoked: bool,
    pub revoke_reason: String,
    /// The viewer may revoke and re-issue it.
    pub can_manage: bool,
}

/// What the public verification page shows: never the full name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verification {
    Found {
        masked_name: String,
        class_title: String,
        hours_label: String,
        issued_on: String,
        issuer: String,
        serial: String,
        revoked: bool,
    },
    /// Unknown, mistyped and malformed codes all look the same.
    NotFound,
}

/// A row of a class's certificate list (organizers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateRow {
    pub id: i64,
    pub serial: String,
    pub holder_name: String,
    pub hours_label: String,
    pub issued_on: String,
    pub revoked: bool,
}

#[server(endpoint = "certificates/get")]
pub async fn load_certificate(id: i64) -> Result<CertificateView, AppError> {
    crate::error::respond(ssr::view(id).await)
}

/// Open to everyone: the page a QR code on a printed certificate leads to.
#[server(endpoint = "certificates/verify")]
pub async fn verify_certificate(code: String) -> Result<Verification, AppError> {
    crate::error::respond(ssr::verify(code).await)
}

#[server(endpoint = "certificates/class")]
pub async fn list_class_certificates(class_id: ClassId) -> Result<Vec<CertificateRow>, AppError> {
    crate::error::respond(ssr::of_class(class_id).await)
}

#[server(endpoint = "certificates/revoke")]
pub async fn revoke_certificate(id: i64, reason: String) -> Result<(), AppError> {
    crate::error::respond(ssr::revoke(id, reason).await)
}

/// Revokes the certificate (if it is not already) and issues a new one with
/// a new serial and code, with the holder's current name and hours.
#[server(endpoint = "certificates/reissue")]
pub async fn reissue_certificate(id: i64, reason: String) -> Result<i64, AppError> {
    crate::error::respond(ssr::reissue(id, reason).await)
}

#[cfg(feature = "ssr")]
pub use ssr::pdf_for;

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::audit::{self, Actor};
    use crate::auth::policy::IdentityPolicy;
    use crate::auth::session::{self, Signed};
    use crate::certificates::render::{CertificateSheet, certificate_pdf, qr_svg};
    use crate::store::{CertificateRecord, DbError, Store, now_millis};
    use academy_shared::certificate::{VerificationCode, hours_label, mask_name, serial};
    use academy_shared::checkin::{date_of, day_of};
    use academy_shared::role::policy::MANAGERS;

    fn issued_on(ms: i64) -> String {
        let (y, m, d) = date_of(day_of(ms));
        format!("{y}年{m}月{d}日")
    }

    fn verify_url(code: &str) -> String {
        let base = use_context::<IdentityPolicy>()
            .map(|p| p.public_url)
            .unwrap_or_default();
        format!("{}/verify/{code}", base.trim_end_matches('/'))
    }

    fn issuer_of(record: &CertificateRecord) -> String {
        if record.issuer.trim().is_empty() {
            "网络学院".to_owned()
        } else {
            record.issuer.clone()
        }
    }

    /// The certificate, if `signed` holds it or manages classes.
    async fn readable(
        store: &Store,
        signed: &Signed,
        id: i64,
    ) -> Result<CertificateRecord, AppError> {
        let record = store.certificate(id).await?;
        let staff = MANAGERS.iter().any(|r| signed.has(*r));
        if record.user != signed.user.id && !staff {
            return Err(AppError::NotFound);
        }
        Ok(record)
    }

    fn sheet(record: &CertificateRecord, url: String) -> CertificateSheet {
        CertificateSheet {
            serial: record.serial.clone(),
            holder_name: record.holder_name.clone(),
            class_title: record.class_title.clone(),
            hours_label: hours_label(record.credited_ms),
            issued_on: issued_on(record.issued_at),
            issuer: issuer_of(record),
            verify_url: url,
            revoked: record.revoked_at.is_some(),
        }
    }

    pub async fn view(id: i64) -> Result<CertificateView, AppError> {
        let (signed, store) = session::with_signed().await?;
        let record = readable(&store, &signed, id).await?;
        let url = verify_url(&record.code);
        Ok(CertificateView {
            id: record.id,
            class_id: record.class_id,
            serial: record.serial.clone(),
            holder_name: record.holder_name.clone(),
            class_title: record.class_title.clone(),
            hours_label: hours_label(record.credited_ms),
            issued_on: issued_on(record.issued_at),
            issuer: issuer_of(&record),
            code: record.code.clone(),
            qr_svg: qr_svg(&url).map_err(AppError::internal)?,
            verify_url: url,
            revoked: record.revoked_at.is_some(),
            revoke_reason: record.revoke_reason.clone(),
            can_manage: MANAGERS.iter().any(|r| signed.has(*r)),
        })
    }

    /// The PDF of a certificate for the signed-in holder or staff:
    /// (file name, bytes).
    pub async fn pdf_for(
        store: &Store,
        signed: &Signed,
        public_url: &str,
        id: i64,
    ) -> Result<(String, Vec<u8>), AppError> {
        let record = readable(store, signed, id).await?;
        let url = format!(
            "{}/verify/{}",
            public_url.trim_end_matches('/'),
            record.code
        );
        let bytes = certificate_pdf(&sheet(&record, url)).map_err(AppError::internal)?;
        Ok((format!("certificate-{}.pdf", record.serial), bytes))
    }

    pub async fn verify(code: String) -> Result<Verification, AppError> {
        let store = session::store()?;
        // The canonical form, so that a code typed with dashes or in lower
        // case finds its certificate.
        let Ok(code) = VerificationCode::parse(&code) else {
            return Ok(Verification::NotFound);
        };
        match store.certificate_by_code(&code.to_string()).await {
            Ok(record) => Ok(Verification::Found {
                masked_name: mask_name(&record.holder_name),
                class_title: record.class_title.clone(),
                hours_label: hours_label(record.credited_ms),
                issued_on: issued_on(record.issued_at),
                issuer: issuer_of(&record),
                serial: record.serial.clone(),
                revoked: record.revoked_at.is_some(),
            }),
            Err(DbError::NotFound) => Ok(Verification::NotFound),
            Err(other) => Err(other.into()),
        }
    }

    pub async fn of_class(class_id: ClassId) -> Result<Vec<CertificateRow>, AppError> {
        let (_, store) = session::with_role(&MANAGERS).await?;
        Ok(store
            .class_certificates(class_id)
            .await?
            .into_iter()
            .map(|c| CertificateRow {
                id: c.id,
                serial: c.serial,
                holder_name: c.holder_name,
                hours_label: hours_label(c.credited_ms),
                issued_on: issued_on(c.issued_at),
                revoked: c.revoked_at.is_some(),
            })
            .collect())
    }

    fn reason_of(reason: &str) -> Result<String, AppError> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 200 {
            return Err(AppError::invalid(
                "请填写原因（不超过 200 字）",
                "Give a reason (at most 200 characters)",
            ));
        }
        Ok(reason.to_owned())
    }

    pub async fn revoke(id: i64, reason: String) -> Result<(), AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let reason = reason_of(&reason)?;
        let record = store.certificate(id).await?;
        if !store
            .revoke_certificate(id, me.user.id, &reason, now_millis())
            .await?
        {
            return Err(AppError::invalid(
                "证书已撤销",
                "The certificate is already revoked",
            ));
        }
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::CertificateRevoke,
            ("certificate", &id.to_string()),
            format!("{}: {reason}", record.serial),
        )
        .await
    }

    pub async fn reissue(id: i64, reason: String) -> Result<i64, AppError> {
        let (me, store) = session::with_role(&MANAGERS).await?;
        let reason = reason_of(&reason)?;
        let old = store.certificate(id).await?;
        let now = now_millis();
        store
            .revoke_certificate(id, me.user.id, &reason, now)
            .await?;
        let holder = store.user_by_id(old.user).await?;
        let facts = store.learner_facts(old.class_id, old.user).await?;
        let year = academy_shared::time::china_year(now);
        let class_id = old.class_id;
        let code = VerificationCode::generate(&mut rand::rng()).to_string();
        let new = match store
            .issue_certificate(
                old.class_id,
                old.user,
                &holder.real_name,
                facts.credited_ms,
                |sequence| serial(year, class_id.0, sequence),
                &code,
                Some(me.user.id),
                now,
            )
            .await
        {
            Ok(new) => new,
            Err(DbError::Conflict(_)) => {
                return Err(AppError::invalid(
                    "该学员已有有效证书",
                    "The learner already holds a valid certificate",
                ));
            }
            Err(other) => return Err(other.into()),
        };
        audit::record(
            &store,
            Actor::User(&me.user),
            audit::AuditAction::CertificateReissue,
            ("certificate", &new.id.to_string()),
            format!("{} replaces {}: {reason}", new.serial, old.serial),
        )
        .await?;
        Ok(new.id)
    }
}
