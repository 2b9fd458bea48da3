from __future__ import annotations

import dataclasses

from breakd.config.model import Config


def make_config(only: tuple[str, ...] | None = None, **sections: dict) -> Config:
    """Config() with some sections changed; ``only`` leaves just those reminder kinds enabled."""
    config = Config()
    for name, changes in sections.items():
        config = dataclasses.replace(
            config, **{name: dataclasses.replace(getattr(config, name), **changes)}
        )
    if only is not None:
        for name in ("sitting", "repetition", "water", "posture", "daily"):
            if name not in only:
                section = dataclasses.replace(getattr(config, name), enabled=False)
                config = dataclasses.replace(config, **{name: section})
    return config
