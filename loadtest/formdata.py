"""The fields a browser would submit from a page's form, for the load test (no locust here,
so the tests can use it too)."""

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """What a browser would submit from each form of a page: text and hidden inputs, checked
    boxes and radios, text areas and each select's chosen option (the first, if none is)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[set[str], list[tuple[str, str]]]] = []  # (names, submitted)
        self.select: str | None = None
        self.chosen: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def _add(self, name: str, value: str | None) -> None:
        names, submitted = self.forms[-1]
        names.add(name)
        if value is not None:
            submitted.append((name, value))

    def handle_starttag(self, tag, attrs) -> None:
        a = {key: "" if value is None else value for key, value in attrs}
        if tag == "form":
            self.forms.append((set(), []))
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                self._add(a["name"], a.get("value", "on") if "checked" in a else None)
            else:
                self._add(a["name"], a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self.select, self.chosen = a["name"], None
        elif tag == "option" and self.select is not None:
            if "selected" in a or self.chosen is None:
                self.chosen = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self.textarea, self.text = a["name"], ""

    def handle_endtag(self, tag) -> None:
        if tag == "select" and self.select is not None:
            self._add(self.select, self.chosen or "")
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A newline just after <textarea> is not part of its value (HTML parsing rules).
            self._add(self.textarea, self.text.removeprefix("\n"))
            self.textarea = None

    def handle_data(self, data) -> None:
        if self.textarea is not None:
            self.text += data


def form_values(html: str, field: str) -> list[tuple[str, str]]:
    """What the form that has a field named ``field`` would submit as it stands."""
    parser = FormFields()
    parser.feed(html)
    return next((submitted for names, submitted in parser.forms if field in names), [])
