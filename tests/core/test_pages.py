"""The site frame: home page in three languages, health check, no external hosts, errors."""
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOME_TITLES = {
    "fr": "Apprenez à gérer votre association",
    "zh-hans": "学习管理您的社会组织",
    "en": "Learn to run your association",
}


@pytest.mark.parametrize("language", ["fr", "zh-hans", "en"])
def test_home_says_what_essor_is_in_the_chosen_language(client, language):
    client.cookies["django_language"] = language
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert HOME_TITLES[language] in html


def test_no_page_loads_anything_from_another_host(client, learner):
    client.force_login(learner)
    for url in ["/", reverse("accounts:login"), reverse("accounts:profile"), reverse("api-docs")]:
        html = client.get(url).content.decode()
        external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', html)
        assert external == [], f"{url} loads {external}"


def test_unknown_page_is_a_translated_404(client):
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/no-such-page/")
    assert response.status_code == 404


def test_navigation_follows_roles(client, learner, trainer):
    client.force_login(learner)
    html = client.get("/").content.decode()
    assert "/admin/" not in html
    client.force_login(trainer)
    assert "/admin/" not in client.get("/").content.decode()


def test_the_navigation_marks_one_current_page(client_as, learner):
    # /learn/dashboard/ starts with /learn/ too: only "My learning" is the current page, not "Modules" as well.
    html = client_as(learner).get(reverse("learners:dashboard")).content.decode()
    nav = html[html.index('class="main-nav"'):html.index("</nav>", html.index('class="main-nav"'))]
    assert nav.count('aria-current="page"') == 1
    assert re.search(r'href="/learn/dashboard/" aria-current="page"', nav)


def test_the_frame_links_are_reversed_once_and_follow_the_url_prefix(client, learner):
    """templates/base.html takes its links from core.context_processors.site_urls, reversed once per process and
    per URL prefix: a site served under /essor/ links under /essor/, the same process at the root links at the root."""
    client.force_login(learner)
    root = client.get(reverse("learners:catalogue")).content.decode()
    assert f'href="{reverse("accounts:profile")}"' in root and f'action="{reverse("accounts:logout")}"' in root
    assert 'href="/privacy/"' in root and 'class="brand" href="/"' in root
    from django.test.utils import override_script_prefix

    with override_script_prefix("/essor/"):  # what the WSGI handler sets from SCRIPT_NAME
        prefixed = client.get("/learn/").content.decode()
    assert 'href="/essor/privacy/"' in prefixed and 'class="brand" href="/essor/"' in prefixed
    assert 'href="/essor/learn/"' in prefixed  # the navigation too
    again = client.get(reverse("learners:catalogue")).content.decode()
    assert 'class="brand" href="/"' in again and "/essor/" not in again
