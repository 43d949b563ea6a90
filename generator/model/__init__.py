"""Record models. `public` may reach the site; `private` never may (see import-linter contract)."""
