"""Users, passwords, API tokens and browser login sessions."""
