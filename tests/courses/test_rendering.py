"""markdown_render: Markdown in, only allow-listed HTML out. Known XSS vectors and a property test."""
import re
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import LessonImage
from courses.rendering import ALLOWED_TAGS, markdown_render

SAFE_SCHEMES = {"http", "https", "mailto"}
ALLOWED_ATTRIBUTES = {"href", "rel", "title", "src", "alt", "width", "height", "align", "start", "class", "id"}
CONTROL = re.compile(r"[\x00-\x20\x7f]+")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _scheme(url: str) -> str | None:
    # The parser already decoded the entities once, as a browser does; browsers also drop
    # tabs, newlines and leading spaces in URLs.
    url = CONTROL.sub("", url).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", url)
    return match.group(1) if match else None


# The only attributes the site adds after sanitising: each table's scrolling region (tables_wrap).
TABLE_REGION = re.compile(r'<div class="table-scroll" tabindex="0" role="region" aria-label="[^"<>]*"><table>')


def assert_safe(output: str) -> None:
    """No script, no event handler, no style, no dangerous URL, only allow-listed tags."""
    output = TABLE_REGION.sub("<div><table>", output)
    lowered = output.lower()
    assert "<script" not in lowered
    assert "<style" not in lowered
    collector = _Collector()
    collector.feed(output)
    collector.close()
    for tag, attrs in collector.tags:
        assert tag in ALLOWED_TAGS, f"tag {tag!r} in {output!r}"
        for name, value in attrs:
            assert not name.startswith("on"), f"event handler {name!r} in {output!r}"
            assert name in ALLOWED_ATTRIBUTES, f"attribute {name!r} in {output!r}"
            value = value or ""
            if name in {"href", "src"}:
                scheme = _scheme(value)
                assert scheme is None or scheme in SAFE_SCHEMES, f"{name}={value!r} in {output!r}"
            if tag == "img" and name == "src":
                assert value.startswith("/media/") or value.startswith("https://"), f"image from {value!r}"
            if name == "id":
                assert re.match(r"^(h-|fn:|fnref\d*:)", value), f"id {value!r}"


XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x61;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "![x][ref]\n\n[ref]: data:image/png;base64,AAAA",
    "[x][ref]\n\n[ref]: jav&#x09;ascript:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java&#0000115;cript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[x](vbscript:msgbox(1))",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "[x](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<math href="javascript:alert(1)">x</math>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div onclick="alert(1)">x</div>',
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<base href="javascript:alert(1)//">',
    '<img src="x" alt="x" onerror="alert(1)">',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    '<img src="http://evil.example/x.png">',
    '<h2 id="main" onclick=alert(1)>x</h2>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<video><source onerror="alert(1)"></video>',
    '<img srcset="javascript:alert(1)">',
    "[x](lesson:../../javascript:alert(1))",
    '<a href="lesson:x/y" onclick=alert(1)>x</a>',
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    '<a href="//evil.example/%0ajavascript:alert(1)">x</a>',
    "[a](javascript:alert(1) \"title\")",
]


def test_there_are_at_least_thirty_vectors():
    assert len(XSS_VECTORS) >= 30


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_is_neutralised(vector):
    assert_safe(markdown_render(vector))


def test_the_checker_itself_catches_unsafe_html():
    for unsafe in ['<a href="javascript:alert(1)">x</a>', '<img src="x" onerror="y">', "<script>x</script>",
                   '<a href="jav&#x61;script:x">x</a>', '<img src="http://a/b.png">', '<p style="x">y</p>', "<iframe></iframe>"]:
        with pytest.raises(AssertionError):
            assert_safe(unsafe)


# --- What it must keep ---------------------------------------------------------------------------

def test_markdown_features_survive():
    text = ("## Titre\n\n**gras** *ital* `code`\n\n- a\n- b\n\n1. un\n2. deux\n\n> cité\n\n| A | B |\n|:--|--:|\n| 1 | 2 |\n\n"
            "```python\nprint(1)\n```\n\nNote[^1].\n\n[^1]: La note.")
    output = markdown_render(text)
    for fragment in ['<h2 id="h-titre">Titre</h2>', "<strong>gras</strong>", "<em>ital</em>", "<code>code</code>",
                     "<ul>", "<ol>", "<blockquote>", '<th align="left">A</th>', '<td align="right">2</td>',
                     '<code class="language-python">', 'class="footnote-ref"', 'id="fn:1"']:
        assert fragment in output
    assert_safe(output)


def test_chinese_headings_get_unique_anchors():
    output = markdown_render("## 现金流\n\n## 现金流")
    assert 'id="h-现金流"' in output and 'id="h-现金流_1"' in output


def test_lesson_links_go_to_the_learner_reader():
    output = markdown_render("[la trésorerie](lesson:basic-finance/cash-flow)")
    assert '<a href="/learn/basic-finance/cash-flow/">la trésorerie</a>' in output


def test_a_malformed_lesson_link_loses_its_target():
    assert markdown_render("[x](lesson:Bad_Slug/x)") == "<p><a>x</a></p>"


