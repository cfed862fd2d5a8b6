"""What an import did: counts per kind, and every object skipped or dropped, with why."""

from collections import Counter


class Report:
    def __init__(self):
        self.counts = Counter()
        self.lines = []

    def count(self, kind, n=1):
        if n:
            self.counts[kind] += n

    def skip(self, kind, wp_id, why):
        self.counts[f"{kind} skipped"] += 1
        self.lines.append(f"{kind} #{wp_id}: {why}")

    def note(self, wp_id, what):
        self.lines.append(f"post #{wp_id}: {what}")

    def render(self, *, dry_run=False):
        heading = "WordPress import (dry run: nothing was written)" if dry_run else (
            "WordPress import")  # fmt: skip
        rows = [heading, ""]
        rows += [f"  {kind}: {n}" for kind, n in sorted(self.counts.items())]
        if self.lines:
            rows += ["", "Skipped, dropped or changed:"]
            rows += [f"  {line}" for line in self.lines]
        return "\n".join(rows) + "\n"
