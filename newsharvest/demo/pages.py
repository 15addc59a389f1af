# ruff: noqa: E501 - HTML templates keep one element per line
"""HTML rendering of the demo sites: three template styles with the boilerplate real news pages carry.

Every renderer returns the page HTML and, for article pages, the exact boilerplate strings it injected, so the
truth can measure leaks. The styles differ where extractors struggle:

* ``wordpress``: article paragraphs, an "updated" line, the author box with a first-person bio, the comment
  form's prompts and a related-articles list are *siblings* inside one content container (no telltale class
  names), which is what plain trafilatura keeps.
* ``portal``: a date bar, rows of ad slots, captions and credits, the headline repeated in the body, "Read
  more:" teasers, sponsored units, share and newsletter prompts and previous/next links inside the story body.
* ``clean``: a semantic ``<article>`` whose boilerplate sits outside it (asides, footer, cookie notice).
"""

from __future__ import annotations

import html
import json
import random
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from newsharvest.demo.model import Article, Author, Host, slugify

__all__ = ["UI", "PageKit", "Rendered"]

UI: dict[str, dict[str, object]] = {
    "en": {
        "sections": {
            "world": ("world", "World"),
            "business": ("business", "Business"),
            "politics": ("politics", "Politics"),
            "science": ("science", "Science"),
            "sport": ("sport", "Sport"),
            "culture": ("culture", "Culture"),
        },
        "by": "By",
        "and": "and",
        "updated": "Last updated on {date}",
        "comments": (
            "Leave a Reply",
            "Please enter your comment!",
            "Please enter your name here",
            "You have entered an incorrect email address!",
            "Please enter your email address here",
            "Save my name, email, and website in this browser for the next time I comment.",
        ),
        "related": "Related articles",
        "more_from": "More from author",
        "ad": "Advertisement",
        "sponsored": "Sponsored",
        "sponsor_copy": (
            "Discover the new Alder Hybrid: comfort for every journey",
            "Five smart ways to cut your energy bill this winter",
            "Compare mortgage rates in minutes with Harbourline",
        ),
        "read_more": "Read more:",
        "newsletter": "Sign up for our morning briefing and get the day's top stories in your inbox.",
        "subscribe": "Subscribe",
        "share": "Share this article",
        "cookie": "We use cookies to personalise content and ads and to analyse our traffic. By continuing to"
        " browse this site you agree to our use of cookies.",
        "accept": "Accept",
        "copyright": "© {year} {site}. All rights reserved.",
        "prev": "Previous article",
        "next": "Next article",
        "photo": "Photo: {credit}",
        "captions": (
            "Residents walk past the town hall in {place} earlier this month.",
            "The site at the centre of the debate in {place}.",
            "A view over {place} from the harbour wall.",
        ),
        "most_read": "Most read",
        "follow": "Follow us on social media",
        "home": "Home",
        "latest": "Latest news",
        "about": "About us",
        "contact": "Contact",
        "search": "Search",
        "search_results": "Search results for “{q}”",
        "page": "Page {n}",
        "older": "Older posts",
        "newer": "Newer posts",
        "tag": "Tag: {tag}",
        "tags": "Tags",
        "author_page": "Articles by {name}",
        "login": "Log in",
        "partners": "Our partner network",
        "advertise": "Advertise with us",
        "print": "Print",
        "printed_from": "Printed from {site}",
        "about_text": (
            "{site} is an independent newsroom founded in {year}. Our reporters cover local government,"
            " business, science and culture across the region, and we publish corrections openly.",
            "We are funded by subscriptions and advertising. Advertisers have no influence over our"
            " journalism, and sponsored content is always labelled.",
            "Our staff directory and editorial guidelines are available to members of the newsroom.",
        ),
        "contact_text": (
            "Send news tips to our newsdesk. We read every message, but we cannot reply to all of them.",
            "For corrections, please include the address of the article and a short description of the error.",
        ),
        "staff": "Staff directory",
        "documents": "Documents and downloads",
        "archive": "From the archive",
        "most_shared": "Most shared",
        "lite": "Lite version",
        "bio": (
            "As a reporter, I have covered {beat} for more than {years} years, first at regional papers and now"
            " at {site}. When I am not chasing a story, I enjoy {hobby} and spending time with my family.",
            "I joined {site} in {since} and write mostly about {beat}. I grew up in {place}, and I still believe"
            " good journalism starts with listening. Outside work I love {hobby}.",
            "Writing about {beat} is my passion. I have lived in {place} for {years} years, and when I am not"
            " at my desk you will find me {hobby}.",
        ),
        "beats": ("local politics", "business and the economy", "science and the environment", "transport"),
        "hobbies": ("hiking in the hills", "cooking for friends", "playing chess", "sailing on the bay"),
        "date": "{month} {day}, {year}",
        "months": "January February March April May June July August September October November December",
        "days": "Mon Tue Wed Thu Fri Sat Sun",
    },
    "de": {
        "sections": {
            "world": ("welt", "Welt"),
            "business": ("wirtschaft", "Wirtschaft"),
            "politics": ("politik", "Politik"),
            "science": ("wissenschaft", "Wissenschaft"),
            "sport": ("sport", "Sport"),
            "culture": ("kultur", "Kultur"),
        },
        "by": "Von",
        "and": "und",
        "updated": "Zuletzt aktualisiert am {date}",
        "comments": (
            "Hinterlasse eine Antwort",
            "Bitte geben Sie Ihren Kommentar ein!",
            "Bitte geben Sie hier Ihren Namen ein",
            "Sie haben eine falsche E-Mail-Adresse eingegeben!",
            "Bitte geben Sie hier Ihre E-Mail-Adresse ein",
            "Meinen Namen, meine E-Mail-Adresse und meine Website in diesem Browser speichern.",
        ),
        "related": "Ähnliche Artikel",
        "more_from": "Mehr vom Autor",
        "ad": "Anzeige",
        "sponsored": "Gesponsert",
        "sponsor_copy": (
            "Entdecken Sie den neuen Alder Hybrid: Komfort für jede Reise",
            "Fünf Tipps, wie Sie im Winter Energie sparen",
        ),
        "read_more": "Lesen Sie auch:",
        "newsletter": "Abonnieren Sie unseren Morgen-Newsletter mit den wichtigsten Nachrichten des Tages.",
        "subscribe": "Abonnieren",
        "share": "Artikel teilen",
        "cookie": "Wir verwenden Cookies, um Inhalte und Anzeigen zu personalisieren und unseren Datenverkehr zu"
        " analysieren. Wenn Sie weiter surfen, stimmen Sie der Verwendung von Cookies zu.",
        "accept": "Akzeptieren",
        "copyright": "© {year} {site}. Alle Rechte vorbehalten.",
        "prev": "Vorheriger Artikel",
        "next": "Nächster Artikel",
        "photo": "Foto: {credit}",
        "captions": (
            "Blick auf {place}, wo das Thema seit Monaten diskutiert wird.",
            "Passanten vor dem Rathaus in {place}.",
        ),
        "most_read": "Meistgelesen",
        "follow": "Folgen Sie uns in den sozialen Medien",
        "home": "Startseite",
        "latest": "Neueste Nachrichten",
        "about": "Über uns",
        "contact": "Kontakt",
        "search": "Suche",
        "search_results": "Suchergebnisse für „{q}“",
        "page": "Seite {n}",
        "older": "Ältere Beiträge",
        "newer": "Neuere Beiträge",
        "tag": "Schlagwort: {tag}",
        "tags": "Schlagwörter",
        "author_page": "Artikel von {name}",
        "login": "Anmelden",
        "partners": "Unser Partnernetzwerk",
        "advertise": "Werben bei uns",
        "print": "Drucken",
        "printed_from": "Gedruckt von {site}",
        "about_text": (
            "{site} ist eine unabhängige Redaktion, gegründet {year}. Wir berichten über Politik, Wirtschaft,"
            " Wissenschaft und Kultur in der Region.",
            "Wir finanzieren uns über Abonnements und Werbung; Anzeigen sind stets gekennzeichnet.",
            "Das Mitarbeiterverzeichnis steht nur der Redaktion zur Verfügung.",
        ),
        "contact_text": (
            "Hinweise schicken Sie bitte an unsere Nachrichtenredaktion.",
            "Für Korrekturen nennen Sie bitte die Adresse des Artikels und den Fehler.",
        ),
        "staff": "Mitarbeiterverzeichnis",
        "documents": "Dokumente",
        "archive": "Aus dem Archiv",
        "most_shared": "Meistgeteilt",
        "lite": "Leichte Version",
        "bio": (
            "Als Reporter berichte ich seit mehr als {years} Jahren über {beat}, zuerst bei Regionalzeitungen und"
            " jetzt bei {site}. In meiner Freizeit gehe ich gern {hobby}.",
            "Ich bin seit {since} bei {site} und schreibe vor allem über {beat}. Aufgewachsen bin ich in"
            " {place}. Wenn ich nicht schreibe, gehe ich {hobby}.",
        ),
        "beats": ("Landespolitik", "Wirtschaft", "Umwelt und Wissenschaft"),
        "hobbies": ("wandern", "segeln", "ins Theater"),
        "date": "{day}. {month} {year}",
        "months": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
        "days": "Mo Di Mi Do Fr Sa So",
    },
    "fr": {
        "sections": {
            "world": ("monde", "Monde"),
            "business": ("economie", "Économie"),
            "politics": ("politique", "Politique"),
            "science": ("sciences", "Sciences"),
            "sport": ("sport", "Sport"),
            "culture": ("culture", "Culture"),
        },
        "by": "Par",
        "and": "et",
        "updated": "Mis à jour le {date}",
        "comments": (
            "Laisser un commentaire",
            "Veuillez entrer votre commentaire !",
            "Veuillez entrer votre nom ici",
            "Vous avez entré une adresse e-mail incorrecte !",
            "Veuillez entrer votre adresse e-mail ici",
            "Enregistrer mon nom et mon e-mail dans ce navigateur pour mon prochain commentaire.",
        ),
        "related": "Articles similaires",
        "more_from": "Plus de l'auteur",
        "ad": "Publicité",
        "sponsored": "Sponsorisé",
        "sponsor_copy": ("Découvrez la nouvelle Alder Hybride : le confort pour chaque trajet",),
        "read_more": "À lire aussi :",
        "newsletter": "Inscrivez-vous à notre lettre du matin et recevez l'essentiel de l'actualité.",
        "subscribe": "S'abonner",
        "share": "Partager cet article",
        "cookie": "Nous utilisons des cookies pour personnaliser le contenu et les publicités et analyser notre"
        " trafic. En poursuivant votre navigation, vous acceptez leur utilisation.",
        "accept": "Accepter",
        "copyright": "© {year} {site}. Tous droits réservés.",
        "prev": "Article précédent",
        "next": "Article suivant",
        "photo": "Photo : {credit}",
        "captions": ("Vue de {place}, où le sujet divise depuis des mois.", "Devant la mairie de {place}."),
        "most_read": "Les plus lus",
        "follow": "Suivez-nous sur les réseaux sociaux",
        "home": "Accueil",
        "latest": "Dernières actualités",
        "about": "Qui sommes-nous",
        "contact": "Contact",
        "search": "Recherche",
        "search_results": "Résultats de recherche pour « {q} »",
        "page": "Page {n}",
        "older": "Articles plus anciens",
        "newer": "Articles plus récents",
        "tag": "Mot-clé : {tag}",
        "tags": "Mots-clés",
        "author_page": "Articles de {name}",
        "login": "Connexion",
        "partners": "Notre réseau de partenaires",
        "advertise": "Annoncer chez nous",
        "print": "Imprimer",
        "printed_from": "Imprimé depuis {site}",
        "about_text": (
            "{site} est une rédaction indépendante fondée en {year}. Nous couvrons la vie publique, l'économie,"
            " les sciences et la culture de la région.",
            "Nous sommes financés par les abonnements et la publicité, toujours signalée comme telle.",
            "L'annuaire de la rédaction est réservé aux membres de l'équipe.",
        ),
        "contact_text": (
            "Envoyez vos informations à notre rédaction.",
            "Pour une correction, indiquez l'adresse de l'article et l'erreur constatée.",
        ),
        "staff": "Annuaire de la rédaction",
        "documents": "Documents",
        "archive": "Archives",
        "most_shared": "Les plus partagés",
        "lite": "Version allégée",
        "bio": (
            "Journaliste depuis {years} ans, je couvre {beat}, d'abord dans la presse régionale et maintenant"
            " pour {site}. Quand je n'écris pas, j'aime {hobby}.",
            "J'ai rejoint {site} en {since} et j'écris surtout sur {beat}. J'ai grandi à {place} et j'aime"
            " {hobby}.",
        ),
        "beats": ("la politique locale", "l'économie", "l'environnement"),
        "hobbies": ("la randonnée", "la voile", "la cuisine"),
        "date": "{day} {month} {year}",
        "months": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "days": "lun. mar. mer. jeu. ven. sam. dim.",
    },
    "es": {
        "sections": {
            "world": ("mundo", "Mundo"),
            "business": ("economia", "Economía"),
            "politics": ("politica", "Política"),
            "science": ("ciencia", "Ciencia"),
            "sport": ("deportes", "Deportes"),
            "culture": ("cultura", "Cultura"),
        },
        "by": "Por",
        "and": "y",
        "updated": "Actualizado el {date}",
        "comments": (
            "Deja una respuesta",
            "¡Por favor ingrese su comentario!",
            "Por favor ingrese su nombre aquí",
            "¡Has introducido una dirección de correo electrónico incorrecta!",
            "Por favor ingrese su dirección de correo electrónico aquí",
            "Guardar mi nombre y correo electrónico en este navegador para la próxima vez que comente.",
        ),
        "related": "Artículos relacionados",
        "more_from": "Más del autor",
        "ad": "Publicidad",
        "sponsored": "Patrocinado",
        "sponsor_copy": ("Descubre el nuevo Alder Híbrido: comodidad en cada viaje",),
        "read_more": "Lee también:",
        "newsletter": "Suscríbete a nuestro boletín matinal y recibe las noticias más importantes del día.",
        "subscribe": "Suscribirse",
        "share": "Compartir este artículo",
        "cookie": "Utilizamos cookies para personalizar el contenido y los anuncios y analizar nuestro tráfico."
        " Si continúas navegando, aceptas su uso.",
        "accept": "Aceptar",
        "copyright": "© {year} {site}. Todos los derechos reservados.",
        "prev": "Artículo anterior",
        "next": "Artículo siguiente",
        "photo": "Foto: {credit}",
        "captions": (
            "Vista de {place}, donde el asunto divide desde hace meses.",
            "Ante el ayuntamiento de {place}.",
        ),
        "most_read": "Lo más leído",
        "follow": "Síguenos en las redes sociales",
        "home": "Portada",
        "latest": "Últimas noticias",
        "about": "Quiénes somos",
        "contact": "Contacto",
        "search": "Buscar",
        "search_results": "Resultados de búsqueda para «{q}»",
        "page": "Página {n}",
        "older": "Entradas anteriores",
        "newer": "Entradas más recientes",
        "tag": "Etiqueta: {tag}",
        "tags": "Etiquetas",
        "author_page": "Artículos de {name}",
        "login": "Acceder",
        "partners": "Nuestra red de socios",
        "advertise": "Anúnciate con nosotros",
        "print": "Imprimir",
        "printed_from": "Impreso desde {site}",
        "about_text": (
            "{site} es una redacción independiente fundada en {year}. Cubrimos la política, la economía, la"
            " ciencia y la cultura de la región.",
            "Nos financiamos con suscripciones y publicidad, siempre señalada como tal.",
            "El directorio de la redacción está reservado a su personal.",
        ),
        "contact_text": (
            "Envía tus pistas a nuestra redacción.",
            "Para una corrección, indica la dirección del artículo y el error.",
        ),
        "staff": "Directorio de la redacción",
        "documents": "Documentos",
        "archive": "Del archivo",
        "most_shared": "Lo más compartido",
        "lite": "Versión ligera",
        "bio": (
            "Como periodista, cubro {beat} desde hace más de {years} años, primero en diarios regionales y ahora"
            " en {site}. Cuando no escribo, me gusta {hobby}.",
            "Me incorporé a {site} en {since} y escribo sobre todo de {beat}. Crecí en {place} y me encanta"
            " {hobby}.",
        ),
        "beats": ("la política local", "la economía", "el medio ambiente"),
        "hobbies": ("el senderismo", "la vela", "la cocina"),
        "date": "{day} de {month} de {year}",
        "months": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
        "days": "lun mar mié jue vie sáb dom",
    },
}

