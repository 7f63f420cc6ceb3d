//! Rows of the authorization matrix for identity, accounts, devices,
//! administration and certificates: see main.rs.
//!
//! What these rows change is never a persona's: sign-ins, activations,
//! resets, disabling, unbinding and revoking act on throwaway accounts,
//! regions and certificates made here.

use crate::common::*;
use crate::fixture::Fixture;
use crate::*;
use academy_shared::ids::UserId;
use academy_shared::region::RegionLevel;
use academy_shared::role::Role;
use app::admin::audit_log::AuditLog;
use app::admin::import::ImportLearners;
use app::admin::regions::{AddRegion, RenameRegion};
use app::admin::users::{
    ClearLock, CreateUser, ListUsers, ResetPassword as AdminResetPassword, SetDisabled, SetRoles,
    UnbindDevice, UpdateUser, UserDetail,
};
use app::auth::account::{ChangePassword, MyProfile};
use app::auth::api::{
    DeviceChallenge, Login, Logout, PollApproval, RequestRebindWithPassword, StartApproval, WhoAmI,
};
use app::auth::devices::{
    ApprovalDetails, DecideApproval, DecideRebind, MyDevices, RebindRequests, RequestRebind,
    RevokeDevice,
};
use app::auth::register::{Activate, RegionOptions, Register, ResetPassword, SendSmsCode};
use app::auth::session::{new_token, token_hash};
use app::certificates::api::{
    ListClassCertificates, LoadCertificate, ReissueCertificate, RevokeCertificate,
    VerifyCertificate,
};
use app::store::{Activation, NewRegion, NewUser, now_millis};
use base64::Engine;

const PASSWORD: &str = server::demo::DEMO_PASSWORD;
const DAY_MS: i64 = 24 * 60 * 60_000;
/// The activation code of the throwaway account `auth/activate` uses.
const ACTIVATION_CODE: &str = "AUTHZ2345678";

/// `who` get `status` instead, for `why`.
fn except_all(row: Row, who: &[P], status: u16, why: &'static str) -> Row {
    who.iter()
        .fold(row, |row, who| row.except(*who, status, why))
}

/// A throwaway account: `phone` is 1770000 and a number of its own.
fn throwaway(username: &str, n: u32, roles: &[Role], password_hash: &str) -> NewUser {
    NewUser {
        username: username.to_owned(),
        real_name: format!("一次性{n}"),
        phone: Some(phone(n)),
        password_hash: password_hash.to_owned(),
        roles: roles.to_vec(),
        ..NewUser::default()
    }
}

fn phone(n: u32) -> String {
    format!("1770000{n:04}")
}

/// What `auth/register` and `auth/reset` check an SMS code against.
fn sms_hash(phone: &str, code: &str) -> String {
    token_hash(&format!("{phone}:{code}"))
}

