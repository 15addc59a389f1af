"""Page-level cleaning of extracted text: remove what trafilatura leaves behind inside the article container.

Works on trafilatura's blocks (one paragraph, heading or list item per line). Each rule removes a *whole
block* and is generic: multilingual phrase lists (en, de, fr, es, it, pt, nl) for prompts, labels and
section headings, plus shape rules (a line that is only a date, a byline, a credit). Blocks that recur
across pages of one site are :mod:`pipelines.sitelearn`'s job.

Section headings ("Related articles", "Lesen Sie auch", "3 comments") remove the heading and the teaser-like
blocks under it; comment sections remove everything after them, because comments come last.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from pipelines import metadata
from pipelines.extract import Extracted
from pipelines.patterns import PhrasePattern

_FLAGS = re.IGNORECASE | re.UNICODE


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("(?:" + "|".join(alternatives) + ")", _FLAGS)


# Blocks that are a prompt/label as a whole (matched against the whole, trimmed block).
_PROMPT_LINE = _rx(
    # comment forms
    r"please enter your (?:comment|name|e-?mail(?: address)?)( here)?!?",
    r"more from (?:the )?author",
    r"veuillez (?:entrer|saisir) votre (?:commentaire|nom|adresse e-?mail)(?: ici)?\s*!?",
    r"vous avez entré une adresse e-?mail incorrecte\s*!?",
    r"enregistrer mon nom,? (?:mon )?e-?mail et (?:mon )?site (?:web )?dans (?:le|ce) navigateur.*",
    r"enregistrer mon nom et mon e-?mail dans ce navigateur.*",
    r"bitte gib deinen kommentar ein!?|bitte geben sie (?:ihren|einen) kommentar ein!?",
    r"bitte gib hier deinen namen ein|bitte geben sie (?:hier )?ihren namen ein",
    r"du hast eine falsche e-?mail-adresse eingegeben!?|sie haben eine falsche e-?mail-adresse eingegeben!?",
    r"meinen namen, (?:meine )?e-?mail(?:-adresse)? und (?:meine )?website in diesem browser speichern.*",
    r"por favor,? (?:introduce|ingrese|escribe|ingresa) (?:tu|su) (?:comentario|nombre|correo).*",
    r"has introducido una dirección de correo electrónico incorrecta!?",
    r"guarda mi nombre, correo electrónico y web en este navegador.*",
    r"per favore (?:inserisci|scrivi) (?:il tuo|un) (?:commento|nome|indirizzo email).*",
    r"hai inserito un indirizzo email errato!?",
    r"salva il mio nome, email e sito web in questo browser.*",
    r"por favor,? (?:digite|insira) (?:seu|o seu) (?:comentário|nome|e-?mail).*",
    r"você (?:digitou|inseriu) um endereço de e-?mail incorreto!?",
    r"salvar meus dados neste navegador.*",
    r"(?:vul|voer) (?:hier )?(?:je|uw) (?:reactie|naam|e-?mailadres) in.*",
    r"mijn naam, e-?mail en site bewaren in deze browser.*",
    r"plus (?:de l'|de l\u2019)auteur|mehr vom autor|más del autor|altro dall'autore|mais do autor",
    r"meer van (?:de )?auteur",
    r"you have entered an incorrect email address!?",
    r"leave a (?:reply|comment)(?: cancel reply)?",
    r"post a comment",
    r"no comments:?",
    r"add (?:a )?comment",
    r"(?:user )?comments?",
    r"comments are closed\.?",
    r"you must (?:be )?log(?:ged)? in to post a comment\.?",
    r"(?:join|start) the (?:conversation|discussion)",
    r"tell us what you think\.*",
    r"save my name, email,? and website in this browser for the next time i comment\.?",
    r"your email address will not be published\.?( required fields are marked \*?)?",
    r"required fields are marked \*?",
    r"(?:name|email|website|comment)\s*\*?",
    r"cancel reply",
    r"kommentar (?:schreiben|verfassen|hinzufügen)",
    r"(?:kommentare?|diskussion)",
    r"schreiben sie einen kommentar",
    r"laisser un commentaire",
    r"laissez un commentaire",
    r"(?:commentaires?|réagir)",
    r"deja un comentario",
    r"deja una respuesta",
    r"(?:comentarios?|comentários?)",
    r"lascia un commento",
    r"lascia una risposta",
    r"(?:commenti|commento)",
    r"deixe um comentário",
    r"deixe uma resposta",
    r"laat een reactie achter",
    r"(?:reacties?|reageer)",
    r"\d+\s+(?:comments?|kommentare?|commentaires?|comentarios?|comentários?|commenti|reacties?)",
    # ads and sponsors
    r"(?:advertisement|advertising|sponsored(?: content)?|paid (?:post|content)|promoted|anzeige|werbung|"
    r"gesponsert|publicité|sponsorisé|publicidad|patrocinado|pubblicità|sponsorizzato|publicidade|"
    r"advertentie|gesponsord|ad|ads|google ads)(?:\s*[|·•]\s*(?:advertisement|ad|ads|google ads|anzeige))*",
    r"scroll (?:down )?to continue(?: reading)?",
    r"story continues below(?: advertisement)?",
    r"article continues (?:below|after(?: this)? advertisement)",
    r"weiterlesen nach der anzeige",
    # share prompts
    r"(?:share|teilen|partager|compartir|condividi|partilhar|compartilhar|delen)"
    r"(?: (?:this|on|via|auf|sur|en|su|no|op|dieser|ce|este|questo|deze)\b.*)?",
    r"like it,? share it!?",
    r"(?:tweet|pin it|email|print|whatsapp|facebook|twitter|linkedin|pinterest|reddit|telegram)",
    r"(?:share|tweet|email|print|facebook|twitter|linkedin|whatsapp)"
    r"(?:\s*[|·•,/]?\s*(?:share|tweet|email|print|facebook|twitter|linkedin|whatsapp|pinterest|reddit))+",
    r"click to (?:tweet|share)",
    # video player interface (video.js and alike) read as text
    r"this is a modal window(?:\..*)?",
    r"(?:beginning|end) of dialog window(?:\..*)?",
    r"[\w ]{1,30} (?:off|on), selected",
    r"default, selected",
    # previous / next
    r"(?:previous|next|older|newer) (?:article|post|story|entry)\b.*",
    r"(?:vorheriger|nächster) (?:artikel|beitrag)\b.*",
    r"(?:article|billet) (?:précédent|suivant)\b.*",
    r"(?:artículo|entrada) (?:anterior|siguiente)\b.*",
    r"(?:articolo) (?:precedente|successivo)\b.*",
    r"(?:artigo|post) (?:anterior|seguinte)\b.*",
    r"próximo (?:artigo|post)\b.*",
    r"(?:vorig|volgend) (?:artikel|bericht)\b.*",
    r"[←«\u2039<]\s*(?:previous|prev|older)\b.*",
    r"(?:next|newer)\s*[→»\u203a>].*",
    # tags
    r"(?:tags?|schlagwörter|schlagworte|étiquettes|etiquetas|etichette|trefwoorden|mots-clés|topics|themen)"
    r"(?:\s*:\s*.*)?",
)
_PROMPT_SHORT_MAX_WORDS = 25

_CC = r"\b.{0,30}\bcreative commons\b"  # the end of a site-licence notice

# Prompts that appear as part of a short block (newsletter, cookie, follow, copyright...). Searched in every
# short block of every article: a PhrasePattern runs each phrase's regex only on blocks holding its literals.
_PROMPT_CONTAINS = PhrasePattern(
    # newsletters / subscription
    r"\bsign(?:ing)? up (?:for|to)\b.*\bnewsletters?\b",
    r"\bsubscribe (?:to|for)\b.*\b(?:newsletters?|updates|our)\b",
    r"\b(?:newsletters?)\b.*\b(?:inbox|sign up|subscribe|delivered)\b",
    r"\bget the latest\b.*\b(?:inbox|newsletters?)\b",
    r"\bnewsletter (?:abonnieren|bestellen)\b",
    r"\b(?:jetzt|hier) (?:anmelden|abonnieren)\b",
    r"\babonnieren sie\b",
    r"\binscrivez-vous\b.*\bnewsletter\b",
    r"\babonnez-vous\b",
    r"\bsuscr[ií]bete\b",
    r"\bsuscr[ií]base\b",
    r"\biscriviti\b.*\bnewsletter\b",
    r"\binscreva-se\b",
    r"\bassine (?:a|nossa) newsletter\b",
    r"\bschrijf je in\b.*\bnieuwsbrief\b",
    r"\bmeld je aan\b.*\bnieuwsbrief\b",
    # cookies
    r"\b(?:we|this (?:site|website)) uses? cookies\b",
    r"\bby (?:continuing to use|using) (?:this|our) (?:site|website)\b.*\bcookies\b",
    r"\bwir verwenden cookies\b",
    r"\bdiese (?:website|seite) verwendet cookies\b",
    r"\bnous utilisons des cookies\b",
    r"\bce site utilise des cookies\b",
    r"\butilizamos cookies\b",
    r"\beste sitio (?:web )?utiliza cookies\b",
    r"\butilizziamo (?:i )?cookie\b",
    r"\bquesto sito utilizza (?:i )?cookie\b",
    r"\bwe gebruiken cookies\b",
    r"\bdeze (?:website|site) gebruikt cookies\b",
    r"\baccept(?:er)? (?:all )?cookies\b",
    # comment-form privacy text
    r"\bby submitting this form\b",
    r"\bthis site uses akismet\b",
    r"\bnotify me of (?:follow-up comments|new posts)\b",
    # follow / contact prompts
    r"\bfollow (?:us|him|her|them|me)\b.*\b(?:on )?(?:twitter|facebook|instagram|linkedin|x)\b",
    r"\bfolgen sie uns\b",
    r"\bsuivez-nous\b",
    r"\bsíguenos\b",
    r"\bseguici\b",
    r"\bsiga-nos\b",
    r"\bvolg ons\b",
    r"\bemail [\w.' -]+ at [\w.-]+@",
    r"\bhave a tip\?",
    r"\bcontributed to this (?:report|story|article)\b",
    r"\bfollow [\w'\u2019 ]{0,40}\bcoverage\b",
    r"\breach the (?:reporters?|writers?|authors?)\b",
    r"^\(?(?:additional )?(?:reporting|writing|editing|compiled|produced) by\b",
    r"\boriginally (?:published|appeared) (?:on|at|in(?! \d{4}\b)|by)\b",  # "in 1966": a citation's history
    r"^(?:reading time|lesezeit|temps de lecture|tiempo de lectura|tempo di lettura|tempo de leitura|"
    r"leestijd)\b",
    r"^\d+\s*(?:min(?:ute)?s?|minuten|minutos|minuti)\.? "
    r"(?:read|lesezeit|de lecture|de lectura|di lettura|de leitura)$",
    r"^[\w' ]{1,30}newsletter$",
    r"\b(?:posted|published) by\b.*\d|\b(?:publicado|postado) por\b|\bveröffentlicht von\b|\bpublié par\b",
    r"\bpubblicato da\b|\bgeplaatst door\b|\bcategor(?:y|ie|ia|ía)\s*:",
    # site licence
    # (the site or its content "is licensed under" a Creative Commons licence)
    r"\b(?:this|the|our|all) (?:web ?site|site|blog|content|documents?|articles?|posts?|texts?|material)\b"
    r".{0,60}\blicensed under" + _CC,
    r"\b(?:diese|die|alle) (?:website|seite|inhalte?|texte?|beiträge?)\b.{0,60}\blizenziert" + _CC,
    r"\b(?:ce|le|les|tout le) (?:site|blog|contenus?|textes?|articles?)\b.{0,60}\bsous (?:la |une )?licence"
    + _CC,
    r"\b(?:este|el|los) (?:sitio|blog|contenidos?|textos?|art[íi]culos?)\b.{0,60}\bbajo (?:una |la )?licencia"
    + _CC,
    r"\b(?:questo|il|i) (?:sito|blog|contenut[oi]|test[oi]|articol[oi])\b.{0,60}\bsotto (?:una |la )?licenza"
    + _CC,
    r"\b(?:este|o|os) (?:site|blog|conteúdos?|textos?|artigos?)\b.{0,60}\bsob (?:uma |a )?licença" + _CC,
    r"\b(?:deze|de) (?:website|site|blog|inhoud|teksten?|artikelen?)\b.{0,60}\bonder (?:een |de )?licentie"
    + _CC,
    r"\b(?:submit|send|email) (?:your )?comments (?:on|about) (?:this|the) (?:post|article|story)\b",
    # copyright
    r"\ball rights reserved\b",
    r"\balle rechte vorbehalten\b",
    r"\btous droits réservés\b",
    r"\btodos los derechos reservados\b",
    r"\btutti i diritti riservati\b",
    r"\btodos os direitos reservados\b",
    r"\balle rechten voorbehouden\b",
    r"^(?:©|\(c\)|copyright\b)",
    flags=_FLAGS,
)
_CONTAINS_MAX_WORDS = 40

# Standalone photo credits and "last updated" / dateline blocks.
_CREDIT_LINE = _rx(
    r"\(?(?:photo|photos|image|images|picture|pictures|foto|fotos|bild|bilder|crédit|credit|credits|crédito|"
    r"credito|fotografía|imagem|afbeelding|illustration|grafik|graphic|video)s?(?:\s+(?:credit|credits|by|von|"
    r"par|por|di|door|de))?\s*[:©].*",
    r"(?:photo|foto|image|bild|imagem|afbeelding) (?:by|von|par|por|di|door|de) .*",
    r"©.*",
    r"(?:[\w .'\u2019-]+\s*/\s*)?"
    r"(?:getty images|reuters|afp|ap photo|ap|dpa|epa|istock|shutterstock|imago|ansa|efe)"
    r"(?:\s*(?:/|via)\s*[\w .'\u2019-]+)*",
)
_CREDIT_MAX_WORDS = 14
_UPDATED_PREFIX = _rx(
    r"(?:last |zuletzt |dernière )?(?:updated|modified|published|posted|aktualisiert|veröffentlicht|"
    r"erstellt|mis à jour|modifié|publié|actualizado|publicado|aggiornato|pubblicato|atualizado|bijgewerkt|"
    r"gepubliceerd|geplaatst)(?: on| at| am| le| el| il| em| op| om| um| à| el día)?\s*[:\-]?\s*",
)
_UPDATED_MAX_WORDS = 16
_BYLINE_PREFIX = _rx(
    r"(?:by|von|par|por|di|door|written by|texto|text|texte|testo|autor|auteur|autore|"
    r"(?:medically )?reviewed by|fact[- ]checked by|geprüft von|relu par|revisado por|revisionato da|"
    r"nagekeken door)\s*:?\s+"
)
_BYLINE_JOINERS = {
    "and",
    "und",
    "et",
    "y",
    "e",
    "en",
    "&",
    "van",
    "von",
    "de",
    "da",
    "di",
    "del",
    "der",
    "la",
    "le",
}
_BYLINE_MAX_WORDS = 10

_MONTHS = (
    r"jan(?:uary|uar|vier|eiro)?|feb(?:ruary|ruar)?|févr(?:ier)?|fevereiro|febrero|febbraio|mar(?:ch|s|zo|ço)?|"
    r"märz|maart|apr(?:il|ile|il)?|avril|abril|may|mai|mayo|maggio|maio|mei|jun(?:e|i|io|ho)?|juin|giugno|"
    r"jul(?:y|i|io|ho)?|juillet|luglio|aug(?:ust|ustus)?|août|agosto|sep(?:t|tember|tembre|tiembre)?|"
    r"settembre|setembro|oct(?:ober|obre|ubre)?|okt(?:ober)?|ottobre|outubro|nov(?:ember|embre|embro)?|"
    r"dec(?:ember|embre)?|dez(?:ember|embro)?|déc(?:embre)?|dic(?:iembre|embre)?|januar|enero|gennaio|"
    r"janeiro|janvier|juni|juli|junio|julio"
)
_WEEKDAYS = (
    r"mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|"
    r"mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|"
    r"martes|miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|"
    r"domenica|segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira|maandag|dinsdag|woensdag|"
    r"donderdag|vrijdag|zaterdag|zondag"
)
_DATE_FILLER = re.compile(
    rf"\b(?:{_MONTHS}|{_WEEKDAYS}|am|pm|a\.m\.|p\.m\.|at|um|à|às|a las|alle|om|de|del|of|the|on|le|el|il|"
    rf"uhr|h|utc|gmt|cet|cest|est|edt|pst|pdt|bst|ist|st|nd|rd|th|er|º|°)\b|\d+|[\s,.:/\-\u2013—|()+]+",
    _FLAGS,
)

# Section headings: the heading and the teasers under it are other stories, not this one.
_RELATED_HEADING = _rx(
    r"related(?: articles?| posts?| stories| content| news| coverage| reading| links)?",
    r"(?:you )?(?:may|might) (?:also )?(?:like|enjoy|be interested in)",
    r"(?:read|see) (?:more|also|next)",
    r"more (?:from|on|about|stories|news|articles|in)\b.*",
    r"other (?:[\w'\u2019-]+ ){0,2}(?:columns|stories|articles|posts|news|headlines|videos)",
    r"recommended(?: for you| stories| articles| reading)?",
    r"(?:most )?(?:popular|read|viewed)(?: stories| articles| now| today)?(?: in .{1,40})?",
    r"trending(?: now| stories)?",
    r"don'?t miss",
    r"what to read next",
    r"further reading",
    r"top stories",
    r"latest (?:news|stories|articles|posts)",
    r"lesen sie (?:auch|mehr)",
    r"auch interessant",
    r"das könnte sie (?:auch )?interessieren",
    r"mehr zum thema",
    r"weitere artikel",
    r"(?:andere|weitere) (?:beiträge|meldungen|nachrichten|kolumnen)",
    r"verwandte artikel",
    r"(?:à|a) lire (?:aussi|également)",
    r"lire aussi",
    r"sur le même sujet",
    r"articles? (?:similaires|liés|connexes)",
    r"vous aimerez aussi",
    r"(?:autres|d'autres|d\u2019autres) (?:articles|chroniques|actualités|tribunes)",
    r"lee (?:también|más)",
    r"te puede interesar",
    r"noticias relacionadas",
    r"(?:otras noticias|otros art[íi]culos|otras columnas)",
    r"art[íi]culos relacionados",
    r"leggi anche",
    r"potrebbe interessarti",
    r"articoli correlati",
    r"(?:altri articoli|altre notizie)",
    r"leia (?:também|mais)",
    r"veja também",
    r"not[íi]cias relacionadas",
    r"artigos relacionados",
    r"(?:outras not[íi]cias|outros artigos|outras colunas)",
    r"lees ook",
    r"meer (?:over|nieuws)",
    r"gerelateerde artikelen",
    r"(?:andere|meer) (?:artikelen|columns|berichten)",
)
# Inline "Read more: <other story>" blocks; the block itself is a link to another story.
_RELATED_INLINE = re.compile(_RELATED_HEADING.pattern + r"\s*[:\uff1a»>|]\s*\S.*", _FLAGS)
_COMMENT_HEADING = _rx(
    r"\d+\s+(?:comments?|responses?|replies|thoughts on\b.*|kommentare?|commentaires?|comentarios?|"
    r"comentários?|commenti|reacties?)",
    r"(?:one|two|three) (?:comments?|responses?|thoughts? on\b.*)",
    r"comments?(?: \(\d+\))?",
    r"leave a (?:reply|comment)",
    r"(?:user|reader) comments",
    r"(?:laisser|laissez|écrire) un commentaire|kommentar (?:schreiben|hinterlassen|verfassen)",
    r"(?:deja|dejar|escribe) (?:un|tu) comentario|deja una respuesta",
    r"lascia (?:un|il tuo) commento|lascia una risposta|deixe (?:um|seu) comentário|deixe uma resposta",
    r"laat een (?:reactie|bericht) achter|schrijf een reactie|geef een reactie",
    r"discussion",
    r"kommentare?(?: \(\d+\))?",
    r"commentaires?(?: \(\d+\))?",
    r"comentarios?(?: \(\d+\))?",
    r"commenti(?: \(\d+\))?",
    r"comentários?(?: \(\d+\))?",
    r"reacties?(?: \(\d+\))?",
)

_WORDS = re.compile(r"\w+", re.UNICODE)
_TEASER_MAX_WORDS = 45


@lru_cache(maxsize=4096)
def _words(text: str) -> int:
    """Word count of a block; remembered, since every rule asks it of the same blocks."""
    return len(_WORDS.findall(text))


def norm(text: str) -> str:
    """Comparison key for a block: case-folded words only (punctuation and spacing differ across pages)."""
    return " ".join(_WORDS.findall(text.casefold()))


def _strip_markers(block: str) -> str:
    return block.strip().lstrip("-\u2013•*·>").strip()


def _full(pattern: re.Pattern[str], text: str) -> bool:
    return pattern.fullmatch(text.strip(" \t.!:;|·•-\u2013—")) is not None


def _is_date_only(block: str) -> bool:
    """A dateline ("Tue, 21-Oct-2025", "22 de janeiro de 2018 às 0:13"): nothing left once dates go."""
    if _words(block) > 12 or not re.search(r"\d", block):
        return False
    if re.search(rf"\b(?:{_MONTHS}|{_WEEKDAYS})\b|\d{{1,2}}[:.]\d\d", block, _FLAGS):
        block = re.sub(r"\b[A-Z]{2,5}\b", "", block)  # time zones we do not list (AMT, IST...)
    return _DATE_FILLER.sub("", block).strip() == ""


_LINK_LINE = re.compile(
    r"[^:\n]{1,40}:\s*(?:(?:https?://|www\.)\S+[\s,]*(?:(?:and|und|et|y|e|en|or)\s+)?)+", _FLAGS
)


def _is_link_line(text: str) -> bool:
    """ "More coverage: https://... and https://...": a short label pointing elsewhere (a bare address may
    be the content, and technical text quotes addresses mid-sentence, so both are kept)."""
    return _words(text) <= 30 and _LINK_LINE.fullmatch(text.strip()) is not None


def _is_updated_line(text: str) -> bool:
    """ "Last updated on October 9th, 2022 at 12:05 pm": a date prefix, then a date (and maybe a byline)."""
    match = _UPDATED_PREFIX.match(text)
    if not match or not re.search(r"\d", text):
        return False
    rest = _DATE_FILLER.sub(" ", re.sub(r"\b[ap]\.?m\.?(?=\W|$)", " ", text[match.end() :], flags=_FLAGS))
    rest = re.split(r"\b(?:by|von|par|por|di|door)\b", rest, maxsplit=1, flags=_FLAGS)[0]
    return _words(rest) <= 1


def _is_byline(text: str) -> bool:
    """ "By Jane Doe and John Roe": a by-prefix then capitalised name words only (no sentence)."""
    match = _BYLINE_PREFIX.match(text)
    if not match or (re.search(r"[.!?]$", text.strip()) and not re.search(r"\b[A-Z]\.$", text.strip())):
        return False
    words = re.findall(r"[\w.'\u2019-]+|&", re.sub(r"[,|]", " ", text[match.end() :]))
    names = [w for w in words if w.casefold() not in _BYLINE_JOINERS]
    return bool(names) and all(w[:1].isupper() for w in names)


def _preformatted(block: str) -> bool:
    """A line of preformatted text (code, a protocol exchange: "    Origin: https://..."), indented as the
    page's ``<pre>`` has it; extracted paragraphs and list items come without leading spaces."""
    return block.startswith(("  ", "\t"))


