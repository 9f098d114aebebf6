"""What the governance API's topics share."""

from typing import Literal

LevelName = Literal["operative", "tactical", "strategic"]
