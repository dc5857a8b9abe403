from __future__ import annotations

from turbine.core.markdown import render_markdown


def test_it_renders_markdown():
    html = render_markdown("# Titre\n\nDu **gras** et un [lien](https://example.org).")
    assert "<h3>Titre</h3>" in html
    assert "<strong>gras</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_it_escapes_raw_html_and_scripts():
    html = render_markdown('<script>alert(1)</script><img src=x onerror="alert(2)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_it_drops_dangerous_links():
    html = render_markdown("[clic](javascript:alert(1))")
    assert "javascript:" not in html


def test_it_accepts_empty_text():
    assert render_markdown("") == ""
