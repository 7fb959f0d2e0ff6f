"""Slack Socket Mode: Slack's requests over a WebSocket the portal opens (no public URL needed)."""
