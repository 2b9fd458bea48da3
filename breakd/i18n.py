"""The adapter that reads translations: picks the user's language and loads its catalog.

The language is ``[notify] language`` when set, else the environment's, as every desktop
program takes it: ``LANGUAGE`` (a colon-separated list of preferences), then ``LC_ALL``,
``LC_MESSAGES``, ``LANG`` (the first one set wins; "C" and "POSIX" mean English). The
catalogs are GNU gettext ``.mo`` files compiled from ``breakd/locale/<lang>/LC_MESSAGES/
breakd.po`` and shipped in the package (docs/translating.md). A language without a catalog,
or a catalog that cannot be read, gives English, never an error: a reminder in English beats
none.

Nothing is kept at module level: each call reads the catalog afresh and returns a new
translator, which the caller owns (the engine keeps one and asks again after a config change).
"""

from __future__ import annotations

import gettext
import logging
import os
import struct
from collections.abc import Mapping
from pathlib import Path

from breakd.core.words import ENGLISH, Translator

log = logging.getLogger(__name__)

DOMAIN = "breakd"
LOCALE_DIR = Path(__file__).parent / "locale"
# The languages with a complete catalog, checked by the suite (tests/test_i18n.py).
LANGUAGES = ("de", "fr", "es", "pt_BR", "it", "nl", "pl", "ja")
_ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
_ENGLISH_LOCALES = frozenset({"", "C", "POSIX"})
# A language whose only catalog is a regional one: Portuguese reads the Brazilian catalog
# (after pt_PT's own, should one come), rather than English.
_REGIONAL = {"pt": "pt_BR"}


def languages_from(environ: Mapping[str, str]) -> list[str]:
    """The user's languages, most wanted first, as the environment names them."""
    for name in _ENVIRONMENT:
        value = environ.get(name, "")
        if not value:
            continue
        wanted = [part for part in value.split(":") if part] if name == "LANGUAGE" else [value]
        return _with_regional([w for w in wanted if w.split(".")[0] not in _ENGLISH_LOCALES])
    return []


def _with_regional(languages: list[str]) -> list[str]:
    found: list[str] = []
    for language in languages:
        found.append(language)
        regional = _REGIONAL.get(language.split("_")[0].split(".")[0].split("@")[0])
        if regional and regional not in found:
            found.append(regional)
    return found


def translator(
    language: str = "auto",
    environ: Mapping[str, str] | None = None,
    localedir: Path = LOCALE_DIR,
) -> Translator:
    """The translator for ``[notify] language`` ("auto": the environment's); English when
    breakd has no catalog for it."""
    if language == "auto":
        languages = languages_from(os.environ if environ is None else environ)
    else:
        languages = _with_regional([language])
    if not languages or languages[0].startswith("en"):
        return ENGLISH
    try:
        found: Translator = gettext.translation(
            DOMAIN, localedir=str(localedir), languages=languages, fallback=True
        )
    # A damaged or truncated catalog: English rather than no reminder at all.
    except (OSError, ValueError, struct.error) as err:
        log.warning("cannot read the %s translation (%s); using English", languages[0], err)
        return ENGLISH
    if type(found) is gettext.NullTranslations:
        return ENGLISH
    return found


def user_translator(
    environ: Mapping[str, str] | None = None, config_path: str | None = None
) -> Translator:
    """The translator for a command the user runs: ``[notify] language`` of their config file
    (or of ``config_path``; a broken config must not hide what the command says: then the
    environment's)."""
    from breakd.config.load import ConfigError, load_config

    env = os.environ if environ is None else environ
    try:
        language = load_config(config_path, env=env).notify.language
    except (ConfigError, OSError):
        language = "auto"
    return translator(language, env)


def language_tag(tr: Translator) -> str:
    """The language of ``tr`` as an HTML page's ``lang`` names it ("de", "pt-BR"): its
    catalog's ``Language`` header; "en" for English."""
    info = getattr(tr, "info", None)
    language = str(info().get("language", "")) if callable(info) else ""
    return language.replace("_", "-") or "en"
