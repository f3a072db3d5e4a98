"""Tables keep their words whole: a narrow column (a status, a due date, a count) is as wide
as its longest word, in every language. Found walking the demo in French: the owner's bulk
update showed "Pro pos ée" and "27/10/2 026", the committee report "Actio ns"."""

import pytest

from tests.browser.test_i18n_journey import switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# The words of each table cell that the browser laid out on more than one line (a word
# broken at its own hyphen, "inter-agency", is ordinary wrapping and not counted).
SPLIT_WORDS = """() => [...document.querySelectorAll('table tr > *')].flatMap(cell => {
  const split = [];
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode;
    let at = 0;
    for (const word of text.textContent.split(/(\\s+)/)) {
      if (word.trim() && !word.includes('-')) {
        const range = document.createRange();
        range.setStart(text, at);
        range.setEnd(text, at + word.length);
        if (range.getClientRects().length > 1) split.push(word);
      }
      at += word.length;
    }
  }
  return split;
})"""


@pytest.mark.parametrize(
    "username, url",
    [("nice-owner", "/tracker/actions/bulk/"), ("nice-committee", "/tracker/report/")],
)
def test_no_word_of_a_tracker_table_is_split_across_lines_in_french(
    username, url, site, visitor_factory
):
    member = visitor_factory(suffix=f"-{username}")
    member.login(username)
    member.goto(url)
    switch_language(member, "fr")
    assert member.page.locator("table td").count() > 5
    assert member.page.evaluate(SPLIT_WORDS) == []
