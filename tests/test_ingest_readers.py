"""Readers per container format and bad inputs (fixture texts written for these tests)."""
from __future__ import annotations

import gzip
import io
import json
import os
import pathlib
import sys

import pytest

from sitrep.config import Config
from sitrep.ingest import RawInput, iter_inputs, to_document
from sitrep.records import Document, IngestError, Skipped

BODY = ("Shelling struck the village of Kafr Nabl on Tuesday, local rescuers said, wounding three people. "
        "The rescuers said the shells came from positions to the south of the village.")


def _read(paths, config=None):
    return list(iter_inputs([str(p) for p in paths], config or Config()))


def _docs(items, config=None):
    return [to_document(x, config or Config()) if isinstance(x, RawInput) else x for x in items]


def test_txt_with_header_lines(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("title: Shelling hits Kafr Nabl\ndate: 2021-06-08\nurl: https://www.trtworld.com/x\n\n" + BODY)
    (raw,) = _read([f])
    assert raw.format == "text" and raw.path == str(f)
    doc = to_document(raw, Config())
    assert doc.title == "Shelling hits Kafr Nabl"
    assert doc.published.date == "2021-06-08" and doc.published.status == "stated"
    assert doc.outlet == "TRT World" and doc.url == "https://www.trtworld.com/x"
    assert "title:" not in doc.text and BODY in doc.text


def test_md_is_text(tmp_path):
    f = tmp_path / "b.md"
    f.write_text("Shelling hits Kafr Nabl\n\n" + BODY)
    (raw,) = _read([f])
    doc = to_document(raw, Config())
    assert doc.title == "Shelling hits Kafr Nabl"


HTML = """<html><head><title>Shelling hits Kafr Nabl | Levant Post</title>
<meta property="og:site_name" content="Levant Post"><meta name="author" content="Maya Haddad">
<meta property="article:published_time" content="2021-06-08T09:00:00+00:00"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>Shelling hits Kafr Nabl</h1>
<p>Shelling struck the village of Kafr Nabl on Tuesday, local rescuers said, wounding three people.</p>
<p>The rescuers said the shells came from positions to the south of the village.</p></article>
<footer>Copyright 2021 Levant Post. All rights reserved.</footer></body></html>"""


def test_html(tmp_path):
    f = tmp_path / "p.html"
    f.write_text(HTML)
    (raw,) = _read([f])
    assert raw.format == "html"
    doc = to_document(raw, Config())
    assert isinstance(doc, Document)
    assert doc.title == "Shelling hits Kafr Nabl"
    assert doc.author == "Maya Haddad"
    assert doc.published.date == "2021-06-08" and doc.published.status == "stated"
    assert "wounding three people" in doc.text and "All rights reserved" not in doc.text
    assert doc.text.count("Shelling hits Kafr Nabl") == 1


def test_json_object_and_list(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"title": "T1 headline", "maintext": BODY, "date_publish": "2021-06-08 10:00:00",
                               "source_domain": "dailysabah.com", "authors": ["Ali Veli"]}))
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"headline": "T2 headline", "body": BODY}, {"headline": "no text"}]))
    items = _read([one, many])
    assert [type(x).__name__ for x in items] == ["RawInput", "RawInput", "IngestError"]
    assert items[2].path.endswith("many.json#1") and "no article text" in items[2].reason
    d1, d2 = _docs(items[:2])
    assert d1.outlet == "Daily Sabah" and d1.author == "Ali Veli" and d1.published.date == "2021-06-08"
    assert d2.title == "T2 headline" and d2.path.endswith("many.json#0")


def test_jsonl_with_malformed_line(tmp_path):
    f = tmp_path / "c.jsonl"
    f.write_text(json.dumps({"text": BODY, "title": "A"}) + "\n{not json\n\n" + json.dumps({"text": BODY + " More."}) + "\n")
    items = _read([f])
    assert isinstance(items[0], RawInput) and items[0].path.endswith("c.jsonl#1")
    assert isinstance(items[1], IngestError) and items[1].path.endswith("c.jsonl#2")
    assert "malformed JSON line" in items[1].reason
    assert isinstance(items[2], RawInput) and items[2].path.endswith("c.jsonl#4")


