"""Outbox, invitation building (iCalendar) and mail transports."""
