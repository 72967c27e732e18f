"""HTTP fetching with limits: timeouts, a size cap, a redirect limit, content-type
checks, charset decoding for GBK/GB2312/GB18030 and UTF-8 pages, and a guard against
private, loopback and link-local targets (checked at every redirect hop, and the
connection is pinned to the address that was checked, so DNS cannot rebind it)."""
from __future__ import annotations

import codecs
import ipaddress
import re
import socket
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import quote, urljoin, urlsplit

import urllib3

from auditor.ingest.errors import IngestError
from auditor.settings import FetchOptions

_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml",
               "application/rss+xml", "application/atom+xml")  # feeds, for batch discovery
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
_URL_SAFE = "/%:@!$&'()*+,;=-._~"
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_\-]+)""", re.I)


@dataclass(frozen=True)
class FetchedPage:
    url: str  # as requested
    final_url: str  # after redirects
    status: int
    content_type: str
    encoding: str
    text: str
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


def fetch(url: str, options: FetchOptions | None = None, *, headers: dict[str, str] | None = None) -> FetchedPage:
    options = options or FetchOptions()
    response, current = _follow(url, options, headers or {})
    try:
        if response.status == 304:  # conditional GET: the caller's copy is current
            return FetchedPage(url=url, final_url=current, status=304, content_type="", encoding="", text="",
                               headers=dict(response.headers))
        if response.status >= 400:
            raise IngestError(f"HTTP {response.status}: {current}", status=response.status)
        mime = _mime(response)
        if mime and not mime.startswith(_TEXT_TYPES):
            raise IngestError(f"不是网页或文本 (Content-Type: {mime}): {current}")
        return _page(response, url, current, options)
    finally:
        response.release_conn()


def _mime(response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _page(response, url: str, current: str, options: FetchOptions) -> FetchedPage:
    mime = _mime(response)
    body = _read_capped(response, options.max_bytes, current)
    if not mime and _looks_binary(body):
        raise IngestError(f"响应内容是二进制数据，不是网页: {current}")
    text, encoding = decode_html(body, response.headers.get("Content-Type", ""))
    return FetchedPage(url=url, final_url=current, status=response.status, content_type=mime or "text/html",
                       encoding=encoding, text=text, headers=dict(response.headers),
                       fetched_at=datetime.now(timezone.utc))


def fetch_resource(url: str, options: FetchOptions | None = None, *,
                   max_file_bytes: int | None = None) -> "FetchedPage | FetchedFile":
    """A URL that is a page or a file served directly (a link straight to 名单.xlsx), in one
    request: a file when the server names one (Content-Disposition), types it as no text, or
    the path names an office file or PDF that is not served as HTML."""
    from auditor.ingest.attachments import FILE_SUFFIXES, name_suffix, url_suffix

    options = options or FetchOptions()
    response, current = _follow(url, options, {})
    try:
        if response.status >= 400:
            raise IngestError(f"HTTP {response.status}: {current}", status=response.status)
        mime = _mime(response)
        name = disposition_filename(response.headers.get("Content-Disposition", ""))
        named = name_suffix(name) in FILE_SUFFIXES
        by_path = url_suffix(current) in FILE_SUFFIXES and mime not in ("text/html", "application/xhtml+xml")
        if not (named or by_path or (mime and not mime.startswith(_TEXT_TYPES))):
            return _page(response, url, current, options)
        body = _read_capped(response, max_file_bytes if max_file_bytes is not None else options.max_bytes, current)
    finally:
        response.release_conn()
    return FetchedFile(url=url, final_url=current, content_type=mime, filename=name, data=body)


@dataclass(frozen=True)
class FetchedFile:
    """A file as served (an attachment): bytes, type and the name the server gives it."""

    url: str
    final_url: str
    content_type: str
    filename: str  # from Content-Disposition; '' when the server names none
    data: bytes


def fetch_file(url: str, options: FetchOptions | None = None, *, max_bytes: int | None = None) -> FetchedFile:
    """Any content type, under the same guards as pages; ``max_bytes`` caps this file."""
    options = options or FetchOptions()
    response, current = _follow(url, options, {})
    try:
        if response.status >= 400:
            raise IngestError(f"HTTP {response.status}: {current}", status=response.status)
        ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        name = disposition_filename(response.headers.get("Content-Disposition", ""))
        body = _read_capped(response, max_bytes if max_bytes is not None else options.max_bytes, current)
    finally:
        response.release_conn()
    return FetchedFile(url=url, final_url=current, content_type=ctype, filename=name, data=body)


_DISPOSITION = re.compile(r"""filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)|filename\s*=\s*(?:"([^"]*)"|([^;]+))""", re.I)


