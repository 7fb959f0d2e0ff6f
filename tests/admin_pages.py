"""Submit Django admin pages as a browser would: the POST data of a rendered form.

``form_data(response)`` reads the page's HTML (not the view's context), so what a test
posts is exactly what the admin rendered: split date/time widgets, inline rows and their
management forms, list_editable changelist rows, checkboxes as ticked. Inline templates
(``__prefix__`` rows) are left out, as the browser's JavaScript does.
"""

import re
from html.parser import HTMLParser

_CHANGE_FORM = re.compile(r'<form\b[^>]*\bid="([\w-]+_form)"')


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select = None  # (name, multiple, [selected values], first value)
        self._textarea = None  # (name, [text])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.form_id is None or attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = (name, "multiple" in attrs, [], [])
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select[3].append(value)
            if "selected" in attrs:
                self._select[2].append(value)
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            name, multiple, selected, options = self._select
            if multiple:
                self.fields.extend((name, value) for value in selected)
            elif selected or options:
                self.fields.append((name, (selected or options)[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # Browsers drop the one newline that follows <textarea>.
            self.fields.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None


def form_data(response, form_id=None) -> dict:
    """POST data equivalent to submitting the page's form unchanged.

    ``form_id`` picks the form (e.g. ``changelist-form``); by default the admin's change
    form, i.e. the first form whose id ends with ``_form``. Repeated names (multiple
    selects) become lists, as the test client expects.
    """
    html = response.content.decode()
    if form_id is None:
        form_id = _CHANGE_FORM.search(html).group(1)
    parser = _FormParser(form_id)
    parser.feed(html)
    data: dict = {}
    for name, value in parser.fields:
        if "__prefix__" in name:
            continue
        if name in data:
            data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
        else:
            data[name] = value
    return data
