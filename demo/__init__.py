"""The demo newsroom, on the top floor: loaders, their content as data, the large newsroom
for ``make bench`` and its reference page. Nothing imports this app (docs/architecture.md)."""
