"""`make bench`'s "live newsroom" (issue 19): readers load a skewed mix of homes, sections
and stories in three languages, once on a quiet site and once while a moderator approves
a review every 2 s and an editor edits a published story every 20 s (one process, as a
worker or another app server would). It reports both runs' throughput, the page-cache
hit ratio and p99, so the cost of the writers is read off one run.

The load is wrk with a Lua script (``MIX_LUA``) that draws each request from the mix and
counts the answers by X-Page-Cache; ``scripts/bench`` calls ``live_newsroom_run``.
"""

import json
import re
import subprocess
import tempfile

# The mix: every home, every section and the 40 newest stories of en, ru and az, each
# repeated by its weight (homes most, then the newest stories falling off as 1/rank).
MIX = """
import json
from django.urls import reverse
from django.utils import translation
from articles.models import Article, Section
paths = []
for language in ("en", "ru", "az"):
    with translation.override(language):
        paths += [reverse("articles:home")] * 60
        for section in Section.objects.active():
            paths += [section.get_absolute_url()] * 6
        stories = Article.objects.published().in_language(language).select_related("section")
        for rank, story in enumerate(stories.order_by("-published_at")[:40], start=1):
            paths += [story.get_absolute_url()] * max(1, 60 // rank)
            print("story", story.pk)
print(json.dumps(paths))
"""

# The moderator and the editor, on the stories of the mix.
WRITERS = """
import random, time
from comments.models import Comment
from comments.services import comments_set_status
from articles.models import Article
stories = {stories}
rng = random.Random(19)
waiting = [
    Comment.objects.create(
        article_id=rng.choice(stories), author_name="Bench reader", email="bench@example.com",
        body="A review the moderator approves during the bench.", status="pending",
        ip_hash="bench",
    ).pk
    for _ in range({seconds} // 2 + 1)
]
print("ready", flush=True)
start = time.monotonic()
for tick in range(1, {seconds} // 2 + 1):
    time.sleep(max(0, start + tick * 2 - time.monotonic()))
    comments_set_status(comments=Comment.objects.filter(pk=waiting.pop()), status="approved")
    if tick % 10 == 0:
        story = Article.objects.get(pk=rng.choice(stories))
        story.lead = story.lead.split(" (updated at")[0] + f" (updated at {{time.time():.0f}})"
        story.save()
"""

MIX_LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  paths = {PATHS}
  hits, stale, misses = 0, 0, 0
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
function response(status, headers, body)
  local status = headers["X-Page-Cache"]
  if status == "hit" then hits = hits + 1
  elseif status == "stale" then stale = stale + 1
  else misses = misses + 1 end
end
function done(summary, latency, requests)
  local h, s, m = 0, 0, 0
  for _, thread in ipairs(threads) do
    h, s, m = h + thread:get("hits"), s + thread:get("stale"), m + thread:get("misses")
  end
  io.write(string.format("PAGE-CACHE %d %d %d\\n", h, s, m))
end
"""


def _wrk(base, script, seconds, connections, units):
    output = subprocess.run(  # noqa: S603 (our own wrk run with fixed arguments)
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, base],  # noqa: S607
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
    hits, stale, misses = map(int, re.search(r"PAGE-CACHE (\d+) (\d+) (\d+)", output).groups())
    answered = max(1, hits + stale + misses)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p99": float(value) * units[unit],
        # A stale copy is served from the cache too: the ratio counts what was not rendered.
        "hit_ratio": (hits + stale) / answered * 100,
        "stale": stale / answered * 100,
    }


def live_newsroom_run(base, manage, spawn, fetch, seconds, connections, units):
    """The quiet run, then the live one; ``manage`` runs a shell command and returns its
    output, ``spawn`` starts one in the background, ``fetch`` gets a page."""
    output = manage("shell", "--no-imports", "--command", MIX, capture=True).splitlines()
    paths = json.loads(output[-1])
    stories = sorted({int(line.split()[1]) for line in output if line.startswith("story ")})
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        lua_paths = "{" + ",".join(json.dumps(path) for path in paths) + "}"
        script.write(MIX_LUA.replace("{PATHS}", lua_paths))
    # Fill the page cache as the first readers of the day would, then measure.
    for path in set(paths):
        fetch(path)
    _wrk(base, script.name, 5, connections, units)
    quiet = _wrk(base, script.name, seconds, connections, units)
    writers = spawn(
        "shell",
        "--no-imports",
        "--command",
        WRITERS.format(stories=stories, seconds=seconds + 5),
        output=True,
    )
    writers.stdout.readline()  # Started (Django loaded, its reviews waiting): now measure.
    live = _wrk(base, script.name, seconds, connections, units)
    writers.wait(timeout=60)
    return {"pages": len(set(paths)), "quiet": quiet, "live": live}