def test_json_field_names_are_configurable(tmp_path):
    from sitrep.config import JsonFields
    f = tmp_path / "d.jsonl"
    f.write_text(json.dumps({"story": BODY, "hed": "Custom headline"}) + "\n")
    cfg = Config(json_fields=JsonFields(text=("story",), title=("hed",)))
    (raw,) = _read([f], cfg)
    assert to_document(raw, cfg).title == "Custom headline"


def test_csv_and_missing_columns(tmp_path):
    good = tmp_path / "g.csv"
    good.write_text('article_title,article_content,source,date\n"Strike on Ariha","' + BODY + '",sana,4/16/2017\n'
                    '"Empty row","",sana,4/17/2017\n')
    bad = tmp_path / "b.csv"
    bad.write_text("name,value\nx,1\n")
    items = _read([good, bad])
    assert isinstance(items[0], RawInput) and items[0].path.endswith("g.csv#1")
    assert isinstance(items[1], IngestError) and "no text" in items[1].reason
    assert isinstance(items[2], IngestError) and items[2].path == str(bad)
    assert "no text column" in items[2].reason and "name, value" in items[2].reason
    doc = to_document(items[0], Config())
    assert doc.outlet == "SANA" and doc.title == "Strike on Ariha"
    assert doc.published.date == "2017-04-16"


def _warc(path, n, truncate=False):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    for i in range(n):
        html = HTML.replace("Kafr Nabl", f"Kafr Nabl {i}").encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = w.create_warc_record(f"https://levantpost.example/story-{i}", "response",
                                   payload=io.BytesIO(html), http_headers=headers)
        w.write_record(rec)
    data = buf.getvalue()
    path.write_bytes(data[: int(len(data) * 0.8)] if truncate else data)


def test_warc_gz(tmp_path):
    f = tmp_path / "crawl.warc.gz"
    _warc(f, 3)
    items = _read([f])
    assert len(items) == 3 and all(isinstance(x, RawInput) for x in items)
    assert all(x.path.startswith(str(f) + "#") for x in items)
    assert items[1].fields["url"] == "https://levantpost.example/story-1"
    doc = to_document(items[0], Config())
    assert "wounding three people" in doc.text


