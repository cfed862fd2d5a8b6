"""The demo content, read from the JSON files in ``demo/data/``.

``newsroom.json`` holds the sections, contributors, social links and stories that
``load_demo`` creates; ``pages.json`` the About, Contact, Privacy, Terms and corrections
pages it adds in each language; ``reviews.json`` the reviews and blocked terms of
``load_demo_reviews``. They are data so that the prose can be edited without touching the
loaders: each file is one object, its ``about`` key says what it is for, and every other
key is a list or mapping of plain records (strings, numbers, lists), documented where the
loader reads them (``demo/stories.py``, ``demo/reviews.py``).
"""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def read(name):
    """The parsed ``demo/data/<name>.json``, read once per process."""
    with (DATA / f"{name}.json").open(encoding="utf-8") as file:
        return json.load(file)
