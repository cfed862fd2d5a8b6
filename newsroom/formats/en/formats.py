# One date style per language on the site and in the admin (issue 17): day, month in
# words, year, and the 24-hour clock, "1 December 2026, 22:22".
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
