/* 生成分享海报 on a profile (theme/laomo/record.html): a 600×900 picture for WeChat moments, drawn here
 * on a <canvas> rather than at build time (a PNG per profile would make the site too large to host).
 * Everything drawn is already on the page: the name, honour, unit and kind from the panel's data-*
 * attributes, the page's own 320 px photo, the share panel's QR code (inline SVG, drawn by segno at
 * build time; its paths are painted as they are, so no image is loaded for it), the site's name.
 * The text uses the page's own font stack; nothing is loaded from elsewhere. Without JavaScript, or
 * without canvas.toBlob, the button stays hidden. */
(function () {
  "use strict";
  var button = document.querySelector(".laomo-poster__button");
  var panel = document.getElementById("laomo-poster-panel");
  var probe = document.createElement("canvas");
  if (!button || !panel || !probe.getContext || !probe.toBlob) { return; }

  var WIDTH = 600, HEIGHT = 900;
  var RED = "#9e1b1b", INK = "#1f1f1f", MUTED = "#555555", PAPER = "#fbf7f0";
  var status = document.querySelector(".laomo-poster__status");
  var made = false, busy = false;  // drawn once per page view
  button.hidden = false;

  function font(size) {
    var family = getComputedStyle(document.querySelector(".md-typeset") || document.body).fontFamily;
    return "bold " + size + "px " + (family || "sans-serif");
  }

  // The font's ascender and descender (as Pillow anchors text), for the current font of `pen`.
  function metrics(pen, size) {
    var m = pen.measureText("劳");
    return m.fontBoundingBoxAscent !== undefined
      ? { ascent: m.fontBoundingBoxAscent, descent: m.fontBoundingBoxDescent }
      : { ascent: size * 1.16, descent: size * 0.29 };  // Noto Sans CJK's, for browsers without the metrics
  }

  function text(pen, value, x, top, size, colour, align) {
    pen.font = font(size);
    pen.fillStyle = colour;
    pen.textAlign = align;
    pen.textBaseline = "alphabetic";
    pen.fillText(value, x, top + metrics(pen, size).ascent);  // `top` is the top of the letters' box
  }

  // `value` broken into at most `most` lines of `width` px (Chinese breaks anywhere), the last cut with ….
  function lines(pen, value, size, width, most) {
    pen.font = font(size);
    var result = [], line = "";
    var chars = Array.from(value);
    for (var i = 0; i < chars.length; i++) {
      if (pen.measureText(line + chars[i]).width > width) { result.push(line); line = chars[i]; } else { line += chars[i]; }
    }
    result.push(line);
    if (result.length > most) {
      result = result.slice(0, most);
      result[most - 1] = Array.from(result[most - 1]).slice(0, -1).join("") + "…";
    }
    return result;
  }

  function loadPhoto() {
    var img = document.querySelector(".laomo-profile__photo img");
    var src = img && img.getAttribute("src");
    if (!src) { return Promise.resolve(null); }
    return new Promise(function (resolve) {
      var photo = new Image();
      photo.onload = function () { resolve(photo); };
      photo.onerror = function () { resolve(null); };  // the poster without it, as when there is none
      photo.src = new URL(src, location.href).href;
    });
  }

  // The photo fitted into 320×320, grey for the deceased (by its pixels: canvas filters are not everywhere).
  function drawPhoto(pen, photo, top, grey) {
    var scale = Math.min(320 / photo.naturalWidth, 320 / photo.naturalHeight);
    var w = Math.round(photo.naturalWidth * scale), h = Math.round(photo.naturalHeight * scale);
    var x = Math.floor((WIDTH - w) / 2);
    pen.drawImage(photo, x, top, w, h);
    if (grey) {
      var pixels = pen.getImageData(x, top, w, h), d = pixels.data;
      for (var i = 0; i < d.length; i += 4) {
        d[i] = d[i + 1] = d[i + 2] = Math.round((d[i] * 299 + d[i + 1] * 587 + d[i + 2] * 114) / 1000);
      }
      pen.putImageData(pixels, x, top);
    }
    return h;
  }

  // The share panel's QR code, its paths painted at its own scale (4 px a module, 2 modules of white).
  function drawQr(pen, svg, right, bottom) {
    var w = Number(svg.getAttribute("width")), h = Number(svg.getAttribute("height"));
    var group = svg.querySelector("g");
    var match = /scale\(([\d.]+)\)/.exec((group && group.getAttribute("transform")) || "");
    var scale = match ? Number(match[1]) : 1;
    var x = right - w, y = bottom - h;
    pen.save();
    pen.fillStyle = "#ffffff";
    pen.fillRect(x, y, w, h);
    pen.translate(x, y);
    pen.scale(scale, scale);
    var paths = svg.querySelectorAll("path");
    for (var i = 0; i < paths.length; i++) {
      var shape = new Path2D(paths[i].getAttribute("d"));
      if (paths[i].getAttribute("stroke")) {
        pen.strokeStyle = paths[i].getAttribute("stroke");
        pen.lineWidth = 1;
        pen.stroke(shape);
      } else {
        pen.fillStyle = paths[i].getAttribute("fill") || "#000";
        pen.fill(shape);
      }
    }
    pen.restore();
    return h;
  }

  function draw(canvas, photo) {
    var data = panel.dataset;
    var deceased = data.deceased !== undefined;
    var accent = deceased ? MUTED : RED;
    var site = (document.querySelector("meta[property='og:site_name']") || {}).content || "劳模馆";
    var pen = canvas.getContext("2d");
    pen.fillStyle = PAPER;
    pen.fillRect(0, 0, WIDTH, HEIGHT);
    pen.fillStyle = deceased ? "#4a4a4a" : RED;
    pen.fillRect(0, 0, WIDTH, 89);
    text(pen, site, 40, 20, 34, "#ffffff", "left");
    text(pen, data.kind, WIDTH - 40, 30, 24, "#ffffff", "right");
    var top = 120;
    if (photo) {
      top += drawPhoto(pen, photo, top, deceased) + 24;
    } else {
      pen.fillStyle = "#f3ede4";
      pen.beginPath();
      pen.arc(WIDTH / 2, top + 90, 90, 0, 2 * Math.PI);
      pen.fill();
      pen.font = font(96);
      pen.fillStyle = accent;
      pen.textAlign = "center";
      pen.textBaseline = "alphabetic";
      var mark = metrics(pen, 96);
      pen.fillText(data.mark, WIDTH / 2, top + 90 + (mark.ascent - mark.descent) / 2);  // centred in the disc
      top += 210;
    }
    var size = Array.from(data.name).length <= 6 ? 60 : 40;  // a home's long name takes two lines of a smaller size
    lines(pen, data.name, size, WIDTH - 80, 2).forEach(function (line) {
      text(pen, line, WIDTH / 2, top, size, INK, "center");
      top += size + 18;
    });
    lines(pen, data.honour, 32, WIDTH - 80, 2).forEach(function (line) {
      text(pen, line, WIDTH / 2, top, 32, accent, "center");
      top += 44;
    });
    lines(pen, data.unit, 26, WIDTH - 80, 1).forEach(function (line) {
      text(pen, line, WIDTH / 2, top + 6, 26, MUTED, "center");
      top += 36;
    });
    var svg = document.querySelector(".laomo-share__panel svg.laomo-qr");
    if (svg) {
      var qr = drawQr(pen, svg, WIDTH - 40, HEIGHT - 30);
      text(pen, "扫码阅读", 40, HEIGHT - 30 - Math.floor(qr / 2) - 20, 28, INK, "left");
      text(pen, "先进事迹", 40, HEIGHT - 30 - Math.floor(qr / 2) + 20, 28, INK, "left");
    }
  }

  function toBlob(canvas) {
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) { if (blob) { resolve(blob); } else { reject(new Error("toBlob")); } }, "image/png");
    });
  }

  function render(photo) {
    var canvas = document.createElement("canvas");
    canvas.width = WIDTH;
    canvas.height = HEIGHT;
    draw(canvas, photo);
    return toBlob(canvas);
  }

  function make() {
    var fonts = document.fonts && document.fonts.ready ? document.fonts.ready : Promise.resolve();
    return Promise.all([loadPhoto(), fonts]).then(function (loaded) {
      // a photo the browser counts as from elsewhere (a page opened from disk) makes the canvas unreadable:
      // then the poster without it
      return Promise.resolve(loaded[0]).then(render).catch(function () { return render(null); });
    }).then(function (blob) {
      var url = URL.createObjectURL(blob);
      var data = panel.dataset, name = data.name;
      var preview = document.createElement("img");
      preview.className = "laomo-poster__preview";
      preview.src = url;
      preview.width = WIDTH;
      preview.height = HEIGHT;
      preview.alt = "分享海报：" + name + "，" + data.honour + "，" + data.unit + "；下方是本页二维码";
      var save = document.createElement("a");
      save.className = "laomo-poster__save";
      save.href = url;
      save.download = name.replace(/[\\/:*?"<>|\s]+/g, "") + "-分享海报.png";
      save.textContent = "保存海报图片";
      var hint = document.createElement("p");
      hint.className = "laomo-poster__hint";
      hint.textContent = "在手机上也可以长按图片保存，再发到朋友圈。";
      var actions = document.createElement("p");
      actions.appendChild(save);
      panel.textContent = "";
      panel.appendChild(preview);
      panel.appendChild(actions);
      panel.appendChild(hint);
      made = true;
    });
  }

  button.addEventListener("click", function () {
    var opening = panel.hidden;
    panel.hidden = !opening;
    button.setAttribute("aria-expanded", opening ? "true" : "false");
    if (!opening || made || busy) { return; }
    busy = true;
    status.textContent = "正在生成海报……";
    make().then(function () {
      status.textContent = "海报已生成，可以保存图片。";
    }, function () {
      panel.textContent = status.textContent = "抱歉，这个浏览器无法生成海报，请改用“分享”按钮。";
    }).then(function () { busy = false; });
  });
})();