def disposition_filename(header: str) -> str:
    """The file name of a Content-Disposition header: RFC 5987 ``filename*`` first, else
    ``filename`` (percent-encoded UTF-8, or raw bytes sent as GBK by many CMSs)."""
    from urllib.parse import unquote

    best = ""
    for m in _DISPOSITION.finditer(header):
        if m.group(2):
            charset = _canonical(m.group(1)) or "utf-8"
            return unquote(m.group(2).strip(), encoding=charset, errors="replace")
        raw = (m.group(3) if m.group(3) is not None else m.group(4) or "").strip()
        if "%" in raw:
            raw = unquote(raw, errors="replace")
        try:  # http.client decodes header bytes as Latin-1; the bytes were UTF-8 or GBK
            data = raw.encode("latin-1")
            raw = next(data.decode(enc) for enc in ("utf-8", "gb18030") if _decodes(data, enc))
        except (UnicodeEncodeError, StopIteration):
            pass
        best = best or raw
    return best.replace("/", "_").replace("\\", "_")[:200]


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def _follow(url: str, options: FetchOptions, headers: dict[str, str]):
    """The response at the end of the redirects (each hop checked like the first), and its URL."""
    current = url
    for _hop in range(options.max_redirects + 1):
        response, _ip = _request(current, options, headers)
        if response.status not in (301, 302, 303, 307, 308):
            return response, current
        location = response.headers.get("Location")
        response.release_conn()
        if not location:
            raise IngestError(f"重定向缺少 Location: {current}")
        current = urljoin(current, location)
    raise IngestError(f"重定向次数超过 {options.max_redirects} 次: {url}")


