"""How text is analysed in each content language: tokens, stop words, stems, folding.

Both backends analyse alike: the embedded backend runs `analyse` here and indexes the stems;
Elasticsearch runs the analyser `es_filters` describes, built from the same Snowball
algorithms (Lucene's snowball filter and the `snowballstemmer` package agree word for word
on these languages, checked against the test server). A language without a stemmer that
both sides share (Arabic, Greek, Polish, Catalan, any unknown code) is analysed PLAIN:
lower-cased, diacritics folded, nothing removed.

Stop-word lists are short and written here (snowballstemmer ships none): the function words
of each language, plus the elided articles and pronouns ("l'", "d'", "dell'") that the word
pattern splits off.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from kb.choices import DEFAULT_CONTENT_LANGUAGE


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Lucene's English stop set (the stock `english` analyser's): a longer list would hide
# words people do search for ("before", "after", "new"); key terms leave out more
# (search.text.STOPWORDS).
ENGLISH_STOPWORDS = _words(
    """a an and are as at be but by for if in into is it no not of on or such that the their
    then there these they this to was will with"""
)
FRENCH_STOPWORDS = _words(
    """au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais
    me même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta
    te tes toi ton tu un une vos votre vous c d j l à m n s t y été étée étées étés étant
    suis es est sommes êtes sont serai sera serons seront étais était étions étaient fus fut
    ai as avons avez ont aurai aura avait avaient eu cette cet ceux celle celui dont où lors
    comme aussi plus très sans sous entre après avant depuis donc car ni si tout tous toute"""
)
GERMAN_STOPWORDS = _words(
    """aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    auch auf aus bei bin bis bist da damit dann das dass dasselbe dazu dein deine dem den denn
    der des dessen die dies diese diesem diesen dieser dieses doch dort du durch ein eine
    einem einen einer eines einig einige er es etwas euer für gegen gewesen hab habe haben hat
    hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre im in indem ins ist jede jedem
    jeden jeder jedes jene kann kein keine können könnte man manche mein meine mit muss musste
    nach nicht nichts noch nun nur ob oder ohne sehr sein seine selbst sich sie sind so solche
    soll sollte sondern sonst über um und uns unser unter viel vom von vor war waren warst was
    weil weiter welche wenn werde werden wie wieder will wir wird wo wollen würde zu zum zur
    zwar zwischen"""
)
SPANISH_STOPWORDS = _words(
    """a al algo algunas algunos ante antes como con contra cual cuando de del desde donde
    durante e el ella ellas ellos en entre era eran es esa esas ese eso esos esta estaba
    estado estar este esto estos fue fueron ha había han hasta hay la las le les lo los más
    me mi mis mucho muy nada ni no nos nosotros o os otra otras otro otros para pero poco por
    porque que quien se sea ser si sido sin sobre son su sus también tanto te tiene todo todos
    tu tus un una uno unos y ya yo"""
)
DUTCH_STOPWORDS = _words(
    """aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door
    dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iets
    ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu
    of om omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want
    waren was wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou"""
)
ITALIAN_STOPWORDS = _words(
    """a ad agli ai al alla alle allo anche avere c che chi ci coi col come con contro cui da
    dagli dai dal dalla dalle dallo degli dei del dell della delle dello di dov dove e è ed
    era erano essere fra gli ha hanno ho i il in l la le lo loro ma mi mia mio ne negli nei
    nel nella nelle nello noi non nostro o per perché più quale quando quella quelle quello
    questa queste questo se sei si sia siamo sono sta su sua sue sugli sui sul sulla sulle
    suo tra tu un una uno vi voi"""
)
PORTUGUESE_STOPWORDS = _words(
    """a à ao aos as até com como da das de dela dele do dos e é ela ele em entre era essa
    esse esta este eu foi foram há isso isto já la lhe mais mas me mesmo meu minha muito na
    nas não nem no nos nós o os ou para pela pelas pelo pelos por qual quando que quem se sem
    ser seu sua são também te tem têm um uma umas uns você"""
)


@dataclass(frozen=True)
class Analysis:
    """One way of analysing text: a stemmed language, or PLAIN."""

    key: str  # "en", "fr", ... or "plain"; names the index fields and analysers
    snowball: str | None = None  # snowballstemmer's algorithm
    es_stemmer: str | dict | None = None  # the Elasticsearch token filter doing the same
    stopwords: frozenset[str] = frozenset()
    elided: frozenset[str] = frozenset()  # articles written with an apostrophe: l', dell'
    # Porter knows no accented letter: "évacuation" must reach it as "evacuation" (as
    # FTS5's porter tokenizer always did), or it stems apart from the English word.
    fold_first: bool = False

    def es_filters(self) -> list:
        """The Elasticsearch token filters after the standard tokenizer."""
        filters: list = []
        if self.elided:
            filters.append({"type": "elision", "articles": sorted(self.elided)})
        filters.append("lowercase")
        if self.stopwords:
            filters.append({"type": "stop", "stopwords": sorted(self.stopwords)})
        if self.fold_first:
            filters.append("asciifolding")
        if self.es_stemmer:
            filters.append(self.es_stemmer)
        if self.key == "de":
            filters.append({"type": "pattern_replace", "pattern": GERMAN_IER, "replacement": "i"})
        if not self.fold_first:
            filters.append("asciifolding")
        return filters


def _snowball(language: str) -> dict:
    return {"type": "snowball", "language": language}


# Snowball's German leaves "evakuiert" whole and cuts "Evakuierung" to "evakuier": the
# participles and nouns of "-ieren" verbs are brought to one stem (as "evakuieren" gets).
GERMAN_IER = "iert?$"
_GERMAN_IER = re.compile(GERMAN_IER)

FRENCH_ELIDED = _words("c d j l m n s t qu jusqu lorsqu puisqu quoiqu")
ITALIAN_ELIDED = _words(
    "c l all dall dell nell sull coll pell gl agl dagl degl negl sugl un m t s v d"
)
PLAIN = Analysis("plain")
LANGUAGES: dict[str, Analysis] = {
    # English keeps the Porter algorithm the index has always used (and FTS5's porter).
    "en": Analysis("en", "porter", "porter_stem", ENGLISH_STOPWORDS, fold_first=True),
    "fr": Analysis(
        "fr", "french", _snowball("French"), FRENCH_STOPWORDS | FRENCH_ELIDED, FRENCH_ELIDED
    ),
    "de": Analysis("de", "german", _snowball("German"), GERMAN_STOPWORDS),
    "es": Analysis("es", "spanish", _snowball("Spanish"), SPANISH_STOPWORDS),
    # Lucene's "Dutch" is the original Snowball algorithm, kept as dutch_porter.
    "nl": Analysis("nl", "dutch_porter", _snowball("Dutch"), DUTCH_STOPWORDS),
    "it": Analysis(
        "it", "italian", _snowball("Italian"), ITALIAN_STOPWORDS | ITALIAN_ELIDED, ITALIAN_ELIDED
    ),
    "pt": Analysis("pt", "portuguese", _snowball("Portuguese"), PORTUGUESE_STOPWORDS),
    "da": Analysis("da", "danish", _snowball("Danish")),
    "sv": Analysis("sv", "swedish", _snowball("Swedish")),
    "no": Analysis("no", "norwegian", _snowball("Norwegian")),
    "fi": Analysis("fi", "finnish", _snowball("Finnish")),
    "tr": Analysis("tr", "turkish", _snowball("Turkish")),
}
ANALYSES: list[Analysis] = [*LANGUAGES.values(), PLAIN]
WORD = re.compile(r"\w+", re.UNICODE)
# Letters that Unicode does not decompose but Elasticsearch's asciifolding spells out; and
# the Greek final sigma, which Python's lower() writes and Elasticsearch's does not.
_LIGATURES = str.maketrans(
    {"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "ð": "d", "þ": "th", "ς": "σ"}
)
# Scripts whose marks (accents, breathings, niqqud, harakat) Elasticsearch's asciifolding
# leaves alone: Greek and Greek Extended, Cyrillic, Hebrew, Arabic and their presentation
# forms, and the combining diacritics they are written with.
MARKED_SCRIPTS = (
    (0x0300, 0x036F),
    (0x0370, 0x03FF),
    (0x0400, 0x052F),
    (0x0590, 0x05FF),
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
)  # Polytonic Greek and the presentation forms are left out: rare in typed text, and each
# entry is one more mapping for Elasticsearch's char filter to apply to every character.
TATWEEL = "\u0640"  # the Arabic stretching stroke: typography, not a letter


def _stripped(char: str) -> str:
    if unicodedata.category(char) == "Mn" or char == TATWEEL:
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("ς", "σ")


def _marks_table() -> dict[int, str]:
    """Each character of MARKED_SCRIPTS that has marks (or is one), to its letters alone.
    Characters whose compatibility form is not one word (ligatures of whole phrases,
    spacing marks) are left alone, so that both backends split words in the same places."""
    table = {}
    for first, last in MARKED_SCRIPTS:
        for point in range(first, last + 1):
            char = chr(point)
            out = _stripped(char)
            if out != char and (out == "" or all(c.isalnum() for c in out)):
                table[point] = out
    return table


MARKS = _marks_table()
# A word as written, its marks included: what a highlight marks in the original text.
MARKED_WORD = re.compile(
    "\\w[\\w" + "".join(f"\\U{p:08x}" for p in sorted(MARKS) if not MARKS[p]) + "]*",
    re.UNICODE,
)


def strip_marks(text: str) -> str:
    r"""Greek, Cyrillic, Hebrew and Arabic text without its marks: "Οδός" reads "Οδοσ",
    "שָׁלוֹם" "שלום", "إخلاء" "اخلاء", "ещё" "еще". Done to the text before it is split into
    words (a mark is not a word character to `\w`); Elasticsearch does the same with a mapping
    char filter built from the same table (search.backends.elastic_mapping)."""
    return text.translate(MARKS)


def analysis_for(language: str | None) -> Analysis:
    """The analysis of a BCP 47 tag: its primary subtag's, else PLAIN."""
    code = (language or DEFAULT_CONTENT_LANGUAGE).split("-")[0].lower()
    return LANGUAGES.get(code, PLAIN)


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=16)
def _stemmer(algorithm: str):
    return snowballstemmer.stemmer(algorithm)


@lru_cache(maxsize=200_000)
def analyse_word(word: str, key: str = "en") -> str | None:
    """The indexed form of one word in one analysis, or None for a stop word.

    Memoised: the stemmers are pure Python, and similar cases analyse the text of 50
    candidates per request; a language's working vocabulary fits the cache."""
    analysis = LANGUAGES.get(key, PLAIN)
    word = strip_marks(word).lower()
    if word in analysis.stopwords:
        return None
    if analysis.fold_first:
        word = fold(word)
    if analysis.snowball:
        word = _stemmer(analysis.snowball).stemWord(word)
        if key == "de":
            word = _GERMAN_IER.sub("i", word)
    return fold(word)


def analyse(text: str, analysis: Analysis) -> list[str]:
    """The indexed forms of a text's words, stop words left out."""
    forms = (analyse_word(w, analysis.key) for w in WORD.findall(strip_marks(text or "")))
    return [form for form in forms if form]
