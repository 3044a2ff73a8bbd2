"""Call schedules: residents' blackouts imported from Amion-style CSV or iCalendar (a file or a URL).

``upload`` reads the request, ``amion`` and ``ics`` read the file into entries, ``shifts`` turns wall times
into UTC blackouts, ``names`` matches people, ``fetch`` gets a calendar URL, and ``service`` holds the rules
of an import (its docstring is the reference).
"""
