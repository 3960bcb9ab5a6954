"""The language server as a session peer: rooms, text sync, presence, commands."""
