"""Saves posts through the admin over HTTP, as a curator would, until told to stop.

The change form is read as a browser would (every field with its current value), the title is
changed, and the form is posted back with "Save and publish changes": a published post's change
page opens its working copy, so the form goes to the address the editor landed on. Run by
bench/run.py during the soak test.
"""

import html.parser
import http.cookiejar
import json
import re
import sys
import time
import urllib.parse
import urllib.request


class FormReader(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields, self._textarea, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append([name, a.get("value", "on" if a.get("type") == "checkbox" else "")])
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            self.fields.append(self._textarea)
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append([self._select, a.get("value", "")])

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def main(base_url, username, password, post_ids, stop_file, report_file):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base_url}/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    login = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password}
    ).encode()
    opener.open(f"{base_url}/admin/login/?next=/admin/", login)
    saved, errors, n = [], [], 0
    while not _stopped(stop_file):
        post_id = post_ids[n % len(post_ids)]
        n += 1
        url = f"{base_url}/admin/reviews/post/{post_id}/change/"
        try:
            reader = FormReader()
            with opener.open(url, timeout=30) as page:
                form_url = page.geturl()
                reader.feed(page.read().decode())
            fields = [
                f for f in reader.fields if "__prefix__" not in f[0] and "-empty-" not in f[0]
            ]
            title = f"Soak save {n}"
            fields = [(k, title if k == "title" else v) for k, v in fields]
            body = urllib.parse.urlencode([*fields, ("_publish_changes", "1")]).encode()
            with opener.open(form_url, body, timeout=30) as response:
                text = response.read().decode()
            if "errornote" in text or "errorlist" in text:
                errors.append(f"{post_id}: form error")
            else:
                saved.append([post_id, title])
        except Exception as exc:
            errors.append(f"{post_id}: {exc}")
        time.sleep(0.2)
    with open(report_file, "w") as fh:
        json.dump({"saved": saved, "errors": errors}, fh)


def _stopped(stop_file):
    try:
        with open(stop_file):
            return True
    except FileNotFoundError:
        return False


if __name__ == "__main__":
    base, user, pw, ids, stop, report = sys.argv[1:7]
    main(base, user, pw, [int(i) for i in ids.split(",")], stop, report)
