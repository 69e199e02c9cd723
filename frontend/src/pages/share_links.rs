//! The admins' share links (on `/konton`): a read-only link to the overview or the follow-up for
//! someone without an account (a municipality, the managing authority), shown once when made,
//! listed by name, and revoked at once.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tavla_shared::wire::{NewShareLink, ShareTarget};

use crate::api;
use crate::components::format::local_time;
use crate::components::{tr, trf};
use crate::i18n::*;
use crate::session::use_session;

/// The share links section of the accounts page.
#[component]
pub fn ShareLinks() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let token = move || session.0.with_untracked(|s| s.as_ref().map(|s| s.token.clone()).unwrap_or_default());
    let links = LocalResource::new(move || {
        let token = token();
        async move { api::share_links(&token).await }
    });
    let name = RwSignal::new(String::new());
    let target = RwSignal::new(ShareTarget::Report);
    let made: RwSignal<Option<String>> = RwSignal::new(None);
    let message: RwSignal<Option<String>> = RwSignal::new(None);
    let create = move |ev: SubmitEvent| {
        ev.prevent_default();
        let new =
            NewShareLink { target: target.get_untracked(), name: name.get_untracked().trim().to_string() };
        if new.name.is_empty() {
            message.set(Some(t_string!(i18n, share_name_missing).to_string()));
            return;
        }
        spawn_local(async move {
            match api::create_share_link(&token(), &new).await {
                Ok(created) => {
                    let origin = window().location().origin().unwrap_or_default();
                    made.set(Some(format!("{origin}{}", created.path)));
                    message.set(None);
                    name.set(String::new());
                    links.refetch();
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    let revoke = move |id: uuid::Uuid| {
        spawn_local(async move {
            match api::revoke_share_link(&token(), id).await {
                Ok(()) => {
                    made.set(None);
                    links.refetch();
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    let choice = move |t: ShareTarget, id: &'static str| {
        view! {
            <div class="check">
                <input type="radio" name="share-target" id=id prop:checked=move || target.get() == t on:change=move |_| target.set(t) />
                <label for=id>{move || match t {
                    ShareTarget::Overview => t_string!(i18n, share_target_overview),
                    ShareTarget::Report => t_string!(i18n, share_target_report),
                }}</label>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="share-heading">
            <h2 id="share-heading">{tr(i18n, |i| t_string!(i, share_heading))}</h2>
            <p>{tr(i18n, |i| t_string!(i, share_intro))}</p>
            <Suspense fallback=|| ()>
                {move || links.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{tr(i18n, |i| t_string!(i, share_none))}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="report-list">
                            {list.into_iter().map(|l| {
                                let what = l.target;
                                let when = local_time(l.created_at as f64);
                                let label = l.name.clone();
                                view! {
                                    <li class="report-item">
                                        <strong>{l.name}</strong> " · "
                                        {move || match what { ShareTarget::Overview => t_string!(i18n, share_target_overview), ShareTarget::Report => t_string!(i18n, share_target_report) }}
                                        " · " {trf(i18n, |i| t_string!(i, share_created), vec![("date", when.clone()), ("by", l.created_by.clone())])} " "
                                        <button type="button" class="link-button" aria-label=move || crate::components::fill(t_string!(i18n, share_revoke_named), &[("name", label.clone())])
                                            on:click=move |_| revoke(l.id)>{tr(i18n, |i| t_string!(i, share_revoke))}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="sync-error" role="alert">{e.to_string()}</p> }.into_any(),
                })}
            </Suspense>
            <form class="form" on:submit=create>
                <label for="share-name">{tr(i18n, |i| t_string!(i, share_name))}</label>
                <input id="share-name" maxlength="100" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                <fieldset class="check-list">
                    <legend>{tr(i18n, |i| t_string!(i, share_target))}</legend>
                    {choice(ShareTarget::Report, "share-report")}
                    {choice(ShareTarget::Overview, "share-overview")}
                </fieldset>
                {move || message.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <button type="submit">{tr(i18n, |i| t_string!(i, share_create))}</button>
            </form>
            {move || made.get().map(|url| view! {
                <div class="share-made" role="status">
                    <label for="share-url">{tr(i18n, |i| t_string!(i, share_url))}</label>
                    <input id="share-url" readonly prop:value=url />
                </div>
            })}
        </section>
    }
}
