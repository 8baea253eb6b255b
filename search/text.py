"""Text analysis for search: one piece of Python turns a stored lesson into index tokens and a query
into terms, whatever the database, so that SQLite FTS5 and PostgreSQL match the same documents.

A token is a run of letters and digits, lowercase, without accents (“Bénévoles” → “benevol”):
ASCII letters and digits, or other Unicode letters (a Chinese word). Chinese runs are cut into
words by jieba's dictionary (search mode for the index: “现金流” also gives “现金”); other runs are
folded and, for languages that have one, stemmed with Snowball (PyStemmer). The index stores the tokens
joined by single spaces, and both engines split that text on spaces only (FTS5's `ascii`
tokenizer, PostgreSQL's `string_to_array`): they see exactly the tokens computed here.

Nothing here touches the database or Django: the same functions build the highlighted extracts.
"""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape as _escape
from html import unescape

import jieba
import Stemmer

jieba.setLogLevel(logging.WARNING)

# Bump when the analysis changes: `manage.py search_reindex --if-stale` then rebuilds the index.
ANALYZER_VERSION = 1
MAX_TOKEN_LENGTH = 60
# A Latin query word this long (after stemming) also finds longer words: “budget” finds “budgétaire”.
PREFIX_MIN_LENGTH = 4

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RE = re.compile(f"[{HAN}]")
_RUN = re.compile(r"[^\W_]+")
_PARTS = re.compile(f"[{HAN}]+|[^{HAN}]+")
_HAN_GAP = re.compile(rf"(?<=[{HAN}])\s+(?=[{HAN}])")
_SPACES = re.compile(r"\s+")
# Letters that Unicode's decomposition leaves alone but a French or English reader types without.
_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "ð": "d", "þ": "th"})

STEMMERS = {"fr": "french", "en": "english", "de": "german", "es": "spanish", "it": "italian", "pt": "portuguese",
            "nl": "dutch"}
# Words too common to help, as they are after folding (accents removed).
STOP_WORDS = {
    "fr": frozenset({
        "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "elles", "en", "est", "et", "etre",
        "eux", "il", "ils", "je", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "me", "mes", "moi", "mon", "ne", "nos",
        "notre", "nous", "on", "ou", "par", "pas", "plus", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sont", "sur",
        "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous",
    }),
    "en": frozenset({
        "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "do", "does", "for", "from", "had", "has", "have", "he",
        "her", "his", "how", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "she", "so",
        "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "was", "we", "were",
        "what", "when", "which", "who", "will", "with", "would", "you", "your",
    }),
}
HAN_STOP_WORDS = frozenset({"的", "了", "和", "与", "及", "或", "是", "在", "也", "都", "就", "而", "之", "其", "这", "那", "把", "被",
                            "对", "从", "于", "以", "等", "着", "过", "个", "很", "并", "且", "但"})


@dataclass(frozen=True)
class Term:
    """One word of a query, as the index stores it; `prefix`: also matches longer tokens."""

    token: str
    prefix: bool = False

    @property
    def is_han(self) -> bool:
        return bool(_HAN_RE.match(self.token))

    def matches(self, token: str) -> bool:
        return token == self.token or (self.prefix and token.startswith(self.token))


def fold(text: str) -> str:
    """Lowercase, accents and ligatures removed, compatibility forms unified (full-width Ａ → a)."""
    # Folding case can uncover a compatibility form and decomposing can uncover a capital (℠ → SM): both, twice.
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text.casefold()).casefold())
    return "".join(char for char in text if not unicodedata.combining(char)).translate(_LETTERS)


_stemmers = threading.local()


@lru_cache(maxsize=100_000)
def _stem(algorithm: str, word: str) -> str:
    # PyStemmer's stemmers are not safe to share between threads: one per thread.
    cache = _stemmers.__dict__.setdefault("stemmers", {})
    stemmer = cache.get(algorithm) or cache.setdefault(algorithm, Stemmer.Stemmer(algorithm))
    return stemmer.stemWord(word)


@lru_cache(maxsize=200_000)
def _word_token(word: str, language: str) -> str | None:
    """A folded run of letters or digits (not Chinese) → its token, or None for a word too common or too short."""
    if len(word) < 2 or word in STOP_WORDS.get(language.split("-")[0], ()):
        return None
    algorithm = STEMMERS.get(language.split("-")[0])
    if algorithm and not word.isdigit():
        word = _stem(algorithm, word) or word
    return word[:MAX_TOKEN_LENGTH]


