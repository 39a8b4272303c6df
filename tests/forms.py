"""What a browser posts back besides what the person typed: the version a form was built from."""

import re

VERSION_INPUT = re.compile(r'<input type="hidden" name="((?:[\w-]+-)?version)" value="([^"]*)"')


def versions_of(client, url: str) -> dict:
    """The hidden version fields of the forms on the page at url, as loading it in a browser gives them
    (optimistic locking: a POST without its version is refused)."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return dict(VERSION_INPUT.findall(response.content.decode()))
