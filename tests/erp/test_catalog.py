"""Catalog completeness: no translatable string reaches a Korean user in English.

A msgid that is not in locale/ko/LC_MESSAGES/django.po, or is there with an empty or fuzzy
msgstr, is shown untranslated. The strings are extracted exactly as ``make messages`` does:
its own ``manage.py makemessages`` command line (read from the Makefile) runs over a
temporary copy of the project, merging into a copy of the Korean catalog; whatever that
merge leaves untranslated or fuzzy fails the test, listed with its file:line.

xgettext reads an f-string as one literal, so ``f"{_('due')} …"`` is never extracted:
an AST scan rejects gettext calls inside f-strings (and msgids computed at run time).
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KOREAN_PO = Path("locale/ko/LC_MESSAGES/django.po")
# Never copied: not the product (makemessages ignores them too) or bulky and irrelevant.
NOT_COPIED = (".venv", ".git", "tests", "bench", "var", "staticfiles", "__pycache__", "*.pyc", "*.sqlite3")

# Skipped on a laptop without gettext; never in CI (CI=true), where .ci/run installs it.
pytestmark = pytest.mark.skipif(
    (shutil.which("xgettext") is None or shutil.which("msgfmt") is None) and not os.environ.get("CI"),
    reason="needs GNU gettext (xgettext, msgfmt); .ci/run installs Debian's gettext package",
)


# --------------------------------------------------------------------------
# A small .po reader (entries, their references and flags)
# --------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return self.msgctxt, self.msgid

    @property
    def translated(self) -> bool:
        return "fuzzy" not in self.flags and bool(self.msgstrs) and all(self.msgstrs)

    def __str__(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return context + repr(self.msgid)


_FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


def read_po(path: Path) -> dict[tuple[str | None, str], Entry]:
    """The live (non-obsolete) entries of a .po file, header excluded, keyed by (msgctxt, msgid)."""
    entries: dict[tuple[str | None, str], Entry] = {}
    for chunk in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, current = Entry(), None
        for line in chunk.splitlines():
            if line.startswith("#~"):
                entry = None  # obsolete: no longer in the sources
                break
            if line.startswith("#:"):
                entry.references += line[2:].split()
            elif line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif match := _FIELD.match(line):
                current = match.group(1)
                _append(entry, current, ast.literal_eval(match.group(2)), new=True)
            elif line.startswith('"') and current:
                _append(entry, current, ast.literal_eval(line), new=False)
        if entry is not None and (entry.msgid or entry.msgctxt is not None):
            entries[entry.key] = entry
    return entries


def _append(entry: Entry, name: str, text: str, *, new: bool) -> None:
    if name == "msgid":
        entry.msgid += text
    elif name == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    elif name == "msgid_plural":
        entry.plural = (entry.plural or "") + text
    elif new:
        entry.msgstrs.append(text)
    else:
        entry.msgstrs[-1] += text


# --------------------------------------------------------------------------
# Extraction, the way `make messages` does it
# --------------------------------------------------------------------------


def makemessages_arguments() -> list[str]:
    """The Makefile's own makemessages arguments, so this test cannot drift from ``make messages``."""
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if "manage.py makemessages" in line:
            return shlex.split(line.split("manage.py", 1)[1])
    raise AssertionError("the Makefile has no `manage.py makemessages` line any more")


@pytest.fixture(scope="module")
def merged_catalog(tmp_path_factory) -> dict[tuple[str | None, str], Entry]:
    """The Korean catalog as ``make messages`` would leave it for the current sources."""
    copy = tmp_path_factory.mktemp("catalog") / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_COPIED))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "erp.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", *makemessages_arguments()],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return read_po(copy / KOREAN_PO)


def test_every_msgid_in_code_and_templates_has_a_korean_translation(merged_catalog):
    committed = read_po(ROOT / KOREAN_PO)
    problems = []
    for entry in merged_catalog.values():
        if entry.translated:
            continue
        known = committed.get(entry.key)
        if known is None:
            why = "missing from the catalog"
        elif "fuzzy" in known.flags:
            why = "marked fuzzy"
        else:
            why = "msgstr is empty"
        problems.append((_first_reference(entry), f"  {', '.join(entry.references)}: {entry}  ({why})"))
    if problems:
        pytest.fail(
            f"{len(problems)} msgid(s) would show in English to Korean users. Add each Korean msgstr by hand to "
            f"{KOREAN_PO} (no fuzzy flag), then run `manage.py compilemessages --ignore=.venv`:\n"
            + "\n".join(line for _where, line in sorted(problems)),
            pytrace=False,
        )


