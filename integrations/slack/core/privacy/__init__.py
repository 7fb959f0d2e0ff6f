"""One privacy policy for every Slack target (issue 15).

- Each message kind declares the fields it shows with a privacy class, on its block builder
  (``integrations.slack.core.blocks.shows(kinds=…, title=INTERNAL, …)``): the same declaration
  that tells receivers which edits refresh a posted message, so there is only one.
- Each target is classified at send time (public channel, private channel, DM, a channel
  with guests, a channel shared with another organisation) through the Web API and cached
  (``targets.py``); Slack unreachable → the most restrictive class.
- The policy (``TargetPolicy`` rows, admin-editable, defaults in ``classes.DEFAULT_POLICY``)
  says the highest privacy class each target class may see; a message showing anything
  above it is sent as "number + link to the portal" instead (``screen.py``, called by
  ``core/delivery.py`` for every post, update, reply and redaction of every module).
"""
