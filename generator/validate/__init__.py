"""Checks across records. `public` checks records/ alone; `private` checks the staff tree against it."""
