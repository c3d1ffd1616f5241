"""The workbench asked for the folder itself as a file (tenth sitting, s16-hostile)."""

from __future__ import annotations

import pytest
from workbench_helpers import served_fixture

served = pytest.fixture(scope="module")(served_fixture)


@pytest.mark.parametrize("page", ["/edit?path=", "/prescribe?protocol=", "/print?path="])
@pytest.mark.parametrize("name", [".", "./", ".%2F"])
def test_the_folder_itself_is_not_a_file_of_the_folder(served, page, name):
    """H476: `/edit?path=.` (and `/prescribe`, `/print`) was an internal error: the path `.`
    has no parts, and the check of its first part failed."""
    status, _, body = served.request(page + name)
    assert 400 <= status < 500, (status, body[:300])
    assert b"not a file of this folder" in body
    assert b"internal error" not in body.lower()