def test_external_links_get_rel_and_internal_ones_do_not():
    output = markdown_render("[a](https://example.org) [b](/learn/) [c](mailto:a@example.org) [d](#h-x)")
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">a</a>' in output
    assert '<a href="/learn/">b</a>' in output
    assert '<a href="mailto:a@example.org">c</a>' in output
    assert '<a href="#h-x">d</a>' in output


def test_a_rel_written_by_hand_is_replaced():
    output = markdown_render('<a href="https://example.org" rel="opener">x</a>')
    assert 'rel="nofollow noopener noreferrer"' in output
    assert "opener\"" not in output.replace("noopener", "")


def test_images_only_from_media_or_https():
    output = markdown_render("![a](/media/lessons/a.png) ![b](https://img.example/b.png) ![c](http://img.example/c.png) "
                             "![d](/static/x.png) ![e](//img.example/e.png)")
    assert '<img alt="a" src="/media/lessons/a.png">' in output
    assert '<img alt="b" src="https://img.example/b.png">' in output
    assert "http://img.example" not in output and "/static/x.png" not in output and "//img.example/e.png" not in output
    # The description of a refused image stays readable.
    assert " c " in output


@pytest.mark.django_db
def test_module_images_resolve_to_the_uploaded_file(module, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = LessonImage(module=module, name="cash-book.png", width=1, height=1)
    image.image.save("cash-book.png", ContentFile(b"png"), save=True)
    output = markdown_render("![Le livre](images/cash-book.png) ![absent](images/missing.png)", module=module)
    assert f'<img alt="Le livre" src="{image.image.url}">' in output
    assert "missing.png" not in output


def test_rendering_is_deterministic():
    text = "## A\n\nx[^1]\n\n[^1]: y\n\n## A"
    assert markdown_render(text) == markdown_render(text)


def test_empty_text_renders_to_nothing():
    assert markdown_render("") == ""
    assert markdown_render("  \n ") == ""


# --- Property: whatever the text, the output is safe ----------------------------------------------

DANGEROUS_BITS = [
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "JaVaScRiPt:", "jav&#x61;script:",
    "&#106;", "data:text/html,", "vbscript:", "<svg", "<math", "<a href=\"", "\">", "<iframe", "onload=", "onerror=",
    "style=\"", "[", "]", "(", ")", "![", "](", "]: ", "<", ">", "\"", "'", "`", "```", "\n", "\n\n", "&", "&#", ";", ":",
    "#", "## ", "* ", "1. ", "| a | b |\n|---|---|\n", "[^1]", "[^1]: ", "lesson:", "images/", "https://", "http://",
    "//", "/media/", " ", "\t", "\x00", "<!--", "-->", "<![CDATA[", "&lt;", "&colon;", "\\", "=", "<p ", "<div>",
]


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(DANGEROUS_BITS), st.text(max_size=8)), max_size=30).map("".join))
def test_no_text_produces_a_script_a_handler_or_a_dangerous_url(text):
    assert_safe(markdown_render(text))


TABLE = "| Mois | Solde |\n|---|---|\n| Janvier | 4 000 |\n| Février | 12 500 € |\n"


@pytest.mark.parametrize(("language", "label"), [
    ("fr", "Tableau\u00a0: faites défiler de côté pour voir toutes les colonnes"),
    ("zh-hans", "表格：左右滑动可查看所有列"),
    ("en", "Table: scroll sideways to see every column"),
])
def test_each_table_is_wrapped_in_a_focusable_scrolling_region_named_in_the_texts_language(language, label):
    html = markdown_render(TABLE + "\n\nText.\n\n" + TABLE, language=language)
    opening = f'<div class="table-scroll" tabindex="0" role="region" aria-label="{label}"><table>'
    assert html.count(opening) == 2
    assert html.count("</table></div>") == 2
    assert_safe(html)


def test_amounts_in_table_cells_keep_their_groups_together():
    html = markdown_render(TABLE + "\n\nUn budget de 4 000 € en texte courant.")
    assert "<td>4\u00a0000</td>" in html and "<td>12\u00a0500\u00a0€</td>" in html
    assert "4 000 € en texte courant" in html  # running text wraps as usual


def test_a_trainer_cannot_forge_a_table_region_or_its_attributes():
    html = markdown_render('<div class="table-scroll" tabindex="0" role="region" onfocus="x()"><table><tr><td>1</td></tr></table></div>')
    assert "onfocus" not in html and html.count('tabindex="0"') == 1 and html.count("table-scroll") == 1


def test_tables_wrap_is_idempotent():
    from courses.rendering import tables_wrap

    once = markdown_render(TABLE)
    assert tables_wrap(once, "fr") == once


def test_html_sections_cut_a_lesson_before_each_second_level_heading():
    from courses.rendering import html_sections

    html = markdown_render("Intro.\n\n## Un\n\nA.\n\n### Détail\n\nB.\n\n## Deux\n\nC.", language="fr")
    sections = html_sections(html)
    assert len(sections) == 3
    assert sections[0].startswith("<p>Intro.") and sections[1].startswith("<h2") and "Détail" in sections[1]
    assert sections[2].startswith("<h2") and "C." in sections[2]
    assert "".join(sections) == html  # nothing lost or added
    assert html_sections("") == [] and html_sections("<p>Only</p>") == ["<p>Only</p>"]
