"""The public site: `laomo build` (generator.site.build) and what it is made of.

Glossary — one name per concept, in the code and in its comments:

- *record*: a worker or a home as loaded from one YAML file (generator.model.public); a *story* is one
  Markdown file of records/stories/.
- *projection*: the records and honours the public may see (generator.projection).
- *view*: what a page is rendered from (generator.site.pages: RecordView, StoryView, Listing …); the
  *site model* (SiteModel) holds every view.
- *page*: one HTML file laomo renders from views (a *job* (kind, name) of render_pages); the *top pages*
  are the few MkDocs renders.
- *unit* (state.Unit): one output of the build — a page, the MkDocs top pages, a photo's derivatives, a
  part of the search index, the list of parts, the open data, the sitemap, robots.txt. Not to be
  confused with a record's employer (`unit` in the records) or a managing union (`management_unit`).
- *key*: a digest of everything a unit is made from; a unit is built again only when its key changed, by the
  same function in a full and an incremental build (plan.plan_pages, indexing.plan_search, sitefiles …).
- *environment*: the digest of the code, theme, mkdocs.yml and library versions (state.environment); part of
  every key, so a change there rebuilds everything.
- *digest*: a blake2b hash of bytes (state.digest for keys; load.cache.digest for a file's content).
- *stamp*: a file's inode, size and times (load.cache.stamp_of), only a shortcut: an input file is *unchanged*
  when its content digest is the previous build's (state.input_digests), whatever its stamp — a fresh clone
  (every stamp new) re-reads each file once and parses, checks and renders only what its content changed.
- *state* (state.SiteState): the units, keys and files of the previous build of one output, kept in laomo's
  cache folder (state.SiteCache); *staging*: the folder a build writes into before it is swapped in.
- *part*: one of the search index's Pagefind bundles (generator.site.search); a *search document* is what
  Pagefind is given for one page (generator.site.searchdocs).
"""
