"""User text cut to fit a block: escaped, and never cut inside an `&amp;` or a `<@U…>`."""

from handlers.views.blocks import excerpt, fit, quoted


def test_an_excerpt_is_the_first_line_cut_then_escaped():
    assert excerpt("Ping <!channel> & go\nand more") == "Ping &lt;!channel&gt; &amp; go …"
    assert excerpt("x" * 79 + "&", 80) == "x" * 79 + "&amp;"
    assert excerpt(None) == ""


def test_a_quote_cut_to_its_room_splits_no_entity_and_says_it_was_cut():
    text, cut = quoted("a" * 10 + " " + "&" * 10, 20)
    assert cut and text == "> " + "a" * 10 + " …"
    assert quoted("short", 20) == ("> short", False)


def test_markup_cut_to_fit_drops_a_split_entity_or_mention():
    assert fit("x" * 6 + "&amp;rest", 10) == "x" * 6 + " …"
    assert fit("For: <@U0MIKAYLA> <@U0ALBAN>", 25) == "For: <@U0MIKAYLA> …"
    assert len(fit("y " * 2000)) <= 3000
    assert fit("short") == "short"
