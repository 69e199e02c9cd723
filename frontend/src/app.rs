//! The root component: providers (translations, session, router) and the route table.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::components::receipt::Receipt;
use crate::i18n::*;
use crate::locale::RememberLocale;
use crate::new_version::NewVersion;
use crate::pages::accounts::{AccountsPage, MyAccountPage};
use crate::pages::activities::ActivitiesPage;
use crate::pages::activity::ActivityPage;
use crate::pages::board_pack::BoardPackPage;
use crate::pages::calendar::CalendarPage;
use crate::pages::conflicts::ConflictsPage;
use crate::pages::dialogues::{DialoguePage, NewDialoguePage};
use crate::pages::events::{EventPage, EventsPage};
use crate::pages::follow_ups::FollowUpsPage;
use crate::pages::ideas::{IdeaPage, IdeasPage, NewIdeaPage};
use crate::pages::import::ImportPage;
use crate::pages::marketing::{MarketingItemPage, MarketingPage, NewMarketingPage, WeekQuestionPage};
use crate::pages::partners::{NewPartnerPage, PartnerPage, PartnersPage};
use crate::pages::people::{AmbassadorsPage, PeoplePage, PersonPage};
use crate::pages::privacy::PrivacyPage;
use crate::pages::report::{MunicipalityPage, ReportPage};
use crate::pages::shared::SharedPage;
use crate::pages::{
    goal::GoalPage, layout::AuthedLayout, login::LoginPage, overview::OverviewPage, NotFound,
};
use crate::session::SessionState;
use crate::store::sync::SyncEngine;

/// Tavla's app: everything below needs the translation context and the session.
#[component]
pub fn App() -> impl IntoView {
    let session = SessionState::restore();
    provide_context(session);
    crate::boot::follow_plain_login(session);
    SyncEngine::provide();
    Receipt::provide();
    // The service worker caches every file of the build, so the app opens on any page with no
    // network; a new build is offered, never forced.
    NewVersion::provide();
    // The pages are drawn in the task after the one that set the app up (see `main`); the plain
    // page of index.html stays until then, so no empty frame shows.
    let drawn = RwSignal::new(false);
    set_timeout(
        move || {
            drawn.set(true);
            crate::boot::hand_over();
            crate::boot::mark("tavla-drawn");
        },
        std::time::Duration::ZERO,
    );
    view! {
        <I18nContextProvider>
            <RememberLocale />
            <Show when=move || drawn.get()>
            <Router>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/logga-in") view=LoginPage />
                    <Route path=path!("/delning/:secret") view=SharedPage />
                    <ParentRoute path=path!("") view=AuthedLayout>
                        <Route path=path!("") view=OverviewPage />
                        <Route path=path!("mal/:number") view=GoalPage />
                        <Route path=path!("aktivitet/:id") view=ActivityPage />
                        <Route path=path!("aktiviteter") view=ActivitiesPage />
                        <Route path=path!("handelser") view=EventsPage />
                        <Route path=path!("handelser/ny") view=EventPage />
                        <Route path=path!("handelser/:id") view=EventPage />
                        <Route path=path!("ideer") view=IdeasPage />
                        <Route path=path!("ideer/ny") view=NewIdeaPage />
                        <Route path=path!("ideer/:id") view=IdeaPage />
                        <Route path=path!("personer") view=PeoplePage />
                        <Route path=path!("personer/:id") view=PersonPage />
                        <Route path=path!("ambassadorer") view=AmbassadorsPage />
                        <Route path=path!("partner") view=PartnersPage />
                        <Route path=path!("partner/ny") view=NewPartnerPage />
                        <Route path=path!("partner/:id") view=PartnerPage />
                        <Route path=path!("dialog/ny") view=NewDialoguePage />
                        <Route path=path!("dialog/:id") view=DialoguePage />
                        <Route path=path!("att-gora") view=FollowUpsPage />
                        <Route path=path!("marknadsforing") view=MarketingPage />
                        <Route path=path!("marknadsforing/ny") view=NewMarketingPage />
                        <Route path=path!("marknadsforing/vecka/:week") view=WeekQuestionPage />
                        <Route path=path!("marknadsforing/:id") view=MarketingItemPage />
                        <Route path=path!("kalender") view=CalendarPage />
                        <Route path=path!("importera") view=ImportPage />
                        <Route path=path!("styrelsemote") view=BoardPackPage />
                        <Route path=path!("uppfoljning") view=ReportPage />
                        <Route path=path!("uppfoljning/:year") view=ReportPage />
                        <Route path=path!("kommun/:name") view=MunicipalityPage />
                        <Route path=path!("personuppgifter") view=PrivacyPage />
                        <Route path=path!("konflikter") view=ConflictsPage />
                        <Route path=path!("konton") view=AccountsPage />
                        <Route path=path!("mitt-konto") view=MyAccountPage />
                    </ParentRoute>
                </Routes>
            </Router>
            </Show>
        </I18nContextProvider>
    }
}
