"""Reading records from disk. `public` reads `records/`; `private` reads the staff tree."""
