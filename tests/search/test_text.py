"""The analysis that both databases rely on: folding, stemming, Chinese words, tokens fit for both
engines, highlighting that escapes everything. No database here."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from search.text import (
    MAX_TOKEN_LENGTH,
    Term,
    anchor_at,
    extract,
    fold,
    html_to_text,
    index_tokens,
    mark,
    query_terms,
    terms_match,
    tokens_text,
)

# What FTS5's ascii tokenizer and string_to_array both keep whole: letters and digits, no ASCII capital.
TOKEN = re.compile(r"^[^\W_A-Z]+$")


def finds(query: str, text: str, language: str) -> bool:
    return terms_match(query_terms(query, language), index_tokens(text, language))


def test_folding_removes_accents_ligatures_case_and_full_width_forms():
    assert fold("Bénévoles") == "benevoles"
    assert fold("Œuvre, cœur") == "oeuvre, coeur"
    assert fold("ＡＢＣ１２３") == "abc123"
    assert fold("现金流") == "现金流"


def test_french_word_forms_and_accents():
    assert finds("benevoles", "Les bénévoles de l'association", "fr")
    assert finds("bénévole", "Nos bénévoles", "fr")
    assert query_terms("trésorerie", "fr") == query_terms("tresorerie", "fr") == query_terms("TRÉSORERIE", "fr")
    assert finds("budget", "le suivi budgétaire", "fr")  # a prefix of the stem
    assert finds("budgets", "un budget annuel", "fr")
    assert finds("mise en œuvre", "la mise en oeuvre", "fr")
    assert not finds("budget", "la trésorerie", "fr")


def test_english_word_forms():
    assert finds("volunteering", "our volunteers", "en")
    assert finds("insurance", "Insured volunteers", "en")
    assert not finds("insurance", "our volunteers", "en")
    assert finds("budget", "budgeting for the year", "en")


def test_stop_words_are_neither_indexed_nor_required():
    assert "les" not in index_tokens("les bénévoles", "fr")
    assert [term.token for term in query_terms("gestion des bénévoles", "fr")] == ["gestion", "benevol"]
    assert query_terms("the", "en") == ()


def test_chinese_is_cut_into_dictionary_words():
    assert [term.token for term in query_terms("志愿者保险", "zh-hans")] == ["志愿者", "保险"]
    assert not any(term.prefix for term in query_terms("志愿者保险", "zh-hans"))
    tokens = index_tokens("按月编制现金流计划", "zh-hans")
    assert "现金流" in tokens and "现金" in tokens  # search mode: the shorter words too
    assert finds("现金流", "做好未来十二个月的现金流计划", "zh-hans")
    assert finds("志愿者的保险", "请为志愿者购买保险", "zh-hans")  # 的 is not required
    assert not finds("保险", "志愿者的报酬", "zh-hans")


def test_mixed_text_keeps_latin_words_in_chinese_and_chinese_in_french():
    assert finds("Excel", "用Excel表格记账", "zh-hans")
    assert finds("现金流", "le 现金流 (trésorerie)", "fr")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_tokens_are_letters_and_digits_only_so_both_engines_split_them_the_same(text):
    for language in ("fr", "en", "zh-hans"):
        tokens = index_tokens(text, language)
        assert all(TOKEN.match(token) and len(token) <= MAX_TOKEN_LENGTH for token in tokens), tokens
        stored = tokens_text(tokens)
        assert (stored.split(" ") if stored else []) == tokens
        for term in query_terms(text, language):
            assert TOKEN.match(term.token)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Les", "bénévoles", "trésorerie", "budgétaire", "现金流", "志愿者", "保险", "计划", "Excel",
                                 "2024", "œuvre", "的", "的确", "，", "!", " ", "cash-flow", "l'association"]), max_size=12))
def test_a_text_always_finds_itself(words):
    text = "".join(words)
    for language in ("fr", "en", "zh-hans"):
        terms = query_terms(text, language)
        assert not terms or terms_match(terms, index_tokens(text, language))


def test_a_term_matches_as_a_prefix_only_when_long_enough():
    assert Term("budget", prefix=True).matches("budgetair")
    assert not Term("don", prefix=False).matches("donner")
    assert [term.prefix for term in query_terms("don 2024 budget", "fr")] == [False, False, True]


def test_extract_escapes_everything_and_marks_the_hits():
    text = "Intro. <script>alert(1)</script> & la trésorerie <b>du mois</b>, puis la Trésorerie."
    passage = extract(text, query_terms("tresorerie", "fr"), "fr")
    assert "<script" not in passage.html and "<b>" not in passage.html
    assert "&lt;script&gt;" in passage.html and "&amp;" in passage.html
    assert passage.html.count("<mark>") == 2 and "<mark>trésorerie</mark>" in passage.html
    assert passage.offset == text.index("trésorerie")
    assert mark("<i>Le budget</i>", query_terms("budget", "fr"), "fr") == "&lt;i&gt;Le <mark>budget</mark>&lt;/i&gt;"


def test_extract_prefers_the_passage_about_the_subject():
    text = ("志愿者和保险在摘要里各出现一次。" + "无关的内容。" * 60
            + "保险：为志愿者购买保险，并和保险公司确认志愿者的保障范围。")
    passage = extract(text, query_terms("志愿者保险", "zh-hans"), "zh-hans", width=60)
    assert passage.offset >= text.index("保险：")
    assert passage.html.startswith("…") and passage.html.count("<mark>") >= 4


def test_extract_without_hit_is_the_start_of_the_text_cut_between_words():
    passage = extract("Un texte assez long " * 30, query_terms("absent", "fr"), "fr", width=50)
    assert passage.offset is None and passage.html.endswith("…") and "<mark>" not in passage.html
    assert passage.html.rstrip("…").endswith(("long", "texte", "assez", "Un"))


def test_html_to_text_keeps_words_apart_and_finds_the_headings():
    html = ('<p>Résumé&nbsp;: <strong>un</strong> texte.</p><h2 id="h-les-regles">Les règles</h2><ul><li>Assurance</li>'
            '<li>Contrat</li></ul><p>现金\n流</p><!-- note --><h3 id="h-x">X</h3>')
    text, anchors = html_to_text(html)
    assert text == "Résumé : un texte. Les règles Assurance Contrat 现金流 X"
    assert anchors == [(text.index("Les règles"), "h-les-regles"), (text.index("X"), "h-x")]
    assert anchor_at(anchors, text.index("Contrat")) == "h-les-regles"
    assert anchor_at(anchors, 0) == "" and anchor_at(anchors, None) == ""
