//! The authorization matrix: every server function, every plain route and
//! every page, called by every kind of person, on the demo data.
//!
//! The lists are not kept by hand. The server functions are the ones the
//! server registered (`server_fn_paths`), the plain routes the ones the router
//! is built from (`server::http::plain_route_paths`) and the pages the ones
//! the app declares (`generate_route_list`): a new endpoint without a row
//! here fails the test, and so does a row whose endpoint is gone.
//!
//! Each row says who may call it (and gets 200); anyone else gets 401 when
//! signed out and the row's refusal (403, or 404 where the object is scoped)
//! when signed in. Whatever the status, the body of a call by someone who has
//! no business with the owner's record holds nothing of it (name, phone,
//! masked phone, username). Page GETs change nothing in the database.
//!
//! The owner ("learner A") is learner095: enrolled, tested, surveyed,
//! certified, in county 10. The others: learner001 (learner B, county 1),
//! liaison01 and the supervisor scoped to county 1 (another region),
//! lecturer12 (owns none of the objects the rows use unless a row says so),
//! the organizer and the administrator.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod fixture;
mod pages;
mod plain;
mod rows_accounts;
mod rows_classes;
mod rows_content;
mod rows_exams;
mod rows_groups;

use common::*;
use fixture::Fixture;
use leptos::server_fn::ServerFn;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The kinds of people every endpoint is tried with, in the order they call:
/// the refused first, so a refused call cannot ride on what an allowed one did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum P {
    Anonymous,
    /// learner001: another learner, another county, another group.
    OtherLearner,
    /// liaison01: liaison (and learner) of county 1.
    Liaison,
    /// The supervisor, scoped to county 1.
    Supervisor,
    /// lecturer12.
    Lecturer,
    /// learner095, whose records the rows use.
    Owner,
    Organizer,
    Admin,
}

pub const EVERYONE: [P; 8] = [
    P::Anonymous,
    P::OtherLearner,
    P::Liaison,
    P::Supervisor,
    P::Lecturer,
    P::Owner,
    P::Organizer,
    P::Admin,
];

/// Every signed-in persona: everyone but the visitor.
pub const SIGNED_IN: [P; 7] = {
    let mut signed_in = [P::Admin; 7];
    let mut i = 0;
    while i < signed_in.len() {
        signed_in[i] = EVERYONE[i + 1];
        i += 1;
    }
    signed_in
};

/// Those enrolled in the demo class as learners (the liaison is enrolled too).
pub const LEARNERS: [P; 3] = [P::OtherLearner, P::Liaison, P::Owner];

/// May see the owner's record: the owner, and staff with the whole class.
const ENTITLED: [P; 3] = [P::Owner, P::Organizer, P::Admin];

/// How a server function's arguments travel.
#[derive(Clone, Debug)]
pub enum Body {
    Form(String),
    Json(String),
}

/// One server function with well-formed arguments and who may call it.
#[derive(Clone, Debug)]
pub struct Row {
    pub path: &'static str,
    pub body: Body,
    pub allow: Vec<P>,
    pub refuse: u16,
    pub overrides: BTreeMap<P, u16>,
    /// The answer names the owner to those allowed by design (the public
    /// verification of the owner's certificate).
    pub discloses_owner: bool,
    /// A successful call ends the caller's session (sign-out): the persona
    /// signs in again before the next call.
    pub signs_out: bool,
    pub why: &'static str,
}

/// A call encoded the way the function's default (URL-encoded) input expects.
pub fn form<T: ServerFn + Serialize>(args: T) -> Row {
    Row::new(T::PATH, Body::Form(serde_qs::to_string(&args).unwrap()))
}

/// A call to a function declared with `input = Json`.
pub fn json<T: ServerFn + Serialize>(args: T) -> Row {
    Row::new(T::PATH, Body::Json(serde_json::to_string(&args).unwrap()))
}

impl Row {
    fn new(path: &'static str, body: Body) -> Row {
        Row {
            path,
            body,
            allow: Vec::new(),
            refuse: 403,
            overrides: BTreeMap::new(),
            discloses_owner: false,
            signs_out: false,
            why: "",
        }
    }

    /// These personas get 200.
    pub fn allow(mut self, who: &[P]) -> Row {
        self.allow.extend_from_slice(who);
        self
    }

    /// Signed-in personas not allowed get this (403 by default; 404 where the
    /// function does not say whether the object exists).
    pub fn refuse(mut self, status: u16) -> Row {
        self.refuse = status;
        self
    }

