"""What a person reads of a refusal in Slack: its words escaped, the people it names as mentions."""

from textwrap import dedent

from bot.config import load_config_text
from bot.domain.errors import Refusal, UserError
from handlers.replies import in_slack, slack_text

CONFIG = load_config_text(dedent("""\
    project: Acme
    lead: lead
    core: {maintainers: [lead]}
    people:
      lead: {slack: U0LEAD}
    """)).config


def test_what_someone_typed_stays_text_and_the_people_become_mentions():
    shown = in_slack(CONFIG, Refusal("There is no area '<!channel>'; ask {lead} & the core: `/dispute #12 <reason>`.",
                                     people={"lead": "lead"}))
    assert str(shown) == ("There is no area '&lt;!channel&gt;'; ask <@U0LEAD> &amp; the core: "
                          "`/dispute #12 &lt;reason&gt;`.")
    assert slack_text(shown) == str(shown)  # made for Slack once, never escaped twice


def test_an_error_no_service_rendered_is_escaped_on_its_way_out():
    assert slack_text(UserError("not a ticket number: '<!here>'")) == "not a ticket number: '&lt;!here&gt;'"