_CSS = {
    "wordpress": ".td-post-content p{margin:0 0 26px;font-size:17px;line-height:1.74}"
    ".td-header-wrap{background:#111}.td-post-title h1{font:700 41px/1.2 Roboto,sans-serif}",
    "portal": ".date-bar{font-size:12px;background:#eee}.ad-row{height:90px;color:#999}"
    ".story-body p{font:18px/1.6 Georgia,serif}.story-body figure figcaption{font-size:13px}",
    "clean": "article{max-width:680px;margin:auto}.article-body p{font:19px/1.65 'Source Serif',serif}"
    "aside{border-top:1px solid #ddd}",
}

_GOOGLE_ADS = " | ".join(["Google Ads"] * 8)


def esc(text: str) -> str:
    """Escape text for an HTML text node (quotes stay literal, so truth strings match the page text)."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, the format of the truth and of the pages' machine-readable dates."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Rendered:
    """A rendered page: its HTML and the boilerplate strings injected into it."""

    html: str
    boilerplate: list[str] = field(default_factory=list)


class PageKit:
    """Renders every HTML page of one host in that host's template style and language."""

    def __init__(self, host: Host, *, broken_feed: str | None = None) -> None:
        self.host = host
        self.site = host.site
        self.ui = UI[host.site.lang]
        self.broken_feed = broken_feed

    # ----------------------------------------------------------------------------------------- helpers
    def t(self, key: str, **kwargs: object) -> str:
        value = self.ui[key]
        assert isinstance(value, str)
        return value.format(**kwargs) if kwargs else value

    def section(self, key: str) -> tuple[str, str]:
        """(slug, label) of a canonical section key in this host's language."""
        sections = self.ui["sections"]
        assert isinstance(sections, dict)
        return sections[key]

    def human_date(self, moment: datetime) -> str:
        months = str(self.ui["months"]).split()
        return self.t("date", day=moment.day, month=months[moment.month - 1], year=moment.year)

    def updated_line(self, moment: datetime) -> str:
        """The "Last updated on …" line, WordPress style for English ("October 9th, 2022 at 12:05 pm")."""
        if self.site.lang == "en":
            day = moment.day
            suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
            hour = moment.hour % 12 or 12
            stamp = f"{moment:%B} {day}{suffix}, {moment.year} at {hour}:{moment:%M} {'am' if moment.hour < 12 else 'pm'}"
        else:
            stamp = f"{self.human_date(moment)}, {moment:%H:%M}"
        return self.t("updated", date=stamp)

    def date_bar(self, moment: datetime) -> str:
        days = str(self.ui["days"]).split()
        return f"{days[moment.weekday()]}, {moment:%d-%m-%Y}"

    def byline_names(self, article: Article) -> str:
        names = article.byline
        joined = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {self.t('and')} {names[-1]}"
        return f"{joined}, {article.agency}" if article.agency else joined

    def byline_html(self, article: Article) -> str:
        links = []
        staff = {a.name: a for a in article.authors}
        for name in article.byline:
            author = staff.get(name)
            links.append(
                f'<a href="{attr(self.host.url(f"/author/{author.slug}/"))}" rel="author">{esc(name)}</a>'
                if author
                else esc(name)
            )
        joined = links[0] if len(links) == 1 else f"{', '.join(links[:-1])} {self.t('and')} {links[-1]}"
        if article.agency:
            joined += f", {esc(article.agency)}"
        return f'<span class="byline">{self.t("by")} {joined}</span>'

    def link(self, article: Article) -> str:
        return f'<a href="{attr(self.host.url(article.path))}">{esc(article.story.title)}</a>'

    # ------------------------------------------------------------------------------------------ shell
    def shell(
        self,
        *,
        title: str,
        main: str,
        body_class: str,
        canonical: str,
        head: str = "",
        year: int = 2024,
    ) -> tuple[str, list[str]]:
        """Wrap ``main`` in the site chrome (head, nav, footer, cookie notice, trackers).

        Returns the HTML (with padding markers) and the chrome's boilerplate strings.
        """
        site = self.site
        host = self.host
        nav = "".join(
            f'<li class="menu-item"><a href="{attr(host.url(f"/{slug}/"))}">{esc(label)}</a></li>'
            for slug, label in (
                self.section(k) for k in ("world", "business", "politics", "science", "sport", "culture")
            )
        )
        feeds = (
            f'<link rel="alternate" type="application/rss+xml" title="{attr(site.name)}" href="{host.url("/feed.xml")}">'
            f'<link rel="alternate" type="application/atom+xml" title="{attr(site.name)}" href="{host.url("/atom.xml")}">'
        )
        if self.broken_feed:
            feeds += f'<link rel="alternate" type="application/rss+xml" title="Comments" href="{self.broken_feed}">'
        copyright_line = self.t("copyright", year=year, site=site.name)
        cookie = self.t("cookie")
        footer_extra = f'<li><a href="{self.broken_feed}">Comments RSS</a></li>' if self.broken_feed else ""
        page = f"""<!DOCTYPE html>
<html lang="{site.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="canonical" href="{attr(canonical)}">
{head}{feeds}
<style>{_CSS[site.style]}</style>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}gtag('js',new Date());gtag('config','G-{site.slug.upper()}01');</script>
<!--PAD:HEAD-->
</head>
<body class="{body_class}">
<div id="page" class="site">
<header class="site-header"><div class="logo"><a href="{host.url("/")}">{esc(site.name)}</a></div>
<nav class="main-menu" aria-label="Main"><ul class="menu"><li class="menu-item"><a href="{host.url("/")}">{esc(self.t("home"))}</a></li>{nav}</ul></nav>
<form class="search-form" action="{host.url("/search/")}" method="get"><input type="search" name="q" placeholder="{attr(self.t("search"))}"></form>
</header>
{main}
<footer class="site-footer">
<ul class="footer-links"><li><a href="{host.url("/about/")}">{esc(self.t("about"))}</a></li><li><a href="{host.url("/contact/")}">{esc(self.t("contact"))}</a></li><li><a href="https://example.org/partners/newsroom-network/">{esc(self.t("partners"))}</a></li><li><a href="https://example.com/advertise/?site={site.slug}">{esc(self.t("advertise"))}</a></li><li><a href="{host.url("/wp-admin/")}">{esc(self.t("login"))}</a></li>{footer_extra}</ul>
<p class="follow">{esc(self.t("follow"))}</p>
<p class="copyright">{esc(copyright_line)}</p>
</footer>
</div>
<div id="cookie-notice" class="cookie-bar" role="dialog"><p>{esc(cookie)}</p><button type="button">{esc(self.t("accept"))}</button></div>
<noscript><img src="https://stats.example.net/pixel.gif?site={site.slug}" width="1" height="1" alt=""></noscript>
<!--PAD:TAIL-->
</body>
</html>
"""
        return page, [self.t("follow"), copyright_line, cookie]

    # ------------------------------------------------------------------------------------ article page
    def _meta(self, article: Article, canonical: str) -> str:
        story = article.story
        host = self.host
        authors = [{"@type": "Person", "name": name} for name in article.byline]
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.title,
            "description": story.teaser,
            "inLanguage": story.lang,
            "author": authors,
            "datePublished": iso(article.published),
            "dateModified": iso(article.modified),
            "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
            "publisher": {"@type": "Organization", "name": self.site.name, "url": host.url("/")},
            "keywords": story.tags,
        }
        ld_text = json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")
        # Only articles that have an AMP copy announce one, so no rel=amphtml link leads to a 404.
        amp = (
            f'<link rel="amphtml" href="{attr(canonical + "amp/")}">\n' if article.role == "variants" else ""
        )
        tags = "".join(f'<meta property="article:tag" content="{attr(tag)}">\n' for tag in story.tags)
        return f"""<meta name="description" content="{attr(story.teaser)}">
<meta name="author" content="{attr(", ".join(article.byline))}">
<meta property="og:type" content="article">
<meta property="og:title" content="{attr(story.title)}">
<meta property="og:description" content="{attr(story.teaser)}">
<meta property="og:url" content="{attr(canonical)}">
<meta property="og:site_name" content="{attr(self.site.name)}">
<meta property="og:locale" content="{story.lang}">
<meta property="article:published_time" content="{iso(article.published)}">
<meta property="article:modified_time" content="{iso(article.modified)}">
<meta property="article:section" content="{attr(self.section(story.section)[1])}">
{tags}{amp}<script type="application/ld+json">{ld_text}</script>
"""

    def _blocks(self, article: Article) -> list[str]:
        return [f"<{kind}>{esc(text)}</{kind}>" for kind, text in article.story.blocks]

    def article(self, article: Article, rng: random.Random) -> Rendered:
        """The article page in the host's style, with its metadata and planned boilerplate."""
        canonical = self.host.url(article.path)
        style = {"wordpress": self._wordpress, "portal": self._portal, "clean": self._clean}[self.site.style]
        main, boiler = style(article, rng)
        page, chrome = self.shell(
            title=f"{article.story.title} | {self.site.name}",
            main=main,
            body_class=f"single single-post postid-{zlib.crc32(article.key.encode()) % 9000 + 1000} {self.site.style}",
            canonical=canonical,
            head=self._meta(article, canonical),
            year=article.published.year,
        )
        return Rendered(page, [*boiler, *chrome])

    def _figure(self, article: Article, cls: str) -> tuple[str, list[str]]:
        credit = self.t("photo", credit=article.credit)
        image = (
            f"/wp-content/uploads/{article.published:%Y/%m}/{article.path.strip('/').split('/')[-1][:40]}.jpg"
        )
        fig = (
            f'<figure class="{cls}"><img src="{attr(self.host.url(image))}" alt="" width="1200" height="675">'
            f'<figcaption><span class="caption">{esc(article.caption)}</span> '
            f'<span class="credit">{esc(credit)}</span></figcaption></figure>'
        )
        return fig, [article.caption, credit]

    def _wordpress(self, article: Article, rng: random.Random) -> tuple[str, list[str]]:
        story = article.story
        sec_slug, sec_label = self.section(story.section)
        updated = self.updated_line(article.modified)
        figure, boiler = self._figure(article, "wp-block-image size-large")
        author = article.authors[0] if article.authors else None
        boiler += [updated, *self.ui["comments"], self.t("related")]  # type: ignore[list-item]
        author_box = ""
        if author:
            page = attr(self.host.url(f"/author/{author.slug}/"))
            avatar = self.host.url(f"/wp-content/avatars/{author.slug}.jpg")
            # Name twice (avatar alt text aside) and bio as plain paragraphs, as the seed page shows them.
            author_box = (
                f'<div class="tdb-block-inner td-fix-index"><p><a href="{page}"><img src="{avatar}" alt=""></a></p>'
                f'<p><a href="{page}">{esc(author.name)}</a></p><p><a href="{page}">{esc(author.name)}</a></p>'
                f"<p>{esc(author.bio)}</p></div>"
            )
            boiler.append(author.bio)
        comments = self.ui["comments"]
        assert isinstance(comments, tuple)
        # The theme prints its JavaScript validation messages as paragraphs next to the form.
        form = (
            f'<div class="tdb-block-inner td-fix-index"><h3>{esc(comments[0])}</h3>'
            f'<form action="{self.host.url("/wp-comments-post.php")}" method="post">'
            f'<textarea name="comment" aria-label="Comment"></textarea><input name="author" type="text">'
            f'<input name="email" type="email"><input type="submit" value="Post Comment"></form>'
            + "".join(f"<p>{esc(line)}</p>" for line in comments[1:])
            + "</div>"
        )
        related = ""
        for other in article.related:
            related += f"<h4>{self.link(other)}</h4><p>{esc(other.story.teaser)}</p>"
            boiler += [other.story.title, other.story.teaser]
        body = "\n".join(self._blocks(article))
        main = f"""<main id="main" class="td-main-content-wrap"><div class="td-container">
<article id="post-{article.key}" class="post type-post status-publish format-standard">
<div class="td-post-header"><ul class="td-category"><li><a class="td-post-category" href="{self.host.url(f"/{sec_slug}/")}">{esc(sec_label)}</a></li></ul>
<header class="td-post-title"><h1 class="entry-title">{esc(story.title)}</h1>
<div class="td-module-meta-info">{self.byline_html(article)} <span class="td-post-date"><time class="entry-date updated" datetime="{iso(article.published)}">{esc(self.human_date(article.published))}</time></span></div>
</header></div>
<div class="td-post-content tagdiv-type">
<p><em>{esc(updated)}</em></p>
{figure}
{body}
{author_box}
{form}
<div class="tdb-block-inner td-fix-index"><h3>{esc(self.t("related"))}</h3>{related}</div>
</div>
<div class="td-post-source-tags"><ul class="td-tags">{self._tag_links(story.tags)}</ul></div>
</article></div></main>"""
        return main, [*boiler, self.byline_plain(article)]

    def byline_plain(self, article: Article) -> str:
        return f"{self.t('by')} {self.byline_names(article)}"

    def _tag_links(self, tags: Iterable[str]) -> str:
        return "".join(
            f'<li><a href="{attr(self.host.url(f"/tag/{slugify(tag)}/"))}" rel="tag">{esc(tag)}</a></li>'
            for tag in tags
        )

    def _portal(self, article: Article, rng: random.Random) -> tuple[str, list[str]]:
        story = article.story
        updated = self.updated_line(article.modified)
        figure, boiler = self._figure(article, "story-figure")
        bar = self.date_bar(article.published)
        sponsor = rng.choice(self.ui["sponsor_copy"])  # type: ignore[arg-type]
        boiler += [bar, _GOOGLE_ADS, story.title, self.t("ad"), self.t("sponsored"), sponsor, updated]
        boiler += [self.t("share"), self.t("newsletter")]
        blocks = self._blocks(article)
        ad = (
            f'<div class="ad-slot"><span class="ad-label">{esc(self.t("ad"))}</span>'
            f'<div id="div-gpt-ad-{rng.randrange(1000, 9999)}" style="min-height:250px"></div></div>'
        )
        blocks.insert(min(2, len(blocks)), ad)
        for offset, other in enumerate(article.related[:2]):
            teaser = (
                f'<p class="read-more"><strong>{esc(self.t("read_more"))}</strong> {self.link(other)}</p>'
            )
            blocks.insert(min(4 + offset * 3, len(blocks)), teaser)
            boiler += [self.t("read_more"), other.story.title]
        share = "".join(
            f'<a class="share-{net}" href="https://share.example.net/{net}?u={attr(self.host.url(article.path))}">{net}</a>'
            for net in ("facebook", "x", "whatsapp", "email")
        )
        prevnext = ""
        for label_key, other in (("prev", article.prev), ("next", article.next)):
            if other is not None:
                prevnext += f'<div class="pn-{label_key}"><span>{esc(self.t(label_key))}</span> {self.link(other)}</div>'
                boiler += [self.t(label_key), other.story.title]
        body = "\n".join(blocks)
        main = f"""<main class="portal-main">
<div class="date-bar">{esc(bar)}</div>
<div class="ad-row">{_GOOGLE_ADS}</div>
<div class="story">
<h1 class="story-title">{esc(story.title)}</h1>
<div class="story-meta">{self.byline_html(article)} · <time datetime="{iso(article.published)}">{article.published:%d.%m.%Y %H:%M}</time></div>
<div class="story-body">
{figure}
<p class="story-headline"><strong>{esc(story.title)}</strong></p>
{body}
<div class="sponsored-unit"><span>{esc(self.t("sponsored"))}</span> <a href="https://example.com/promo/{rng.randrange(100, 999)}">{esc(sponsor)}</a></div>
<p class="updated">{esc(updated)}</p>
<div class="share-bar"><p>{esc(self.t("share"))}</p>{share}</div>
<div class="newsletter-box"><p>{esc(self.t("newsletter"))}</p><form><input type="email"><button>{esc(self.t("subscribe"))}</button></form></div>
<div class="prev-next">{prevnext}</div>
</div>
<ul class="story-tags">{self._tag_links(story.tags)}</ul>
</div>
</main>"""
        return main, [*boiler, self.byline_plain(article)]

    def _clean(self, article: Article, rng: random.Random) -> tuple[str, list[str]]:
        story = article.story
        boiler = [self.t("most_read"), self.t("newsletter")]
        most_read = ""
        for other in article.related:
            most_read += f"<li>{self.link(other)}</li>"
            boiler.append(other.story.title)
        body = "\n".join(self._blocks(article))
        main = f"""<main id="content">
<article class="story" itemscope itemtype="https://schema.org/NewsArticle">
<header class="story-header"><h1 itemprop="headline">{esc(story.title)}</h1>
<p class="dek">{self.byline_html(article)} <time datetime="{iso(article.published)}" itemprop="datePublished">{esc(self.human_date(article.published))}</time></p>
</header>
<div class="article-body" itemprop="articleBody">
{body}
</div>
<footer class="article-footer"><span>{esc(self.t("tags"))}</span><ul>{self._tag_links(story.tags)}</ul></footer>
</article>
<aside class="rail"><h2>{esc(self.t("most_read"))}</h2><ol>{most_read}</ol>
<div class="newsletter"><p>{esc(self.t("newsletter"))}</p><form><input type="email"><button>{esc(self.t("subscribe"))}</button></form></div></aside>
</main>"""
        return main, [*boiler, self.byline_plain(article)]

    # ------------------------------------------------------------------------------------ variants
    def amp(self, article: Article) -> Rendered:
        """An AMP copy whose rel=canonical points to the main article URL."""
        story = article.story
        canonical = self.host.url(article.path)
        copyright_line = self.t("copyright", year=article.published.year, site=self.site.name)
        body = "\n".join(self._blocks(article))
        page = f"""<!doctype html>
<html ⚡ lang="{story.lang}">
<head>
<meta charset="utf-8">
<title>{esc(story.title)} | {esc(self.site.name)}</title>
<link rel="canonical" href="{attr(canonical)}">
<meta name="viewport" content="width=device-width">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<style amp-boilerplate>body{{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both}}</style>
<meta property="article:published_time" content="{iso(article.published)}">
<!--PAD:HEAD-->
</head>
<body>
<header><a href="{self.host.url("/")}">{esc(self.site.name)}</a></header>
<article><h1>{esc(story.title)}</h1><p>{self.byline_html(article)}</p>
{body}
</article>
<footer><p>{esc(copyright_line)}</p></footer>
<!--PAD:TAIL-->
</body>
</html>
"""
        return Rendered(page, [copyright_line, self.byline_plain(article)])

    def print_version(self, article: Article) -> Rendered:
        """The ``?print=1`` version: bare text, rel=canonical to the main URL."""
        story = article.story
        canonical = self.host.url(article.path)
        printed = self.t("printed_from", site=self.site.name)
        body = "\n".join(self._blocks(article))
        page = f"""<!DOCTYPE html>
<html lang="{story.lang}"><head><meta charset="utf-8"><title>{esc(story.title)} | {esc(self.site.name)}</title>
<link rel="canonical" href="{attr(canonical)}"><meta name="robots" content="noindex">
<!--PAD:HEAD-->
</head>
<body class="print" onload="window.print()">
<p class="printed-from">{esc(printed)}</p>
<h1>{esc(story.title)}</h1>
<p>{self.byline_html(article)} · {esc(self.human_date(article.published))}</p>
{body}
<!--PAD:TAIL-->
</body></html>
"""
        return Rendered(page, [printed, self.byline_plain(article)])

    # ------------------------------------------------------------------------------------ listings
    def teaser_item(self, article: Article) -> str:
        return (
            f'<div class="teaser"><h2>{self.link(article)}</h2><p>{esc(article.story.teaser)}</p>'
            f'<p class="meta">{esc(self.byline_plain(article))} · <time datetime="{iso(article.published)}">'
            f"{esc(self.human_date(article.published))}</time></p></div>"
        )

    def listing(
        self,
        *,
        title: str,
        path: str,
        items: list[Article],
        prev_path: str | None = None,
        next_path: str | None = None,
        intro: str = "",
        extra: str = "",
    ) -> Rendered:
        """A section front, home page, tag, author or search page listing article teasers."""
        teasers = "\n".join(self.teaser_item(a) for a in items)
        pager = ""
        if prev_path:
            pager += f'<a class="newer" href="{self.host.url(prev_path)}">{esc(self.t("newer"))}</a> '
        if next_path:
            pager += f'<a class="next older" href="{self.host.url(next_path)}">{esc(self.t("older"))}</a>'
        main = f"""<main class="listing"><h1 class="page-title">{esc(title)}</h1>
{intro}
<div class="teasers">
{teasers}
</div>
<nav class="pagination">{pager}</nav>
{extra}
</main>"""
        year = max((a.published.year for a in items), default=2024)
        page, _ = self.shell(
            title=f"{title} | {self.site.name}",
            main=main,
            body_class="archive",
            canonical=self.host.url(path),
            head=f'<meta property="og:type" content="website"><meta property="og:site_name" content="{attr(self.site.name)}">\n',
            year=year,
        )
        return Rendered(page)

    def text_page(self, *, title: str, path: str, paragraphs: list[str], extra: str = "") -> Rendered:
        """A plain prose page (about, contact, staff directory, login): text, but not an article."""
        body = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
        main = f'<main class="page"><h1>{esc(title)}</h1>{body}{extra}</main>'
        page, _ = self.shell(
            title=f"{title} | {self.site.name}",
            main=main,
            body_class="page",
            canonical=self.host.url(path),
            head='<meta property="og:type" content="website">\n',
        )
        return Rendered(page)


def bio_for(lang: str, rng: random.Random, site_name: str, place: str) -> str:
    """A first-person author bio, drawn once per author so every story of theirs carries the same text."""
    ui = UI[lang]
    template = rng.choice(ui["bio"])  # type: ignore[arg-type]
    return template.format(
        beat=rng.choice(ui["beats"]),  # type: ignore[arg-type]
        years=rng.randrange(6, 25),
        site=site_name,
        hobby=rng.choice(ui["hobbies"]),  # type: ignore[arg-type]
        since=rng.randrange(2008, 2021),
        place=place,
    )


def author_for(lang: str, rng: random.Random, site_name: str, name: str, place: str) -> Author:
    return Author(slugify(name), name, bio_for(lang, rng, site_name, place))