def is_boilerplate_block(block: str, *, authors: list[str] | None = None) -> bool:
    """True when one block is, on its own, a generic prompt, label, credit, byline or dateline."""
    text = _strip_markers(block)
    n = _words(text)
    if not text or n == 0:
        return not any(ch.isalnum() for ch in text)
    if n <= _PROMPT_SHORT_MAX_WORDS and _full(_PROMPT_LINE, text):
        return True
    if n <= _CONTAINS_MAX_WORDS and _PROMPT_CONTAINS.search(text):
        return True
    if n <= _CREDIT_MAX_WORDS and _full(_CREDIT_LINE, text):
        return True
    if n <= _UPDATED_MAX_WORDS and _is_updated_line(text):
        return True
    if n <= _BYLINE_MAX_WORDS and _is_byline(text):
        return True
    if _is_date_only(text) or (_is_link_line(text) and not _preformatted(block)):
        return True
    return bool(authors) and norm(text) in {norm(a) for a in authors}


def _is_teaser(block: str) -> bool:
    """Teaser-shaped: a list item, a short title without final punctuation, or a prefix cut with '…'."""
    raw = block.strip()
    text = _strip_markers(raw)
    n = _words(text)
    if n == 0:
        return True
    if raw[:1] in "-•*" or re.search(r"(?:\.\.\.|…|\[\w+\])\s*$", text):
        return n <= _TEASER_MAX_WORDS * 2
    if n <= 16 and not re.search(r"[.!?\"”»]$", text):
        return True
    if text.count(",") >= 3 and not re.search(r"[.!?]$", text) and n <= 80:  # a keyword / tag list
        return True
    return n <= _TEASER_MAX_WORDS and _is_date_only(text[:40])


