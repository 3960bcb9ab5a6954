"""Shapes and how to describe them."""
