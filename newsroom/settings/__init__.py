"""Settings package: ``base`` (read from the environment; production and development)
and ``test`` (``base`` plus fast, isolated settings for the suite).
"""