def _first_reference(entry: Entry) -> tuple[str, int]:
    """(file, line) of an entry's first source reference, to list problems in source order."""
    path, _, line = (entry.references or ["~:0"])[0].rpartition(":")
    return path, int(line) if line.isdigit() else 0


def test_the_committed_catalog_has_no_empty_or_fuzzy_entries():
    bad = [f"  {entry}" for entry in read_po(ROOT / KOREAN_PO).values() if not entry.translated]
    if bad:
        pytest.fail(f"untranslated or fuzzy entries in {KOREAN_PO}:\n" + "\n".join(bad), pytrace=False)


def test_the_compiled_catalog_matches_the_po(tmp_path):
    """A .po edit without compilemessages changes nothing users see: the .mo must follow."""
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(ROOT / KOREAN_PO)], check=True)
    with fresh.open("rb") as expected, (ROOT / KOREAN_PO).with_suffix(".mo").open("rb") as committed:
        want = gettext.GNUTranslations(expected)._catalog
        have = gettext.GNUTranslations(committed)._catalog
    changed = {key for key in want.keys() | have.keys() if want.get(key) != have.get(key)}
    if changed:
        listed = "\n".join(f"  {key}" for key in sorted(map(str, changed))[:50])
        pytest.fail(f"django.mo is stale; run `manage.py compilemessages --ignore=.venv`:\n{listed}", pytrace=False)


# --------------------------------------------------------------------------
# Calls xgettext cannot see
# --------------------------------------------------------------------------

# Django's gettext functions (makemessages' --keyword list plus xgettext's defaults) and the
# positions of their msgid arguments (pgettext's context included).
GETTEXT_ARGS = {
    "_": (0,),
    "gettext": (0,),
    "gettext_lazy": (0,),
    "gettext_noop": (0,),
    "ngettext": (0, 1),
    "ngettext_lazy": (0, 1),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
_COMPUTED = (ast.JoinedStr, ast.BinOp, ast.Call)  # f"…", "…" % x, "…".format(x)


def _gettext_name(call: ast.Call) -> str | None:
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    return name if name in GETTEXT_ARGS else None


def hidden_translations(source: str, filename: str) -> list[str]:
    """gettext calls makemessages cannot extract: inside an f-string, or with a computed msgid."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and _gettext_name(inner):
                    found.append(f"{filename}:{inner.lineno}: {ast.unparse(inner)} inside an f-string")
        elif isinstance(node, ast.Call) and (name := _gettext_name(node)):
            computed = [node.args[i] for i in GETTEXT_ARGS[name] if i < len(node.args)]
            if any(isinstance(arg, _COMPUTED) for arg in computed):
                found.append(f"{filename}:{node.lineno}: {ast.unparse(node)} has a msgid computed at run time")
    return found


def product_sources() -> list[Path]:
    skipped = {".venv", ".git", "tests", "bench", "var", "staticfiles"}
    return [path for path in sorted(ROOT.rglob("*.py")) if not skipped & set(path.relative_to(ROOT).parts[:-1])]


def test_hidden_translations_are_found():
    source = 'x = f"{_(\'due\')} {when}"\ny = gettext(f"Hi {name}")\nz = _("a %s" % b)\nok = _("fine %(x)s") % {"x": 1}'
    assert [line.split(": ", 1)[0] for line in hidden_translations(source, "m.py")] == ["m.py:1", "m.py:2", "m.py:3"]


def test_no_translation_is_hidden_from_makemessages():
    found = []
    for path in product_sources():
        found += hidden_translations(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    if found:
        pytest.fail(
            "makemessages cannot extract these, so they stay English for Korean users; write "
            '_("… %(x)s …") % {"x": …} or move the call out of the f-string:\n' + "\n".join(found),
            pytrace=False,
        )
