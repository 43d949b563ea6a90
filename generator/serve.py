"""`laomo serve`: a live preview for editors, rebuilt whenever a record changes.

The preview is the real build (same validation, same pages) into a private folder.
While records are broken, the last good site stays up and every page shows the
problems, file and line, on top; the terminal prints them too.

It serves only its own preview folder (its PREVIEW_MARKER holds a token registered in the user's cache folder;
an empty or new folder is built first), on
127.0.0.1, to requests addressed to 127.0.0.1 or localhost with its port (a page elsewhere cannot reach it
through DNS rebinding), and it never reads the private tree: it has no option for one, and the import
contracts keep generator.serve away from the private modules.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import mimetypes
import os
import secrets
import sys
import threading
import time
import traceback
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generator.load.cache import cache_folder
from generator.load.files import display_path

STATUS_PATH = "/__laomo__/status"
SCRIPT_PATH = "/__laomo__/preview.js"
POLL_SECONDS = 0.5
HOST = "127.0.0.1"  # the preview is for this machine only
PREVIEW_MARKER = ".laomo-preview"  # written by serve into the folder it built: the only kind it serves
CHINESE_ERRORS = {400: "请求无法识别", 403: "禁止访问", 404: "页面不存在", 405: "不支持这种请求",
                  414: "地址太长", 421: "只接受本机访问", 431: "请求头太大", 501: "不支持这种请求",
                  505: "不支持的 HTTP 版本"}
ERROR_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>%(code)d %(message)s</title></head>
<body><h1>%(message)s（%(code)d）</h1><p>%(explain)s</p><p>这是 laomo serve 的本地预览。</p></body></html>
"""
NOT_BUILT_PAGE = ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>预览</title></head>"
                  "<body><p>这个页面不存在，或者记录有问题、网站尚未生成。问题列表会显示在页面顶部。</p></body></html>").encode()

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
        """Build once; whatever goes wrong is shown on the page and in the terminal, and the preview goes on."""
        from generator.site.build import BuildFailed, build_site

        started = time.perf_counter()
        try:
            build_site(self.records, self.out, echo=lambda line: None)
            mark_preview(self.out)
        except BuildFailed as failure:
            problems = [d.as_text() for d in sorted(failure.diagnostics) if d.severity == "error"]
            if failure.message:
                problems.append(failure.message)
            self._failed(problems, f"记录有 {len(problems)} 处问题")
            return
        except Exception as exc:  # noqa: BLE001 - the watcher must survive anything a build can raise
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            message = (f"生成预览时出现意外错误：{detail}。预览保持上一次的版本，改动记录后会再试；"
                       "如果一直出现，请把这段信息告诉维护者。")
            self._failed([message], "生成预览时出现意外错误")
            return
        with self.lock:
            self.problems = []
            self.version += 1
        print(f"{time.strftime('%H:%M:%S')} 已重新生成（{time.perf_counter() - started:.1f} 秒），浏览器会自动刷新。", flush=True)

    def _failed(self, problems: list[str], headline: str) -> None:
        with self.lock:
            self.problems = problems
        print(f"\n{time.strftime('%H:%M:%S')} {headline}，预览保持上一次的版本：", flush=True)
        for line in problems:
            print("  " + line, flush=True)

    def status(self) -> bytes:
        with self.lock:
            return json.dumps({"version": self.version, "problems": self.problems}, ensure_ascii=False).encode()


def _registration(out: Path) -> Path:
    """Where serve keeps the token of the preview at `out`: in the user's cache folder, which no pull request
    can write (a marker alone could be committed with `git add -f`)."""
    key = hashlib.blake2b(str(out.resolve()).encode("utf-8"), digest_size=16).hexdigest()
    return cache_folder() / "previews" / key


