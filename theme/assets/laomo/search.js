/* 劳模馆 search: a small Chinese search box over the Pagefind JS API (theme/partials/header.html).
 *
 * - Everything is fetched from this site only: pagefind.js, its wasm and index are loaded from the
 *   site's own bundles the first time the box is used (nothing on page load).
 * - The index is one base Pagefind bundle and a small delta of the pages changed since it was made:
 *   `search-bundles.json` at the site root names them (see `bundles` below); without it, "pagefind/".
 *   The delta is merged into the base (pagefind.mergeIndex), so filters work across both.
 * - People are found the way visitors look for them (generator/site/searchterms.py): each profile has
 *   hidden words for its name and given name written as codes (建国 → vxanq8nt, + "z" at the end), the
 *   pinyin (zhangjianguo, jianguo) and initials (zjg), codes of every part of its unit and position, and
 *   of its honours with their years. A Chinese query is searched as that code (its first six characters),
 *   a Latin one without spaces, tones or capitals, "全国劳动模范 2015" as honour + year: names come first
 *   (they weigh most), then units. The query as typed (words in stories) is searched next — at once when
 *   the first search found less than a page and no one of exactly that name, otherwise only when the
 *   visitor asks for more results: one query costs one index chunk whenever possible.
 * - Results show the name, a small photo, the highest honour with its year and the unit; filters for
 *   kind, honour, province and year work together with the query.
 */
