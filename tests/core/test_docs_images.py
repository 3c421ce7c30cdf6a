"""Every image a guide or the README shows exists (docs/**/*.md and README.md).

The screenshots are taken by tests/browser/test_screenshots.py; if one is renamed or dropped
and a page still refers to it, this fails.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# ![alt](path "title") and <img src="path">
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HTML_IMAGE = re.compile(r"<img\s[^>]*src=\"([^\"]+)\"")


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def image_links(text: str) -> list[str]:
    links = MARKDOWN_IMAGE.findall(text) + HTML_IMAGE.findall(text)
    return [link for link in links if not re.match(r"^[a-z]+:", link)]


def test_image_links_are_parsed():
    text = '![A](images/a.png) ![B](b.png "t") <img src="d.png" alt=""> ![W](https://x/y.png)'
    assert image_links(text) == ["images/a.png", "b.png", "d.png"]


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_image_a_page_shows_exists(page):
    missing = [link for link in image_links(page.read_text())
               if not (page.parent / link.split("#")[0]).is_file()]
    assert not missing, f"{page.relative_to(ROOT)} shows images that do not exist: {missing}"


def test_the_guides_show_screenshots():
    guides = sorted((ROOT / "docs" / "guide").glob("*.md"))
    assert guides, "docs/guide/ has no pages"
    assert all(image_links(page.read_text()) for page in guides if page.name != "README.md")
