"""The matching engine: for each request, the helpers ranked by a weighted score, with a reason for each part.

`rank` is vectorised with numpy (`engine.py`); each criterion kind scores whole blocks of pairs and words its
reasons for the few pairs proposed (`parts.py`). The YAML and its checks are in lowcode/spec/matching.py.
"""
from __future__ import annotations

from .engine import Match, Part, RequestMatches, rank

__all__ = ["Match", "Part", "RequestMatches", "rank"]
