"""The generator's random draws: one seeded stream each, so the same seed gives the same return."""

from __future__ import annotations

import random
from typing import Sequence, TypeVar

T = TypeVar("T")


class Dice(random.Random):
    """A seeded stream of random draws, with the few shapes the generator needs.

    Seeds may be strings ("cin-synthetic-faults-1"): Python seeds from a string's SHA-512, so
    the stream is the same in every process, whatever PYTHONHASHSEED is.
    """

    def chance(self, probability: float) -> bool:
        return self.random() < probability

    def between(self, low: int, high: int) -> int:
        """An int from low to high, both included (high >= low); cheaper than `randint`, which
        matters at a few dozen draws per child."""
        return low + int(self.random() * (high - low + 1))

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]
