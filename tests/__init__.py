"""The tests; each folder a package, mirroring generator/ (tests/site for generator.site, …)."""
