/* 分享 and 打印 on a profile (theme/laomo/record.html). 分享 uses the Web Share API where the browser has
 * one (phones); elsewhere it opens a panel with the page's QR code (drawn at build time) and copies the
 * link. Nothing is loaded from elsewhere. */
(function () {
  "use strict";
  var box = document.querySelector(".laomo-share");
  if (!box) { return; }
  var share = box.querySelector(".laomo-share__button");
  var print = box.querySelector(".laomo-print__button");
  var panel = box.querySelector(".laomo-share__panel");
  var copy = box.querySelector(".laomo-share__copy");
  var status = box.querySelector(".laomo-share__status");
  var link = (document.querySelector("link[rel=canonical]") || {}).href || location.href;
  box.hidden = false;

  function copyLink() {
    if (!navigator.clipboard) { status.textContent = "请复制地址栏中的链接：" + link; return; }
    navigator.clipboard.writeText(link).then(function () { status.textContent = "链接已复制，可以粘贴发送。"; },
      function () { status.textContent = "请复制地址栏中的链接：" + link; });
  }

  function togglePanel() {
    var opening = panel.hidden;
    panel.hidden = !opening;
    share.setAttribute("aria-expanded", opening ? "true" : "false");
    if (opening) { copyLink(); }
  }

  share.addEventListener("click", function () {
    if (navigator.share) {
      navigator.share({ title: box.getAttribute("data-title") || document.title, url: link })
        .catch(function (error) { if (error && error.name !== "AbortError") { togglePanel(); } });
    } else {
      togglePanel();
    }
  });
  copy.addEventListener("click", copyLink);
  print.addEventListener("click", function () { window.print(); });
})();