def _token_of(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip().rsplit(" ", 1)[-1] or None
    except (OSError, UnicodeDecodeError):
        return None


def mark_preview(out: Path) -> None:
    """Say that `out` is serve's own preview: the only kind of folder it will serve (and build into) again.
    The marker in the folder holds a token that must equal the one registered in the user's cache folder."""
    if not out.is_dir():
        return
    registration = _registration(out)
    token = _token_of(registration)
    if token is None:
        token = secrets.token_hex(16)
        registration.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(registration, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(token + "\n")
    marker = out / PREVIEW_MARKER
    if _token_of(marker) != token:
        marker.write_text(f"由 laomo serve 生成的本地预览网站，随时会被整个替换。 {token}\n", encoding="utf-8")


def foreign_folder(out: Path) -> str | None:
    """Why `out` is not a folder serve may build into and serve (in Chinese); None when it may."""
    if not out.exists() and not out.is_symlink():
        return None
    if out.is_symlink() or not out.is_dir():
        return f"“{display_path(out)}”不是普通目录"
    try:
        if not any(out.iterdir()):
            return None
    except OSError as exc:
        return f"无法读取“{display_path(out)}”（{exc.strerror}）"
    token = _token_of(out / PREVIEW_MARKER)
    if token is not None and token == _token_of(_registration(out)):
        return None
    return f"“{display_path(out)}”不是 laomo serve 生成的预览目录（如果是以前的预览，删除它后重试即可）"


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
        try:
            current = snapshot(preview.records)
            if current != seen:
                time.sleep(0.2)  # let an editor's save finish writing
                seen = snapshot(preview.records)
                preview.rebuild()
        except Exception as exc:  # noqa: BLE001 - the watcher goes on whatever happens (rebuild reports its own)
            print(f"{time.strftime('%H:%M:%S')} 监视记录目录时出错（{exc}），稍后再试。", flush=True)


class PreviewHandler(BaseHTTPRequestHandler):
    """Files of the preview folder, to this machine only. Nothing outside the folder, no hidden files, no
    listings; a page that does not exist gets the site's own 404 page (with the problem box)."""

    preview: Preview
    server_version = "laomo-preview"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet: the terminal is for problems
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Every error page in Chinese, the base class's own too (bad request line, unknown method …). The
        status line keeps HTTP's English reason: it must be Latin-1."""
        title = CHINESE_ERRORS.get(code, "请求无法处理")
        page = ERROR_PAGE % {"code": code, "message": html.escape(title),
                             "explain": html.escape(explain or "请检查浏览器地址栏中的地址。")}
        data = page.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if getattr(self, "command", "") != "HEAD" and code >= 200 and code not in (204, 304):
            self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        try:
            if not self._own_host():
                return self.send_error(HTTPStatus.MISDIRECTED_REQUEST,
                                       explain="预览只接受来自本机地址 127.0.0.1 或 localhost（带端口）的访问。")
            self._serve(body)
        except (ConnectionError, TimeoutError):
            pass
        except Exception:  # noqa: BLE001 - any odd request gets a page, never a traceback
            self.send_error(HTTPStatus.BAD_REQUEST, explain="请求的地址无法识别。请检查浏览器地址栏。")

    def _own_host(self) -> bool:
        port = self.connection.getsockname()[1]  # the port this request came in on
        return (self.headers.get("Host") or "").strip().lower() in {f"127.0.0.1:{port}", f"localhost:{port}"}

    def _serve(self, body: bool) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path == STATUS_PATH:
            return self._send(HTTPStatus.OK, self.preview.status(), "application/json; charset=utf-8", body)
        if path == SCRIPT_PATH:
            return self._send(HTTPStatus.OK, PREVIEW_SCRIPT.encode(), "text/javascript; charset=utf-8", body)
        target = self._file(urllib.parse.unquote(path, errors="strict"))
        if target is None:
            return self._not_found(body)
        data = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            return self._send(HTTPStatus.OK, with_script(data), "text/html; charset=utf-8", body)
        if kind.startswith("text/") or kind in {"application/javascript", "application/json"}:
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, data, kind, body)

    def _file(self, path: str) -> Path | None:
        """The file of the preview folder a URL path names; None for anything else."""
        if "\0" in path or "\\" in path:
            return None
        parts = [part for part in path.split("/") if part]
        if any(part.startswith(".") for part in parts):  # .., hidden files, the build's own bookkeeping
            return None
        root = self.preview.out.resolve()
        target = root.joinpath(*parts)
        if target.is_dir():
            target = target / "index.html"
        try:
            target.resolve(strict=True).relative_to(root)
        except (OSError, ValueError, RuntimeError):
            return None
        return target if target.is_file() else None

    def _not_found(self, body: bool) -> None:
        page = self.preview.out / "404.html"
        try:
            data = page.read_bytes() if foreign_folder(self.preview.out) is None else NOT_BUILT_PAGE
        except OSError:
            data = NOT_BUILT_PAGE
        self._send(HTTPStatus.NOT_FOUND, with_script(data), "text/html; charset=utf-8", body)

    def _send(self, status: HTTPStatus, data: bytes, content_type: str, body: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)


def with_script(page: bytes) -> bytes:
    """The page with the preview's script, which reloads it after a rebuild and shows the problem box."""
    tag = f'<script src="{SCRIPT_PATH}"></script>'.encode()
    return page.replace(b"</body>", tag + b"</body>", 1) if b"</body>" in page else page + tag


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--records", type=Path, default=Path("records"), metavar="DIR", help="公开记录目录（默认 records/）")
    parser.add_argument("--out", type=Path, default=Path(".cache/preview"), metavar="DIR",
                        help="预览网站的输出目录（默认 .cache/preview；只能是不存在的、空的或 laomo serve 自己生成的目录）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000；只在本机 127.0.0.1 上提供）")


def run(args: argparse.Namespace) -> int:
    if not args.records.is_dir():
        print(f"laomo serve：记录目录“{args.records}”不存在。", file=sys.stderr)
        return 2
    if (args.records / "units.yml").exists() or not (args.records / "vocab").is_dir():
        print(f"laomo serve：“{display_path(args.records)}”看起来不是公开记录目录（没有 vocab/，或有私密目录才有的 "
              "units.yml）。预览只读取公开记录：请用 --records 指定 records/。", file=sys.stderr)
        return 2
    refused = foreign_folder(args.out)
    if refused is not None:
        print(f"laomo serve：{refused}，为免泄露或误删其中的文件，不予使用。预览只生成到不存在的、空的或 laomo serve "
              "以前生成的目录：请不写 --out（默认 .cache/preview），或换一个新目录。", file=sys.stderr)
        return 2
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        server = ThreadingHTTPServer((HOST, args.port), type("Handler", (PreviewHandler,), {}))
    except OSError as exc:
        print(f"laomo serve：无法在端口 {args.port} 上提供预览（{exc.strerror}）。请用 --port 换一个端口。", file=sys.stderr)
        return 2
    preview = Preview(args.records, args.out)
    server.RequestHandlerClass.preview = preview  # type: ignore[attr-defined]
    print(f"正在生成预览网站（{display_path(args.records)} → {display_path(args.out)}）…", flush=True)
    preview.rebuild()
    stop = threading.Event()
    threading.Thread(target=watch, args=(preview, stop), daemon=True).start()
    port = server.server_address[1]
    print(f"预览地址：http://{HOST}:{port}/  （修改 {display_path(args.records)} 中的文件后自动重建；按 Ctrl+C 退出）", flush=True)
    try:
        server.serve_forever(poll_interval=0.3)
    except KeyboardInterrupt:
        print("\n已停止预览。")
    finally:
        stop.set()
        server.server_close()
    return 0
