/* Pagefind search box in the header of every page (theme/partials/header.html).
 * The bundle (pagefind-ui.js, the index and its wasm) is served from this site's
 * own /pagefind/ folder; nothing is fetched from anywhere else. */
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("laomo-search");
    if (!box || typeof PagefindUI === "undefined") { return; }
    var bundle = new URL(box.getAttribute("data-bundle") || "pagefind/", document.baseURI);
    var root = new URL("../", bundle);  // the site root, wherever the site is hosted
    var base = root.pathname;
    new PagefindUI({
      element: "#laomo-search",
      bundlePath: bundle.pathname,
      baseUrl: base,
      showImages: true,
      showSubResults: false,
      excerptLength: 30,
      resetStyles: false,
      pageSize: 8,
      translations: {
        placeholder: "搜索姓名、单位、事迹，如：焊接",
        zero_results: "没有找到与“[SEARCH_TERM]”相关的内容",
        many_results: "找到 [COUNT] 条与“[SEARCH_TERM]”相关的结果",
        one_result: "找到 1 条与“[SEARCH_TERM]”相关的结果",
        filters_label: "筛选",
        load_more: "显示更多结果",
        clear_search: "清除"
      },
      processResult: function (result) {
        if (result.meta && result.meta.image && !/^(\/|https?:)/.test(result.meta.image)) {
          result.meta.image = base + result.meta.image;
        }
        return result;
      }
    });
    var input = box.querySelector("input");
    if (input) { input.setAttribute("aria-label", "站内搜索"); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
