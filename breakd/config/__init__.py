"""breakd's configuration: the typed model, and loading/validating TOML files into it."""

from breakd.config.model import (
    ActivityConfig,
    Config,
    DailyConfig,
    NotifyConfig,
    PostureConfig,
    RepetitionConfig,
    SittingConfig,
    TimeRange,
    WaterConfig,
)

__all__ = [
    "ActivityConfig",
    "Config",
    "DailyConfig",
    "NotifyConfig",
    "PostureConfig",
    "RepetitionConfig",
    "SittingConfig",
    "TimeRange",
    "WaterConfig",
]
