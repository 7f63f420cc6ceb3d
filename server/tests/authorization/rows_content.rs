//! Rows of the authorization matrix: see main.rs. Courseware (lecturer01's,
//! which lecturer12 may not see) and support (learner095's questions, the FAQ).

use crate::fixture::Fixture;
use crate::*;
use academy_shared::courseware::{ReviewAction, ReviewState};
use academy_shared::ids::{CoursewareId, MediaId};
use app::courseware::api::{
    AddAttachment, AddCoursewareToClass, CoursewareForEdit, CreateCourseware, ListCourseware,
    RemoveAttachment, ReviewCourseware, SaveCoursewareDetails, SaveOutline, SaveSlides,
    SetCoursewareVideo,
};
use app::store::{CoursewareDetails, NewClass, NewMedia, UserRecord, now_millis};
use app::support::{
    AnswerQuestion, AskQuestion, CloseQuestion, DeleteFaq, LoadFaqAdmin, LoadFaqs, LoadInbox,
    LoadMyQuestions, LoadOpenCount, LoadQuestion, MoveFaq, ReopenQuestion, SaveFaq, SetFaqHidden,
};

/// Only organizers and administrators see (and edit) courseware that is not
/// theirs; to lecturer12, lecturer01's courseware does not exist.
const NOT_THEIRS: &str = "lecturer01's courseware is not found for lecturer12";

/// Organizers and administrators: all courseware, the support inbox, the FAQ.
const EDITORS: [P; 2] = [P::Organizer, P::Admin];
/// Who works on courseware at all.
const COURSEWARE_STAFF: [P; 3] = [P::Lecturer, P::Organizer, P::Admin];

/// A new draft courseware of lecturer01, with the demo's 60-second lecture.
async fn draft_of(fx: &Fixture, lecturer: &UserRecord, title: &str) -> CoursewareId {
    let store = fx.store();
    let now = now_millis();
    let id = store
        .create_courseware(
            &CoursewareDetails {
                title: title.into(),
                lecturer_name: lecturer.real_name.clone(),
                lecturer_id: Some(lecturer.id),
                topic: "授权测试".into(),
            },
            lecturer.id,
            now,
        )
        .await
        .unwrap();
    let video = fx
        .id(
            "SELECT id FROM media_files WHERE kind = 'video' AND duration_ms = 60000 \
             ORDER BY id LIMIT 1",
        )
        .await;
    let video = store.media(MediaId(video)).await.unwrap();
    store.set_courseware_video(id, &video, now).await.unwrap();
    id
}

/// A stored attachment uploaded by `lecturer` (its bytes are never fetched).
async fn attachment_of(fx: &Fixture, lecturer: &UserRecord, name: &str) -> MediaId {
    fx.store()
        .insert_media(&NewMedia {
            storage_key: format!("authz/{name}"),
            kind: academy_shared::media::MediaKind::Attachment,
            content_type: "application/pdf".into(),
            file_name: format!("{name}.pdf"),
            size_bytes: 4,
            sha256: "0".repeat(64),
            duration_ms: None,
            uploaded_by: Some(lecturer.id),
            uploaded_at: now_millis(),
        })
        .await
        .unwrap()
}

/// A question the owner asks: its id and version.
async fn owner_asks(fx: &mut Fixture, body: &str) -> (i64, i64) {
    let view = fx
        .ok_as(
            P::Owner,
            "support/ask",
            &[("body", body), ("page", "/support")],
        )
        .await;
    (
        view["id"].as_i64().unwrap(),
        view["version"].as_i64().unwrap(),
    )
}

async fn faq(fx: &Fixture, question: &str) -> i64 {
    let organizer = fx.store().user_by_username("organizer").await.unwrap().id;
    fx.store()
        .insert_faq(
            question,
            "授权矩阵的临时条目。",
            None,
            organizer,
            now_millis(),
        )
        .await
        .unwrap()
}

