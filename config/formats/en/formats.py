# English dates as the product has always printed them ("24 November 2026"), not Django's
# US default ("Nov. 24, 2026"). Other languages use Django's own formats.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
