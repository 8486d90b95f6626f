"""Compliance: rules traced to the law, approvals, retention and a tamper-evident
audit journal."""

from __future__ import annotations

__all__: list[str] = []
