"""Real (non-mock) stand-ins for external services, used by the test suite.

* ``slack_api``: a local HTTP server answering like Slack's Web API, so code
  under test talks to it through the genuine ``slack_sdk`` client.
* ``slack_signing``: builders for genuinely signed inbound Slack requests
  (slash commands, interactivity payloads, Events API bodies).

Nothing is imported here on purpose: ``python -m tests.fakes.slack_api``
must be able to run the module as ``__main__`` without it being imported
first through the package.
"""