pub async fn rows(fx: &mut Fixture) -> Vec<Row> {
    let store = fx.store().clone();
    let lecturer = store.user_by_username("lecturer01").await.unwrap();
    let organizer = store.user_by_username("organizer").await.unwrap().id;
    let published = CoursewareId(
        fx.id(&format!(
            "SELECT id FROM courseware WHERE lecturer_id = {} ORDER BY id LIMIT 1",
            lecturer.id.0
        ))
        .await,
    );
    let editable = draft_of(fx, &lecturer, "授权矩阵：编辑用课件").await;
    let image = MediaId(
        fx.id("SELECT id FROM media_files WHERE kind = 'image' ORDER BY id LIMIT 1")
            .await,
    );
    let video = MediaId(
        fx.id(
            "SELECT id FROM media_files WHERE kind = 'video' AND duration_ms = 60000 \
             ORDER BY id LIMIT 1",
        )
        .await,
    );
    let to_attach = attachment_of(fx, &lecturer, "to-attach").await;
    let attached = attachment_of(fx, &lecturer, "attached").await;
    store.add_attachment(editable, attached).await.unwrap();
    let submitted = draft_of(fx, &lecturer, "授权矩阵：待审核课件").await;
    for (action, from, to) in [
        (
            ReviewAction::Proofread,
            ReviewState::Draft,
            ReviewState::Proofread,
        ),
        (
            ReviewAction::Submit,
            ReviewState::Proofread,
            ReviewState::Submitted,
        ),
    ] {
        let moved = store
            .review_courseware(submitted, action, from, to, "", lecturer.id, now_millis())
            .await
            .unwrap();
        assert!(moved);
    }
    let spare = draft_of(fx, &lecturer, "授权矩阵：加入培训班的课件").await;
    let spare_class = store
        .create_class(
            &NewClass {
                title: "授权矩阵：草稿培训班".into(),
                state: academy_shared::class::ClassState::Draft,
                idle_prompt_ms: 20 * 60_000,
                max_rate_milli: 2000,
                intro_media_id: None,
                outro_media_id: None,
            },
            organizer,
            now_millis(),
        )
        .await
        .unwrap();

    let (to_answer, to_answer_version) = owner_asks(fx, "授权矩阵：等待回答的问题").await;
    let (to_close, to_close_version) = owner_asks(fx, "授权矩阵：将被关闭的问题").await;
    let (to_reopen, asked_version) = owner_asks(fx, "授权矩阵：将被重新打开的问题").await;
    // The organizer closes a question.
    let closed = fx
        .ok_as(
            P::Organizer,
            "support/close",
            &[
                ("id", &to_reopen.to_string()),
                ("version", &asked_version.to_string()),
            ],
        )
        .await;
    let closed_version = closed["version"].as_i64().unwrap();
    let faq_to_edit = faq(fx, "授权矩阵：待改写的条目").await;
    let faq_to_hide = faq(fx, "授权矩阵：待隐藏的条目").await;
    let faq_to_delete = faq(fx, "授权矩阵：待删除的条目").await;
    // Moved down past the last entry, then (for the second) already last.
    let faq_to_move = faq(fx, "授权矩阵：待移动的条目").await;
    faq(fx, "授权矩阵：最后一个条目").await;

    vec![
        // Lecturers list (and create) only their own.
        form(ListCourseware {
            text: None,
            lecturer: None,
            topic: None,
            state: None,
            page: None,
        })
        .allow(&COURSEWARE_STAFF),
        form(CreateCourseware {
            title: "授权矩阵：新课件".into(),
            lecturer_name: "授权测试讲师".into(),
            topic: None,
            lecturer_username: None,
        })
        .allow(&COURSEWARE_STAFF),
        form(CoursewareForEdit { id: published })
            .allow(&EDITORS)
            .except(P::Lecturer, 404, NOT_THEIRS),
        form(SaveCoursewareDetails {
            id: editable,
            title: "授权矩阵：改过的课件".into(),
            lecturer_name: lecturer.real_name.clone(),
            topic: None,
            lecturer_username: Some("lecturer01".into()),
        })
        .allow(&EDITORS)
        .except(P::Lecturer, 404, NOT_THEIRS),
        form(SetCoursewareVideo {
            id: editable,
            media_id: video,
        })
        .allow(&EDITORS)
        .except(P::Lecturer, 404, NOT_THEIRS),
        form(SaveSlides {
            id: editable,
            media_ids: vec![image],
            starts: vec!["00:00".into()],
        })
        .allow(&EDITORS)
        .except(P::Lecturer, 404, NOT_THEIRS),
        form(SaveOutline {
            id: editable,
            outline: "00:00 # 一、开篇".into(),
        })
        .allow(&EDITORS)
        .except(P::Lecturer, 404, NOT_THEIRS),
        form(AddAttachment {
            id: editable,
            media_id: to_attach,
        })
        .allow(&EDITORS)
        .except(P::Lecturer, 404, NOT_THEIRS),
        form(RemoveAttachment {
            id: editable,
            media_id: attached,
        })
        .allow(&EDITORS)
        .except(P::Lecturer, 404, NOT_THEIRS),
        // Approving is a reviewer's (or an administrator's): the organizer,
        // who decides what learners see, does not judge it too.
        form(ReviewCourseware {
            id: submitted,
            action: "approve".into(),
            comment: None,
        })
        .allow(&[P::Admin])
        .except(P::Lecturer, 404, NOT_THEIRS),
        // A draft class takes courseware in any state; the second call finds
        // it there already.
        form(AddCoursewareToClass {
            id: spare,
            class_id: spare_class,
        })
        .allow(&EDITORS),
        form(AskQuestion {
            body: "授权矩阵：每个人都能提问".into(),
            page: "/support".into(),
        })
        .allow(&SIGNED_IN),
        // Visitors get `None` (the support page is public, for its FAQ).
        form(LoadMyQuestions {}).allow(&EVERYONE),
        form(LoadQuestion { id: to_answer }).allow(&[P::Owner, P::Organizer, P::Admin]),
        form(LoadInbox { state: None }).allow(&EDITORS),
        // `None` for everyone but the inbox staff, never an error.
        form(LoadOpenCount {}).allow(&EVERYONE),
        form(AnswerQuestion {
            id: to_answer,
            expected: "open".into(),
            version: to_answer_version,
            answer: "授权矩阵：这是回答。".into(),
        })
        .allow(&EDITORS)
        .except(
            P::Admin,
            400,
            "the organizer answered first: the version is stale",
        ),
        // The asker may re-open their question, not close it.
        form(CloseQuestion {
            id: to_close,
            version: to_close_version,
        })
        .allow(&EDITORS)
        .except(
            P::Admin,
            400,
            "the organizer closed it first: the version is stale",
        ),
        form(ReopenQuestion {
            id: to_reopen,
            version: closed_version,
        })
        .allow(&[P::Owner, P::Organizer, P::Admin])
        .except(P::Organizer, 400, "the owner re-opened it first")
        .except(P::Admin, 400, "the owner re-opened it first"),
        form(LoadFaqs {}).allow(&EVERYONE),
        form(LoadFaqAdmin {}).allow(&EDITORS),
        form(SaveFaq {
            id: Some(faq_to_edit),
            source: None,
            question: "授权矩阵：改写后的条目".into(),
            answer: "授权矩阵：改写后的回答。".into(),
        })
        .allow(&EDITORS),
        form(SetFaqHidden {
            id: faq_to_hide,
            hidden: true,
        })
        .allow(&EDITORS),
        form(DeleteFaq { id: faq_to_delete })
            .allow(&EDITORS)
            .except(P::Admin, 404, "the organizer deleted it first"),
        form(MoveFaq {
            id: faq_to_move,
            up: false,
        })
        .allow(&EDITORS),
    ]
}
