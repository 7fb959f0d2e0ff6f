"""Requests from Slack: slash commands, interactivity and the Events API (DESIGN.md §3.9)."""
