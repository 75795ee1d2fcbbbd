"""The published book on a phone (390x844, touch), light and dark: the checks of test_browser.py.

A file of its own so that pytest-xdist (``--dist loadfile``) can run it on another
worker than the desktop half; both use the one build of conftest.py.
"""

import pytest
from test_browser import PHONE, check_page, pages


@pytest.mark.parametrize("page_name", pages())
def test_page_on_a_phone(site, contexts, page_name):
    check_page(site, contexts, page_name, PHONE)
