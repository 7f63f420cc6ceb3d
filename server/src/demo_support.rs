//! Demo data for 解疑答惑: a few learners' questions from the seed's class —
//! some waiting, some answered by the organizer, one closed — and the FAQ's
//! first entries, one of them drafted from an answered question. Loaded once
//! (its own marker), after the journey's demo data.

use academy_shared::device::describe_user_agent;
use academy_shared::ids::UserId;
use academy_shared::support::QuestionState;
use app::store::{DbError, DbResult, NewQuestion, Store, now_millis};

const MARKER: &str = "demo_support_loaded_at";
const HOUR_MS: i64 = 3_600_000;

const WECHAT_UA: &str = "Mozilla/5.0 (Linux; Android 13; V2183A Build/TP1A.220624.014; wv) \
     AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 \
     XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 \
     Weixin NetType/4G Language/zh_CN ABI/arm64";
const IPHONE_UA: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) \
     AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) \
     NetType/WIFI Language/zh_CN";
const PC_UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

/// Where a demo question was asked from.
enum Page {
    Lesson,
    ClassHome,
    Exams,
    Account,
}

/// What happened to a demo question after it was asked.
enum Outcome {
    Waiting,
    Answered(&'static str),
    /// Answered, then closed.
    Closed(&'static str),
}

struct DemoQuestion {
    learner: u32,
    hours_ago: i64,
    user_agent: &'static str,
    page: Page,
    body: &'static str,
    outcome: Outcome,
}

/// learner012–029 and 064–100 are part-way through the demo class; the
/// browser tests' learners (001–011, 030–063) are left alone.
const QUESTIONS: [DemoQuestion; 5] = [
    DemoQuestion {
        learner: 84,
        hours_ago: 70,
        user_agent: WECHAT_UA,
        page: Page::Lesson,
        body: "视频看到一半退出了微信，再进来还要从头看吗？之前看的时间还算不算？",
        outcome: Outcome::Closed(
            "不用从头看。重新打开这门课程时，播放器会从您上次停下的位置继续播放，之前认真观看的时长都已记录，不会丢失。",
        ),
    },
    DemoQuestion {
        learner: 91,
        hours_ago: 30,
        user_agent: IPHONE_UA,
        page: Page::Exams,
        body: "班前测试交卷以后在哪里看成绩和答案？",
        outcome: Outcome::Answered(
            "点击顶部的“考试”，在已完成的考试后点“查看”即可看到成绩；考试设置允许时，还能看到每道题的正确答案和解析。",
        ),
    },
    DemoQuestion {
        learner: 23,
        hours_ago: 20,
        user_agent: WECHAT_UA,
        page: Page::Account,
        body: "我换了新手机，登录时提示“该账号已绑定另一台手机”，旧手机已经坏了，怎么办？",
        outcome: Outcome::Answered(
            "在新手机的登录页选择“申请更换绑定”并填写原因，管理员审核通过后即可在新手机上学习。旧手机还能用的话，也可以在旧手机上直接批准新设备。",
        ),
    },
    DemoQuestion {
        learner: 66,
        hours_ago: 5,
        user_agent: WECHAT_UA,
        page: Page::ClassHome,
        body: "昨天学习了两门课，但签到日历上昨天没有显示已签到，是不是没记上？",
        outcome: Outcome::Waiting,
    },
    DemoQuestion {
        learner: 75,
        hours_ago: 2,
        user_agent: PC_UA,
        page: Page::Lesson,
        body: "电脑上播放课程没有声音，手机上是正常的，需要装什么插件吗？",
        outcome: Outcome::Waiting,
    },
];

/// The FAQ's first entries, in order.
const FAQS: [(&str, &str); 4] = [
    (
        "忘记密码怎么办？",
        "在登录页点击“忘记密码”，输入注册时的手机号并获取短信验证码，验证后即可设置新密码。",
    ),
    (
        "为什么课程视频看完了还没有显示“已完成”？",
        "课程需要观看到 95% 以上，并且实际学习时长达到要求才算完成。播放时切换到其他应用、锁屏或长时间无操作的时间不计入学习时长，请在前台完整观看。",
    ),
    (
        "结业考试为什么打不开？",
        "结业考试需要先学完全部课程并提交培训评价后才会开放。请在培训班首页查看每一步的完成情况，页面会提示还差哪一步。",
    ),
    (
        "培训证书在哪里查看和下载？",
        "完成培训班的全部要求后，在培训班首页的“培训证书”一步即可查看证书，并可下载 PDF。证书上的二维码可供他人扫码核验真伪。",
    ),
];

fn broken(what: &str) -> DbError {
    DbError::Other(sqlx::Error::Protocol(format!("demo support: {what}")))
}

async fn learner(store: &Store, n: u32) -> DbResult<UserId> {
    Ok(store.user_by_username(&format!("learner{n:03}")).await?.id)
}

/// Loads the demo questions and FAQ once. Returns whether anything was written.
pub async fn load(store: &Store) -> DbResult<bool> {
    if store.meta(MARKER).await?.is_some() {
        return Ok(false);
    }
    let now = now_millis();
    let organizer = store.user_by_username("organizer").await?.id;
    let class_id = store
        .list_classes()
        .await?
        .into_iter()
        .find(|(_, title, _)| title == crate::demo::CLASS_TITLE)
        .map(|(id, _, _)| id)
        .ok_or_else(|| broken("the demo class is missing"))?;
    let lessons = store.class_lessons(class_id).await?;
    let lesson = lessons
        .get(2)
        .or(lessons.first())
        .copied()
        .ok_or_else(|| broken("the demo class has no lessons"))?;

    let mut faq_source = None;
    for question in &QUESTIONS {
        let asked_at = now - question.hours_ago * HOUR_MS;
        let page = match question.page {
            Page::Lesson => format!("/learn/{class_id}/{lesson}"),
            Page::ClassHome => format!("/classes/{class_id}/home"),
            Page::Exams => "/my-exams".to_owned(),
            Page::Account => "/account".to_owned(),
        };
        let in_class = matches!(question.page, Page::Lesson | Page::ClassHome);
        let id = store
            .insert_support_question(
                &NewQuestion {
                    asker: learner(store, question.learner).await?,
                    body: question.body.to_owned(),
                    page,
                    device: describe_user_agent(question.user_agent),
                    user_agent: question.user_agent.to_owned(),
                    class_id: in_class.then_some(class_id),
                },
                asked_at,
            )
            .await?;
        let answer = match question.outcome {
            Outcome::Waiting => continue,
            Outcome::Answered(answer) | Outcome::Closed(answer) => answer,
        };
        let answered_at = asked_at + HOUR_MS;
        if !store
            .answer_support_question(id, QuestionState::Open, 1, answer, organizer, answered_at)
            .await?
        {
            return Err(broken("a question could not be answered"));
        }
        if let Outcome::Closed(_) = question.outcome {
            store
                .set_support_state(
                    id,
                    QuestionState::Answered,
                    2,
                    QuestionState::Closed,
                    answered_at + 12 * HOUR_MS,
                )
                .await?;
            faq_source = Some((id, answer));
        }
    }

    for (question, answer) in FAQS {
        store
            .insert_faq(question, answer, None, organizer, now)
            .await?;
    }
    if let Some((source, answer)) = faq_source {
        store
            .insert_faq(
                "视频中途退出后，再进来要从头看吗？",
                answer,
                Some(source),
                organizer,
                now,
            )
            .await?;
    }
    store.set_meta_once(MARKER, &now.to_string()).await
}
