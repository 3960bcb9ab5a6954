"""Projects, memberships and the roles owner / editor / viewer."""