def _is_list_teaser(block: str) -> bool:
    raw = block.strip()
    return raw[:1] in "-•*" and _words(raw) <= 20 and not re.search(r"[.!?]$", raw)


def _is_standfirst(blocks: list[str], i: int) -> bool:
    """A teaser's summary under a related-stories heading: a short paragraph right after a teaser title,
    itself followed by another teaser title or by the end of the text (title / summary pairs)."""
    if i == 0 or _words(blocks[i]) > _TEASER_MAX_WORDS or not _is_title_teaser(blocks[i - 1]):
        return False
    return i + 1 == len(blocks) or _is_title_teaser(blocks[i + 1])


def _is_section_heading(blocks: list[str], i: int) -> bool:
    """A title-shaped block followed by a paragraph longer than any teaser's summary: a section heading
    of the story (a "Read more" box whose links were pruned leaves its label right above it)."""
    return _is_title_teaser(blocks[i]) and i + 1 < len(blocks) and _words(blocks[i + 1]) > _TEASER_MAX_WORDS


def _is_title_teaser(block: str) -> bool:
    text = _strip_markers(block)
    return 0 < _words(text) <= 16 and not re.search(r"[.!?\"”»:]$", text)


def _drop_sections(blocks: list[str]) -> list[str]:
    """Remove related-story sections (heading + teasers) and everything from a comment section on."""
    out: list[str] = []
    i = 0
    while i < len(blocks):
        text = _strip_markers(blocks[i])
        n = _words(text)
        if n <= 12 and _full(_COMMENT_HEADING, text) and i >= len(blocks) // 3:
            break
        heading = n <= 8 and _full(_RELATED_HEADING, text)
        inline = n <= 30 and _RELATED_INLINE.fullmatch(text.strip()) is not None
        if heading or inline:
            i += 1
            # under a heading every teaser goes; after an inline "Read more: X" only a list continuing it
            while i < len(blocks):
                if heading and _is_section_heading(blocks, i):
                    break  # the story goes on: a heading of its own, then a full paragraph
                if heading:
                    teaser = _is_teaser(blocks[i]) or _is_standfirst(blocks, i)
                else:
                    teaser = _is_list_teaser(blocks[i])
                if not teaser:
                    break
                i += 1
            continue
        out.append(blocks[i])
        i += 1
    return out


