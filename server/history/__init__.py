"""Git history of each project (the only package that imports GitPython)."""
