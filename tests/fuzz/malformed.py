"""Malformed inputs of every format sitrep reads, for the fuzz tests and longer fuzzing runs.

``samples()`` gives one well-formed file per reader (texts written for this project); ``mutants(rng)``
damages them the ways real files and hostile ones are damaged: cut short, bytes flipped or inserted,
nesting too deep, lines too long, fields that look like URLs or console markup, broken gzip members,
damaged WARC and feed headers, CSV NULs and quotes, odd encodings. ``hostile_names(rng)`` gives file
names with control characters, markup, bytes that are not UTF-8 and leading dots.

Run ``python -m tests.fuzz.malformed OUT_DIR -n 10000`` to write a corpus of files (see
``scripts/fuzz_batches.py`` for running sitrep over it in batches).
"""
from __future__ import annotations

import gzip
import io
import json
import random
from typing import Iterator

BODY = ("Artillery shells hit the market of Kafr Zita on Monday morning, killing two traders and wounding "
        "five, a local rescue team said. The team blamed forces positioned to the north of the town.")
TITLE = "Shells hit Kafr Zita market"


def _warc(records: list[tuple[str, bytes]], damage: str | None = None) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    for url, html in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(html), http_headers=headers))
    data = buf.getvalue()
    if damage == "status":
        data = data.replace(b"HTTP/1.1 200 OK", b"HTTP/1.1", 1)
    elif damage == "length":
        data = data.replace(b"Content-Length: ", b"Content-Length: -", 1)
    elif damage == "version":
        data = data.replace(b"WARC/1.", b"WARC/9.", 1)
    elif damage == "http":
        data = data.replace(b"HTTP/1.1 200 OK\r\n", b"\r\n", 1)
    elif damage == "type":
        data = data.replace(b"WARC-Type: response", b"WARC-Type: ", 1)
    return data


HTML = (f"<html><head><title>{TITLE}</title><meta name='author' content='Lina Saad'></head><body>"
        f"<nav>Home | World</nav><article><h1>{TITLE}</h1><p>{BODY}</p></article>"
        f"<footer>All rights reserved.</footer></body></html>")


def samples() -> dict[str, bytes]:
    """One well-formed file per reader, keyed by file name."""
    obj = {"title": TITLE, "maintext": BODY, "date_publish": "2021-03-08", "authors": ["Lina Saad"],
           "source_domain": "example.org", "url": "https://example.org/a"}
    rss = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title><item>'
           f'<title>{TITLE}</title><link>https://example.org/a</link><pubDate>Mon, 08 Mar 2021 09:00:00 GMT'
           f'</pubDate><description>{BODY}</description></item></channel></rss>')
    atom = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Example'
            f'</title><entry><title>{TITLE}</title><link href="https://example.org/b"/><updated>2021-03-08T10:00:00Z'
            f'</updated><content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>')
    jsonl = json.dumps(obj) + "\n" + json.dumps(dict(obj, maintext=BODY + " More later.")) + "\n"
    return {
        "a.txt": f"title: {TITLE}\ndate: 2021-03-08\n\n{BODY}\n".encode(),
        "b.html": HTML.encode(),
        "c.json": json.dumps(obj).encode(),
        "d.jsonl": jsonl.encode(),
        "e.jsonl.gz": gzip.compress(jsonl.encode()),
        "f.csv": f'article_title,article_content,source,date\n"{TITLE}","{BODY}",sana,3/8/2021\n'.encode(),
        "g.warc": _warc([("https://example.org/c", HTML.encode())]),
        "h.warc.gz": gzip.compress(_warc([("https://example.org/d", HTML.encode())])),
        "i.rss": rss.encode(),
        "j.atom": atom.encode(),
        "k": f"{TITLE}\n\n{BODY}\n".encode(),          # no extension: sniffed
    }


# field values that broke readers before: brackets (urlparse reads them as IPv6), markup, controls
HOSTILE_VALUES = ["[Staff Writer]", "[Text]", "http://[::1", "//[", "[/x]", "[red]bold[/red]", "=cmd|' /C calc'!A0",
                  "+1", "-1", "@SUM(1)", "\t=1", "a\nb", "\x00", "\u202e", "http://exa mple.org", "x" * 5000,
                  "<script>alert(1)</script>", "]]>", "\udcff", "1e999", "", " ", "https://", "www.", "..", "[]"]


