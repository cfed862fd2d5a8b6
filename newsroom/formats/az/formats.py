# "1 Dekabr 2026, 22:22": month names as Django's Azerbaijani catalogue has them,
# and the 24-hour clock.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