_GALLERY_ITEM = re.compile(r"^[-\u2013•*·]?\s*(\d{1,3})\s*/\s*(\d{1,3})\b")
_GALLERY_MIN_RUN = 3


def _drop_galleries(blocks: list[str]) -> list[str]:
    """A slideshow read as text: consecutive blocks numbered "1/50 ...", "2/50 ...", "3/50 ..." (same total,
    counting up) are the captions of a gallery, most often of other stories. A run of three or more goes."""
    out: list[str] = []
    run: list[str] = []
    last: tuple[int, int] | None = None
    for block in [*blocks, ""]:
        match = _GALLERY_ITEM.match(block.strip())
        item = (int(match.group(1)), int(match.group(2))) if match else None
        if item and last and item[1] == last[1] and item[0] == last[0] + 1 and item[0] <= item[1]:
            run.append(block)
        else:
            out.extend([] if len(run) >= _GALLERY_MIN_RUN else run)
            run = [block] if item and item[0] <= item[1] else []
            if not run:
                out.append(block)
        last = item if run else None
    return out[:-1] if out and out[-1] == "" else out


def _drop_headline(blocks: list[str], title: str | None) -> list[str]:
    """The headline repeated inside the text is not part of the story.

    Anywhere: a block equal to the title. At the top: a heading-shaped block that shares most of its words
    with the title (``<h1>`` and ``og:title`` often differ: "X: Sweden drops..." vs "Sweden drops X").
    """
    if not title or _words(title) < 2:
        return blocks
    key = norm(title)
    blocks = [b for b in blocks if norm(b) != key]
    title_words = set(key.split())
    for i in range(min(2, len(blocks))):
        words = set(norm(blocks[i]).split())
        heading = _words(blocks[i]) <= 30 and not re.search(r"[.!?][\"”\u2019»)]*$", blocks[i].strip())
        if heading and words and len(words & title_words) >= 0.6 * min(len(words), len(title_words)) >= 2:
            return blocks[:i] + blocks[i + 1 :]
    return blocks


