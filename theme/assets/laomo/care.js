/* 关怀模式 (工业和信息化部《互联网网站适老化通用设计规范》): one switch in the header of every page.
 * It sets data-laomo-care on <html> (laomo.css does the rest: body text 22 px and more, nothing under
 * 18 px, darker text, larger targets, one column) and remembers the choice in localStorage; an inline
 * script in <head> (theme/main.html) applies a remembered choice before the first paint. */
(function () {
  "use strict";
  var KEY = "laomo-care";
  var html = document.documentElement;
  var buttons = document.querySelectorAll(".laomo-care-toggle");

  function show(on) {
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  function set(on) {
    if (on) { html.setAttribute("data-laomo-care", ""); } else { html.removeAttribute("data-laomo-care"); }
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
    show(on);
  }

  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () { set(!html.hasAttribute("data-laomo-care")); });
  }
  show(html.hasAttribute("data-laomo-care"));
})();
