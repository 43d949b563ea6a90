"""`laomo serve`: a live preview for editors, rebuilt whenever a record changes.

The preview is the real build (same validation, same pages) into a private folder.
While records are broken, the last good site stays up and every page shows the
problems, file and line, on top; the terminal prints them too.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator.load.files import display_path

STATUS_PATH = "/__laomo__/status"
SCRIPT_PATH = "/__laomo__/preview.js"
POLL_SECONDS = 0.5

PREVIEW_SCRIPT = """(function () {
  var version = null;
  function show(problems) {
    var box = document.getElementById("laomo-problems");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "laomo-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:9999;max-height:60vh;overflow:auto;" +
        "background:#fff4f4;color:#8a1010;border-bottom:3px solid #c62828;padding:12px 16px;" +
        "font:15px/1.6 'Noto Sans CJK SC','PingFang SC',sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.2)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "记录有 " + problems.length + " 处问题，网站未更新（显示的是上一次成功的版本）：";
    box.appendChild(title);
    var list = document.createElement("ul");
    problems.forEach(function (p) {
      var item = document.createElement("li");
      item.textContent = p;
      list.appendChild(item);
    });
    box.appendChild(list);
  }
  function poll() {
    fetch("%STATUS%", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (version !== null && s.version !== version) { location.reload(); return; }
      version = s.version;
      show(s.problems);
    }).catch(function () {}).finally(function () { setTimeout(poll, 700); });
  }
  poll();
})();
""".replace("%STATUS%", STATUS_PATH)


class Preview:
    """The state shared by the watcher and the web server."""

    def __init__(self, records: Path, out: Path):
        self.records = records
        self.out = out
        self.version = 0
        self.problems: list[str] = []
        self.lock = threading.Lock()

    def rebuild(self) -> None:
        from generator.site.build import BuildFailed, build_site

        started = time.perf_counter()
        try:
            build_site(self.records, self.out, echo=lambda line: None)
        except BuildFailed as failure:
            problems = [d.as_text() for d in sorted(failure.diagnostics) if d.severity == "error"]
            if failure.message:
                problems.append(failure.message)
            with self.lock:
                self.problems = problems
            print(f"\n{time.strftime('%H:%M:%S')} 记录有 {len(problems)} 处问题，预览保持上一次的版本：", flush=True)
            for line in problems:
                print("  " + line, flush=True)
            return
        with self.lock:
            self.problems = []
            self.version += 1
        print(f"{time.strftime('%H:%M:%S')} 已重新生成（{time.perf_counter() - started:.1f} 秒），浏览器会自动刷新。", flush=True)

    def status(self) -> bytes:
        with self.lock:
            return json.dumps({"version": self.version, "problems": self.problems}, ensure_ascii=False).encode()


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under `folder`: cheap enough to poll for a preview."""
    state: dict[str, tuple[int, int]] = {}
    for directory, subdirs, files in os.walk(folder):
        subdirs[:] = [d for d in subdirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") or name.endswith("~"):
                continue
            path = os.path.join(directory, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            state[path] = (info.st_mtime_ns, info.st_size)
    return state


def watch(preview: Preview, stop: threading.Event) -> None:
    seen = snapshot(preview.records)
    while not stop.wait(POLL_SECONDS):
        current = snapshot(preview.records)
        if current != seen:
            time.sleep(0.2)  # let an editor's save finish writing
            seen = snapshot(preview.records)
            preview.rebuild()


class PreviewHandler(SimpleHTTPRequestHandler):
    preview: Preview

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet: the terminal is for problems
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == STATUS_PATH:
            return self._send(self.preview.status(), "application/json; charset=utf-8")
        if self.path == SCRIPT_PATH:
            return self._send(PREVIEW_SCRIPT.encode(), "text/javascript; charset=utf-8")
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file():
            page = target.read_bytes()
            tag = f'<script src="{SCRIPT_PATH}"></script>'.encode()
            page = page.replace(b"</body>", tag + b"</body>", 1) if b"</body>" in page else page + tag
            return self._send(page, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--records", type=Path, default=Path("records"), metavar="DIR", help="公开记录目录（默认 records/）")
    parser.add_argument("--out", type=Path, default=Path(".cache/preview"), metavar="DIR",
                        help="预览网站的输出目录（默认 .cache/preview）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认只允许本机访问）")


def run(args: argparse.Namespace) -> int:
    if not args.records.is_dir():
        print(f"laomo serve：记录目录“{args.records}”不存在。", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    preview = Preview(args.records, args.out)
    print(f"正在生成预览网站（{display_path(args.records)} → {display_path(args.out)}）…", flush=True)
    preview.rebuild()
    if not args.out.is_dir():
        args.out.mkdir(parents=True)
        (args.out / "index.html").write_text("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                                             "<title>预览</title></head><body><p>记录有问题，网站尚未生成。</p></body></html>",
                                             encoding="utf-8")
    handler = type("Handler", (PreviewHandler,), {"preview": preview})
    try:
        server = ThreadingHTTPServer((args.host, args.port), partial(handler, directory=str(args.out)))
    except OSError as exc:
        print(f"laomo serve：无法使用端口 {args.port}（{exc.strerror}）。请用 --port 换一个端口。", file=sys.stderr)
        return 2
    stop = threading.Event()
    threading.Thread(target=watch, args=(preview, stop), daemon=True).start()
    port = server.server_address[1]
    print(f"预览地址：http://{args.host}:{port}/  （修改 {display_path(args.records)} 中的文件后自动重建；按 Ctrl+C 退出）", flush=True)
    try:
        server.serve_forever(poll_interval=0.3)
    except KeyboardInterrupt:
        print("\n已停止预览。")
    finally:
        stop.set()
        server.server_close()
    return 0
