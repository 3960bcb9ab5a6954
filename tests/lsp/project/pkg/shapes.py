"""Shapes for the language-server tests."""

import math


class Circle:
    """A circle with a radius."""

    def __init__(self, radius: float) -> None:
        self.radius = radius

    def area(self) -> float:
        """Area of the circle."""
        return math.pi * self.radius**2

    def scaled(self, factor: float, *, keep: bool = False) -> "Circle":
        """A copy scaled by factor."""
        return Circle(self.radius * factor)


def make_circle(radius: float) -> Circle:
    """Build a circle."""
    return Circle(radius)
