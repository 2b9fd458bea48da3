"""``breakd check-config``: validate a config file and print the effective config.

A command of its own, above both the loader and the language: the loader does not import
``breakd.i18n``, which reads the loader for ``[notify] language``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TextIO

from breakd import exitcodes
from breakd.config.load import (
    ConfigError,
    config_source,
    config_to_toml,
    display_path,
    load,
    user_config_path,
)
from breakd.core.words import Translator
from breakd.i18n import user_translator


def check_config_command(
    path: str | None,
    *,
    out: TextIO,
    err: TextIO,
    env: Mapping[str, str] = os.environ,
    tr: Translator | None = None,
) -> int:
    """Validate the config and print the effective values; ``exitcodes.CONFIG`` on problems.
    The sentences are in the user's language (``tr``, default: theirs); file names, keys and
    values as written, and the effective config is TOML."""
    if tr is None:  # the config decides the language; a broken one: the environment's
        tr = user_translator(env, path)
    source = config_source(path, env)
    try:
        loaded = load(source, env=env)
    except ConfigError as exc:
        count = len(exc.problems)
        text = tr.ngettext(
            "breakd: {n} problem in the config:", "breakd: {n} problems in the config:", count
        )
        print(text.format(n=count), file=err)
        print(exc.say(tr), file=err)
        return exitcodes.CONFIG
    if source is None:
        text = tr.gettext("no file at {file}; defaults only")
        where = text.format(file=display_path(user_config_path(env), env))
    else:
        where = tr.gettext("read {file}").format(file=display_path(source, env))
    # Comment lines, so that the output as a whole is still a valid config file.
    print(f"# breakd check-config: {where}", file=out)
    for warning in loaded.warnings:
        print("# " + tr.gettext("warning: {warning}").format(warning=warning.say(tr)), file=out)
    for note in loaded.notes:
        print("# " + tr.gettext("note: {note}").format(note=note.say(tr)), file=out)
    print(
        "# " + tr.gettext("effective config (the file's values over the defaults):") + "\n",
        file=out,
    )
    print(config_to_toml(loaded.config), end="", file=out)
    return exitcodes.OK
