"""劳模馆 generator: records in git -> public site and private reports."""