def _han_words(run: str, *, query: bool) -> list[str]:
    # The dictionary alone (HMM off): the index and the queries cut unknown words the same way.
    words = jieba.lcut(run, HMM=False) if query else jieba.lcut_for_search(run, HMM=False)
    return [word[:MAX_TOKEN_LENGTH] for word in words if word not in HAN_STOP_WORDS]


def _analyse(text: str, language: str, *, query: bool) -> Iterator[tuple[str, bool]]:
    """(token, is_han) for each word of the text, in order, repeats included."""
    for run in _RUN.findall(fold(text)):
        for part in _PARTS.findall(run):
            if _HAN_RE.match(part):
                for word in _han_words(part, query=query):
                    yield word, True
            else:
                token = _word_token(part, language)
                if token:
                    yield token, False


def _unique(tokens: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(tokens))


def index_tokens(text: str, language: str) -> list[str]:
    """The distinct tokens of a stored text, in order of first appearance."""
    return _unique(token for token, _is_han in _analyse(text, language, query=False))


def tokens_text(*groups: Iterable[str]) -> str:
    """The stored form: distinct tokens joined by single spaces (what both engines split)."""
    return " ".join(_unique(token for group in groups for token in group))


def query_terms(query: str, language: str) -> tuple[Term, ...]:
    """The words of a query as they would be indexed in `language`; a document must contain all of them."""
    terms: dict[str, Term] = {}
    for token, is_han in _analyse(query, language, query=True):
        terms.setdefault(token, Term(token, prefix=not is_han and not token.isdigit() and len(token) >= PREFIX_MIN_LENGTH))
    return tuple(terms.values())


def terms_match(terms: Sequence[Term], tokens: Iterable[str]) -> bool:
    """The reference meaning of a query (every term found): what the database engines must agree with."""
    tokens = set(tokens)
    return bool(terms) and all(term.token in tokens or (term.prefix and any(t.startswith(term.token) for t in tokens))
                               for term in terms)


# --- Stored text -------------------------------------------------------------------------------

