"""Plane shapes with an area and a perimeter."""

import math
from dataclasses import dataclass


@dataclass
class Circle:
    radius: float

    def area(self) -> float:
        """The area of the circle."""
        return math.pi * self.radius**2

    def perimeter(self) -> float:
        return 2 * math.pi * self.radius


@dataclass
class Rectangle:
    width: float
    height: float

    def area(self) -> float:
        """The area of the rectangle."""
        return self.width * self.height

    def perimeter(self) -> float:
        return 2 * (self.width + self.height)


class Square(Rectangle):
    def __init__(self, side: float) -> None:
        super().__init__(side, side)


def total_area(items: list) -> float:
    """The sum of the areas of `items`."""
    return sum(item.area() for item in items)
