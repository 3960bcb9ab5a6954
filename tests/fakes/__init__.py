"""Reusable fakes for DevSync tests (fake model providers, ...)."""
