"""Feeds as nginx.org and nodejs.org publish them (PLATFORMS.md §2.2–2.3), trimmed."""


def nginx_rss(*extra_items: str) -> str:
    items = (
        "".join(extra_items)
        + """
<item>
<title>nginx-1.31.3 mainline and nginx-1.30.4 stable versions have been released
with a fix for the buffer overread vulnerability in ngx_http_mp4_module
(CVE-2026-32001).</title>
<link>http://nginx.org/#2026-11-18</link>
<guid>http://nginx.org/#2026-11-18</guid>
<pubDate>Wed, 18 Nov 2026 00:00:00 +0300</pubDate>
<description><![CDATA[<p>2026-11-18</p><p>nginx-1.31.3 mainline ...
<a href="en/security_advisories.html">security advisories</a></p>]]></description>
</item>
<item>
<title>njs-0.9.5 version has been released.</title>
<link>http://nginx.org/#2026-11-18</link>
<guid>http://nginx.org/#2026-11-18</guid>
<pubDate>Wed, 18 Nov 2026 00:00:00 +0300</pubDate>
<description><![CDATA[<p>njs-0.9.5</p>]]></description>
</item>
<item>
<title>nginx-1.31.2 mainline version has been released.</title>
<link>http://nginx.org/#2026-10-21</link>
<guid>http://nginx.org/#2026-10-21</guid>
<pubDate>Wed, 21 Oct 2026 00:00:00 +0300</pubDate>
<description><![CDATA[<p>nginx-1.31.2 mainline version has been released.</p>]]></description>
</item>"""
    )
    return f"""<?xml version="1.0" ?>
<rss version="2.0"><channel><title>nginx news</title><link>http://nginx.org</link><description></description>
{items}
</channel></rss>"""


NGINX_NEW_ITEM = """
<item>
<title>nginx-1.32.0 stable version has been released.</title>
<link>http://nginx.org/#2026-12-01</link>
<guid>http://nginx.org/#2026-12-01</guid>
<pubDate>Tue, 01 Dec 2026 00:00:00 +0300</pubDate>
<description><![CDATA[<p>nginx-1.32.0 stable version has been released.</p>]]></description>
</item>"""

NGINX_SECURITY_ITEM = """
<item>
<title>nginx-1.31.4 mainline version has been released with fixes for
two vulnerabilities in the HTTP/3 implementation (CVE-2026-40001, CVE-2026-40002).</title>
<link>http://nginx.org/#2026-12-02</link>
<guid>http://nginx.org/#2026-12-02</guid>
<pubDate>Wed, 02 Dec 2026 00:00:00 +0300</pubDate>
<description><![CDATA[<p>security fixes</p>]]></description>
</item>"""


def node_rss(*extra_items: str) -> str:
    items = (
        "".join(extra_items)
        + """
<item><title><![CDATA[Node.js 24.11.1 (LTS)]]></title><link>https://nodejs.org/en/blog/release/v24.11.1</link>
<guid>/blog/release/v24.11.1</guid><pubDate>Tue, 17 Nov 2026 10:00:00 GMT</pubDate></item>
<item><title><![CDATA[Node.js v25.2.0 (Current)]]></title><link>https://nodejs.org/en/blog/release/v25.2.0</link>
<guid>/blog/release/v25.2.0</guid><pubDate>Tue, 10 Nov 2026 10:00:00 GMT</pubDate></item>"""
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Node.js Blog: Releases</title><link>https://nodejs.org/en</link>
<description>Node.js Blog</description><lastBuildDate>Tue, 17 Nov 2026 10:00:00 GMT</lastBuildDate>
<language>en</language>{items}</channel></rss>"""


NODE_LTS_ITEM = """<item><title><![CDATA[Node.js 24.12.0 (LTS)]]></title><link>https://nodejs.org/en/blog/release/v24.12.0</link>
<guid>/blog/release/v24.12.0</guid><pubDate>Tue, 01 Dec 2026 10:00:00 GMT</pubDate></item>"""
NODE_CURRENT_ITEM = """<item><title><![CDATA[Node.js v26.0.0 (Current)]]></title><link>https://nodejs.org/en/blog/release/v26.0.0</link>
<guid>/blog/release/v26.0.0</guid><pubDate>Tue, 01 Dec 2026 11:00:00 GMT</pubDate></item>"""
