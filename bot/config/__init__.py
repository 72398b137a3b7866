"""app.yaml: the project's maintainer hierarchy and SLA promises, under version control."""

from bot.config.load import LoadedConfig, load_config_file, load_config_text
from bot.config.problems import ConfigError, Problem
from bot.config.schema import Area, Config, Person

__all__ = ["Area", "Config", "ConfigError", "LoadedConfig", "Person", "Problem", "load_config_file",
           "load_config_text"]
