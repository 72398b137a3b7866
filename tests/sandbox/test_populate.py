"""Filling the stand-in workspace from app.yaml: the channels decisions are published in exist too."""

from textwrap import dedent

from bot.config import load_config_text
from bot.sandbox.populate import populate
from bot.sandbox.workspace import Workspace

CONFIG = dedent("""\
    project: P
    lead: U0LEAD
    core: {maintainers: [U0CORE], channel: C0CORE}
    decisions: {channel: C0DECISIONS}
    areas:
      - key: nn
        channel: C0NN
        decisions: {channel: C0NNVOTES}
      - key: optim
        channel: C0OPTIM
        decisions: {channel: C0CORE}
    """)


def channel_names(workspace: Workspace) -> dict[str, str]:
    return {channel.id: channel.name for channel in workspace.channels() if not channel.is_private}


def test_the_decisions_channels_are_created_beside_the_core_and_area_channels():
    workspace = Workspace()
    populate(workspace, load_config_text(CONFIG).config)
    names = channel_names(workspace)
    assert names["C0DECISIONS"] == "decisions"
    assert names["C0NNVOTES"] == "nn-decisions"


def test_a_decisions_channel_that_is_already_another_channel_keeps_its_name():
    workspace = Workspace()
    populate(workspace, load_config_text(CONFIG).config)
    assert channel_names(workspace)["C0CORE"] == "core"