def _title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'\u2019]*", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _drop_trailing_link_list(blocks: list[str]) -> list[str]:
    """A run of title-cased list items closing the text is a list of links to other stories."""
    end = len(blocks)
    while end > 0 and blocks[end - 1].lstrip()[:1] in "-•*" and _is_link_title(blocks[end - 1]):
        end -= 1
    return blocks[:end] if 2 <= len(blocks) - end <= 8 else blocks


def _is_link_title(block: str) -> bool:
    text = _strip_markers(block)
    return _words(text) <= 16 and not re.search(r"[.!?;:]$", text) and _title_case(text)


_BIO_VERB = _rx(
    r"\b(?:is|was|has|writes|covers|joined|ist|schreibt|est|écrit|es|escribe|è|scrive|é|escreve|werkt|schrijft)\b"
)


def _drop_bios(blocks: list[str], authors: list[str]) -> list[str]:
    """An author box: a block starting with an author's name and describing them, in the last part."""
    if not authors:
        return blocks
    names = [norm(a) for a in authors if _words(a) >= 2]
    cut_from = len(blocks) // 2
    out = []
    for i, block in enumerate(blocks):
        key = norm(block)
        starts_with_name = any(key.startswith(name + " ") for name in names)
        if i >= cut_from and _words(block) <= 90 and starts_with_name and _BIO_VERB.search(block[:200]):
            continue
        out.append(block)
    return out