_BLOCKS = frozenset({"address", "blockquote", "br", "dd", "div", "dl", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
                     "ol", "p", "pre", "table", "td", "th", "tr", "ul"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HTML_PIECE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|<[^>]*>|([^<]+)")
_ID_ATTRIBUTE = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def html_to_text(html: str) -> tuple[str, list[tuple[int, str]]]:
    """Plain text of stored (sanitised) HTML, and where each heading with an id starts in it.

    The stored HTML comes out of bleach, so a tokenizing regex is enough (and several times faster
    than html.parser): tags, comments and text, entities decoded in the text."""
    parts: list[str] = []
    anchors: list[tuple[int, str]] = []
    length, at_space = 0, True
    for piece in _HTML_PIECE.finditer(html or ""):
        closing, tag, attributes, data = piece.groups()
        if data is not None:
            data = _SPACES.sub(" ", _HAN_GAP.sub("", unescape(data)))
            if at_space:
                data = data.lstrip(" ")
            if data:
                parts.append(data)
                length += len(data)
                at_space = data.endswith(" ")
            continue
        tag = (tag or "").lower()
        if tag in _BLOCKS and not at_space:
            parts.append(" ")
            length += 1
            at_space = True
        if tag in _HEADINGS and not closing:
            found = _ID_ATTRIBUTE.search(attributes or "")
            if found:
                anchors.append((length, unescape(found.group(1) or found.group(2) or "")))
    return unicodedata.normalize("NFC", "".join(parts).rstrip()), anchors


# --- Highlighting ------------------------------------------------------------------------------

_NON_HAN_WORD = re.compile(f"[^\\W_{HAN}]+")


@lru_cache(maxsize=200_000)
def _word_tokens(word: str, language: str) -> tuple[str, ...]:
    """The tokens a word of the text (not Chinese) gives, as in the index."""
    return tuple(token for token in (_word_token(run, language) for run in _RUN.findall(fold(word))) if token)


def _word_match(word: str, language: str, terms: Sequence[Term]) -> str | None:
    for token in _word_tokens(word, language):
        for term in terms:
            if term.matches(token):
                return term.token
    return None


def hits(text: str, terms: Sequence[Term], language: str) -> list[tuple[int, int, str]]:
    """(start, end, term) of every place in `text` where a term is found, in order.

    Words are matched as the index sees them (folded, stemmed; one cached look-up per word); Chinese
    terms are found as they are written."""
    found = []
    words = tuple(term for term in terms if not term.is_han)
    if words:
        seen: dict[str, str | None] = {}
        for word in _NON_HAN_WORD.finditer(text):
            value = word.group()
            token = seen[value] if value in seen else seen.setdefault(value, _word_match(value, language, words))
            if token is not None:
                found.append((word.start(), word.end(), token))
    for term in terms:
        if term.is_han:
            start = text.find(term.token)
            while start != -1:
                found.append((start, start + len(term.token), term.token))
                start = text.find(term.token, start + len(term.token))
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, token in found:
        if merged and start < merged[-1][1]:
            previous = merged[-1]
            merged[-1] = (previous[0], max(previous[1], end), previous[2])
        else:
            merged.append((start, end, token))
    return merged


def escape(text: str) -> str:
    return _escape(text, quote=False)


def _marked(text: str, spans: Sequence[tuple[int, int, str]], start: int, end: int) -> str:
    out, position = [], start
    for span_start, span_end, _token in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        out.append(escape(text[position:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    out.append(escape(text[position:end]))
    return "".join(out)


def mark(text: str, terms: Sequence[Term], language: str) -> str:
    """The whole text, escaped, with the hits in <mark>."""
    return _marked(text, hits(text, terms, language), 0, len(text))


def _boundary(text: str, position: int, *, forward: bool, limit: int) -> int:
    """Move a cut off the middle of a word (a Latin one: Chinese can be cut anywhere)."""
    if position <= 0 or position >= len(text) or not (text[position - 1].isalnum() and text[position].isalnum()):
        return position
    step = 1 if forward else -1
    for moved in range(1, limit):
        candidate = position + step * moved
        if candidate <= 0 or candidate >= len(text):
            break
        if not text[candidate].isalnum() or _HAN_RE.match(text[candidate]):
            return candidate + 1 if forward else candidate
    return position


@dataclass(frozen=True)
class Extract:
    html: str  # escaped text, the hits in <mark>
    offset: int | None  # where the first hit shown is in the text (None: no hit, the start of the text)


def extract(text: str, terms: Sequence[Term], language: str, *, width: int = 240, before: int = 60) -> Extract:
    """The passage of `text` (about `width` characters, half as many in a Chinese text, whose characters are
    twice as wide) with the most distinct terms, escaped, the hits marked."""
    if len(_HAN_RE.findall(text[:2000])) * 3 > min(len(text), 2000):
        width, before = width // 2, before // 2
    spans = hits(text, terms, language)
    if not spans:
        end = _boundary(text, min(len(text), width), forward=False, limit=20)
        return Extract(escape(text[:end]) + ("…" if end < len(text) else ""), None)
    # The passage with the most distinct words of the query, then the most hits (a section about the subject
    # rather than a passing mention, or the summary).
    best, best_score = spans[0], (-1, -1)
    for span in spans[:200]:
        start = max(0, span[0] - before)
        inside = [token for s, e, token in spans if s >= start and e <= start + width]
        score = (len(set(inside)), len(inside))
        if score > best_score:
            best, best_score = span, score
    start = max(0, best[0] - before)
    start = min(_boundary(text, start, forward=True, limit=20), best[0])
    end = min(len(text), start + width)
    last_hit_end = max((e for s, e, _t in spans if s >= start and e <= end), default=end)
    end = max(_boundary(text, end, forward=False, limit=20), last_hit_end)
    html = _marked(text, spans, start, end)
    return Extract(("…" if start > 0 else "") + html.strip() + ("…" if end < len(text) else ""), best[0])


def warm_up() -> None:
    """Load jieba's dictionary (about a second) before the first Chinese text needs it."""
    jieba.initialize()


def anchor_at(anchors: Sequence[Sequence], offset: int | None) -> str:
    """The id of the heading whose section holds `offset` ("" before the first heading)."""
    found = ""
    if offset is None:
        return found
    for start, anchor in anchors:
        if start > offset:
            break
        found = anchor
    return found
