from pkg.shapes import Circle, make_circle

circle = make_circle(2.0)
total = circle.area() + Circle(1.0).area()
__all__ = ["circle", "total"]
