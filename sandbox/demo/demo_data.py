"""Builds the sandbox's demo content: two sites, their page trees and their redirects.

Deterministic (a fixed random seed), so screenshots and tests see the same data.
Every redirect is a core ``Redirect``: permanent and temporary; to a page, to a page
route, to a path and to an external URL; site-specific and all-sites; with query
strings and non-ASCII paths in the source; a 307, a 308 and a gone URL (410) with our
details beside core's row, and some hit counts; and some created automatically when
the demo moves a page and changes a slug, exactly as an editor would.

The council's site is bilingual in part: some of its pages have a Welsh translation
under ``/cy/`` (Welsh slugs, made as ``wagtail.contrib.simple_translation`` makes them),
with a few Welsh redirects and an automatic one from a Welsh slug change.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale, Page, Site

from wagtail_redirect_tools import schedule_redirect
from wagtail_redirect_tools.models import RedirectDetails, ScheduledRedirect
from wagtail_redirect_tools.not_found.models import NotFoundIgnoreRule, NotFoundPath

from .models import ArticleIndexPage, ArticlePage, EventIndexPage, HomePage, SectionPage

COUNCIL_HOST = "localhost"
SHOP_HOST = "shop.localhost"
WELSH = "cy"

#: The council pages translated into Welsh: English slug -> (Welsh title, Welsh slug),
#: parents before their children.
WELSH_PAGES = {
    "about": ("Amdanom ni", "amdanom"),
    "contact-us": ("Cysylltu â ni", "cysylltu-a-ni"),
    "services": ("Gwasanaethau", "gwasanaethau"),
    "bins-and-recycling": ("Biniau ac ailgylchu", "biniau-ac-ailgylchu"),
    "parking": ("Parcio", "parcio"),
}

SERVICES = [
    "bins-and-recycling",
    "parking",
    "libraries",
    "planning",
    "housing",
    "schools",
    "leisure-centres",
    "roads-and-pavements",
]
PRODUCTS = [
    "harbour-mug",
    "lighthouse-print",
    "tide-tables-2027",
    "sailing-map",
    "fishermans-jumper",
    "pier-postcards",
    "seaside-tote-bag",
    "anchor-keyring",
    "gull-plush-toy",
    "harbour-calendar",
]


@dataclass(frozen=True, kw_only=True)
class DemoSummary:
    sites: int
    pages: int
    redirects: int
    automatic_redirects: int
    scheduled_redirects: int


def demo_exists() -> bool:
    return HomePage.objects.filter(slug="harbourside").exists()


def remove_demo() -> None:
    """Delete every site, page (but the tree root), redirect and 404 log entry and rule."""
    with transaction.atomic():
        Redirect.objects.all().delete()
        ScheduledRedirect.objects.all().delete()
        NotFoundPath.objects.all().delete()
        NotFoundIgnoreRule.objects.all().delete()
        Site.objects.all().delete()
        for page in Page.get_first_root_node().get_children():
            page.delete()


def build_demo(*, port: int = 8000) -> DemoSummary:
    """Replace whatever is there with the demo content; ``port`` is the sandbox server's."""
    remove_demo()
    rng = random.Random(2026)
    with transaction.atomic():
        council = _council_tree(rng, port)
        shop = _shop_tree(rng, port)
        _manual_redirects(council, shop)
    # Each translation published in a transaction of its own, as editors publish them
    # one request at a time (Wagtail sends its slug-change signal on commit).
    welsh = _welsh_translations(council)
    _welsh_redirects(council, welsh)
    # After the commit: Wagtail's own handlers create automatic redirects on move
    # and on slug change (the slug-change signal is sent on commit).
    _editor_changes(council)
    _welsh_editor_changes(welsh)
    _scheduled_windows(council, shop)
    _pattern_redirects(council, shop)
    return DemoSummary(
        sites=Site.objects.count(),
        pages=Page.objects.filter(depth__gt=1).count(),
        redirects=Redirect.objects.count(),
        automatic_redirects=Redirect.objects.filter(automatically_created=True).count(),
        scheduled_redirects=ScheduledRedirect.objects.count(),
    )