pub async fn rows(fx: &mut Fixture) -> Vec<Row> {
    let fx: &Fixture = fx;
    let store = fx.store().clone();
    let now = now_millis();
    let hash = app::auth::password::hash(PASSWORD).unwrap();
    let learner = [Role::Learner];
    let mut users = vec![
        // Staff: not bound to a device, so every persona's browser may sign in.
        throwaway("authz_login", 1, &[Role::Lecturer], &hash),
        throwaway("authz_approval", 2, &learner, &hash),
        throwaway("authz_rebind", 3, &learner, &hash),
        throwaway("authz_activate", 4, &learner, ""),
        throwaway("authz_reset", 5, &learner, &hash),
        throwaway("authz_update", 6, &learner, &hash),
        throwaway("authz_roles", 7, &learner, &hash),
        throwaway("authz_disable", 8, &learner, &hash),
        throwaway("authz_pwreset", 9, &learner, &hash),
        throwaway("authz_unbind", 10, &learner, &hash),
        throwaway("authz_revoke", 11, &learner, &hash),
        throwaway("authz_reissue", 12, &learner, &hash),
    ];
    users[3].activation = Some(Activation {
        code_hash: token_hash(ACTIVATION_CODE),
        expires_at: now + DAY_MS,
    });
    store.create_users(&users).await.unwrap();
    let id = |name: &'static str| fx.user_id(name);
    let (approval_user, unbind_user) = (id("authz_approval").await, id("authz_unbind").await);
    let owner = fx.owner.id;

    // The throwaway learner's bound phone, and a device waiting for it.
    let approval_binding = store
        .bind_device(
            UserId(approval_user),
            &token_hash(&new_token()),
            None,
            "手机",
            now,
        )
        .await
        .unwrap();
    let waiting_secret = new_token();
    store
        .create_approval(
            UserId(approval_user),
            approval_binding,
            "AUTH-ZPQR",
            &token_hash(&waiting_secret),
            "电脑",
            "127.0.0.1",
            now,
            now + DAY_MS,
        )
        .await
        .unwrap();
    store
        .bind_device(
            UserId(unbind_user),
            &token_hash(&new_token()),
            None,
            "手机",
            now,
        )
        .await
        .unwrap();

    // The owner's devices: one waiting for approval, one let in already, and
    // a request to move to a new phone (refused by the row, so the owner
    // stays bound).
    let owner_binding = store.live_binding(owner).await.unwrap().unwrap().id;
    let approval = |code: &'static str| {
        let store = store.clone();
        async move {
            store
                .create_approval(
                    owner,
                    owner_binding,
                    code,
                    &token_hash(&new_token()),
                    "电脑",
                    "127.0.0.1",
                    now,
                    now + DAY_MS,
                )
                .await
                .unwrap()
        }
    };
    approval("AUTH-ZDET").await;
    approval("AUTH-ZDEC").await;
    let owner_approved = approval("AUTH-ZREV").await;
    store
        .decide_approval(owner_approved, true, now)
        .await
        .unwrap();
    let owner_rebind = store
        .request_rebind(owner, "换了新手机", "手机", now)
        .await
        .unwrap();

    // SMS codes as if sent: one to a new number (registration), one to the
    // throwaway account's (password reset).
    let (register_phone, reset_phone) = (phone(21), phone(5));
    for (number, purpose) in [
        (&register_phone, "register"),
        (&reset_phone, "reset_password"),
    ] {
        store
            .record_sms_code(
                number,
                purpose,
                &sms_hash(number, "246810"),
                "setup",
                now,
                now + DAY_MS,
            )
            .await
            .unwrap();
    }

    let spare_region = store
        .add_region(&NewRegion {
            code: "AUTHZ0".into(),
            parent_code: None,
            name: "待改名省".into(),
            level: RegionLevel::Province,
        })
        .await
        .unwrap()
        .0;
    let owner_region = fx.owner.region_id.unwrap().0;
    let county_code = fx
        .text(&format!(
            "SELECT code FROM regions WHERE id = {owner_region}"
        ))
        .await;
    let roster = format!(
        "用户名,姓名,手机号,地区\r\nauthz_imported,导入学员,{},{county_code}\r\n",
        phone(31)
    );

    // The owner's certificate, and two of throwaway learners in a class of
    // their own for revoking and re-issuing.
    let owner_certificate = fx
        .id(
            "SELECT t.id FROM certificates t JOIN users u ON u.id = t.user_id \
             WHERE u.username = 'learner095' AND t.revoked_at IS NULL ORDER BY t.id LIMIT 1",
        )
        .await;
    let owner_code = fx
        .text(&format!(
            "SELECT code FROM certificates WHERE id = {owner_certificate}"
        ))
        .await;
    let spare_class =
        published_class_with(&store, "授权测试班", &["authz_revoke", "authz_reissue"]).await;
    let organizer = store.user_by_username("organizer").await.unwrap().id;
    let mut spare_certificates = Vec::new();
    for (n, name) in ["authz_revoke", "authz_reissue"].into_iter().enumerate() {
        let holder = store.user_by_username(name).await.unwrap();
        let certificate = store
            .issue_certificate(
                spare_class,
                holder.id,
                &holder.real_name,
                3_600_000,
                |sequence| academy_shared::certificate::serial(2026, spare_class.0, sequence),
                &format!("AUTHZCERT{n}"),
                Some(organizer),
                now,
            )
            .await
            .unwrap();
        spare_certificates.push(certificate.id);
    }

    let region_text = owner_region.to_string();
    vec![
        // ---- auth/*: signing in and out, open to everyone.
        form(WhoAmI {}).allow(&EVERYONE),
        // Signing in replaces the caller's session: the personas sign in again.
        form(Login {
            username: "authz_login".into(),
            password: PASSWORD.into(),
            device_key: None,
            device_proof: None,
        })
        .allow(&EVERYONE)
        .signs_out(),
        form(DeviceChallenge {}).allow(&EVERYONE),
        form(Logout {}).allow(&EVERYONE).signs_out(),
        form(StartApproval {
            username: "authz_approval".into(),
            password: PASSWORD.into(),
        })
        .allow(&EVERYONE),
        // The secret is the waiting device's; the request stays pending.
        form(PollApproval {
            secret: waiting_secret,
        })
        .allow(&EVERYONE),
        except_all(
            form(RequestRebindWithPassword {
                username: "authz_rebind".into(),
                password: PASSWORD.into(),
                reason: "手机丢了".into(),
            })
            .allow(&EVERYONE),
            &SIGNED_IN,
            400,
            "the first caller filed the account's one open request",
        ),
        form(RegionOptions {}).allow(&EVERYONE),
        except_all(
            form(SendSmsCode {
                phone: phone(22),
                purpose: "register".into(),
            })
            .allow(&EVERYONE),
            &SIGNED_IN,
            400,
            "one code a minute to a number: the first caller had it",
        ),
        except_all(
            form(Register {
                phone: register_phone,
                code: "246810".into(),
                username: "authz_registered".into(),
                real_name: "新注册".into(),
                region_id: region_text.clone(),
                work_unit: None,
                password: PASSWORD.into(),
                device_key: None,
                device_proof: None,
            })
            .allow(&EVERYONE),
            &SIGNED_IN,
            400,
            "the first caller used the SMS code",
        ),
        // The first caller activates; the code is then spent and each later
        // try counts as a failed sign-in of the throwaway account, which
        // locks after five.
        except_all(
            except_all(
                form(Activate {
                    username: "authz_activate".into(),
                    code: ACTIVATION_CODE.into(),
                    password: PASSWORD.into(),
                })
                .allow(&EVERYONE),
                &[
                    P::OtherLearner,
                    P::Liaison,
                    P::Supervisor,
                    P::Lecturer,
                    P::Owner,
                ],
                400,
                "the first caller used the activation code",
            ),
            &[P::Organizer, P::Admin],
            429,
            "five wrong codes lock the throwaway account",
        ),
        except_all(
            form(ResetPassword {
                phone: reset_phone,
                code: "246810".into(),
                password: "another-password-1".into(),
            })
            .allow(&EVERYONE),
            &SIGNED_IN,
            400,
            "the first caller used the SMS code",
        ),
        // ---- account/*: one's own account.
        form(MyProfile {}).allow(&SIGNED_IN),
        // The personas' passwords stay: each reaches the check (and passes the
        // current password) and is told the new one must differ.
        except_all(
            form(ChangePassword {
                current_password: PASSWORD.into(),
                new_password: PASSWORD.into(),
            })
            .allow(&SIGNED_IN),
            &SIGNED_IN,
            400,
            "the new password equals the current one",
        ),
        // ---- devices/*: one's own devices; rebinding is decided by admins.
        form(MyDevices {}).allow(&SIGNED_IN),
        // Revoking works on one's own approvals only: the owner's is unknown
        // to everyone else.
        form(RevokeDevice { id: owner_approved })
            .allow(&[P::Owner])
            .refuse(404),
        // Only the bound phone answers for the account: other learners on
        // theirs do not find the owner's request; staff have no bound phone.
        except_all(
            form(ApprovalDetails {
                code: "auth-zdet".into(),
            })
            .allow(&[P::Owner])
            .refuse(404),
            &[P::Supervisor, P::Lecturer, P::Organizer, P::Admin],
            400,
            "staff are not bound to a phone",
        ),
        except_all(
            form(DecideApproval {
                code: "AUTHZDEC".into(),
                approve: true,
            })
            .allow(&[P::Owner])
            .refuse(404),
            &[P::Supervisor, P::Lecturer, P::Organizer, P::Admin],
            400,
            "staff are not bound to a phone",
        ),
        // Organizers decide rebinding only where the academy lets them (not
        // in the default configuration).
        form(RebindRequests {}).allow(&[P::Admin]),
        form(DecideRebind {
            id: owner_rebind,
            approve: false,
        })
        .allow(&[P::Admin]),
        // After the owner's request above was decided: each files one.
        form(RequestRebind {
            reason: "换了新手机".into(),
        })
        .allow(&SIGNED_IN),
        // ---- admin/*: administrators only.
        form(ListUsers {
            text: Some("learner095".into()),
            region_id: None,
            role: None,
            bound: None,
            page: None,
        })
        .allow(&[P::Admin]),
        form(UserDetail { id: owner.0 }).allow(&[P::Admin]),
        form(CreateUser {
            username: "authz_created".into(),
            real_name: "新建账号".into(),
            phone: phone(23),
            region_id: region_text.clone(),
            work_unit: None,
            roles: Some(vec!["learner".into()]),
        })
        .allow(&[P::Admin]),
        form(UpdateUser {
            id: id("authz_update").await,
            real_name: "改过名".into(),
            phone: phone(6),
            region_id: region_text,
            work_unit: Some("某党支部".into()),
            gender: None,
            birth_year: None,
            education: None,
            employment: None,
        })
        .allow(&[P::Admin]),
        form(SetRoles {
            id: id("authz_roles").await,
            roles: Some(vec!["learner".into(), "liaison".into()]),
            scope_region_id: Some(owner_region.to_string()),
        })
        .allow(&[P::Admin]),
        form(SetDisabled {
            id: id("authz_disable").await,
            disabled: true,
        })
        .allow(&[P::Admin]),
        form(AdminResetPassword {
            id: id("authz_pwreset").await,
        })
        .allow(&[P::Admin]),
        form(UnbindDevice { id: unbind_user }).allow(&[P::Admin]),
        // Clearing sign-in failures changes nothing else: the owner's.
        form(ClearLock { id: owner.0 }).allow(&[P::Admin]),
        form(AddRegion {
            parent_id: None,
            code: "AUTHZ1".into(),
            name: "新增省".into(),
        })
        .allow(&[P::Admin]),
        form(RenameRegion {
            id: spare_region,
            name: "改名省".into(),
        })
        .allow(&[P::Admin]),
        form(AuditLog {
            action: None,
            actor: None,
            object: None,
            from: None,
            until: None,
            page: None,
        })
        .allow(&[P::Admin]),
        json(ImportLearners {
            file_name: "learners.csv".into(),
            file_base64: base64::engine::general_purpose::STANDARD.encode(roster),
            confirm: true,
        })
        .allow(&[P::Admin]),
        // ---- certificates/*.
        form(LoadCertificate {
            id: owner_certificate,
        })
        .allow(&[P::Owner, P::Organizer, P::Admin])
        .refuse(404),
        // Public: the answer masks the holder's name.
        form(VerifyCertificate { code: owner_code }).allow(&EVERYONE),
        form(ListClassCertificates { class_id: fx.class }).allow(&[P::Organizer, P::Admin]),
        form(RevokeCertificate {
            id: spare_certificates[0],
            reason: "信息有误".into(),
        })
        .allow(&[P::Organizer, P::Admin])
        .except(P::Admin, 400, "the organizer revoked it already"),
        form(ReissueCertificate {
            id: spare_certificates[1],
            reason: "姓名有误".into(),
        })
        .allow(&[P::Organizer, P::Admin])
        .except(
            P::Admin,
            400,
            "the holder has the organizer's re-issued certificate",
        ),
    ]
}
