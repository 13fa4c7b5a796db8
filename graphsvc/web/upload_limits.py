"""The upload limits, read once from the app's config, so that /import, `graphsvc serve` and the
service description give the same figures (defaults: graphsvc.uploads and graphsvc.web.protection)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import uploads
from .protection import DEFAULTS as PROTECTION


@dataclass(frozen=True)
class UploadLimits:
    max_mb: float  # per uploaded file
    time_limit: float  # seconds the confined child may read, import and audit it
    memory_mb: int  # the child's memory cap
    max_body_bytes: int  # of any request body (Flask's MAX_CONTENT_LENGTH)


def from_config(config) -> UploadLimits:
    def value(key, default, kind):
        found = config.get(key)
        return kind(default if found is None else found)

    return UploadLimits(
        value("UPLOAD_MAX_MB", uploads.MAX_MB, float),
        value("UPLOAD_TIME_LIMIT", uploads.TIME_LIMIT, float),
        value("UPLOAD_MEMORY_MB", uploads.MEMORY_MB, int),
        value("MAX_CONTENT_LENGTH", PROTECTION["MAX_CONTENT_LENGTH"], int),
    )