def _add(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    return page


def _section(parent: Page, slug: str, *, menu: bool = False, body: str = "") -> SectionPage:
    title = slug.replace("-", " ").capitalize()
    body = body or f"<p>Everything about {title.lower()}.</p>"
    return _add(parent, SectionPage(title=title, slug=slug, show_in_menus=menu, body=body))


def _articles(index: ArticleIndexPage, rng: random.Random, topics: list[str]) -> None:
    start = datetime.date(2024, 1, 1)
    for number, topic in enumerate(topics, start=1):
        date = start + datetime.timedelta(days=rng.randrange(0, 700))
        _add(
            index,
            ArticlePage(
                title=topic.capitalize(),
                slug=f"{topic.replace(' ', '-')}-{number}",
                date=date,
                body=f"<p>{topic.capitalize()}: the full story.</p>",
            ),
        )


@dataclass(frozen=True, kw_only=True)
class Tree:
    site: Site
    home: HomePage
    sections: dict[str, Page]


def _home_and_site(title: str, slug: str, intro: str, **site_fields: Any) -> tuple[HomePage, Site]:
    home = _add(Page.get_first_root_node(), HomePage(title=title, slug=slug, intro=intro))
    return home, Site.objects.create(root_page=home, site_name=title, **site_fields)


def _council_tree(rng: random.Random, port: int) -> Tree:
    home, site = _home_and_site(
        "Harbourside Council",
        "harbourside",
        "<p>Welcome to Harbourside, the town by the sea.</p>",
        hostname=COUNCIL_HOST,
        port=port,
        is_default_site=True,
    )
    about = _section(home, "about", menu=True, body="<p>Who we are and how the council works.</p>")
    for slug in ("history", "our-team", "contact-us", "jobs"):
        _section(about, slug)
    services = _section(home, "services", menu=True)
    for slug in SERVICES:
        service = _section(services, slug)
        _section(service, f"apply-{slug}")
        _section(service, f"{slug}-faq")
    news = _add(home, ArticleIndexPage(title="News", slug="news", show_in_menus=True))
    topics = [
        "new harbour wall",
        "beach clean",
        "library opening hours",
        "budget consultation",
        "winter gritting",
        "summer festival",
        "bus timetable",
        "lifeguard recruitment",
        "park restoration",
        "recycling week",
        "pier repairs",
        "street lighting",
        "council elections",
        "tide warning",
        "market returns",
        "cycle lanes",
        "school places",
        "flood defences",
        "town twinning",
        "lighthouse tours",
    ]
    _articles(news, rng, topics)
    events = _add(
        home,
        EventIndexPage(
            title="Events",
            slug="events",
            show_in_menus=True,
            intro="<p>Concerts, markets and races.</p>",
        ),
    )
    sections = {"about": about, "services": services, "news": news, "events": events}
    return Tree(site=site, home=home, sections=sections)


def _shop_tree(rng: random.Random, port: int) -> Tree:
    home, site = _home_and_site(
        "Harbourside Shop",
        "harbourside-shop",
        "<p>Souvenirs from the harbour.</p>",
        hostname=SHOP_HOST,
        port=port,
    )
    products = _section(home, "products", menu=True)
    for slug in PRODUCTS:
        _section(products, slug)
    help_section = _section(home, "help", menu=True)
    for slug in ("delivery", "returns", "payment", "gift-cards", "contact"):
        _section(help_section, slug)
    blog = _add(home, ArticleIndexPage(title="Blog", slug="blog", show_in_menus=True))
    _articles(blog, rng, ["new season", "gift guide", "behind the scenes", "maker stories"])
    sections = {"products": products, "help": help_section, "blog": blog}
    return Tree(site=site, home=home, sections=sections)


def _redirect(
    old_path: str,
    target: Page | str,
    *,
    site: Site | None,
    permanent: bool = True,
    route: str = "",
) -> Redirect:
    redirect = Redirect(
        old_path=Redirect.normalise_path(old_path), site=site, is_permanent=permanent
    )
    if isinstance(target, Page):
        redirect.redirect_page = target
        redirect.redirect_page_route_path = route
    else:
        redirect.redirect_link = target
    return redirect


def _manual_redirects(council: Tree, shop: Tree) -> None:
    """The redirects an editor team would have gathered by hand and by a first import."""
    rows: list[Redirect] = []
    c_site, s_site = council.site, shop.site
    articles = list(ArticlePage.objects.child_of(council.sections["news"]).order_by("path"))
    for number, article in enumerate(articles, start=101):
        # The old CMS addressed articles by id in the query string...
        rows.append(_redirect(f"/index.php?id={number}", article, site=c_site))
        # ...and by year and slug.
        rows.append(_redirect(f"/news/{article.date:%Y}/{article.slug}.html", article, site=c_site))
    for service in council.sections["services"].get_descendants():
        rows.append(_redirect(f"/council-services/{service.slug}", service, site=c_site))
    # The old site had every page under /en/.
    for page in council.home.get_descendants():
        rows.append(_redirect(f"/en{page.relative_url(c_site)}", page, site=c_site))

    events = council.sections["events"]
    about = council.sections["about"]
    rows += [
        _redirect("/past-events", events, site=c_site, route="/past/"),
        _redirect("/events/archive", events, site=c_site, route="/past/"),
        _redirect("/whats-on", events, site=c_site),
        # Non-ASCII sources are stored as IRIs, like core's admin stores them.
        _redirect("/über-uns", about, site=c_site),
        _redirect("/café-opening-times", "/services/leisure-centres/", site=c_site),
        _redirect("/histoire", about.get_children().get(slug="history"), site=c_site),
        # Temporary (302) campaign and vanity paths.
        _redirect("/vote", "/news/", site=c_site, permanent=False),
        _redirect("/budget", articles[3], site=c_site, permanent=False),
        _redirect("/festival", articles[5], site=c_site, permanent=False),
        _redirect("/gritting", articles[4], site=c_site, permanent=False),
        _redirect("/report-it", "https://forms.example.org/harbourside/report", site=c_site),
        _redirect("/pay", "https://payments.example.org/harbourside", site=c_site, permanent=False),
    ]
    # Redirects that apply to every site (site left blank).
    for slug, target in [
        ("/privacy-policy", "https://www.example.org/privacy"),
        ("/cookies", "https://www.example.org/cookies"),
        ("/accessibility-statement", "https://www.example.org/accessibility"),
        ("/facebook", "https://www.facebook.com/example"),
        ("/instagram", "https://www.instagram.com/example"),
        ("/careers", "https://jobs.example.org/harbourside"),
        ("/sitemap.php", "/sitemap.xml"),
        ("/home.html", "/"),
        ("/index.html", "/"),
        ("/default.aspx", "/"),
    ]:
        rows.append(_redirect(slug, target, site=None))

    products = list(shop.sections["products"].get_children().order_by("path"))
    for number, product in enumerate(products, start=1):
        rows.append(_redirect(f"/product.php?id={number}", product, site=s_site))
        rows.append(_redirect(f"/catalogue/{product.slug}", product, site=s_site))
    for page in shop.sections["help"].get_children():
        rows.append(_redirect(f"/faq/{page.slug}", page, site=s_site))
    for page in shop.sections["blog"].get_children():
        rows.append(_redirect(f"/journal/{page.slug}", page, site=s_site))
    # The shop used to live under /shop/ on the council's domain... and on its own.
    for page in shop.home.get_descendants():
        rows.append(_redirect(f"/shop{page.relative_url(s_site)}", page, site=s_site))
    rows.append(_redirect("/sale", shop.sections["products"], site=s_site, permanent=False))
    rows.append(Redirect(old_path="/consultation-2019", site=c_site))  # gone: no target
    Redirect.objects.bulk_create(rows)
    _exact_codes_and_hits(c_site)


def _welsh_translations(council: Tree) -> dict[str, Page]:
    """The council's home page and some of its pages in Welsh, as an editor translates
    them with simple_translation (a draft copy in Welsh), each given its Welsh title and
    slug and published. Returns them by their English slug."""
    locale, _created = Locale.objects.get_or_create(language_code=WELSH)
    home = council.home.copy_for_translation(locale)
    home.title = "Cyngor Glan yr Harbwr"
    home.intro = "<p>Croeso i Lan yr Harbwr, y dref ar lan y môr.</p>"
    home.save_revision().publish()
    welsh: dict[str, Page] = {"home": home}
    english = council.home.get_descendants().filter(slug__in=WELSH_PAGES).order_by("path")
    for page in english.specific():
        title, slug = WELSH_PAGES[page.slug]
        translation = page.copy_for_translation(locale).specific
        translation.title, translation.slug = title, slug
        translation.body = f"<p>{title}.</p>"
        translation.save_revision().publish()
        welsh[page.slug] = translation
    return welsh


def _welsh_redirects(council: Tree, welsh: dict[str, Page]) -> None:
    """Old Welsh URLs, under the Welsh prefix, to Welsh pages."""
    site = council.site
    Redirect.objects.bulk_create(
        [
            _redirect("/cy/hen-wasanaethau", welsh["services"], site=site),
            _redirect("/cy/biniau", welsh["bins-and-recycling"], site=site),
            _redirect("/cy/cysylltu", welsh["contact-us"], site=site, permanent=False),
        ]
    )


def _welsh_editor_changes(welsh: dict[str, Page]) -> None:
    """A Welsh editor renames the Welsh parking page: its old Welsh URL redirects."""
    parking = Page.objects.get(pk=welsh["parking"].pk).specific
    parking.slug = "parcio-ceir"
    parking.title = "Parcio ceir"
    parking.save_revision().publish()


def _exact_codes_and_hits(site: Site) -> None:
    """Status codes core has no field for, and the hits a live site would have counted."""
    by_path = {r.old_path: r for r in Redirect.objects.filter(site=site)}
    for path, code in [("/pay", 307), ("/report-it", 308), ("/consultation-2019", 410)]:
        RedirectDetails.record(by_path[path], status_code=code)
    now = timezone.now().replace(microsecond=0)
    for path, hits, ago in [
        ("/vote", 1840, datetime.timedelta(minutes=3)),
        ("/pay", 925, datetime.timedelta(minutes=12)),
        ("/whats-on", 311, datetime.timedelta(hours=5)),
        ("/consultation-2019", 12, datetime.timedelta(days=2)),
    ]:
        details = RedirectDetails.record(by_path[path])
        details.hits, details.last_hit_at = hits, now - ago
        details.save(update_fields=["hits", "last_hit_at"])


def _editor_changes(council: Tree) -> None:
    """What editors did after launch; Wagtail creates automatic redirects for each."""
    # Libraries moved under "about" (with their two child pages).
    libraries = SectionPage.objects.get(slug="libraries")
    libraries.move(council.sections["about"], pos="last-child")
    # "Jobs" renamed to "Work for us": a slug change of a published page.
    jobs = SectionPage.objects.get(slug="jobs")
    jobs.slug = "work-for-us"
    jobs.title = "Work for us"
    jobs.save_revision().publish()
    # The whole news section renamed: every article's URL changes.
    news = council.sections["news"].specific
    news.slug = "latest-news"
    news.save_revision().publish()


def _pattern_redirects(council: Tree, shop: Tree) -> None:
    """Whole old sections in one row each: the old CMS's blog (the rest of the path carried
    to the news section), its dated article URLs (named segments) and the shop's old
    community forum, moved to another domain."""
    for source, target, site in [
        ("/blog/*", "/latest-news/:splat", council.site),
        ("/articles/:year/:slug", "/latest-news/:slug/", council.site),
        ("/forum/*", "https://community.example.org/harbourside/:splat", shop.site),
    ]:
        redirect = Redirect.objects.create(old_path=source, redirect_link=target, site=site)
        RedirectDetails.record(redirect, is_pattern=True)


def _scheduled_windows(council: Tree, shop: Tree) -> None:
    """Temporary redirects with a time window: one active, two upcoming, one expired."""
    now = timezone.now().replace(second=0, microsecond=0)
    day = datetime.timedelta(days=1)
    articles = list(ArticlePage.objects.child_of(council.sections["news"]).order_by("path"))
    # Active, on a live page: the bins page points at the holiday collections article.
    schedule_redirect(
        SectionPage.objects.get(slug="bins-and-recycling"),
        articles[0],
        starts_at=now - 2 * day,
        expires_at=now + 14 * day,
        reason="Bins page under review: point visitors at the harbour wall news",
    )
    # Upcoming: a vanity path on the shop, and the shop's gift-cards page during a sale.
    schedule_redirect(
        "/winter-sale",
        shop.sections["products"],
        site=shop.site,
        starts_at=now + 7 * day,
        expires_at=now + 21 * day,
        reason="Winter sale",
    )
    schedule_redirect(
        SectionPage.objects.get(slug="gift-cards"),
        "https://giftcards.example.org/harbourside",
        status_code=307,
        starts_at=now + 3 * day,
        expires_at=now + 10 * day,
        reason="Gift card partner campaign",
    )
    # Expired last month (kept, shown as expired, until the retention period ends).
    ScheduledRedirect.objects.create(
        old_path="/summer-fair",
        redirect_page=council.sections["events"],
        starts_at=now - 60 * day,
        expires_at=now - 30 * day,
        reason="Summer fair",
    )
