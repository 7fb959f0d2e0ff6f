"""Calendar adapters for meeting rooms: Google Calendar (sync tokens, write-back) and ICS URLs.

Both turn another calendar into meetings.services.sync.ExternalEvent objects; the domain
decides what becomes of them (meetings/services/sync.py). Nothing in meetings imports this.
"""
