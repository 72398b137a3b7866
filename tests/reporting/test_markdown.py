"""Text typed by people, escaped so that a Markdown document shows it as typed."""

from bot.reporting.markdown import blockquote, escape_markdown


def test_inline_markup_and_html_are_escaped():
    assert escape_markdown("*a* _b_ `c` [d](e) <!channel> &amp; ~f~ a|b $x$ #1") == (
        "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\<!channel\\> \\&amp; \\~f\\~ a\\|b \\$x\\$ \\#1")


def test_what_would_start_a_block_at_the_beginning_of_a_line_is_escaped():
    assert [escape_markdown(text) for text in ("# h", "- x", "+ y", "=== ", "3. z", "4) w", "> q", "2026 rocks")] == [
        "\\# h", "\\- x", "\\+ y", "\\===", "3\\. z", "4\\) w", "\\> q", "2026 rocks"]


def test_one_line_of_text_folds_its_whitespace():
    assert escape_markdown("  a\n\n b\tc ") == "a b c"


def test_a_blockquote_keeps_line_breaks_and_paragraphs():
    assert blockquote("first\nsecond\n\n  # third  \n") == ["> first\\", "> second", ">", "> \\# third"]
    assert blockquote("") == [">"]