def check_url(url: str, options: FetchOptions) -> tuple[str, str, int, str]:
    """Validate scheme and host; resolve and check the address. Returns (scheme, host, port, ip)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise IngestError(f"网址格式错误 ({exc}): {url}") from None
    if parts.scheme not in ("http", "https"):
        raise IngestError(f"只支持 http/https 网址: {url}")
    host = parts.hostname
    if not host:
        raise IngestError(f"网址缺少主机名: {url}")
    if parts.username or parts.password:
        raise IngestError(f"网址不能包含用户名或密码: {url}")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise IngestError(f"无法解析主机 {host}: {exc}") from None
    addresses = [info[4][0] for info in infos]
    if not options.allow_private:
        for addr in addresses:
            ip = ipaddress.ip_address(addr.split("%")[0])
            if _is_internal(ip):
                raise IngestError(f"拒绝访问内网或本机地址 {addr} ({host})；如确需访问请使用 --allow-private")
    return parts.scheme, host, port, addresses[0]


def _is_internal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
            or ip.is_reserved or ip.is_unspecified or not ip.is_global)


def _request(url: str, options: FetchOptions, extra_headers: dict[str, str]):
    scheme, host, port, ip = check_url(url, options)
    parts = urlsplit(url)
    # Links to attachments carry Chinese file names: send them percent-encoded (as UTF-8), and
    # leave what is already encoded alone.
    path = quote(parts.path or "/", safe=_URL_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_URL_SAFE + "?")
    timeout = urllib3.Timeout(connect=options.timeout, read=options.timeout)
    # Connect to the checked address; keep the name for Host, SNI and certificate checks.
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(ip, port, timeout=timeout, retries=False, server_hostname=host,
                                           assert_hostname=host, maxsize=1)
    else:
        pool = urllib3.HTTPConnectionPool(ip, port, timeout=timeout, retries=False, maxsize=1)
    host_header = host if port in (80, 443) else f"{host}:{port}"
    headers = {"Host": host_header, "User-Agent": options.user_agent,
               "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
               "Accept-Encoding": "gzip, deflate", **extra_headers}
    try:
        response = pool.urlopen("GET", path, headers=headers, redirect=False, preload_content=False,
                                decode_content=True, assert_same_host=False)
    except urllib3.exceptions.TimeoutError:
        raise IngestError(f"连接超时 ({options.timeout:g} 秒): {url}") from None
    except urllib3.exceptions.SSLError as exc:
        raise IngestError(f"HTTPS 证书或握手错误: {url} ({exc.__class__.__name__})") from None
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise IngestError(f"无法连接 {url}: {exc.__class__.__name__}") from None
    return response, ip


def _read_capped(response, max_bytes: int, url: str) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise IngestError(f"响应过大 ({int(declared)} 字节，上限 {max_bytes} 字节): {url}")
    chunks: list[bytes] = []
    total = 0
    try:
        for chunk in response.stream(64 * 1024):
            total += len(chunk)
            if total > max_bytes:
                raise IngestError(f"响应过大 (超过上限 {max_bytes} 字节): {url}")
            chunks.append(chunk)
    except urllib3.exceptions.ReadTimeoutError:
        raise IngestError(f"读取超时: {url}") from None
    except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as exc:
        raise IngestError(f"响应不完整或压缩数据损坏: {url} ({exc.__class__.__name__})") from None
    return b"".join(chunks)


def _looks_binary(body: bytes) -> bool:
    head = body[:4096]
    return b"\x00" in head


def _canonical(name: str) -> str | None:
    try:
        canon = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    # GB2312 and GBK pages routinely contain GBK/GB18030-only characters: read the superset.
    if canon in ("gb2312", "gbk", "gb18030", "hz"):
        return "gb18030"
    return canon


def decode_html(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Decode a page: BOM; strict UTF-8 (multi-byte text that decodes as UTF-8 is UTF-8,
    whatever the page claims); then the HTTP charset, <meta charset>, GB18030, detection.
    A declared charset that fails to decode is not trusted blindly."""
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", errors="replace"), "utf-8"
    if not body.isascii():
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    candidates: list[str] = []
    m = re.search(r"charset\s*=\s*([^\s;]+)", content_type, re.I)
    if m:
        candidates.append(m.group(1))
    head = body[:4096]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        mm = pattern.search(head)
        if mm:
            candidates.append(mm.group(1).decode("ascii", "ignore"))
    for name in candidates:
        enc = _canonical(name)
        if enc is None:
            continue
        try:
            return body.decode(enc), enc
        except UnicodeDecodeError:
            continue
    for enc in ("utf-8", "gb18030"):
        try:
            return body.decode(enc), enc
        except UnicodeDecodeError:
            continue
    # Pages with a few broken bytes: take the decoding that loses the fewest characters
    # (the damage stays visible as U+FFFD, which the TXT001 check reports).
    options = [enc for enc in (_canonical(n) for n in candidates) if enc] + ["utf-8", "gb18030"]
    best_text, best_enc = min(((body.decode(enc, errors="replace"), enc) for enc in dict.fromkeys(options)),
                              key=lambda pair: pair[0].count("\ufffd"))
    if best_text.count("\ufffd") > max(16, len(best_text) // 20):
        from charset_normalizer import from_bytes

        match = from_bytes(body).best()
        if match is None:
            raise IngestError("无法识别网页的字符编码（内容可能是二进制数据）")
        enc = _canonical(match.encoding) or match.encoding
        return body.decode(enc, errors="replace"), enc
    return best_text, best_enc