_FIRST_PERSON = _rx(
    r"\b(?:i|i'm|i've|my|ich|mein|meine|mich|mir|je|j'|j\u2019|mon|ma|mes|yo|mis|io|mio|mia|eu|meu|minha|ik|mijn)\b"
)
_BIO_CUES = (
    _rx(  # the job
        r"\b(?:reporter|journalist|writer|correspondent|columnist|editor|redakteur(?:in)?|journaliste|rédact\w+|"
        r"periodista|reportero|redactor|giornalista|cronista|redattore|jornalista|repórter|redator|verslaggever|"
        r"redacteur)\b"
    ),
    _rx(  # the career
        r"\b(?:joined|covered|i write|writing about|write mostly|schreibe|berichte|kam ich zu|rejoint|"
        r"j'écris|j\u2019écris|je couvre|escribo|me uní|cubro|scrivo|sono entrat[oa]|escrevo|entrei|"
        r"ik schrijf|schrijf ik)\b"
    ),
    _rx(  # the person
        r"\b(?:passion|leidenschaft|passione|pasión|paixão|passie|family|familie|famille|familia|famiglia|família|"
        r"gezin|grew up|aufgewachsen|j'ai grandi|j\u2019ai grandi|crecí|sono cresciut[oa]|cresci|opgegroeid|"
        r"when i am not|outside work|in my spare time|in meiner freizeit|quand je ne|cuando no|quando non|"
        r"quando não|als ik niet)\b"
    ),
    _rx(r"\b(?:years|jahren|ans|años|anni|anos|jaar)\b|\b(?:since|seit|depuis|desde|dal) \d{4}\b"),
)


