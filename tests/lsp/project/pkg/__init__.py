"""Sample package the language-server tests analyse."""