    /// One persona gets another status, for the reason given.
    pub fn except(mut self, who: P, status: u16, why: &'static str) -> Row {
        self.overrides.insert(who, status);
        self.why = why;
        self
    }

    pub fn signs_out(mut self) -> Row {
        self.signs_out = true;
        self
    }

    pub fn discloses_owner(mut self) -> Row {
        self.discloses_owner = true;
        self
    }

    fn expected(&self, who: P) -> u16 {
        if let Some(status) = self.overrides.get(&who) {
            *status
        } else if self.allow.contains(&who) {
            200
        } else if who == P::Anonymous {
            401
        } else {
            self.refuse
        }
    }
}

/// The owner's identifying strings, none of which may reach someone not
/// entitled to them.
pub fn owner_traces(fx: &Fixture) -> Vec<String> {
    let phone = fx.owner.phone.clone().unwrap();
    let masked = format!("{}****{}", &phone[..3], &phone[7..]);
    vec![
        fx.owner.real_name.clone(),
        phone,
        masked,
        fx.owner.username.clone(),
    ]
}

pub fn leaked_in(fx: &Fixture, who: P, body: &str) -> Option<String> {
    if ENTITLED.contains(&who) {
        return None;
    }
    owner_traces(fx)
        .into_iter()
        .find(|trace| body.contains(trace.as_str()))
}

async fn run_matrix(fx: &mut Fixture) {
    // Each module may make the objects its rows need (through the store or
    // as a persona) before returning them; rows then run in this order.
    let mut rows = Vec::new();
    rows.extend(rows_accounts::rows(fx).await);
    rows.extend(rows_content::rows(fx).await);
    rows.extend(rows_exams::rows(fx).await);
    rows.extend(rows_classes::rows(fx).await);
    rows.extend(rows_groups::rows(fx).await);

    // Every registered server function has a row, and every row a function.
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    let covered: BTreeSet<String> = rows.iter().map(|row| row.path.to_owned()).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&registered).collect();
    assert!(
        registered.len() > 100,
        "the server registered only {} functions",
        registered.len()
    );
    assert!(
        missing.is_empty() && stale.is_empty(),
        "server functions without a row: {missing:?}; rows without a function: {stale:?}"
    );

    let mut failures = Vec::new();
    for row in &rows {
        for who in EVERYONE {
            let (status, body) = fx.call(who, row).await;
            if row.signs_out && who != P::Anonymous {
                fx.sign_in_again(who).await;
            }
            let expected = row.expected(who);
            if status != expected {
                failures.push(format!(
                    "{} by {who:?}: {status}, expected {expected}: {}",
                    row.path,
                    clip(&body)
                ));
            }
            if !row.discloses_owner
                && let Some(trace) = leaked_in(fx, who, &body)
            {
                failures.push(format!(
                    "{} by {who:?} shows the owner's {trace:?}: {}",
                    row.path,
                    clip(&body)
                ));
            }
        }
    }
    failures.extend(plain::check(fx).await);
    failures.extend(pages::check(fx).await);
    // Every action the calls above recorded can be found with the audit
    // page's filter.
    let actions: Vec<String> = sqlx::query_scalar("SELECT DISTINCT action FROM audit_log")
        .fetch_all(fx.store().pool_for_tests())
        .await
        .unwrap();
    assert!(actions.len() > 40, "only {} kinds of action", actions.len());
    for action in actions {
        if academy_shared::audit::AuditArea::of(&action).is_none() {
            failures.push(format!("the audit action {action} is in no AuditArea"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

pub fn clip(body: &str) -> String {
    body.chars().take(300).collect()
}

/// Both backends in turn, in one test: two demo servers rendering pages at
/// once on two cores make the page-stall retry (see `Fixture::get`) likely.
#[tokio::test]
async fn every_endpoint_refuses_everyone_it_should() {
    let server = start_with_demo(|c| c).await;
    let mut fx = Fixture::new(server).await;
    run_matrix(&mut fx).await;
    drop(fx);

    let Some(database) = FreshDatabase::create("authz").await else {
        return;
    };
    let url = database.url.clone();
    let server = start_with_demo(move |mut c| {
        c.database_url = server::config::Secret::new(url);
        c
    })
    .await;
    let store = server.store.clone();
    let mut fx = Fixture::new(server).await;
    run_matrix(&mut fx).await;
    drop(fx);
    database.drop_now(&store).await;
}
