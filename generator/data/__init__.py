"""Data files of national standards the records are checked against (each names its source)."""
