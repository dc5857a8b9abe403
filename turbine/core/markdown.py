"""User text as sanitised Markdown: rendered by Python-Markdown, then cleaned by nh3 (ammonia)
so that only a small set of tags and attributes survives. Raw HTML typed by users is escaped."""

from __future__ import annotations

import html as html_lib
import re

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
MAX_LENGTH = 50_000


def render_markdown(text: str) -> SafeString:
    """HTML safe to insert in a page. Headings start at level 3 so that user text never
    competes with the page's own h1 and h2."""
    text = (text or "")[:MAX_LENGTH]
    # Escape raw HTML before Markdown sees it: users write Markdown, not HTML.
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    html = md.markdown(escaped, extensions=["tables", "sane_lists"], output_format="html")
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
    html = html.replace("<h2>", "<h4>").replace("</h2>", "</h4>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|pre|tr|th|td)>|<br\s*/?>|<hr\s*/?>")


def markdown_to_text(text: str) -> str:
    """The words a reader sees once the Markdown is rendered: no `**`, `#` or `[lien](url)`,
    blocks separated by a space. Plain text, to be escaped like any other (search excerpts)."""
    text = (text or "")[:MAX_LENGTH]
    # As on the page, raw HTML typed by users is text, not markup.
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    rendered = md.markdown(escaped, extensions=["tables", "sane_lists"], output_format="html")
    spaced = _BLOCK_END.sub(" ", rendered)
    return " ".join(html_lib.unescape(nh3.clean(spaced, tags=set())).split())
