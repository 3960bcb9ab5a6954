"""Collaboration sessions: invite links that grant a role for the session's duration."""
