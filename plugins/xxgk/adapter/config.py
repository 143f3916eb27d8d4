"""The plugin's options as MkDocs' config schema: each one of core/options.py, with its
default and its parse as MkDocs' validation."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from xxgk.core import options as O


class _Checked(c.BaseConfigOption):
    """One option of core/options.py: its default, and its parse as MkDocs' validation."""

    def __init__(self, key: str):
        super().__init__()
        self.key = key
        self.default = O.default(key)

    def run_validation(self, value):
        try:
            return O.spec(self.key).parse(value)
        except O.BadOption as exc:
            raise ValidationError(str(exc)) from None


# The plugin's schema is the options' declaration; on_config also refuses unknown keys.
XxgkConfig: type[base.Config] = type("XxgkConfig", (base.Config,), {key: _Checked(key) for key in O.OPTIONS})