(function () {
  "use strict";

  var PAGE = 5;  // results per page: one phone screen; each costs a fragment (and a photo) to fetch
  var CODE_CHARS = 6;  // searchterms.SUFFIX_CHARS
  var GROUPS = [["类别", "类别"], ["荣誉称号", "荣誉称号"], ["省份", "省份"], ["年份", "年份"]];
  var KIND_MARK = { "劳模": "", "职工之家": "家", "故事": "文" };
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]|[\ud840-\ud87f][\udc00-\udfff]/;
  var ONLY_HAN = /^(?:[\u3400-\u9fff\uf900-\ufaff]|[\ud840-\ud87f][\udc00-\udfff]|[\s·•・])+$/;
  var ONLY_LATIN = /^[A-Za-z\u00c0-\u024f\u0300-\u036f\s'’·.-]+$/;

  var box = document.getElementById("laomo-search");
  if (!box || !window.fetch || !window.Promise) { return; }

  var bundleAttr = box.getAttribute("data-bundle") || "pagefind/";
  var root = new URL("../", new URL(bundleAttr, document.baseURI));  // the site root, wherever it is hosted
  var state = { query: "", filters: {}, seq: 0, shown: 0, hits: [], seen: {}, pending: [], options: {}, misses: {},
                exactName: false, openGroup: null };
  var filtersState = "";  // "" | "loading" | "ready": the filter index is fetched on first use
  var engine = null;

  // ——— the box ———
  box.innerHTML = "";
  var form = el("form", "laomo-search__form pagefind-ui__form");
  form.setAttribute("action", "#");
  var label = el("label", "laomo-visually-hidden", "站内搜索：姓名、拼音、单位、事迹");
  label.setAttribute("for", "laomo-search-input");
  var input = el("input", "laomo-search__input pagefind-ui__search-input");
  input.id = "laomo-search-input";
  input.type = "search";
  input.setAttribute("placeholder", "搜姓名、单位、事迹");
  input.setAttribute("autocomplete", "off");
  input.setAttribute("autocapitalize", "off");
  input.setAttribute("spellcheck", "false");
  input.setAttribute("enterkeyhint", "search");
  input.setAttribute("aria-controls", "laomo-search-panel");
  var clear = el("button", "laomo-search__clear pagefind-ui__search-clear", "清除");
  clear.type = "button";
  clear.hidden = true;
  clear.setAttribute("aria-label", "清除搜索内容");
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(clear);

  var panel = el("div", "laomo-search__panel pagefind-ui__drawer");
  panel.id = "laomo-search-panel";
  panel.hidden = true;
  var status = el("p", "laomo-search__status pagefind-ui__message");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  var filterBar = el("div", "laomo-search__filters pagefind-ui__filter-panel");
  filterBar.hidden = true;
  var list = el("ol", "laomo-search__results pagefind-ui__results");
  list.setAttribute("aria-label", "搜索结果");
  var more = el("button", "laomo-search__more pagefind-ui__button", "显示更多结果");
  more.type = "button";
  more.hidden = true;
  panel.appendChild(status);
  panel.appendChild(filterBar);
  panel.appendChild(list);
  panel.appendChild(more);
  box.appendChild(form);
  box.appendChild(panel);

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  // ——— the engine: Pagefind, loaded on first use ———
  // search-bundles.json (generator/site/search.py BundleList): {"base": ["pagefind/"], "delta":
  // "pagefind-delta/" | null, "superseded": {base page id: url}, "delta_pages": {delta page id: url}}. The
  // delta holds the pages changed or added since the base was made; the base pages it supersedes (changed
  // or removed) are dropped from every answer before a fragment is loaded.
  var index = { superseded: {}, delta: {}, changed: {}, deltaLoaded: false };

  function bundles() {
    return fetch(new URL("search-bundles.json", root).href, { cache: "no-cache" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; })
      .then(function (found) {
        var folder = function (p) { return typeof p === "string" && p && !/^\/|:/.test(p); };
        var slash = function (p) { return /\/$/.test(p) ? p : p + "/"; };
        var spec = Array.isArray(found) ? { base: found } : (found && typeof found === "object" ? found : {});
        var base = (Array.isArray(spec.base) ? spec.base : []).filter(folder).map(slash);
        var pages = function (map) { return map && typeof map === "object" && !Array.isArray(map) ? map : {}; };
        return { base: base.length ? base : ["pagefind/"], delta: folder(spec.delta) ? slash(spec.delta) : null,
                 superseded: pages(spec.superseded), delta_pages: pages(spec.delta_pages) };
      });
  }

  function start(pagefind, paths) {  // Pagefind with the bundles of `paths` merged into the first
    return pagefind.options({ baseUrl: root.pathname, excerptLength: 24, noWorker: true })
      .then(function () { return pagefind.init(); })
      .then(function () {
        return Promise.all(paths.slice(1).map(function (p) {
          return pagefind.mergeIndex(new URL(p, root).pathname, { baseUrl: root.pathname });
        }));
      });
  }

  function load() {
    if (engine) { return engine; }
    engine = bundles().then(function (spec) {
      index.superseded = spec.superseded;
      index.delta = spec.delta ? spec.delta_pages : {};
      index.changed = {};
      Object.keys(index.delta).forEach(function (id) { index.changed[index.delta[id]] = true; });
      return import(new URL("pagefind.js", new URL(spec.base[0], root)).href).then(function (pagefind) {
        var paths = spec.base.concat(spec.delta ? [spec.delta] : []);
        return start(pagefind, paths).then(function () {
          index.deltaLoaded = !!spec.delta;
          return pagefind;
        }, function (error) {
          if (!spec.delta) { throw error; }
          // the delta did not load: search the base alone, with the older copies of the changed pages
          if (window.console) { console.warn("劳模馆搜索：增量索引无法载入", error); }
          index.deltaLoaded = false;
          return pagefind.destroy().then(function () { return start(pagefind, spec.base); })
            .then(function () { return pagefind; });
        });
      });
    });
    engine.catch(function () { engine = null; });
    return engine;
  }

  // One answer of the merged bundles, as the base alone would give it after the delta's changes: the
  // superseded base results dropped, each delta result in the place of its base copy (the two indexes score
  // on their own statistics, so their scores do not compare), and the delta results whose base copy was
  // not found placed by their score scaled as the matched pairs scale.
  function sortOut(results) {
    var fromDelta = function (r) { return index.deltaLoaded && index.delta[r.id] !== undefined; };
    var byUrl = {};
    results.forEach(function (r) { if (fromDelta(r)) { byUrl[index.delta[r.id]] = r; } });
    var out = [];
    var placed = {};
    var ratios = [];
    results.forEach(function (r) {
      if (fromDelta(r)) { return; }
      var url = index.superseded[r.id];
      if (url === undefined) { out.push({ result: r, score: r.score }); return; }
      var copy = byUrl[url];
      if (copy) {
        out.push({ result: copy, score: r.score });
        placed[url] = true;
        if (copy.score > 0) { ratios.push(r.score / copy.score); }
      } else if (!index.deltaLoaded && index.changed[url]) {
        out.push({ result: r, score: r.score });  // the delta failed: its older copy is better than nothing
      }
    });
    ratios.sort(function (a, b) { return a - b; });
    var scale = ratios.length ? ratios[Math.floor(ratios.length / 2)] : 1;
    results.forEach(function (r) {
      if (!fromDelta(r) || placed[index.delta[r.id]]) { return; }
      var score = r.score * scale;
      var at = 0;
      while (at < out.length && out[at].score >= score) { at++; }
      out.splice(at, 0, { result: r, score: score });
    });
    return out.map(function (o) { return o.result; });
  }

  // ——— the query: what to ask Pagefind ———
  function fold(text) {  // Zhāng Jiànguó → zhangjianguo
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z]/g, "");
  }

  var DIGITS = "0123456789abcdefghijklmnopqrstuv";
  function code(text) {  // 建国 → vxanq8nt: as generator/site/searchterms.py code()
    var out = "vx";
    Array.from(text.replace(/[\s·•・．.\-]/g, "")).forEach(function (char) {
      var point = char.codePointAt(0) - 0x3400;
      if (point >= 0 && point < 32768) {
        out += DIGITS.charAt(point >> 10) + DIGITS.charAt((point >> 5) & 31) + DIGITS.charAt(point & 31);
      } else {
        out += "w" + ("00000" + char.codePointAt(0).toString(16)).slice(-6);
      }
    });
    return out;
  }

  // A Chinese text is searched as its pairs of neighbouring characters (searchterms.text_words), all of
  // them, never as typed: Pagefind's index and the browser segment Chinese differently (Pagefind issue
  // 1237), and a word typed that the index does not hold matches any indexed word it starts with (建国
  // found every 建). At most MAX_PAIRS pairs, spread over the query, so a long query costs few chunks.
  var MAX_PAIRS = 4;
  function pairs(chars) {
    if (chars.length === 1) { return "vq" + code(chars[0]).slice(2); }  // every pair it starts, or itself
    var count = Math.min(chars.length - 1, MAX_PAIRS);
    var words = [];
    for (var k = 0; k < count; k++) {
      var at = count === 1 ? 0 : Math.round(k * (chars.length - 2) / (count - 1));
      var word = "vq" + code(chars[at] + chars[at + 1]).slice(2);
      if (words.indexOf(word) < 0) { words.push(word); }
    }
    return words.join(" ");
  }

  // A name, unit or studio longer than CODE_CHARS: the codes of its pieces of CODE_CHARS characters (the
  // last one ending with the query), all of them, at most three; each is the start of a part of the same
  // text (searchterms.part_words), so 北京晨盛商贸有限公司工会技术中心分会 finds that branch, not every
  // home of 北京晨盛商贸.
  function longName(chars) {
    var starts = [];
    for (var at = 0; at < chars.length && starts.length < 3; at += CODE_CHARS) {
      starts.push(Math.min(at, Math.max(0, chars.length - CODE_CHARS)));
    }
    if (chars.length > 3 * CODE_CHARS) { starts[2] = chars.length - CODE_CHARS; }
    return starts.filter(function (at, i) { return starts.indexOf(at) === i; }).map(function (at) {
      return code(chars.slice(at, at + CODE_CHARS).join(""));
    }).join(" ");
  }

  // When the pairs of the whole query find nothing (绿野蔬菜合作社 for 绿野蔬菜专业合作社), the pairs of each
  // word of it as the browser cuts it, all of them; words of one character are left out.
  function loosePairs(chars) {
    if (typeof Intl === "undefined" || typeof Intl.Segmenter !== "function") { return ""; }
    var words = [];
    Array.from(new Intl.Segmenter("zh", { granularity: "word" }).segment(chars.join(""))).forEach(function (s) {
      var word = Array.from(s.segment);
      if (word.length > 1) { pairs(word).split(" ").forEach(function (w) { if (words.indexOf(w) < 0) { words.push(w); } }); }
    });
    var step = Math.max(1, words.length / MAX_PAIRS);
    var out = [];
    for (var k = 0; k < words.length && out.length < MAX_PAIRS; k += step) { out.push(words[Math.floor(k)]); }
    return out.join(" ");
  }

  function textTerm(q) {  // 5G基站 → "5G <pairs of 基站>": Chinese as pairs, the rest as typed
    var out = [];
    q.split(/([\u3400-\u9fff\uf900-\ufaff]+|(?:[\ud840-\ud87f][\udc00-\udfff])+)/).forEach(function (piece, i) {
      if (!piece.trim()) { return; }
      out.push(i % 2 ? pairs(Array.from(piece)) : piece.trim());
    });
    return out.join(" ");
  }

  // Each ask: the term, whether it looks for names, and when it runs: "now"; "few" when the asks before
  // found less than a page; "none" when they found nothing; "noname" when they found less than a page and
  // no exact name (a name query needs nothing more). Asks that do not run now run when the visitor asks
  // for more results, except the "none" ones (fallbacks for an empty answer). `needle`: the Chinese text
  // to show in the excerpt of what a text ask found.
  var YEAR = /^(?:((?:19|20)\d\d)\s*年?\s*)?([^\d]+?)\s*(?:((?:19|20)\d\d)\s*年?)?[\s)）]*$/;
  function plan(query) {
    var q = query.normalize("NFKC").replace(/\s+/g, " ").trim();
    if (!q) { return []; }
    if (ONLY_HAN.test(q)) {
      var compact = Array.from(q.replace(/[\s·•・]/g, ""));
      var term = code(compact.slice(0, CODE_CHARS).join(""));
      var asks = [{ term: longName(compact), name: true, when: "now" }];
      if (compact.length <= CODE_CHARS) { asks.push({ term: term + "z", name: true, when: "few", probe: true }); }
      asks.push({ term: pairs(compact), name: false, when: "noname", needle: compact.join("") });
      var loose = loosePairs(compact);
      if (loose && loose !== pairs(compact)) { asks.push({ term: loose, name: false, when: "none" }); }
      return asks;
    }
    var honour = q.match(YEAR);
    if (honour && !honour[1] !== !honour[3] && HAN.test(honour[2])) {  // 全国劳动模范 2015, 2015年全国劳动模范
      var title = Array.from(honour[2]).filter(function (c) { return HAN.test(c); });
      return [{ term: code(title.join("")) + "y" + (honour[1] || honour[3]), name: false, when: "now" },
              { term: textTerm(q), name: false, when: "none" }];
    }
    if (ONLY_LATIN.test(q) && fold(q)) {
      var latin = [{ term: fold(q), name: true, when: "now" }];
      if (/[\s'’·.-]/.test(q)) { latin.push({ term: q, name: false, when: "none" }); }
      return latin;
    }
    return [{ term: textTerm(q), name: false, when: "now" }];
  }

  function pagefindFilters() {
    var out = {};
    Object.keys(state.filters).forEach(function (group) {
      if (state.filters[group].length) { out[group] = { any: state.filters[group].slice() }; }
    });
    return out;
  }

  // ——— searching ———
  function ask(pagefind, item, filters) {
    return pagefind.search(item.term, { filters: filters }).then(function (found) {
      found = found || { results: [] };
      found.results = sortOut(found.results || []);
      if (item.probe) {  // the exact name: its results are among those already found (same index chunk)
        state.exactName = found.results.length > 0;
        return;
      }
      found.results.forEach(function (result) {
        if (state.seen[result.id]) { return; }
        state.seen[result.id] = true;
        state.hits.push({ result: result, name: item.name, needle: item.needle, term: item.term });
      });
      var totals = found.totalFilters || {};
      Object.keys(totals).forEach(function (group) {
        state.options[group] = state.options[group] || {};
        Object.keys(totals[group]).forEach(function (value) {
          if (totals[group][value] > 0) { state.options[group][value] = true; }
        });
      });
    });
  }

  function askAll(pagefind, asks, seq) {  // one after the other: later ones may not be needed
    var filters = pagefindFilters();
    return asks.reduce(function (chain, item) {
      return chain.then(function () {
        if (seq !== state.seq) { return; }
        var found = state.hits.length;
        if (item.when === "now" || (item.when === "few" && found < PAGE) || (item.when === "none" && !found) ||
            (item.when === "noname" && found < PAGE && !state.exactName)) {
          return ask(pagefind, item, filters);
        }
        if (!item.probe && item.when !== "none") { state.pending.push(item); }  // "none": only a fallback
      });
    }, Promise.resolve());
  }

  function run() {
    var query = input.value;
    var seq = ++state.seq;
    clear.hidden = !query;
    if (!query.trim()) { close(); list.innerHTML = ""; status.textContent = ""; filterBar.hidden = true; return; }
    open();
    panel.setAttribute("aria-busy", "true");
    if (!list.children.length) { status.textContent = "正在搜索…"; }
    load().then(function (pagefind) {
      state.query = query;
      state.hits = [];
      state.seen = {};
      state.pending = [];
      state.options = {};
      state.shown = 0;
      state.misses = {};
      state.exactName = false;
      return askAll(pagefind, plan(query), seq);
    }).then(function () {
      if (seq !== state.seq) { return; }
      list.innerHTML = "";
      renderFilters();
      return showMore(seq);
    }).catch(function (error) {
      if (seq !== state.seq) { return; }
      panel.setAttribute("aria-busy", "false");
      status.textContent = "搜索暂时无法使用，请稍后再试，或按姓名拼音浏览。";
      if (window.console) { console.warn("劳模馆搜索：", error); }
    });
  }

  function showMore(seq) {
    var ready = Promise.resolve();
    if (state.shown >= state.hits.length && state.pending.length) {  // the asks left for later
      var later = state.pending.map(function (item) {
        return { term: item.term, name: item.name, when: "now", needle: item.needle };
      });
      state.pending = [];
      ready = load().then(function (pagefind) { return askAll(pagefind, later, seq); }).then(function () {
        if (seq === state.seq) { renderFilters(); }
      });
    }
    return ready.then(function () { return nextPage(seq, PAGE); }).then(function (shown) {
      if (!shown) { return; }
      (function () {
        if (seq !== state.seq) { return; }
        shown.forEach(function (pair) { list.appendChild(card(pair[0], pair[1])); });
        var total = state.hits.length;
        var q = "“" + state.query.trim() + "”";
        var filtered = Object.keys(pagefindFilters()).length ? "（已筛选）" : "";
        if (!total) {
          status.textContent = "没有找到与" + q + "相关的内容" + filtered +
            "。可以只输入名字、姓名拼音（如 zhangjianguo）或单位中的几个字。";
        } else if (state.pending.length) {  // the text search waits for 显示更多: say what was counted
          status.textContent = "找到 " + total + " 条姓名、单位或荣誉与" + q + "相符的结果" + filtered +
            "；点“显示更多结果”查找提到它的内容。";
        } else {
          status.textContent = "找到 " + total + " 条与" + q + "相关的结果" + filtered;
        }
        more.hidden = state.shown >= total && !state.pending.length;
        panel.setAttribute("aria-busy", "false");
      })();
    });
  }

  // A result holds every word its ask searched for (Pagefind matches a word by the indexed words it starts),
  // or Pagefind found it by a shorter word: what an index without the word does (the delta, a base part), so
  // a result a single index would not give. Checked on the fragment, which is loaded to show the result.
  function holds(data, hit) {
    var content = (data && data.content ? data.content : "").toLowerCase();
    return String(hit.term || "").toLowerCase().split(/\s+/).every(function (word) {
      return !word || content.indexOf(word) >= 0;
    });
  }

  // The next `count` results that hold their words, with their fragments: [[data, hit]…]; those that do not
  // are dropped from the answer. PAGE of one ask's results in a row without its words: the rest of that ask's
  // results are taken for shorter-word matches too and dropped unseen (each check costs a fragment).
  function nextPage(seq, count) {
    var batch = state.hits.slice(state.shown, state.shown + count);
    if (!batch.length) { return Promise.resolve([]); }
    return Promise.all(batch.map(function (hit) { return hit.result.data(); })).then(function (datas) {
      if (seq !== state.seq) { return null; }
      var kept = [];
      var at = state.shown;
      datas.forEach(function (data, i) {
        var hit = batch[i];
        if (state.misses[hit.term] >= PAGE) { return; }  // dropped with the rest of its ask's results
        if (holds(data, hit)) {
          kept.push([data, hit]);
          state.misses[hit.term] = 0;
          at++;
          return;
        }
        var gone = state.hits.indexOf(hit);
        if (gone >= 0) { state.hits.splice(gone, 1); }
        state.misses[hit.term] = (state.misses[hit.term] || 0) + 1;
        if (state.misses[hit.term] >= PAGE) {
          state.hits = state.hits.filter(function (h, k) { return k < at || h.term !== hit.term; });
        }
      });
      state.shown = at;
      if (kept.length >= count || state.shown >= state.hits.length) { return kept; }
      return nextPage(seq, count - kept.length).then(function (rest) { return rest ? kept.concat(rest) : null; });
    });
  }

  // ——— showing ———
  function cleanExcerpt(html) {  // drop the hidden name words 〖 … 〗 from an excerpt
    return (html || "").replace(/〖[^〗]*〗/g, " ").replace(/^[^〖]*〗/, "").replace(/〖[^〗]*$/, "")
      .replace(/\s{2,}/g, " ").trim();
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // What a text ask found matched the hidden pairs, so Pagefind's excerpt marks those: show the words of
  // the page around the first place the query itself appears instead.
  var AROUND = 16;
  function excerptAround(content, needle) {
    var text = (content || "").replace(/〖[^〗]*〗/g, " ").replace(/\s+/g, " ");
    var at = text.indexOf(needle);
    if (at < 0) { return ""; }
    var start = Math.max(0, at - AROUND);
    var sentence = text.slice(start, at).search(/[。！？；.!?;][^。！？；.!?;]*$/);  // start with its sentence
    if (sentence >= 0) { start += sentence + 1; }
    var end = Math.min(text.length, at + needle.length + AROUND);
    return (start > 0 && sentence < 0 ? "…" : "") + escapeHtml(text.slice(start, at).trim()) +
      "<mark>" + escapeHtml(needle) + "</mark>" + escapeHtml(text.slice(at + needle.length, end)) +
      (end < text.length ? "…" : "");
  }

  function card(data, hit) {
    var byName = hit.name;
    var meta = data.meta || {};
    var kind = (data.filters && data.filters["类别"] && data.filters["类别"][0]) || "";
    var item = el("li", "laomo-result pagefind-ui__result");
    var figure = el("div", "laomo-result__photo" + (meta.image ? "" : " laomo-result__photo--none"));
    figure.setAttribute("aria-hidden", "true");
    if (meta.image) {
      var img = el("img");
      img.src = /^(\/|https?:)/.test(meta.image) ? meta.image : new URL(meta.image, root).href;
      img.alt = "";
      img.width = 48;
      img.height = 60;
      img.loading = "lazy";
      img.decoding = "async";
      figure.appendChild(img);
    } else {
      figure.textContent = KIND_MARK[kind] || Array.from(meta.title || "·")[0];
    }
    var body = el("div", "laomo-result__body");
    var title = el("p", "laomo-result__title pagefind-ui__result-title");
    var link = el("a", "laomo-result__link pagefind-ui__result-link", meta.title || data.url);
    link.href = data.url;
    title.appendChild(link);
    if (kind && kind !== "劳模") { title.appendChild(el("span", "laomo-result__kind", kind)); }
    body.appendChild(title);
    if (meta["荣誉"]) { body.appendChild(el("p", "laomo-result__honour", meta["荣誉"])); }
    if (meta["单位"] && (meta.title || "").indexOf(meta["单位"]) < 0) {  // a home's name already says it
      body.appendChild(el("p", "laomo-result__unit", meta["单位"]));
    }
    var excerpt = (hit.needle && excerptAround(data.content, hit.needle)) || cleanExcerpt(data.excerpt);
    if (excerpt && (!byName || kind === "故事") && (kind === "故事" || excerpt.indexOf("<mark>") >= 0)) {
      var p = el("p", "laomo-result__excerpt pagefind-ui__result-excerpt");
      p.innerHTML = excerpt;  // Pagefind's excerpt: text escaped by Pagefind, <mark> added
      body.appendChild(p);
    }
    item.appendChild(figure);
    item.appendChild(body);
    return item;
  }

  function sortValues(group, values) {
    if (group === "年份") { return values.sort(function (a, b) { return Number(b) - Number(a); }); }
    if (group === "类别") {
      var order = ["劳模", "职工之家", "故事"];
      return values.sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); });
    }
    return values.sort(function (a, b) { return a.localeCompare(b, "zh-CN"); });
  }

  // Filters: a row of buttons (kind, honour, province, year); the chosen one opens its options below the
  // row. Options are the values found for the query (Pagefind's totalFilters); within a group any chosen
  // value matches, across groups all must.
  function renderFilters() {
    var active = document.activeElement;
    var focusKey = active && filterBar.contains(active) ? active.getAttribute("data-key") : null;
    filterBar.innerHTML = "";
    var chips = el("div", "laomo-filter__chips");
    var panelFor = null;
    GROUPS.forEach(function (pair) {
      var group = pair[0];
      var chosen = state.filters[group] || [];
      var values = Object.keys(state.options[group] || {});
      chosen.forEach(function (v) { if (values.indexOf(v) < 0) { values.push(v); } });
      if (!values.length && filtersState === "ready") { return; }
      var opened = state.openGroup === group;
      var chip = el("button", "laomo-filter__name pagefind-ui__filter-name", pair[1]);
      chip.type = "button";
      chip.setAttribute("data-group", group);
      chip.setAttribute("data-key", "chip:" + group);
      chip.setAttribute("aria-expanded", opened ? "true" : "false");
      chip.setAttribute("aria-controls", "laomo-filter-options");
      if (chosen.length) {
        chip.appendChild(el("span", "laomo-filter__count", " · " + chosen.length));
        chip.classList.add("laomo-filter__name--chosen");
      }
      chip.addEventListener("click", function () {
        state.openGroup = opened ? null : group;
        if (state.openGroup && !filtersState) { loadFilters(); }
        renderFilters();
      });
      chips.appendChild(chip);
      if (opened) { panelFor = { group: group, label: pair[1], values: values, chosen: chosen }; }
    });
    if (Object.keys(pagefindFilters()).length) {
      var reset = el("button", "laomo-filter__reset", "清除筛选");
      reset.type = "button";
      reset.setAttribute("data-key", "reset");
      reset.addEventListener("click", function () { state.filters = {}; state.openGroup = null; run(); input.focus(); });
      chips.appendChild(reset);
    }
    filterBar.appendChild(chips);
    if (panelFor) { filterBar.appendChild(options(panelFor)); }
    filterBar.hidden = !chips.children.length;
    if (focusKey) {
      var again = filterBar.querySelector('[data-key="' + focusKey.replace(/["\\]/g, "\\$&") + '"]');
      if (again) { again.focus(); }
    }
  }

  function options(spec) {
    var group = spec.group;
    var fieldset = el("fieldset", "laomo-filter__options pagefind-ui__filter-group");
    fieldset.id = "laomo-filter-options";
    fieldset.setAttribute("data-group", group);
    fieldset.appendChild(el("legend", "laomo-visually-hidden", spec.label));
    if (!spec.values.length) {  // the filter index is fetched only when a visitor opens a filter
      fieldset.appendChild(el("p", "laomo-filter__loading", "正在载入筛选项…"));
      return fieldset;
    }
    sortValues(group, spec.values).forEach(function (value) {
      var option = el("label", "laomo-filter__option pagefind-ui__filter-label");
      var box = el("input");
      box.type = "checkbox";
      box.value = value;
      box.checked = spec.chosen.indexOf(value) >= 0;
      box.setAttribute("data-key", "option:" + group + ":" + value);
      box.addEventListener("change", function () {
        var now = (state.filters[group] || []).filter(function (v) { return v !== value; });
        if (box.checked) { now.push(value); }
        state.filters[group] = now;
        run();
      });
      option.appendChild(box);
      option.appendChild(document.createTextNode(group === "年份" ? value + "年" : value));
      fieldset.appendChild(option);
    });
    return fieldset;
  }

  function loadFilters() {
    filtersState = "loading";
    load().then(function (pagefind) { return pagefind.filters(); }).then(function () {
      filtersState = "ready";
      run();
    }, function () { filtersState = ""; });
  }

  function open() {
    panel.hidden = false;
  }

  function close() {
    panel.hidden = true;
  }

  // ——— events ———
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 180);
  });
  input.addEventListener("focus", function () {
    load();
    if (input.value.trim() && (list.children.length || status.textContent)) { open(); }
  }, { passive: true });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
    if (window.matchMedia && window.matchMedia("(pointer: coarse)").matches) { input.blur(); }  // phone: keyboard down
  });
  clear.addEventListener("click", function () {
    input.value = "";
    state.filters = {};
    state.openGroup = null;
    run();
    input.focus();
  });
  more.addEventListener("click", function () {
    var first = state.shown;
    panel.setAttribute("aria-busy", "true");
    showMore(state.seq).then(function () {
      var next = list.children[first] && list.children[first].querySelector("a");
      if (next) { next.focus(); }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) { close(); input.focus(); }
  });
  document.addEventListener("click", function (event) {  // a click elsewhere closes the results
    var path = event.composedPath ? event.composedPath() : [event.target];
    if (path.indexOf(box) < 0 && event.target.isConnected !== false) { close(); }
  });
})();