def _is_first_person_bio(block: str, site_name: str | None) -> bool:
    """ "I joined The Daily X in 2016 and write mostly about transport...": a first-person author box."""
    if _words(block) > 90 or not _FIRST_PERSON.search(block):
        return False
    score = sum(1 for cue in _BIO_CUES if cue.search(block))
    if site_name and len(site_name) > 3 and site_name.casefold() in block.casefold():
        score += 1
    return score >= 2


def _drop_tail_bios(blocks: list[str], site_name: str | None) -> list[str]:
    """Author boxes sit after the story: look at the last blocks once comments and related lists are gone."""
    if len(blocks) < 4:
        return blocks
    tail_start = max(len(blocks) - 2, len(blocks) * 2 // 3)
    return blocks[:tail_start] + [b for b in blocks[tail_start:] if not _is_first_person_bio(b, site_name)]


def clean_text(
    text: str,
    *,
    title: str | None = None,
    authors: list[str] | None = None,
    language: str | None = None,
    site_name: str | None = None,
) -> str:
    """Clean one article text; ``language`` is accepted for callers but every list is applied (sites mix)."""
    del language
    blocks = [b for b in text.splitlines() if b.strip()]
    blocks = [re.sub(r"\s*click to (?:tweet|share)\s*$", "", b, flags=_FLAGS) for b in blocks]
    blocks = _drop_galleries(blocks)
    blocks = _drop_sections(blocks)
    blocks = _drop_headline(blocks, title)
    blocks = [b for b in blocks if not is_boilerplate_block(b, authors=authors)]
    blocks = _drop_bios(blocks, authors or [])
    blocks = _drop_trailing_link_list(blocks)
    blocks = _drop_tail_bios(blocks, site_name)
    return "\n".join(b.strip() for b in blocks if b.strip())


def clean(extracted: Extracted, *, url: str | None = None, language: str | None = None) -> Extracted:
    """A cleaned copy: text without generic boilerplate; title, authors and date normalised."""
    title = metadata.clean_title(extracted.title, extracted.site_name, url)
    authors = metadata.normalise_authors(extracted.authors, extracted.site_name, url)
    text = clean_text(
        extracted.text, title=title, authors=authors, language=language, site_name=extracted.site_name
    )
    if not text.strip():
        text = extracted.text  # never turn an article into nothing: an over-eager rule is worse than noise
    return replace(
        extracted,
        text=text,
        title=title,
        authors=authors,
        published=metadata.clamp_future(extracted.published),
    )
