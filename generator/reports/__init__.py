"""The private reports (`laomo report`): eligibility, home recommendations and revocation, for union staff only.

Data flows one way: validated trees → `view` (records seen on the as-of date) → rule functions
(`eligibility`, `homes`, `revocation`, with dated parameters from `params` and `packs/*.yml`) →
`findings` → renderers (`render_json`, `render_xlsx`, `render_html`). The public site never imports this package.
"""
