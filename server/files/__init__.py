"""Project files in the working tree: tree, read, write, delete, move."""
