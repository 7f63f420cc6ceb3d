use crate::i18n::*;
use crate::pages::discussion::GroupsToday;
use crate::pages::journey::MyClasses;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero">
            <h1 data-testid="home-title">{t!(i18n, home_title)}</h1>
            <p class="lead">{t!(i18n, home_intro)}</p>
        </section>
        <MyClasses />
        <GroupsToday />
        <crate::components::app_channel::InstallEntry />
        <section class="card">
            <h2>{t!(i18n, home_steps_title)}</h2>
            <ol class="steps">
                <li>{t!(i18n, step_register)}</li>
                <li>{t!(i18n, step_pretest)}</li>
                <li>{t!(i18n, step_study)}</li>
                <li>{t!(i18n, step_survey)}</li>
                <li>{t!(i18n, step_final)}</li>
                <li>{t!(i18n, step_certificate)}</li>
            </ol>
        </section>
        <section class="card">
            <h2>{t!(i18n, home_features_title)}</h2>
            <ul class="features">
                <li>{t!(i18n, feature_every_channel)}</li>
                <li>{t!(i18n, feature_honest_time)}</li>
                <li>{t!(i18n, feature_bound_device)}</li>
            </ul>
        </section>
    }
}
