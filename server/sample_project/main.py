"""Prints a report of a few shapes."""

from geometry import shapes
from geometry.report import describe


def main() -> None:
    items = [shapes.Circle(1.5), shapes.Rectangle(2, 3), shapes.Square(4)]
    for item in items:
        print(describe(item))
    print("total area:", round(shapes.total_area(items), 2))


if __name__ == "__main__":
    main()