def _flip(rng: random.Random, data: bytes, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def _insert(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    junk = rng.choice([b"\x00", b"\r", b"\n" * 50, b"\xff\xfe", b"\xef\xbb\xbf", b"<", b"]]>", b"&#0;",
                       b'"', b",", b"\t", rng.randbytes(rng.randrange(1, 64))])
    return data[:at] + junk + data[at:]


def _deep_json(depth: int) -> bytes:
    return (b'{"maintext": ' + b"[" * depth + b"]" * depth + b"}")


def _mutate(rng: random.Random, name: str, data: bytes) -> tuple[str, bytes]:
    kind = rng.randrange(16)
    if kind == 0:
        return name, data[: rng.randrange(len(data) + 1)]                   # cut short
    if kind == 1:
        return name, _flip(rng, data, rng.randrange(1, 8))
    if kind == 2:
        return name, _insert(rng, data)
    if kind == 3:
        return name, b""
    if kind == 4:
        return name, rng.choice([b" \n\t", b"\xef\xbb\xbf", b"\x1f\x8b", b"[]", b"{}", b"null", b"\n\n\n",
                                 gzip.compress(b""), gzip.compress(b"\n\n  \n"), b"WARC/1.0\r\n\r\n"])
    if kind == 5 and name.endswith((".json", ".jsonl", ".jsonl.gz")):
        deep = _deep_json(rng.choice([50, 1000, 100_000]))
        return name, gzip.compress(deep) if name.endswith(".gz") else deep
    if kind == 6 and name.endswith((".json", ".jsonl", ".jsonl.gz", ".csv")):
        value = rng.choice(HOSTILE_VALUES)
        field = rng.choice(["authors", "source_domain", "url", "title", "date_publish", "language"])
        if name.endswith(".csv"):
            v = value.replace('"', '""')
            return name, f'article_title,article_content,source,author,url\n"{v}","{BODY}","{v}","{v}","{v}"\n'.encode(
                "utf-8", "surrogatepass")
        obj = {"maintext": BODY, field: rng.choice([value, [value, value], {"x": value}, 7, None, True])}
        line = json.dumps(obj).encode("utf-8", "surrogatepass") + b"\n"
        return name, gzip.compress(line) if name.endswith(".gz") else line
    if kind == 7 and name.endswith((".warc", ".warc.gz")):
        raw = _warc([("https://example.org/e", HTML.encode())],
                    damage=rng.choice(["status", "length", "version", "http", "type"]))
        return name, gzip.compress(raw) if name.endswith(".gz") else raw
    if kind == 8 and name.endswith(".gz"):
        z = gzip.compress(data[:0] if name.endswith("warc.gz") else b"{}\n" * rng.choice([10, 100_000]))
        return name, z + data[: rng.randrange(len(data) + 1)]               # extra or cut members
    if kind == 9:
        return name, data.decode("utf-8", "replace").encode(rng.choice(["utf-16", "utf-32", "cp1252", "latin-1"]),
                                                            "replace")
    if kind == 10:
        return name, data * rng.choice([2, 20])
    if kind == 11 and name.endswith((".csv",)):
        return name, data.replace(b",", b"\x00", 1) if rng.random() < .5 else data.replace(b'"', b"", 1)
    if kind == 12 and name.endswith((".rss", ".atom")):
        return name, data.replace(b"<", b"<<", rng.randrange(1, 4)) if rng.random() < .5 else \
            data.replace(b"encoding=\"utf-8\"", b"encoding=\"x-bogus\"").replace(b"<?xml version=\"1.0\"?>",
                                                                                b"<?xml version=\"1.0\" encoding=\"ebcdic\"?>")
    if kind == 13:
        return name, ("\u200b" * 1000 + BODY * rng.choice([1, 50])).encode()
    if kind == 14:                                                           # long line of no breaks
        return name, b"word " * rng.choice([10, 5_000])
    return name, _flip(rng, data, 1)


def hostile_names(rng: random.Random) -> str | bytes:
    """A file name of the kinds that broke the error lines and the store before."""
    base = rng.choice(["a.txt", "b.jsonl", "c.csv", "d.html", "e.json"])
    kind = rng.randrange(6)
    if kind == 0:
        return "x\nerror fake.txt: forged " + base
    if kind == 1:
        return "[red]" + base + "[bold]"             # console markup ("/" cannot be in a file name)
    if kind == 2:
        return b"\xff\xfe-" + base.encode()                                  # not UTF-8
    if kind == 3:
        return "." + base
    if kind == 4:
        return "\x1b[31m" + base
    return "[link=x]" + base + "[]"


def mutants(rng: random.Random) -> Iterator[tuple[str | bytes, bytes]]:
    """An endless stream of (file name, bytes): mostly damaged samples, some under hostile names."""
    good = samples()
    names = sorted(good)
    while True:
        name = rng.choice(names)
        fname, data = _mutate(rng, name, good[name])
        if rng.random() < 0.1:
            hostile = hostile_names(rng)
            fname = hostile + (b"." if isinstance(hostile, bytes) else ".") + (
                fname.encode() if isinstance(hostile, bytes) else fname)
        yield fname, data


def write_corpus(out, n: int, seed: int = 0, good_every: int = 12) -> list:
    """``n`` malformed files (and a good sample every ``good_every``) under ``out``; returns their paths."""
    import os
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    paths = []
    good = samples()
    stream = mutants(rng)
    for i in range(n):
        if good_every and i % good_every == 0:
            name, data = rng.choice(sorted(good.items()))
        else:
            name, data = next(stream)
        prefix = f"{i:06d}-".encode() if isinstance(name, bytes) else f"{i:06d}-"
        path = os.path.join(os.fsencode(out), prefix + name) if isinstance(name, bytes) else os.path.join(out, prefix + name)
        with open(path, "wb") as f:
            f.write(data)
        paths.append(path)
    return paths


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    print(len(write_corpus(a.out, a.n, a.seed)), "files written to", a.out)
