"""Storage of the reference servers: the `FeedbackStore` protocol and its SQLite store."""

from .base import FeedbackStore
from .records import BraintrustFeedback, MartianEntry, MartianEvent, Scope
from .sqlite import SQLiteStore

__all__ = [
    "BraintrustFeedback",
    "FeedbackStore",
    "MartianEntry",
    "MartianEvent",
    "SQLiteStore",
    "Scope",
]