def test_truncated_warc_keeps_good_records(tmp_path):
    f = tmp_path / "cut.warc.gz"
    _warc(f, 3, truncate=True)
    items = _read([f])
    good = [x for x in items if isinstance(x, RawInput)]
    bad = [x for x in items if isinstance(x, IngestError)]
    assert len(good) >= 1 and len(bad) == 1
    assert bad[0].path == str(f) and "truncated or corrupt WARC" in bad[0].reason


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Levant Post</title><language>en</language>
<item><title>Shelling hits Kafr Nabl</title><link>https://levantpost.example/a</link>
<pubDate>Tue, 08 Jun 2021 09:00:00 GMT</pubDate><description><![CDATA[<p>""" + BODY + """</p>]]></description></item>
<item><title>Second story</title><link>https://levantpost.example/b</link><description>""" + BODY + """ Later.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Levant Post</title>
<entry><title>Atom story</title><link href="https://levantpost.example/c"/><updated>2021-06-09T10:00:00Z</updated>
<content type="html">&lt;p&gt;""" + BODY + """&lt;/p&gt;</content></entry></feed>"""


def test_rss_and_atom(tmp_path):
    (tmp_path / "feed.rss").write_text(RSS)
    (tmp_path / "feed.xml").write_text(ATOM)
    items = _read([tmp_path / "feed.rss", tmp_path / "feed.xml"])
    assert [x.path.rsplit("#", 1)[1] for x in items] == ["0", "1", "0"]
    docs = _docs(items)
    assert docs[0].title == "Shelling hits Kafr Nabl" and docs[0].published.date == "2021-06-08"
    assert docs[0].url == "https://levantpost.example/a"
    assert docs[2].title == "Atom story" and docs[2].published.date == "2021-06-09"
    assert "wounding three people" in docs[2].text


def test_directory_walk_and_stdin(tmp_path, monkeypatch):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "x.txt").write_text("Headline one\n\n" + BODY)
    (tmp_path / "y.txt").write_text("Headline two\n\n" + BODY)
    (tmp_path / ".hidden.txt").write_text(BODY)
    items = _read([tmp_path])
    assert sorted(pathlib.Path(x.path).name for x in items if isinstance(x, RawInput)) == ["x.txt", "y.txt"]
    (hidden,) = [x for x in items if isinstance(x, Skipped)]      # reported, not dropped silently
    assert hidden.path == str(tmp_path / ".hidden.txt") and "hidden file" in hidden.reason
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{sub / 'x.txt'}\n\n{tmp_path / 'y.txt'}\n"))
    items = list(iter_inputs(["-"], Config()))
    assert [pathlib.Path(x.path).name for x in items] == ["x.txt", "y.txt"]


# --------------------------------------------------------------------------- bad inputs
def test_bad_inputs_each_give_one_clear_error(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("A headline\n\n" + BODY)
    (tmp_path / "empty.txt").write_text("  \n\n")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp_path / "big.txt").write_text("word " * 5000)
    (tmp_path / "broken.json").write_text('{"text": "unterminated')
    import hashlib
    lines = "".join(json.dumps({"text": f"{BODY} Ref {hashlib.sha1(str(i).encode()).hexdigest()}."}) + "\n"
                    for i in range(200))
    gz = gzip.compress(lines.encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(gz[: len(gz) // 2])
    cfg = Config(max_bytes=10_000)
    items = list(iter_inputs([tmp_path, tmp_path / "missing.txt"], cfg))
    errors = {pathlib.Path(x.path.split("#")[0]).name: x.reason for x in items if isinstance(x, IngestError)}
    assert errors["empty.txt"] == "empty file"
    assert "binary" in errors["image.txt"]
    assert "too large" in errors["big.txt"] and "10,000" in errors["big.txt"]
    assert "malformed JSON" in errors["broken.json"]
    assert "truncated or corrupt gzip" in errors["cut.jsonl.gz"]
    # the lines before the damage still come through
    assert any(isinstance(x, RawInput) and x.path.startswith(str(tmp_path / "cut.jsonl.gz#")) for x in items)
    assert "no such file" in errors["missing.txt"]
    docs = [to_document(x, cfg) for x in items if isinstance(x, RawInput)]
    assert any(isinstance(d, Document) and d.path == str(good) for d in docs)


def test_unreadable_file(tmp_path, monkeypatch):
    f = tmp_path / "locked.txt"
    f.write_text(BODY)
    real = os.open

    def deny(path, *args, **kwargs):
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    (err,) = _read([f])
    assert isinstance(err, IngestError) and err.path == str(f) and err.reason == "permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_mode(tmp_path):
    f = tmp_path / "locked.txt"
    f.write_text(BODY)
    f.chmod(0)
    (err,) = _read([f])
    assert isinstance(err, IngestError) and "permission" in err.reason


def test_wrong_encodings_are_detected(tmp_path):
    text = ("Le ministre a déclaré que les négociations à Genève reprendraient la semaine prochaine, "
            "après l’échec des pourparlers précédents sur le cessez-le-feu dans la région.\n") * 3
    (tmp_path / "latin1.txt").write_bytes(("Titre du rapport\n\n" + text.replace("’", "'")).encode("latin-1"))
    (tmp_path / "cp1252.txt").write_bytes(("Titre du rapport\n\n" + text).encode("cp1252"))
    docs = _docs(_read([tmp_path / "latin1.txt", tmp_path / "cp1252.txt"]))
    assert all(isinstance(d, Document) for d in docs)
    assert "négociations à Genève" in docs[0].text and "négociations à Genève" in docs[1].text
    assert "l’échec" in docs[1].text
    assert docs[0].language == "fr"


def test_binary_content_in_a_container_is_an_error():
    raw = RawInput("x.bin", b"\x00\x01\x02" * 100, "text", {})
    err = to_document(raw, Config())
    assert isinstance(err, IngestError) and "binary" in err.reason


def test_only_clutter_is_an_error():
    raw = RawInput("x.txt", "Follow us on Twitter\nShare this article\nRead more\n", "text", {})
    err = to_document(raw, Config())
    assert isinstance(err, IngestError) and "no article text" in err.reason


def test_json_escapes_of_lone_surrogates_become_replacement_characters(tmp_path):
    """JSON may escape any code point ("\\udcff"); a lone surrogate cannot be stored or hashed as UTF-8."""
    f = tmp_path / "s.jsonl"
    f.write_text(json.dumps({"maintext": BODY + " \udcff", "title": "\udcff headline"}) + "\n")
    (raw,) = _read([f])
    doc = to_document(raw, Config())
    assert isinstance(doc, Document) and doc.title == "\ufffd headline" and doc.text.endswith("\ufffd")
