"""Settings from the environment: the contract's variables, their defaults, and UPLINE_AUTO_MIGRATE."""

import pytest

from bot.settings import Settings


def test_the_defaults():
    settings = Settings.from_env({})
    assert (settings.database_url, settings.config_path, settings.port) == ("sqlite:///upline.db", "app.yaml", 3000)
    assert settings.auto_migrate is True


@pytest.mark.parametrize(("value", "migrates"), [("0", False), ("false", False), ("off", False), ("NO", False),
                                                 ("1", True), ("true", True), ("", True), (" yes ", True)])
def test_upline_auto_migrate_turns_migrating_on_start_off_or_on(value, migrates):
    assert Settings.from_env({"UPLINE_AUTO_MIGRATE": value}).auto_migrate is migrates


def test_an_unreadable_upline_auto_migrate_is_an_error_naming_it():
    with pytest.raises(ValueError, match="UPLINE_AUTO_MIGRATE must be 1 or 0, not 'sometimes'"):
        Settings.from_env({"UPLINE_AUTO_MIGRATE": "sometimes"})
