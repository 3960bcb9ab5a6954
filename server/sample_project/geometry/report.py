"""Human-readable descriptions of shapes."""

from geometry.shapes import Circle


def describe(shape) -> str:
    kind = "circle" if isinstance(shape, Circle) else type(shape).__name__.lower()
    return f"{kind}: area {shape.area():.2f}, perimeter {shape.perimeter():.2f}"
