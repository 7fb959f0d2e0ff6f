"""Parsers of what senders post or mail, into ``alerts.services.Incoming`` values. Pure: no queries."""
