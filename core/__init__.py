"""Helpers every app needs, without models: the bottom floor (see docs/architecture.md).

Modules here import Django and libraries only, never ``articles``, ``comments``,
``newsroom`` or ``demo``, so any app may use them.
"""
