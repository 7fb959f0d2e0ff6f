"""Release entries: what a release is (security, LTS, major) and whether a subscription wants it.

Presets know how projects mark their releases (PLATFORMS.md §2.2–2.3):

* nginx.org news: "nginx-1.31.3 mainline version has been released with a fix for …
  (CVE-2026-12345)"; security releases say "with a fix/fixes for" and link the advisories;
  an even minor version is the stable line (the nearest thing nginx has to LTS); njs, Unit
  and nginx-acme share the feed and are skipped (only "nginx-<digit>" titles).
* Node.js blog: "Node.js 22.13.1 (LTS)" or "Node.js v23.6.1 (Current)", security posts
  "… Security Releases", notes starting "This is a security release." with CVE lines.

Without a preset: a CVE id or the word "security" marks a security release, "LTS" an LTS one.
"""

import re
from dataclasses import dataclass

from ..models import FeedPreset

CVE = re.compile(r"CVE-\d{4}-\d{4,7}", re.IGNORECASE)
VERSION = re.compile(r"\bv?(\d+)\.(\d+)(?:\.(\d+))?\b")
NGINX_VERSION = re.compile(r"nginx-(\d+)\.(\d+)\.(\d+)")
NGINX_SECURITY = re.compile(r"with (?:a )?fix(?:es)? for|security_advisories", re.IGNORECASE)
NODE_VERSION = re.compile(r"Node\.js v?(\d+)\.(\d+)\.(\d+)")
SECURITY_WORD = re.compile(r"\bsecurity\b", re.IGNORECASE)
LTS_WORD = re.compile(r"\bLTS\b")


@dataclass(frozen=True)
class Release:
    security: bool
    lts: bool
    major: bool
    version: str
    cves: tuple[str, ...]
    relevant: bool = True  # False: another product sharing the feed (nginx's njs, Unit …)

    def facts(self) -> dict:
        return {
            "security": self.security,
            "lts": self.lts,
            "major": self.major,
            "version": self.version,
            "cves": list(self.cves),
        }


def _version(match) -> tuple[str, bool]:
    if not match:
        return "", False
    major, minor, patch = match.group(1), match.group(2), match.group(3) or "0"
    return f"{major}.{minor}.{patch}", minor == "0" and patch == "0"


def classify(preset: str, title: str, text: str) -> Release:
    both = f"{title}\n{text}"
    cves = tuple(dict.fromkeys(c.upper() for c in CVE.findall(both)))
    if preset == FeedPreset.NGINX:
        match = NGINX_VERSION.search(title)
        version, _major = _version(match)
        # nginx opens a branch with x.y.0 (1.31.0 mainline, 1.30.0 stable): that is its "major".
        return Release(
            security=bool(NGINX_SECURITY.search(both) or cves),
            lts=bool(match) and int(match.group(2)) % 2 == 0,
            major=bool(match) and match.group(3) == "0",
            version=version,
            cves=cves,
            relevant=bool(match),
        )
    if preset == FeedPreset.NODEJS:
        match = NODE_VERSION.search(title)
        version, major = _version(match)
        security = "security release" in both.lower() or bool(cves)
        return Release(security=security, lts="(LTS)" in title, major=major, version=version, cves=cves)
    version, major = _version(VERSION.search(title))
    return Release(
        security=bool(cves or SECURITY_WORD.search(both)),
        lts=bool(LTS_WORD.search(both)),
        major=major,
        version=version,
        cves=cves,
    )


def wanted(source, release: Release, title: str, text: str) -> bool:
    """Does the subscription's filter let this release through (to Slack)?"""
    if not release.relevant:
        return False
    if source.security_only and not release.security:
        return False
    if source.lts_only and not release.lts:
        return False
    if source.major_only and not release.major:
        return False
    both = f"{title}\n{text}"
    keywords = [word.strip().lower() for word in (source.keywords or "").split(",") if word.strip()]
    if keywords and not any(word in both.lower() for word in keywords):
        return False
    if source.pattern:
        try:
            if not re.search(source.pattern, both):
                return False
        except re.error:
            return False  # validated on save; an old bad pattern lets nothing through rather than all
    return True
